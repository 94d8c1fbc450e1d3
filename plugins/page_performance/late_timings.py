"""Timings sent after the page view they belong to.

matomo.js often sends the last timings (``pf_dm2``, ``pf_onl``) with a later request of the
same page (a heartbeat, an event) once the page has finished loading; like Matomo, we store them
on the visit's page view with the same ``pv_id``.
"""

from __future__ import annotations

from sqlalchemy import and_, or_, select, update
from sqlalchemy.engine import Connection

from core import ActionType, TrackingContext

from plugins.page_performance.timings import is_page_view, late_timings


def store_late_timings(context: TrackingContext, connection: Connection) -> None:
    request = context.request
    pv_id = request.get_str("pv_id")
    if is_page_view(context.action) or not pv_id or not context.idvisit:
        return
    values = late_timings(request)
    if not values:
        return
    db = context.tracker.db
    actions, names = db.table("log_link_visit_action"), db.table("log_action")
    # The page view is the first row of the pv_id whose URL is a page URL (or, without a URL, whose
    # name is a page title). Events share both the pv_id and a page URL: this request's own row
    # must not be taken for it.
    is_page = or_(and_(names.c.idaction == actions.c.idaction_url, names.c.type == ActionType.PAGE_URL),
                  and_(names.c.idaction == actions.c.idaction_name, names.c.type == ActionType.PAGE_TITLE))
    query = (select(actions.c.idlink_va).join(names, is_page)
             .where(actions.c.idvisit == context.idvisit, actions.c.idpageview == pv_id)
             .order_by(actions.c.idlink_va).limit(1))
    if context.idlink_va is not None:
        query = query.where(actions.c.idlink_va != context.idlink_va)
    idlink_va = connection.execute(query).scalar()
    if idlink_va is not None:
        connection.execute(update(actions).where(actions.c.idlink_va == idlink_va).values(values))
