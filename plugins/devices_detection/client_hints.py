"""Client hints: what a Chromium browser says about itself besides the user agent.

They come from matomo.js's ``uadata`` parameter (the page read them with
``navigator.userAgentData.getHighEntropyValues``) or, without it, from the ``Sec-CH-UA*`` request
headers, plus ``X-Requested-With`` (the app id of an Android web view). :class:`ClientHints` is
frozen and hashable: it is part of the detection cache key.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

_HEADER_ITEM = re.compile(r'"([^"]*)"\s*;\s*v\s*=\s*"?([^",]*)"?')
_GREASE = re.compile(r"^\W*not\W*a\W*brand\W*$", re.IGNORECASE)
"""Browsers add a made-up brand ("Not A;Brand", "Not/A)Brand", ...) so servers do not rely on the list's shape."""
_APP_ID = re.compile(r"[A-Za-z][\w]*(?:\.[\w]+)+")
HEADERS = ("sec-ch-ua", "sec-ch-ua-full-version-list", "sec-ch-ua-full-version", "sec-ch-ua-platform",
           "sec-ch-ua-platform-version", "sec-ch-ua-mobile", "sec-ch-ua-model", "sec-ch-ua-form-factors",
           "x-requested-with")
"""The request headers :func:`from_headers` reads."""


@dataclass(frozen=True, slots=True)
class ClientHints:
    brands: tuple[tuple[str, str], ...] = ()
    """(brand, version) pairs, with full versions when the client sent them; made-up brands removed."""
    full_version: str = ""
    platform: str = ""
    platform_version: str = ""
    mobile: bool | None = None
    model: str = ""
    form_factors: tuple[str, ...] = ()
    app: str = ""
    """The Android app id of ``X-Requested-With`` (never ``XMLHttpRequest``)."""

    def brand_version(self, brand: str) -> str:
        return next((version for name, version in self.brands if name == brand), "")


def from_uadata(data: Any) -> ClientHints | None:
    """Hints from matomo.js's ``uadata`` JSON object; None when it is not an object."""
    if not isinstance(data, dict):
        return None
    brand_list = data.get("fullVersionList") or data.get("brands")
    brands = tuple((_text(item.get("brand")), _text(item.get("version")))
                   for item in brand_list if isinstance(item, dict)) if isinstance(brand_list, list) else ()
    mobile = data.get("mobile")
    factors = data.get("formFactors")
    form_factors = tuple(_text(f) for f in factors if isinstance(f, str)) if isinstance(factors, list) else ()
    return ClientHints(
        brands=_without_grease(brands),
        full_version=_text(data.get("uaFullVersion")),
        platform=_text(data.get("platform")),
        platform_version=_text(data.get("platformVersion")),
        mobile=mobile if isinstance(mobile, bool) else None,
        model=_text(data.get("model")),
        form_factors=form_factors,
    )


def from_headers(header: Callable[[str], str]) -> ClientHints | None:
    """Hints from the request headers (``header(name)`` returns "" when absent); None without any."""
    brand_header = header("sec-ch-ua-full-version-list") or header("sec-ch-ua")
    mobile = header("sec-ch-ua-mobile").strip()
    app = header("x-requested-with").strip()
    hints = ClientHints(
        brands=_without_grease(tuple(_HEADER_ITEM.findall(brand_header))),
        full_version=_unquoted(header("sec-ch-ua-full-version")),
        platform=_unquoted(header("sec-ch-ua-platform")),
        platform_version=_unquoted(header("sec-ch-ua-platform-version")),
        mobile={"?1": True, "?0": False}.get(mobile),
        model=_unquoted(header("sec-ch-ua-model")),
        form_factors=tuple(_unquoted(f) for f in header("sec-ch-ua-form-factors").split(",") if f.strip()),
        app=app if _APP_ID.fullmatch(app) else "",
    )
    return None if hints == ClientHints() else hints


def from_header_mapping(headers: Mapping[str, str]) -> ClientHints | None:
    """:func:`from_headers` over a plain mapping, whatever the letter case of its names."""
    lowered = {name.lower(): value for name, value in headers.items()}
    return from_headers(lambda name: lowered.get(name, ""))


def _without_grease(brands: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    return tuple((name.strip(), version.strip()) for name, version in brands if not _GREASE.match(name))


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _unquoted(value: str) -> str:
    return value.strip().strip('"').strip()
