"""log_action: the dictionary of names (URLs, titles, event names, ...) the log rows refer to by id.

Ids are looked up in memory first, then in one query for every name of a request, and
inserted when missing. Concurrent inserts of the same name are kept apart by a lock on the
name, so each (name, type) gets exactly one id. Ids learnt inside a transaction join the
shared cache only after it commits: a rolled-back id never leaks into other requests.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable

from sqlalchemy import and_, or_, select
from sqlalchemy.engine import Connection

from core.action import ActionName
from core.db import Database

Key = tuple[str, int]
MAX_CACHED = 200_000


def name_hash(name: str) -> int:
    """MySQL's CRC32 of the UTF-8 name, as Matomo stores it in ``log_action.hash``."""
    return zlib.crc32(name.encode("utf-8"))


class LogActionStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._cache: dict[Key, int] = {}

    def resolve(self, conn: Connection, names: Iterable[ActionName], learnt: dict[Key, int]) -> dict[Key, int]:
        """Ids for every name (empty names are 0). New ids are added to ``learnt``, to be
        passed to :meth:`remember` after the transaction commits."""
        ids: dict[Key, int] = {}
        missing: dict[Key, ActionName] = {}
        for item in names:
            key = (item.name, item.type)
            if not item.name:
                ids[key] = 0
            elif key in self._cache:
                ids[key] = self._cache[key]
            elif key in learnt:
                ids[key] = learnt[key]
            else:
                missing[key] = item
        if missing:
            found = self._select(conn, missing)
            learnt.update(found)
            ids.update(found)
            to_insert = [item for key, item in missing.items() if key not in found]
            if to_insert:
                inserted = self._insert(conn, to_insert)
                learnt.update(inserted)
                ids.update(inserted)
        return ids

    def remember(self, learnt: dict[Key, int]) -> None:
        if len(self._cache) + len(learnt) > MAX_CACHED:
            self._cache.clear()
        self._cache.update(learnt)

    def clear(self) -> None:
        self._cache.clear()

    def _select(self, conn: Connection, items: dict[Key, ActionName]) -> dict[Key, int]:
        table = self.db.table("log_action")
        conditions = [and_(table.c.hash == name_hash(name), table.c.type == type_, table.c.name == name)
                      for name, type_ in items]
        rows = conn.execute(select(table.c.idaction, table.c.name, table.c.type)
                            .where(or_(*conditions)).order_by(table.c.idaction)).all()
        found: dict[Key, int] = {}
        for idaction, name, type_ in rows:
            key = (name, type_)
            if key in items and key not in found:  # lowest id wins, compared exactly (not by collation)
                found[key] = idaction
        return found

    def _insert(self, conn: Connection, items: list[ActionName]) -> dict[Key, int]:
        self.db.lock(conn, sorted(f"log_action:{item.type}:{name_hash(item.name)}" for item in items))
        wanted = {(item.name, item.type): item for item in items}
        found = self._select(conn, wanted)  # another request may have inserted them while we waited
        table = self.db.table("log_action")
        for key, item in wanted.items():
            if key in found:
                continue
            result = conn.execute(table.insert().values(
                name=item.name, hash=name_hash(item.name), type=item.type, url_prefix=item.url_prefix))
            found[key] = result.inserted_primary_key[0]
        return found
