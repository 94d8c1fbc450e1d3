"""Heartbeat's hook implementations: a ping (``ping=1``) only tells how long the visitor stayed.

A ping records no action and no conversion; on an ongoing visit it lengthens
``visit_total_time`` (CoreHome computes it from the request time) without moving
``visit_last_action_time``, so pings never keep a visit open. A ping that would open a new visit
is dropped: nothing is stored and the client gets the usual success answer (spec §10.10).
"""

from core import TrackingContext, hookimpl


def is_ping(context: TrackingContext) -> bool:
    return context.request.get_int("ping") == 1


@hookimpl(tryfirst=True)
def process_request(context: TrackingContext) -> bool | None:
    """First, so that no other plugin sees an action (or matches a goal) for a ping."""
    if not is_ping(context):
        return None
    if context.is_new_visit:
        return True
    context.action = None
    context.extra["heartbeat"] = True
    return None
