"""Bots: requests Matomo excludes unless ``bots=1``, and stores with ``config_os='BOT'`` otherwise."""

from __future__ import annotations

from ua_parser import Device

from plugins.devices_detection.mapping import DeviceMapping

UA_PARSER_BOT_DEVICE = "Spider"


def is_bot(user_agent: str, device: Device | None, known_client: bool, mapping: DeviceMapping) -> bool:
    """True when ua-parser calls the device a "Spider", or a ``[bots]`` pattern matches; never for a
    client listed under ``[clients]`` (libraries, apps, feed readers are tracked, as in Matomo)."""
    if known_client:
        return False
    if device is not None and device.family == UA_PARSER_BOT_DEVICE:
        return True
    return mapping.bot_pattern is not None and mapping.bot_pattern.search(user_agent) is not None
