"""The operating system: Matomo's three-letter code (``config_os``) and its version."""

from __future__ import annotations

from ua_parser import OS

from plugins.devices_detection import versions
from plugins.devices_detection.client_hints import ClientHints
from plugins.devices_detection.mapping import DeviceMapping

UNKNOWN = "UNK"
FIRST_IPADOS = 13
"""From iOS 13 on, an iPad runs iPadOS (Matomo's ``IPA``)."""


def detect_os(user_agent: str, os: OS | None, device_model: str, hints: ClientHints | None,
              mapping: DeviceMapping) -> tuple[str, str]:
    """(code, version); ("UNK", "") when unknown."""
    code, version = _from_user_agent(user_agent, os, mapping)
    if code == "IOS" and device_model.startswith("iPad") and versions.major(version) >= FIRST_IPADOS:
        code = "IPA"
    if hints is not None and hints.platform:
        code, version = _with_hints(code, version, hints, mapping)
    return code, version


def _from_user_agent(user_agent: str, os: OS | None, mapping: DeviceMapping) -> tuple[str, str]:
    if os is None:
        return _from_patterns(user_agent, mapping)
    if os.major:
        code = mapping.operating_systems.get(f"{os.family} {os.major}")
        if code is not None:  # the major is part of the name ("Windows RT"): the version is what follows
            return code, versions.joined(os.minor, os.patch, os.patch_minor)
    code = mapping.operating_systems.get(os.family, UNKNOWN)
    if code == UNKNOWN:
        return _from_patterns(user_agent, mapping)
    return code, versions.as_written(versions.joined(os.major, os.minor, os.patch, os.patch_minor), user_agent)


def _from_patterns(user_agent: str, mapping: DeviceMapping) -> tuple[str, str]:
    for code, pattern in mapping.os_patterns:
        match = pattern.search(user_agent)
        if match:
            version = next((group for group in match.groups() if group), "")
            return code, version.replace("_", ".")
    return UNKNOWN, ""


def _with_hints(code: str, version: str, hints: ClientHints, mapping: DeviceMapping) -> tuple[str, str]:
    """The platform hint names the OS family: it replaces a different OS the user agent claims,
    except "Linux", which only fills in what the user agent left unknown (it is every
    distribution's platform). Its version replaces the user agent's, which browsers freeze."""
    platform_code = mapping.hint_platforms.get(hints.platform)
    if platform_code is None:
        return code, version
    if platform_code == "LIN":
        if code == UNKNOWN:
            code = platform_code
        return code, version or hints.platform_version
    if platform_code != code:
        code, version = platform_code, ""
    if code == "WIN":
        return code, versions.windows_from_platform_version(hints.platform_version) or version
    return code, hints.platform_version or version
