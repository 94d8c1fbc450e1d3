"""The tracker's hot-path SQL, built once: statements with bind parameters that SQLAlchemy
compiles a single time and then only re-executes with new values."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import and_, bindparam, insert, or_, select, update
from sqlalchemy.sql import Select, Update

from core.db import Database


class TrackerStatements:
    def __init__(self, db: Database) -> None:
        visit = db.table("log_visit")
        latest_first = (visit.c.visit_last_action_time.desc(), visit.c.idvisit.desc())
        by_config = [visit.c.idsite == bindparam("idsite"),
                     visit.c.visit_last_action_time >= bindparam("look_back"),
                     visit.c.visit_last_action_time <= bindparam("look_ahead"),
                     visit.c.config_id == bindparam("config_id")]
        self.visit_by_visitor_id = (select(visit).where(
            visit.c.idsite == bindparam("idsite"), visit.c.visit_last_action_time <= bindparam("look_ahead"),
            visit.c.idvisitor == bindparam("idvisitor")).order_by(*latest_first).limit(1))
        self.visit_by_config_id = select(visit).where(*by_config).order_by(*latest_first).limit(1)
        self.visit_by_config_id_and_user = self.visit_by_config_id
        if "user_id" in visit.c:
            self.visit_by_config_id_and_user = select(visit).where(
                *by_config, or_(visit.c.user_id.is_(None), visit.c.user_id == bindparam("user_id"))
            ).order_by(*latest_first).limit(1)
        self.insert_visit = insert(visit)
        self.insert_action = insert(db.table("log_link_visit_action"))
        self._visit = visit
        self._log_action = db.table("log_action")

    def update_visit(self, columns: tuple[str, ...], incremented: tuple[str, ...]) -> Update:
        """UPDATE log_visit SET <col = :v_col ...>, <inc = inc + :i_inc ...> WHERE idsite AND idvisit."""
        return _update_visit(self._visit, columns, incremented)

    def log_action_lookup(self, count: int) -> Select:
        """SELECT idaction, name, type for ``count`` (hash, type, name) triples: :h0 :t0 :n0, ..."""
        return _log_action_lookup(self._log_action, count)


@lru_cache(maxsize=1024)
def _update_visit(visit, columns: tuple[str, ...], incremented: tuple[str, ...]) -> Update:
    values = {visit.c[c]: bindparam("v_" + c) for c in columns}
    values.update({visit.c[c]: visit.c[c] + bindparam("i_" + c) for c in incremented})
    return (update(visit).where(visit.c.idsite == bindparam("w_idsite"), visit.c.idvisit == bindparam("w_idvisit"))
            .values(values))


@lru_cache(maxsize=64)
def _log_action_lookup(log_action, count: int) -> Select:
    conditions = [and_(log_action.c.hash == bindparam(f"h{i}"), log_action.c.type == bindparam(f"t{i}"),
                       log_action.c.name == bindparam(f"n{i}")) for i in range(count)]
    return (select(log_action.c.idaction, log_action.c.name, log_action.c.type)
            .where(or_(*conditions)).order_by(log_action.c.idaction))
