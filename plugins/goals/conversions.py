"""The goal conversions of one request: decided before the visit is written, stored after it
(spec §10.8 "Conversion row").

``process_request``/``after_request_processed`` note each conversion in the context; ``record``
turns them into ``log_conversion`` rows once the visit and action ids are known.
"""

from __future__ import annotations

import calendar
import random
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Connection

from core import ActionType, ConversionKind, TrackingContext, conversion_columns, insert_conversion

from plugins.goals.definitions import Goal

PENDING = "goals.conversions"
"""The key of the request's pending conversions in ``context.extra``."""
BUSTER_ATTEMPTS = 20
"""How often a goal that may convert many times per visit draws again when its buster is taken."""
_random = random.SystemRandom()


@dataclass(frozen=True)
class Conversion:
    goal: Goal
    url: str
    manual: bool
    """Converted through ``idgoal``: no action row, so no idaction_url and no idlink_va."""


def note(context: TrackingContext, goal: Goal, url: str, manual: bool = False) -> None:
    context.extra.setdefault(PENDING, []).append(Conversion(goal, url, manual))
    context.converted = True


def revenue(context: TrackingContext, goal: Goal) -> float:
    """An event goal with ``event_value_as_revenue`` takes the event value; otherwise the
    ``revenue`` parameter when it is a number, else the goal's default. Rounded to cents."""
    request, action = context.request, context.action
    value = None
    if goal.event_value_as_revenue and action is not None and action.type == ActionType.EVENT_CATEGORY:
        value = action.custom_float
    if value is None:
        value = request.get_float("revenue")
    if value is None:
        value = goal.revenue
    return round(value, 2)


def buster(context: TrackingContext, goal: Goal) -> int:
    """0 keeps a goal to one conversion per visit (the primary key is idvisit, idgoal, buster);
    a goal that allows more gets a random digit 1-3, a random digit and the last 8 digits of the
    visit's last action time."""
    if not goal.allow_multiple:
        return 0
    last = context.visitor.get("visit_last_action_time") or context.request.time
    seconds = calendar.timegm(last.timetuple()) % 10**8
    return int(f"{_random.randint(1, 3)}{_random.randint(0, 9)}{seconds:08d}")


def row(context: TrackingContext, conversion: Conversion) -> dict:
    goal = conversion.goal
    specific = {"idgoal": goal.idgoal, "buster": buster(context, goal), "url": conversion.url,
                "revenue": revenue(context, goal), "items": None, "idorder": None,
                "idaction_url": None, "idlink_va": None}
    if not conversion.manual and context.action is not None:
        specific["idaction_url"] = context.action.ids.get("idaction_url")
        specific["idlink_va"] = context.idlink_va
    return {**conversion_columns(context, ConversionKind.GOAL, goal), **specific}


def _free_buster(context: TrackingContext, connection: Connection, goal: Goal) -> int:
    """A buster no conversion of this goal in this visit has yet: Matomo would silently lose a
    conversion whose random digits repeat those of another in the same second; trackway draws
    again. The visitor's lock makes the check race-free."""
    table = context.tracker.db.table("log_conversion")
    taken = set(connection.execute(select(table.c.buster).where(
        table.c.idvisit == context.idvisit, table.c.idgoal == goal.idgoal)).scalars())
    value = buster(context, goal)
    for _ in range(BUSTER_ATTEMPTS):
        if value not in taken:
            break
        value = buster(context, goal)
    return value


def store(context: TrackingContext, connection: Connection) -> None:
    """Insert the request's conversions; a goal already converted in this visit (and not allowed
    to convert again) is skipped by the primary key (idvisit, idgoal, buster=0)."""
    for conversion in context.extra.get(PENDING, ()):
        values = row(context, conversion)
        if conversion.goal.allow_multiple:
            values["buster"] = _free_buster(context, connection, conversion.goal)
        insert_conversion(context, connection, values)
