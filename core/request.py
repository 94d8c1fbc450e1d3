"""TrackingRequest: one tracking request's parameters, read and typed the way Matomo reads them."""

from __future__ import annotations

import hashlib
import ipaddress
import re
import time as _time
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from functools import cached_property
from typing import Any

from core.errors import InvalidRequest
from core.params import sanitize, to_float, to_int, to_json, to_str

_HEX16 = re.compile(r"[0-9a-fA-F]{16}")
_UNIX_TIME = re.compile(r"\d+(\.\d+)?")
TWENTY_YEARS = 20 * 365 * 86400
UNPARSABLE_IP = "0.0.0.0"

AuthChecker = Callable[[int, str], bool]
"""(idsite, token_auth) -> True when the token has write access to the site (or is a super user's)."""


class TrackingRequest:
    """The parameters of one tracking request (a single request, or one entry of a bulk request).

    ``params`` holds the raw values as received (query string and form body merged). The typed
    readers apply Matomo's rules: ``get_str`` returns the *sanitised* (HTML-escaped) form that
    Matomo stores, ``get_raw`` the value as sent.
    """

    def __init__(
        self,
        params: Mapping[str, Any],
        *,
        headers: Mapping[str, str] | None = None,
        remote_addr: str = "",
        received_at: float | None = None,
        token_auth: str | None = None,
        settings: Any = None,
        auth_checker: AuthChecker | None = None,
    ) -> None:
        self.params: dict[str, Any] = dict(params)
        # Starlette's headers ignore case; a plain mapping is lower-cased so header() finds names either way.
        self.headers: Mapping[str, str] = ({k.lower(): v for k, v in headers.items()} if isinstance(headers, dict)
                                           else headers or {})
        self.remote_addr = remote_addr
        self.received_at = received_at if received_at is not None else _time.time()
        self._token_auth = token_auth
        self._settings = settings
        self._auth_checker = auth_checker
        self.extra: dict[str, Any] = {}
        """Scratch space for plugins: results computed once per request (device, location, ...)."""
        self.enrichment_ip_bytes: bytes | None = None
        """Set by a privacy plugin to the masked IP when enrichment (config id, geolocation) must
        not see the full one."""

    @property
    def settings(self) -> Any:
        """The tracker's settings (``Settings``), for dimensions that read configuration."""
        return self._settings

    # -- typed readers ---------------------------------------------------------------------------

    def has(self, name: str) -> bool:
        value = self.params.get(name)
        return value is not None and value != ""

    def get_raw(self, name: str, default: Any = None) -> Any:
        value = self.params.get(name)
        return default if value is None or value == "" else value

    def get_int(self, name: str, default: int | None = None) -> int | None:
        return to_int(self.params.get(name), default)

    def get_float(self, name: str, default: float | None = None) -> float | None:
        return to_float(self.params.get(name), default)

    def get_str(self, name: str, default: str | None = None) -> str | None:
        """The sanitised string (Matomo's stored form), or ``default`` when missing, empty or not a scalar."""
        value = to_str(self.params.get(name), None)
        return default if value is None else sanitize(value)

    def get_json(self, name: str) -> Any:
        return to_json(self.params.get(name))

    def header(self, name: str, default: str = "") -> str:
        return self.headers.get(name.lower(), default)

    # -- the site --------------------------------------------------------------------------------

    @cached_property
    def idsite(self) -> int:
        raw = self.params.get("idsite")
        idsite = to_int(raw, None)
        if idsite is None or idsite <= 0:
            shown = raw if isinstance(raw, str) else ("" if raw is None else str(raw))
            raise InvalidRequest(f"Invalid idSite: '{shown[:100]}'")
        return idsite

    # -- authentication --------------------------------------------------------------------------

    @property
    def token_auth(self) -> str | None:
        return to_str(self.params.get("token_auth"), None) or self._token_auth

    @cached_property
    def is_authenticated(self) -> bool:
        """True when the request's token may use the protected parameters (cip, old cdt, ...)."""
        if self._settings is not None and not self._settings.get("Tracker", "tracking_requests_require_authentication"):
            return True
        token = self.token_auth
        if not token or self._auth_checker is None:
            return False
        return self._auth_checker(self.idsite, token)

    def require_authentication(self, parameter: str) -> None:
        if not self.is_authenticated:
            raise InvalidRequest(f"Tracker API '{parameter}' was used, requires valid token_auth")

    # -- time ------------------------------------------------------------------------------------

    @cached_property
    def timestamp(self) -> float:
        """The time the request describes: ``cdt`` (minus ``cdo``) when valid, else when it was received."""
        now = self.received_at
        custom = _parse_custom_time(self.params.get("cdt"))
        offset = to_int(self.params.get("cdo"), 0) or 0
        if custom is None:
            if offset <= 0:
                return now
            custom = now
        custom -= offset
        if custom > now or custom < now - TWENTY_YEARS:
            return now
        age = now - custom
        limit = 86400
        if self._settings is not None:
            limit = self._settings.get("Tracker", "tracking_requests_require_authentication_when_custom_timestamp_newer_than")
        if age >= limit and not self.is_authenticated:
            raise InvalidRequest(f"Custom timestamp is {int(age)} seconds old, requires &token_auth...")
        return custom

    @cached_property
    def time(self) -> datetime:
        """The request time as a naive UTC datetime, whole seconds (how DATETIME columns hold it)."""
        return datetime.fromtimestamp(int(self.timestamp), tz=timezone.utc).replace(tzinfo=None)

    # -- client ----------------------------------------------------------------------------------

    @cached_property
    def ip(self) -> str:
        """The visitor's IP as text: ``cip`` (authenticated) or the client address."""
        cip = to_str(self.params.get("cip"), None)
        if cip is not None:
            self.require_authentication("cip")
            return normalize_ip(cip)
        return normalize_ip(self.remote_addr)

    @cached_property
    def ip_bytes(self) -> bytes:
        return ipaddress.ip_address(self.ip).packed

    @property
    def enrichment_ip(self) -> str:
        """The IP that enrichment may use: the full one, unless privacy settings ask for the masked one."""
        if self.enrichment_ip_bytes is None:
            return self.ip
        return str(ipaddress.ip_address(self.enrichment_ip_bytes))

    @cached_property
    def user_agent(self) -> str:
        return self.get_str("ua") or sanitize(self.header("user-agent"))

    @cached_property
    def browser_language(self) -> str:
        """The raw language preference: ``lang`` or the Accept-Language header."""
        return to_str(self.params.get("lang"), None) or self.header("accept-language")

    # -- visitor ---------------------------------------------------------------------------------

    @cached_property
    def user_id(self) -> str | None:
        uid = self.get_str("uid")
        return uid[:200] if uid else None

    @cached_property
    def visitor_id(self) -> tuple[bytes | None, str | None]:
        """(8-byte visitor id, where it came from: 'uid', 'cid', '_id') or (None, None)."""
        overwrite = True if self._settings is None else self._settings.get("Tracker", "enable_userid_overwrites_visitorid")
        if overwrite and self.user_id:
            return hashlib.sha1(self.get_str("uid").encode()).digest()[:8], "uid"
        cid = to_str(self.params.get("cid"), None)
        if cid is not None:
            if len(cid) != 16:
                raise InvalidRequest(f"Visitor ID (cid) {sanitize(cid[:100])} must be 16 characters long")
            if not _HEX16.fullmatch(cid):
                raise InvalidRequest(f"Visitor ID (cid) {sanitize(cid)} must be 16 hexadecimal characters")
            return bytes.fromhex(cid), "cid"
        cookie_id = to_str(self.params.get("_id"), None)
        if cookie_id is not None and len(cookie_id) >= 16 and _HEX16.fullmatch(cookie_id[:16]):
            return bytes.fromhex(cookie_id[:16]), "_id"
        return None, None

    def __repr__(self) -> str:
        return f"<TrackingRequest {self.params!r}>"


def _parse_custom_time(raw: Any) -> float | None:
    value = to_str(raw, None)
    if value is None:
        return None
    value = value.strip()
    if _UNIX_TIME.fullmatch(value):
        return float(value)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.timestamp()


def normalize_ip(text: str) -> str:
    """The IP in ``text`` without port, brackets or ``/bits``; ``0.0.0.0`` when it is not an IP."""
    value = text.strip()
    if value.startswith("["):
        value = value[1:].split("]", 1)[0]
    value = value.split("/", 1)[0]
    if value.count(":") == 1:  # IPv4 with a port
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return UNPARSABLE_IP
