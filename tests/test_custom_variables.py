"""CustomVariables: `_cvar` fills the visit's five name/value slots, `cvar` the action row's.

Spec: matomo-tracker.md §2 (`cvar`, `_cvar`), §7.4 (stored raw), §8 (columns), §10.12.
Every request goes over real HTTP; bad input must be skipped while the request is tracked.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs

import pytest
from sqlalchemy import inspect

from tests.replay import load_captures, replay

VISITOR = "1234567890abcdef"
SLOTS = [f"custom_var_{part}{slot}" for slot in range(1, 6) for part in ("k", "v")]


def slots(row: dict) -> dict[str, str]:
    """The slots a row has filled: {"k1": name, "v1": value, ...}."""
    return {column[len("custom_var_"):]: row[column] for column in SLOTS if row[column] is not None}


def track(server, site: int, **params) -> int:
    """A page view of the test's visitor; dict parameters are sent as JSON, as matomo.js sends them."""
    encoded = {k: v if isinstance(v, (str, int)) else json.dumps(v, ensure_ascii=False) for k, v in params.items()}
    return server.page_view(site, _id=VISITOR, **encoded).status_code


def test_each_table_has_the_ten_columns_as_varchar_200(server, db):
    inspector = inspect(db.engine)
    for table in ("log_visit", "log_conversion", "log_link_visit_action"):
        types = {column["name"]: column["type"] for column in inspector.get_columns(table)}
        for name in SLOTS:
            assert types[name].length == 200, f"{table}.{name} is {types[name]!r}"


def test_visit_scope_variables_are_set_on_a_new_visit(server, db, site):
    status = track(server, site, _cvar={"1": ["group", "customer"], "3": ["plan", "pro"]})

    assert status == 200
    (visit,) = db.visits(site)
    assert slots(visit) == {"k1": "group", "v1": "customer", "k3": "plan", "v3": "pro"}
    (action,) = db.actions(site)
    assert slots(action) == {}


def test_later_requests_merge_into_the_visit_and_absent_slots_keep_their_values(server, db, site):
    track(server, site, _cvar={"1": ["group", "customer"], "3": ["plan", "pro"]})
    track(server, site, _cvar={"2": ["country", "fr"], "3": ["plan", "enterprise"]})
    track(server, site)  # no _cvar at all: the visit keeps what it has

    (visit,) = db.visits(site)
    assert slots(visit) == {"k1": "group", "v1": "customer", "k2": "country", "v2": "fr",
                            "k3": "plan", "v3": "enterprise"}
    assert len(db.actions(site)) == 3


def test_an_empty_name_and_value_are_stored_empty_over_the_previous_ones(server, db, site):
    track(server, site, _cvar={"4": ["basket", "full"]})
    track(server, site, _cvar={"4": ["", ""]})

    (visit,) = db.visits(site)
    assert (visit["custom_var_k4"], visit["custom_var_v4"]) == ("", "")


def test_a_new_visit_does_not_inherit_the_previous_visits_variables(server, db, site):
    track(server, site, _cvar={"1": ["group", "customer"]})
    track(server, site, new_visit=1, _cvar={"2": ["plan", "pro"]})

    first, second = db.visits(site)
    assert slots(first) == {"k1": "group", "v1": "customer"}
    assert slots(second) == {"k2": "plan", "v2": "pro"}


def test_page_scope_variables_go_on_the_action_row_only(server, db, site):
    track(server, site, cvar={"1": ["status", "200"], "5": ["method", "GET"]},
          _cvar={"1": ["group", "customer"]})
    track(server, site, cvar={"2": ["status", "404"]})

    first, second = db.actions(site)
    assert slots(first) == {"k1": "status", "v1": "200", "k5": "method", "v5": "GET"}
    assert slots(second) == {"k2": "status", "v2": "404"}
    (visit,) = db.visits(site)
    assert slots(visit) == {"k1": "group", "v1": "customer"}


def test_names_and_values_are_stored_raw_not_html_escaped(server, db, site):
    track(server, site, _cvar={"1": ['<b>&"', "it's <i>"], "2": ["a &amp; b", "caf\u00e9 \u2013 \U0001F600"]},
          cvar={"1": ["<script>", "x&y"]})

    (visit,) = db.visits(site)
    assert slots(visit) == {"k1": '<b>&"', "v1": "it's <i>", "k2": "a & b", "v2": "caf\u00e9 \u2013 \U0001F600"}
    (action,) = db.actions(site)
    assert slots(action) == {"k1": "<script>", "v1": "x&y"}


def test_names_and_values_are_trimmed_and_cut_to_200_characters(server, db, site):
    long_value = "\u00e9" * 150 + "x" * 100
    track(server, site, _cvar={"1": ["  padded name \t\n", "z" * 300], "2": ["long", long_value]})

    (visit,) = db.visits(site)
    assert visit["custom_var_k1"] == "padded name"
    assert visit["custom_var_v1"] == "z" * 200
    assert visit["custom_var_v2"] == "\u00e9" * 150 + "x" * 50


def test_numbers_are_stored_as_text(server, db, site):
    track(server, site, _cvar={"1": ["count", 5], "2": [3.5, 7.0]})

    (visit,) = db.visits(site)
    assert slots(visit) == {"k1": "count", "v1": "5", "k2": "3.5", "v2": "7"}


PYTHON_CLIENT_CVARS = sorted({value for record in load_captures("python-clients.jsonl")
                              for value in parse_qs(record.get("body") or "").get("cvar", [])})
"""What asgi-matomo (JSON without slots) and flask-matomo2 (a Python dict printout) send as `cvar`."""


MALFORMED = [
    pytest.param("{'1': ['a', 'b']}", id="python-dict-printout"),
    pytest.param('{"1": ["a", "b"', id="truncated-json"),
    pytest.param('[["a", "b"], ["c", "d"]]', id="a-list"),
    pytest.param('{"1": ["a", "b", "c"]}', id="three-elements"),
    pytest.param('{"1": ["a"]}', id="one-element"),
    pytest.param('{"9": ["a", "b"]}', id="slot-9"),
    pytest.param('{"0": ["a", "b"]}', id="slot-0"),
    pytest.param('{"-1": ["a", "b"]}', id="negative-slot"),
    pytest.param('{"one": ["a", "b"]}', id="slot-not-a-number"),
    pytest.param('{"1": "a=b"}', id="entry-not-a-list"),
    pytest.param('{"1": [["a"], "b"]}', id="nested-list"),
    pytest.param('{"1": [null, "b"]}', id="null-name"),
    pytest.param('{"1": ["a", true]}', id="boolean-value"),
    pytest.param('{"1": ["\\ud800", "b"]}', id="lone-surrogate"),
    pytest.param('"group"', id="a-string"),
    pytest.param("42", id="a-number"),
] + [pytest.param(value, id=f"python-clients-capture-{i}") for i, value in enumerate(PYTHON_CLIENT_CVARS)]


@pytest.mark.parametrize("value", MALFORMED)
def test_malformed_variables_are_ignored_and_the_request_is_still_tracked(server, db, site, value):
    response = server.page_view(site, _id=VISITOR, action_name="Still tracked", _cvar=value, cvar=value)

    assert response.status_code == 200
    (visit,) = db.visits(site)
    assert slots(visit) == {}
    (action,) = db.actions(site)
    assert db.action_name(action["idaction_name"]) == "Still tracked"
    assert slots(action) == {}


def test_a_beacon_with_malformed_variables_is_answered_204_and_tracked(server, db, site):
    response = server.track("POST", params={"idsite": site, "rec": 1, "url": "http://shop.test/", "send_image": 0,
                                            "_id": VISITOR, "_cvar": "{'1': ['a', 'b']}"},
                            data={"cvar": '{"1": ["a", "b"'})

    assert response.status_code == 204
    (visit,) = db.visits(site)
    assert slots(visit) == {}
    (action,) = db.actions(site)
    assert slots(action) == {}


def test_bad_entries_are_skipped_while_the_good_ones_are_kept(server, db, site):
    track(server, site, _cvar={"1": ["a", "b", "c"], "2": ["kept", "yes"], "9": ["x", "y"], "4": "bad"})

    (visit,) = db.visits(site)
    assert slots(visit) == {"k2": "kept", "v2": "yes"}


def test_a_later_malformed_value_leaves_the_visits_variables_alone(server, db, site):
    track(server, site, _cvar={"1": ["group", "customer"]})
    response = server.page_view(site, _id=VISITOR, _cvar="{'1': ['group', 'admin']}")

    assert response.status_code == 200
    (visit,) = db.visits(site)
    assert slots(visit) == {"k1": "group", "v1": "customer"}
    assert len(db.actions(site)) == 2


def test_node_matomo_trackers_page_variable_lands_on_the_action_row(server, db, site):
    (record,) = [r for r in load_captures("node-matomo-tracker.jsonl") if r["seq"] == 1 and r["method"] == "GET"]
    response = replay(server.base, record, site)

    assert response.status_code == 200
    (action,) = db.actions(site)
    assert slots(action) == {"k1": "custom variable name", "v1": "custom variable value"}
    (visit,) = db.visits(site)
    assert slots(visit) == {}
