"""The device: type, brand code and model (``config_device_type``, ``_brand``, ``_model``)."""

from __future__ import annotations

from dataclasses import dataclass

from ua_parser import Device

from plugins.devices_detection.client_hints import ClientHints
from plugins.devices_detection.device_type import device_type
from plugins.devices_detection.mapping import DEVICE_TYPE_NAMES, DeviceMapping

GENERIC_BRANDS = frozenset({"Generic", "Generic_Android", "Generic_Android_Tablet", "Generic_Inettv", "Spider"})
"""ua-parser's placeholders for "some device": no brand; the model may still name one."""
APPLE_OS = frozenset({"MAC", "IOS", "IPA", "ATV", "WAS"})
"""Only Apple devices run these: the brand is Apple even when the user agent names no device."""
PLACEHOLDER_MODELS = frozenset({"", "K", "Smartphone", "Tablet", "Feature Phone", "Desktop", "Mac", "iOS-Device"})
"""Models that name no device: Chrome's reduced user agent says "K", a Mac says only "Mac"."""


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    type: int | None
    brand: str
    model: str


def detect_device(user_agent: str, device: Device | None, os_code: str, hints: ClientHints | None,
                  mapping: DeviceMapping) -> DeviceInfo:
    """The model is ua-parser's, or the client hints' when they have one; without a model,
    Matomo's placeholder "generic <device type>" is stored (empty when the type is unknown too)."""
    brand, model = _brand_and_model(device, mapping)
    if not brand and os_code in APPLE_OS:
        brand = mapping.device_brands.get("Apple", "")
    if hints is not None and hints.model:
        model = hints.model
    number = device_type(user_agent, device, os_code, hints, mapping)
    if not model and number is not None:
        model = f"generic {DEVICE_TYPE_NAMES[number]}"
    return DeviceInfo(number, brand, model)


def _brand_and_model(device: Device | None, mapping: DeviceMapping) -> tuple[str, str]:
    if device is None:
        return "", ""
    model = device.model or ""
    if model in PLACEHOLDER_MODELS:
        model = ""
    for pattern, code in mapping.brands_by_model:
        if pattern.search(model):
            return code, model
    if device.brand and device.brand not in GENERIC_BRANDS:
        return mapping.device_brands.get(device.brand, ""), model
    # a generic device whose model starts with a known brand name ("Hisense E40")
    first, _, rest = model.partition(" ")
    code = mapping.brands_by_folded_name.get(first.casefold()) if rest else None
    return (code, rest) if code is not None else ("", model)
