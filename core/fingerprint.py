"""The visitor's config id: Matomo's device "fingerprint", salted per instance, site and day."""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
import time
from collections.abc import Mapping
from typing import Any

from core.db import Database
from core.options import add_option_if_missing, get_option
from core.params import to_int
from core.request import TrackingRequest

PLUGIN_FLAGS = ("fla", "java", None, "qt", "realp", "pdf", "wma", None, "ag", "cookie")
"""The order Matomo concatenates the browser-plugin flags in; None stands for a literal 0."""


class DailySalts:
    """``fingerprint_salt_<idsite>_<date>`` options: created once per site and day, then cached."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._salts: dict[tuple[int, str], str] = {}
        self._lock = threading.Lock()

    def get(self, idsite: int, date: str) -> str:
        key = (idsite, date)
        salt = self._salts.get(key)
        if salt is None:
            name = f"fingerprint_salt_{idsite}_{date}"
            with self.db.transaction() as conn:  # on SQLite: as the writer, not a deferred upgrade that fails
                stored = get_option(conn, self.db, name) or add_option_if_missing(
                    conn, self.db, name, json.dumps({"value": secrets.token_hex(16), "time": int(time.time())}), 0)
            salt = json.loads(stored)["value"]
            with self._lock:
                if len(self._salts) > 10_000:
                    self._salts.clear()
                self._salts[key] = salt
        return salt


def browser_language_code(accept_language: str) -> str:
    """Matomo's normalised browser language: the first ``xx`` or ``xx-yy`` of the header, lower-case."""
    text = accept_language.lower().replace("_", "-")
    for part in text.split(","):
        code = part.split(";", 1)[0].strip()
        code = code.split("(", 1)[0].strip()
        if not code:
            continue
        pieces = code.split("-")
        if len(pieces[0]) in (2, 3) and pieces[0].isalpha():
            if len(pieces) > 1 and 2 <= len(pieces[1]) <= 3 and pieces[1].isalnum():
                return f"{pieces[0]}-{pieces[1]}"
            return pieces[0]
    return ""


def config_id(request: TrackingRequest, device: Mapping[str, Any] | None, *, general_salt: str,
              daily_salt: str | None, idsite: int | None) -> bytes:
    """First 8 bytes of the raw md5 over Matomo's config parts (see the spec's config id section)."""
    device = device or {}
    flags = []
    for name in PLUGIN_FLAGS:
        value = 0 if name is None else (to_int(request.params.get(name), 0) or 0)
        if name == "cookie" and device.get("is_internet_explorer"):
            value = 0
        flags.append(str(value))
    parts = [
        device.get("os") or "UNK",
        device.get("browser") or "UNK",
        device.get("browser_version") or "",
        "".join(flags),
        # the masked address as raw bytes when enrichment must not use the full one (as Matomo does)
        request.ip if request.enrichment_ip_bytes is None else request.enrichment_ip_bytes.decode("latin-1"),
        browser_language_code(request.browser_language)[:20],
        general_salt,
        daily_salt or "",
        "" if idsite is None else str(idsite),
    ]
    return hashlib.md5("".join(parts).encode("utf-8")).digest()[:8]
