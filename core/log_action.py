"""log_action: the dictionary of names (URLs, titles, event names, ...) the log rows refer to by id.

Ids are looked up in memory first, then in one query for every name of a request, and
inserted when missing. Concurrent inserts of the same name are kept apart by a lock on the
name, so each (name, type) gets exactly one id. Ids learnt inside a transaction join the
shared cache only after it commits: a rolled-back id never leaks into other requests.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy import insert
from sqlalchemy.engine import Connection

from core.action import ActionName
from core.db import Database
from core.statements import TrackerStatements

if TYPE_CHECKING:  # pragma: no cover
    from core.context import TrackingContext
    from core.request import TrackingRequest

Key = tuple[str, int]
MAX_CACHED = 200_000
LOOKUP_BATCH = 250
"""Names looked up per SELECT: a request with many (a large order's items) makes several."""
LOCK_BUCKETS = 256
"""New names are locked by (type, hash bucket): at most this many locks per type and request, so a
large order cannot exhaust the database's lock table; two unrelated names may share a lock."""
MAX_NAME_CHARS = 4096
"""``log_action.name`` is VARCHAR(4096)."""
_PHP_TRIM = " \t\n\r\x00\x0b"


def stored_parameter(request: "TrackingRequest", parameter: str) -> str:
    """A parameter as ``log_action`` stores a name (event category, content piece, ...): HTML-escaped,
    trimmed as PHP trims, at most 4096 characters, never ending in half an escape such as ``&quot;``.
    Matomo does not cut these names; the column would."""
    text = (request.get_str(parameter) or "").strip(_PHP_TRIM)
    if len(text) <= MAX_NAME_CHARS:
        return text
    text = text[:MAX_NAME_CHARS]
    entity = text.rfind("&", MAX_NAME_CHARS - 7)
    if entity >= 0 and ";" not in text[entity:]:
        text = text[:entity]
    return text


def name_hash(name: str) -> int:
    """MySQL's CRC32 of the UTF-8 name, as Matomo stores it in ``log_action.hash``."""
    return zlib.crc32(name.encode("utf-8"))


class LogActionStore:
    def __init__(self, db: Database, statements: TrackerStatements) -> None:
        self.db = db
        self.statements = statements
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
            found: dict[Key, int] = {}
            keys = list(missing)
            for start in range(0, len(keys), LOOKUP_BATCH):
                found.update(self._select(conn, {key: missing[key] for key in keys[start:start + LOOKUP_BATCH]}))
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
        params: dict[str, object] = {}
        for i, (name, type_) in enumerate(items):
            params[f"h{i}"], params[f"t{i}"], params[f"n{i}"] = name_hash(name), type_, name
        rows = conn.execute(self.statements.log_action_lookup(len(items)), params).all()
        found: dict[Key, int] = {}
        for idaction, name, type_ in rows:
            key = (name, type_)
            if key in items and key not in found:  # lowest id wins, compared exactly (not by collation)
                found[key] = idaction
        return found

    def _insert(self, conn: Connection, items: list[ActionName]) -> dict[Key, int]:
        self.db.lock(conn, sorted({f"log_action:{item.type}:{name_hash(item.name) % LOCK_BUCKETS}" for item in items}))
        wanted = {(item.name, item.type): item for item in items}
        found: dict[Key, int] = {}  # another request may have inserted some while we waited
        keys = list(wanted)
        for start in range(0, len(keys), LOOKUP_BATCH):
            found.update(self._select(conn, {key: wanted[key] for key in keys[start:start + LOOKUP_BATCH]}))
        table = self.db.table("log_action")
        for key, item in wanted.items():
            if key in found:
                continue
            result = conn.execute(insert(table), {"name": item.name, "hash": name_hash(item.name), "type": item.type,
                                                  "url_prefix": item.url_prefix})
            found[key] = result.inserted_primary_key[0]
        return found


def resolve_action_names(context: "TrackingContext", connection: Connection,
                         names: Iterable[ActionName]) -> dict[Key, int]:
    """``log_action`` ids of ``names`` by ``(name, type)``, inserting the missing ones, inside the
    request's transaction (call from ``record``): for plugins with names beyond the action row's,
    such as an order's items. Empty names are 0. The ids join the shared cache once the request
    has committed."""
    return context.tracker.log_actions.resolve(connection, names, context.learnt_action_ids)
