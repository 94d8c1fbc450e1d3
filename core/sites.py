"""Sites and the tracker's site cache (Matomo's tracker cache, site entries)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Any, Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.engine import Connection

from core.db import Database
from core.errors import InvalidRequest, UnexpectedWebsite


def split_list(value: str | None) -> list[str]:
    """Matomo stores lists as comma-separated text."""
    return [part.strip() for part in (value or "").split(",") if part.strip()]


@lru_cache(maxsize=512)
def parse_timezone(name: str) -> tzinfo:
    """An Olson name, ``UTC``, or Matomo's fixed offsets such as ``UTC+5.5`` and ``UTC-3``."""
    if name in ("UTC", ""):
        return timezone.utc
    if name.startswith("UTC") and len(name) > 3 and name[3] in "+-":
        try:
            return timezone(timedelta(hours=float(name[3:])))
        except (ValueError, OverflowError) as exc:
            raise ValueError(f"unknown timezone {name!r}: a UTC offset is between UTC-23.5 and UTC+23.5") from exc
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown timezone {name!r}") from exc


@dataclass
class Site:
    idsite: int
    name: str
    main_url: str
    timezone: str
    currency: str
    ecommerce: bool
    sitesearch: bool
    sitesearch_keyword_parameters: list[str]
    sitesearch_category_parameters: list[str]
    exclude_unknown_urls: bool
    excluded_ips: list[str]
    excluded_parameters: list[str]
    excluded_user_agents: list[str]
    excluded_referrers: list[str]
    type: str
    keep_url_fragment: int
    urls: list[str]
    ts_created: datetime | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    """Values plugins add through the ``site_attributes`` hook (goals, ...)."""

    @property
    def tzinfo(self) -> tzinfo:
        try:
            return parse_timezone(self.timezone)
        except ValueError as exc:
            raise InvalidRequest(f"The site {self.idsite} has an invalid timezone {self.timezone!r}") from exc

    def local_date(self, utc: datetime) -> str:
        """``YYYY-MM-DD`` of a naive UTC datetime in the site's timezone."""
        return utc.replace(tzinfo=timezone.utc).astimezone(self.tzinfo).date().isoformat()


def load_site(conn: Connection, db: Database, idsite: int) -> Site | None:
    site_table, url_table = db.table("site"), db.table("site_url")
    row = conn.execute(select(site_table).where(site_table.c.idsite == idsite)).mappings().first()
    if row is None:
        return None
    aliases = conn.execute(select(url_table.c.url).where(url_table.c.idsite == idsite)).scalars().all()
    return Site(
        idsite=row["idsite"], name=row["name"], main_url=row["main_url"], timezone=row["timezone"] or "UTC",
        currency=row["currency"], ecommerce=bool(row["ecommerce"]), sitesearch=bool(row["sitesearch"]),
        sitesearch_keyword_parameters=split_list(row["sitesearch_keyword_parameters"]),
        sitesearch_category_parameters=split_list(row["sitesearch_category_parameters"]),
        exclude_unknown_urls=bool(row["exclude_unknown_urls"]),
        excluded_ips=split_list(row["excluded_ips"]), excluded_parameters=split_list(row["excluded_parameters"]),
        excluded_user_agents=split_list(row["excluded_user_agents"]),
        excluded_referrers=split_list(row["excluded_referrers"]),
        type=row["type"], keep_url_fragment=row["keep_url_fragment"] or 0,
        urls=[row["main_url"], *[u for u in aliases if u != row["main_url"]]], ts_created=row["ts_created"],
    )


class SiteCache:
    """Sites by id, kept in memory for ``ttl`` seconds; unknown ids are never cached.

    ``version`` is a callable returning the cache version stored in the database: when it
    changes (``cache:clear``, a site edited by the console) every entry is dropped.
    """

    VERSION_CHECK_SECONDS = 2.0

    def __init__(self, db: Database, ttl: float, enrich: Callable[[Site, Connection], None],
                 version: Callable[[Connection], str], on_version_change: Callable[[], None] | None = None) -> None:
        self.db = db
        self._on_version_change = on_version_change
        self.ttl = ttl
        self._enrich = enrich
        self._version = version
        self._entries: dict[int, tuple[float, Site]] = {}
        self._known_version: str | None = None
        self._version_checked = 0.0
        self._lock = threading.Lock()

    def get(self, idsite: int) -> Site:
        now = time.monotonic()
        entry = self._entries.get(idsite)
        if entry is not None and now - entry[0] < self.ttl and now - self._version_checked < self.VERSION_CHECK_SECONDS:
            return entry[1]
        with self.db.engine.connect() as conn:
            self._check_version(conn, now)
            entry = self._entries.get(idsite)
            if entry is not None and now - entry[0] < self.ttl:
                return entry[1]
            site = load_site(conn, self.db, idsite)
            if site is None:
                raise UnexpectedWebsite(
                    f"An unexpected website was found in the request: website id was set to '{idsite}' .")
            self._enrich(site, conn)
        with self._lock:
            self._entries[idsite] = (now, site)
        return site

    def _check_version(self, conn: Connection, now: float) -> None:
        version = self._version(conn)
        with self._lock:
            changed = self._known_version is not None and version != self._known_version
            if version != self._known_version:
                self._entries.clear()
                self._known_version = version
            self._version_checked = now
        if changed and self._on_version_change is not None:
            self._on_version_change()

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
