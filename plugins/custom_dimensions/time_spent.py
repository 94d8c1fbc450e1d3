"""Time spent on an action, for sites with action-scope dimensions (spec §10.11).

``log_visit.last_idlink_va`` remembers the visit's last action row. When the next action comes,
its ``time_spent_ref_action`` (seconds since the previous action) is also written into that
previous row's ``time_spent``, so an action-scope value can be related to the time spent on it.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Table, bindparam, update
from sqlalchemy.engine import Connection
from sqlalchemy.sql import Update

from core import TrackingContext

from plugins.custom_dimensions.active import ATTRIBUTE


def record_time_spent(context: TrackingContext, connection: Connection) -> None:
    if context.idlink_va is None:
        return
    if not any(d.scope == "action" for d in context.site.attributes.get(ATTRIBUTE, ())):
        return
    db = context.tracker.db
    previous = None if context.is_new_visit else context.visitor.previous("last_idlink_va")
    spent = context.action_row.get("time_spent_ref_action")
    if previous and spent is not None:
        connection.execute(_set_time_spent(db.table("log_link_visit_action")),
                           {"w_idlink_va": previous, "w_idvisit": context.idvisit, "v_time_spent": spent})
    connection.execute(_set_last_action(db.table("log_visit")),
                       {"w_idvisit": context.idvisit, "v_last_idlink_va": context.idlink_va})


@lru_cache(maxsize=8)
def _set_time_spent(actions: Table) -> Update:
    return (update(actions)
            .where(actions.c.idlink_va == bindparam("w_idlink_va"), actions.c.idvisit == bindparam("w_idvisit"))
            .values(time_spent=bindparam("v_time_spent")))


@lru_cache(maxsize=8)
def _set_last_action(visits: Table) -> Update:
    return (update(visits).where(visits.c.idvisit == bindparam("w_idvisit"))
            .values(last_idlink_va=bindparam("v_last_idlink_va")))
