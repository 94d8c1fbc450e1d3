"""The device type (``config_device_type``), which ua-parser does not report.

Rules, first match wins:

1. the client hints' form factors (``Tablet``, ``Mobile``, ``Desktop``, ``XR``, ``Watch``,
   ``Automotive``, ``EInk``);
2. the mapping's ``[device_type_patterns]`` over the user agent, in file order (TVs, consoles,
   wearables, cars, then explicit tablet and phone markers);
3. Apple devices by ua-parser's device family: iPod, iPad, iPhone, Apple Watch, Mac;
4. Android (and Android-based systems): the client hints' "mobile" flag decides between
   smartphone and tablet; without it, a Chromium-based browser is a smartphone when the user
   agent has "Mobile" and a tablet otherwise; any other Android client with "Mobile" is a
   smartphone (without it, unknown so far);
5. the mapping's ``[os_device_types]`` for the operating system (Windows is a desktop, KaiOS a
   feature phone, ...);
6. ua-parser's generic devices: feature phone, smartphone, tablet;
7. a client hint "mobile" makes it a smartphone; otherwise unknown (None).
"""

from __future__ import annotations

import re

from ua_parser import Device

from plugins.devices_detection.client_hints import ClientHints
from plugins.devices_detection.mapping import DEVICE_TYPES, DeviceMapping

FORM_FACTORS = {"tablet": "tablet", "mobile": "smartphone", "desktop": "desktop", "xr": "wearable",
                "watch": "wearable", "automotive": "car browser", "eink": "tablet"}
APPLE_FAMILIES = (("iPod", "portable media player"), ("iPad", "tablet"), ("iPhone", "smartphone"),
                  ("Apple Watch", "wearable"), ("Mac", "desktop"))
GENERIC_FAMILIES = {"Generic Feature Phone": "feature phone", "Generic Smartphone": "smartphone",
                    "Generic Tablet": "tablet"}
_CHROMIUM = re.compile(r"(?:Chrome|CriOS|Chromium)/\d")
ANDROID_BASED = frozenset({"AND", "FIR", "ADR", "HAR", "AGO"})


def device_type(user_agent: str, device: Device | None, os_code: str, hints: ClientHints | None,
                mapping: DeviceMapping) -> int | None:
    for factor in hints.form_factors if hints is not None else ():
        name = FORM_FACTORS.get(factor.lower())
        if name is not None:
            return DEVICE_TYPES[name]
    for number, pattern in mapping.device_type_patterns:
        if pattern.search(user_agent):
            return number
    return _from_device_and_os(user_agent, device, os_code, hints, mapping)


def _from_device_and_os(user_agent: str, device: Device | None, os_code: str, hints: ClientHints | None,
                        mapping: DeviceMapping) -> int | None:
    """Rules 3 to 7."""
    family = device.family if device is not None else ""
    if device is not None and device.brand == "Apple":
        for prefix, name in APPLE_FAMILIES:
            if family.startswith(prefix) or (device.model or "").startswith(prefix):
                return DEVICE_TYPES[name]
    mobile = hints.mobile if hints is not None else None
    if os_code in ANDROID_BASED:
        if mobile is None and _CHROMIUM.search(user_agent):
            mobile = "Mobile" in user_agent
        if mobile is not None:
            return DEVICE_TYPES["smartphone" if mobile else "tablet"]
        if "Mobile" in user_agent:
            return DEVICE_TYPES["smartphone"]
    by_os = mapping.os_device_types.get(os_code)
    if by_os is not None:
        return by_os
    if family in GENERIC_FAMILIES:
        return DEVICE_TYPES[GENERIC_FAMILIES[family]]
    return DEVICE_TYPES["smartphone"] if mobile else None
