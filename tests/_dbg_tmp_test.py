import tests.test_hook_examples as t
from core import hookimpl

def test_dbg(tmp_path):
    box = t.Sandbox(tmp_path)
    seen = []
    @hookimpl
    def request_tracked(context):
        seen.append("helper")
    @hookimpl
    def after_request_processed(context):
        context.visitor.set("user_id", "overridden")
    @hookimpl(specname="request_tracked", tryfirst=True)
    def failing(context):
        raise RuntimeError("boom")
    tracker = box.tracker(failing, after_request_processed, helpers=[request_tracked])
    print(t.track(tracker, uid="real"))
    print("other request_tracked ran:", seen)
    print("user_id:", t.rows(tracker.db, "log_visit")[0]["user_id"])
    @hookimpl
    def request_excluded(request, reason):
        raise RuntimeError("counter down")
    tr2 = box.tracker(request_excluded)
    try:
        print(t.track(tr2, rec=0))
    except Exception as e:
        print("excluded request raised", e)
    box.close()
