"""The tested example of ``conversion_values`` (shown verbatim in docs/plugin_hooks.md), run for
real: a tracker on a fresh SQLite database with a goal, requests in, ``log_conversion`` rows out.

The scaffolding (``Sandbox``, ``track``, ``rows``) is that of tests/test_hook_examples.py.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from core.tracker import Tracker, TrackResult
from tests.test_hook_examples import SITE, Sandbox, rows, track

VISITOR = "a1b2c3d4e5f60718"


@pytest.fixture
def sandbox(tmp_path):
    box = Sandbox(tmp_path)
    yield box
    box.close()


def add_goals(db) -> None:
    """Goal 1 converts by hand only; goal 2 on any page whose URL contains /thank-you."""
    common = {"idsite": SITE, "description": "", "pattern_type": "contains", "case_sensitive": 0, "allow_multiple": 0,
              "revenue": 0, "deleted": 0, "event_value_as_revenue": 0}
    with db.engine.begin() as conn:
        conn.execute(db.table("goal").insert(), [
            {**common, "idgoal": 1, "name": "Call back", "match_attribute": "manually", "pattern": ""},
            {**common, "idgoal": 2, "name": "Order", "match_attribute": "url", "pattern": "/thank-you"}])


def tracker(sandbox: Sandbox, *hooks, with_column: bool = True) -> Tracker:
    """A tracker whose log_conversion has the example plugin's column (as its migration would add it)."""
    config = sandbox.config(*hooks)
    db = sandbox.database(config)
    add_goals(db)
    if with_column:
        with db.engine.begin() as conn:
            conn.execute(text(f"ALTER TABLE {db.prefix}log_conversion ADD COLUMN experiment_variant VARCHAR(20)"))
        db.reflect()
    built = Tracker(config.settings, db, config.plugins)
    sandbox._trackers.append(built)  # closed with the sandbox
    return built


def test_conversion_values_adds_a_column_to_every_conversion_row(sandbox):
    # example: conversion_values
    from core import hookimpl

    @hookimpl
    def conversion_values(context, kind, goal):
        """The checkout experiment's variant on each conversion row (the plugin's migration adds
        log_conversion.experiment_variant); only the converting request carries it."""
        variant = context.request.get_str("exp_variant")
        return {"experiment_variant": variant[:20]} if variant else None
    # end example

    tracker_ = tracker(sandbox, conversion_values)

    assert track(tracker_, _id=VISITOR, idgoal=1, exp_variant="B") is TrackResult.TRACKED
    assert track(tracker_, _id=VISITOR, url="http://shop.test/thank-you", exp_variant="green-checkout-button-v2") \
        is TrackResult.TRACKED
    assert track(tracker_, _id=VISITOR, idgoal=1, new_visit=1) is TrackResult.TRACKED

    stored = [(row["idgoal"], row["experiment_variant"]) for row in rows(tracker_.db, "log_conversion")]
    assert sorted(stored, key=str) == sorted([(1, "B"), (2, "green-checkout-butto"), (1, None)], key=str)


def test_a_value_for_a_column_the_table_lacks_is_left_out(sandbox):
    from core import hookimpl

    @hookimpl
    def conversion_values(context, kind, goal):
        return {"experiment_variant": "B", "revenue_tax": 1.5}

    tracker_ = tracker(sandbox, conversion_values, with_column=False)

    assert track(tracker_, _id=VISITOR, idgoal=1) is TrackResult.TRACKED
    (row,) = rows(tracker_.db, "log_conversion")
    assert (row["idgoal"], row["revenue_tax"]) == (1, 1.5)
    assert "experiment_variant" not in row


def test_the_hook_gets_the_kind_and_the_goal(sandbox):
    from core import hookimpl

    seen = []

    @hookimpl
    def conversion_values(kind, goal):
        seen.append((kind, goal.idgoal, goal.name, goal.match_attribute))

    tracker_ = tracker(sandbox, conversion_values, with_column=False)
    assert track(tracker_, _id=VISITOR, idgoal=1) is TrackResult.TRACKED
    assert track(tracker_, _id=VISITOR, url="http://shop.test/thank-you") is TrackResult.TRACKED

    assert seen == [("goal", 1, "Call back", "manually"), ("goal", 2, "Order", "url")]
    assert [row["idgoal"] for row in rows(tracker_.db, "log_conversion")] == [1, 2]
