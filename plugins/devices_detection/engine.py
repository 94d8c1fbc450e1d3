"""The browser engine (``config_browser_engine``), which ua-parser does not report.

Derived from the user agent's tokens, in this order: the mapping's ``[engines]`` override for the
browser; WebKit on iOS and iPadOS (every browser there must use it); ``Edge/`` is EdgeHTML;
``ArkWeb/`` is ArkWeb; a ``Chrome/N`` (or Chromium, CriOS, HeadlessChrome) token is Blink from
version 28 on and WebKit before; then Presto, Trident (or MSIE), Goanna, Servo, WebKit, KHTML,
Gecko, NetFront and LibWeb by their tokens; else nothing.
"""

from __future__ import annotations

import re

from plugins.devices_detection.mapping import DeviceMapping

_CHROMIUM = re.compile(r"(?:Chrome|Chromium|CriOS|HeadlessChrome)/(\d+)")
FIRST_BLINK_CHROME = 28
_BY_TOKEN = (
    ("Presto", re.compile(r"Presto/")),
    ("Trident", re.compile(r"Trident/|MSIE ")),
    ("Goanna", re.compile(r"Goanna/")),
    ("Servo", re.compile(r"Servo/")),
    ("WebKit", re.compile(r"AppleWebKit|WebKit/")),
    ("KHTML", re.compile(r"KHTML")),
    ("Gecko", re.compile(r"Gecko/|rv:[\d.]+\) Gecko")),
    ("NetFront", re.compile(r"NetFront")),
    ("LibWeb", re.compile(r"LibWeb")),
)
APPLE_MOBILE_OS = frozenset({"IOS", "IPA"})


def engine_for(browser_code: str, user_agent: str, os_code: str, mapping: DeviceMapping) -> str:
    forced = mapping.engines.get(browser_code)
    if forced is not None:
        return forced
    if os_code in APPLE_MOBILE_OS and "AppleWebKit" in user_agent:
        return "WebKit"
    if "Edge/" in user_agent:
        return "EdgeHTML"
    if "ArkWeb/" in user_agent:
        return "ArkWeb"
    chromium = _CHROMIUM.search(user_agent)
    if chromium:
        return "Blink" if int(chromium.group(1)) >= FIRST_BLINK_CHROME else "WebKit"
    return next((engine for engine, token in _BY_TOKEN if token.search(user_agent)), "")
