"""One request's device detection: the values of the DevicesDetection columns, computed once.

:func:`detect` computes them for a user agent and its client hints. :func:`detection_for` does
it for a tracking request: it keeps the result in ``request.extra``, where the exclusion and
fingerprint hooks and every column read it, and in an LRU cache keyed by the user agent and the
client hints *as sent* (the ``uadata`` text and the hint headers), so a returning browser costs
a few header reads and one lookup, not a JSON decode.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from core import TrackingRequest
from plugins.devices_detection import parser
from plugins.devices_detection.bots import is_bot
from plugins.devices_detection.client import BROWSER, NAME_LENGTH, detect_client
from plugins.devices_detection.client_hints import HEADERS as HINT_HEADERS
from plugins.devices_detection.client_hints import ClientHints, from_headers, from_uadata
from plugins.devices_detection.device import detect_device
from plugins.devices_detection.mapping import DeviceMapping, default_mapping
from plugins.devices_detection.operating_system import UNKNOWN, detect_os

CACHE_SIZE = 8192
"""Distinct (user agent, client hints) pairs remembered per process."""
EXTRA_KEY = "devices_detection"
BROWSER_VERSION_LENGTH = 20
ENGINE_LENGTH = 10
TEXT_LENGTH = 100
"""``config_os_version``, ``config_device_brand`` and ``config_device_model`` are VARCHAR(100)."""


@dataclass(frozen=True, slots=True)
class Detection:
    """The DevicesDetection columns' values, truncated to their column lengths."""

    os: str
    os_version: str
    browser_name: str
    browser_version: str
    browser_engine: str
    client_type: int | None
    device_type: int | None
    device_brand: str
    device_model: str
    is_bot: bool = False

    def fingerprint(self) -> dict[str, Any]:
        """What the core's config id uses (the ``device_fingerprint`` hook's answer): the browser
        code counts only when the client is a browser."""
        is_browser = self.client_type == BROWSER
        return {"os": self.os, "browser": self.browser_name if is_browser else UNKNOWN,
                "browser_version": self.browser_version,
                "is_internet_explorer": is_browser and self.browser_name == "IE"}


BOT = Detection(os="BOT", os_version="", browser_name=UNKNOWN, browser_version="", browser_engine="",
                client_type=None, device_type=None, device_brand="", device_model="", is_bot=True)
"""Matomo records nothing about a bot's device, only that it is one."""



def detect(user_agent: str, hints: ClientHints | None = None, mapping: DeviceMapping | None = None) -> Detection:
    """The detection for a user agent (as the request carries it) and its client hints, uncached."""
    mapping = mapping or default_mapping()
    parsed = parser.parse(user_agent)
    known_client = parsed.user_agent is not None and parsed.user_agent.family in mapping.clients
    if is_bot(user_agent, parsed.device, known_client, mapping):
        return BOT
    model = (parsed.device.model or "") if parsed.device is not None else ""
    os_code, os_version = detect_os(user_agent, parsed.os, model, hints, mapping)
    client = detect_client(user_agent, parsed.user_agent, os_code, hints, mapping)
    device = detect_device(user_agent, parsed.device, os_code, hints, mapping)
    return Detection(
        os=os_code, os_version=os_version[:TEXT_LENGTH],
        browser_name=client.name[:NAME_LENGTH], browser_version=client.version[:BROWSER_VERSION_LENGTH],
        browser_engine=client.engine[:ENGINE_LENGTH], client_type=client.type,
        device_type=device.type, device_brand=device.brand[:TEXT_LENGTH], device_model=device.model[:TEXT_LENGTH],
    )


def hints_for(request: TrackingRequest) -> ClientHints | None:
    """matomo.js's ``uadata`` when the request has a usable one, else the ``Sec-CH-UA*`` headers."""
    from_parameter = from_uadata(request.get_json("uadata")) if request.has("uadata") else None
    return from_parameter if from_parameter is not None else from_headers(request.header)


def detection_for(request: TrackingRequest) -> Detection:
    """The request's detection, computed on first use and then kept in ``request.extra``."""
    found = request.extra.get(EXTRA_KEY)
    if found is None:
        # keyed by the raw inputs: a hit then skips escaping the user agent and decoding uadata
        found = cached_detection(_text(request.get_raw("ua")), request.header("user-agent"),
                                 _text(request.get_raw("uadata")), tuple(request.header(name) for name in HINT_HEADERS))
        request.extra[EXTRA_KEY] = found
    return found


@lru_cache(maxsize=CACHE_SIZE)
def cached_detection(ua: str | None, user_agent_header: str, uadata: str | None,
                     hint_headers: tuple[str, ...]) -> Detection:
    """Detections by the inputs as a request sent them (shared by all threads of the process)."""
    params = {name: value for name, value in (("ua", ua), ("uadata", uadata)) if value is not None}
    headers = {"user-agent": user_agent_header, **dict(zip(HINT_HEADERS, hint_headers))}
    request = TrackingRequest(params, headers=headers)
    return detect(request.user_agent, hints_for(request))


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def warm_up() -> None:
    """Build the parser and read the mapping now rather than on the first request."""
    default_mapping()
    parser.resolver()


def cache_clear() -> None:
    """Forget every cached detection."""
    cached_detection.cache_clear()
