"""Goals' hook implementations: goal conversions in ``log_conversion`` (spec §3, §10.8).

- ``idgoal=N`` (N > 0) converts goal N by hand: no action row, one conversion.
- Otherwise every action is matched against the site's goals; each match is one conversion.
- A heartbeat (``ping=1``) converts nothing; ``idgoal=0`` belongs to Ecommerce.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection

from core import InvalidRequest, Site, TrackingContext, hookimpl, page_url

from plugins.goals import columns, conversions
from plugins.goals.definitions import ATTRIBUTE, Goal, load_goals
from plugins.goals.matching import matching_goals


def _goals(context: TrackingContext) -> dict[int, Goal]:
    return context.site.attributes.get(ATTRIBUTE, {})


def _is_ping(context: TrackingContext) -> bool:
    return context.request.get_int("ping") == 1


@hookimpl
def register_dimensions() -> list[type]:
    return columns.DIMENSIONS


@hookimpl
def site_attributes(site: Site, connection: Connection, tracker: Any) -> dict:
    return {ATTRIBUTE: load_goals(connection, tracker.db.table("goal"), site.idsite)}


@hookimpl
def process_request(context: TrackingContext) -> None:
    """A manual conversion: the goal must exist; the request records no action."""
    idgoal = context.request.get_int("idgoal", -1)
    if idgoal is None or idgoal <= 0 or _is_ping(context):
        return
    goal = _goals(context).get(idgoal)
    if goal is None:
        raise InvalidRequest(f"idGoal {idgoal} does not exist")
    context.action = None
    conversions.note(context, goal, page_url(context.request, context.site).url, manual=True)


@hookimpl(trylast=True)
def after_request_processed(context: TrackingContext) -> None:
    """Match the action against the goals. Last, so the action is the one that will be stored."""
    idgoal = context.request.get_int("idgoal", -1)
    if context.action is None or _is_ping(context) or (idgoal is not None and idgoal >= 0):
        return
    for goal in matching_goals(_goals(context).values(), context):
        conversions.note(context, goal, context.action.url)


@hookimpl
def record(context: TrackingContext, connection: Connection) -> None:
    conversions.store(context, connection)
