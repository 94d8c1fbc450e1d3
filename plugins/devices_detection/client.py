"""The client: a browser (two-character code) or another client (library, app, ...), its version,
engine and client type."""

from __future__ import annotations

from dataclasses import dataclass, replace

from ua_parser import UserAgent

from plugins.devices_detection import versions
from plugins.devices_detection.client_hints import ClientHints
from plugins.devices_detection.engine import engine_for
from plugins.devices_detection.mapping import CLIENT_TYPES, DeviceMapping

BROWSER = CLIENT_TYPES["browser"]
MOBILE_APP = CLIENT_TYPES["mobile app"]
NAME_LENGTH = 40
"""``config_browser_name`` is VARCHAR(40)."""


@dataclass(frozen=True, slots=True)
class ClientInfo:
    name: str
    """The browser code, a non-browser client's name, or "UNK"."""
    version: str
    engine: str
    type: int | None

    @property
    def is_browser(self) -> bool:
        return self.type == BROWSER


UNKNOWN_CLIENT = ClientInfo("UNK", "", "", None)

GUESSED_FROM_PLATFORM = frozenset({"Android", "Mobile Safari", "Mobile Safari UI/WKWebView"})
"""Names ua-parser falls back to for any user agent that mentions Android or an iPhone. Outside a
browser-style user agent they name no browser (apps write "SomeApp/1.2 (Linux; Android 9)")."""
BROWSER_STYLE = ("Mozilla/", "Dalvik/")
VERSION_FROM_PLATFORM = frozenset({"Android"})
"""ua-parser gives the Android browser the version of Android; Matomo stores none."""


def detect_client(user_agent: str, agent: UserAgent | None, os_code: str, hints: ClientHints | None,
                  mapping: DeviceMapping) -> ClientInfo:
    client = _from_user_agent(user_agent, agent, os_code, mapping)
    if hints is not None:
        client = _with_hints(client, user_agent, os_code, hints, mapping)
    return client


def _from_user_agent(user_agent: str, agent: UserAgent | None, os_code: str, mapping: DeviceMapping) -> ClientInfo:
    if agent is None or (agent.family in GUESSED_FROM_PLATFORM and not user_agent.startswith(BROWSER_STYLE)):
        return UNKNOWN_CLIENT
    version = versions.as_written(versions.joined(agent.major, agent.minor, agent.patch, agent.patch_minor), user_agent)
    if agent.family in VERSION_FROM_PLATFORM:
        version = ""
    other = mapping.clients.get(agent.family)
    if other is not None:
        return ClientInfo(other.name, version, "", other.type)
    code = mapping.browsers.get(agent.family)
    if code is None:
        return UNKNOWN_CLIENT
    if code == "IE":
        version = versions.internet_explorer(version, user_agent)
    return ClientInfo(code, version, engine_for(code, user_agent, os_code, mapping), BROWSER)


def _with_hints(client: ClientInfo, user_agent: str, os_code: str, hints: ClientHints,
                mapping: DeviceMapping) -> ClientInfo:
    """An Android app id names the client outright: a browser's own id gives that browser, any
    other id a mobile app. Otherwise the brands refine browsers (never other clients): a brand
    that stands for a different browser than the user agent's replaces it, and a brand's full
    version replaces the frozen one of the user agent ("124.0.0.0" -> "124.0.6367.54")."""
    if hints.app:
        code = mapping.hint_apps.get(hints.app)
        if code is None:
            return ClientInfo(hints.app[:NAME_LENGTH], "", "", MOBILE_APP)
        if code != client.name:
            client = ClientInfo(code, "", engine_for(code, user_agent, os_code, mapping), BROWSER)
    if client.type not in (BROWSER, None):
        return client
    for brand, brand_version in hints.brands:
        codes = mapping.hint_brands.get(brand)
        if codes is None:
            continue
        if client.name not in codes:
            return ClientInfo(codes[0], brand_version, engine_for(codes[0], user_agent, os_code, mapping), BROWSER)
        return replace(client, version=_refined(client.version, brand_version))
    if hints.full_version and client.is_browser:
        return replace(client, version=_refined(client.version, hints.full_version))
    return client


def _refined(version: str, hinted: str) -> str:
    """The hinted version when it is the same release (same major) told at least as precisely."""
    if not hinted or (version and versions.major(hinted) != versions.major(version)):
        return version
    return hinted if versions.parts(hinted) >= versions.parts(version) else version
