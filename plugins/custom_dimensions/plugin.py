"""CustomDimensions's hook implementations: per-site dimensions of visit or action scope, sent
as ``dimension<id>`` or extracted from the page URL or title (spec §10.11)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from core import Site, TrackingContext, hookimpl

from plugins.custom_dimensions.active import ATTRIBUTE, ActiveDimension, load_active
from plugins.custom_dimensions.commands import COMMANDS
from plugins.custom_dimensions.configuration import TABLE
from plugins.custom_dimensions.time_spent import record_time_spent
from plugins.custom_dimensions.values import assign_values

OWN_COLUMNS = {"log_visit": "last_idlink_va", "log_link_visit_action": "time_spent"}


@hookimpl
def register_commands() -> list:
    return COMMANDS


@hookimpl
def startup(tracker: Any) -> None:
    """Refuse to start on a database the plugin's migration has not reached."""
    db = tracker.db
    missing = [f"{table}.{column}" for table, column in OWN_COLUMNS.items() if column not in db.columns(table)]
    if not inspect(db.engine).has_table(db.prefix + TABLE):
        missing.append(f"table {db.prefix + TABLE}")
    if missing:
        raise RuntimeError(f"plugin CustomDimensions: the database lacks {', '.join(missing)}; "
                           "run `trackway core:update` to apply the plugin's migrations")


@hookimpl
def site_attributes(site: Site, connection: Connection, tracker: Any) -> dict:
    return {ATTRIBUTE: load_active(connection, tracker.db.prefix, site.idsite)}


@hookimpl(trylast=True)
def after_request_processed(context: TrackingContext) -> None:
    """Last, so that the action is the one that will be stored."""
    assign_values(context)


@hookimpl
def record(context: TrackingContext, connection: Connection) -> None:
    record_time_spent(context, connection)


@hookimpl
def conversion_values(context: TrackingContext, kind: str, goal: Any) -> dict[str, Any]:
    """Every conversion row (goal, order or cart) copies the visit's values of the site's active
    visit dimensions; a slot log_conversion lacks is left out by the core."""
    dimensions: tuple[ActiveDimension, ...] = context.site.attributes.get(ATTRIBUTE, ())
    return {d.column: context.visitor.get(d.column) for d in dimensions if d.scope == "visit"}
