"""The mapping file (``mapping.toml``): ua-parser's vocabulary to Matomo's codes, loaded and checked once."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

MAPPING_FILE = Path(__file__).with_name("mapping.toml")

CLIENT_TYPES: Mapping[str, int] = {"browser": 1, "library": 2, "feed reader": 3, "mediaplayer": 4, "mobile app": 5,
                                   "pim": 6}
"""Matomo's ``config_client_type`` numbers."""

DEVICE_TYPES: Mapping[str, int] = {
    "desktop": 0, "smartphone": 1, "tablet": 2, "feature phone": 3, "console": 4, "tv": 5, "car browser": 6,
    "smart display": 7, "camera": 8, "portable media player": 9, "phablet": 10, "smart speaker": 11, "wearable": 12,
    "peripheral": 13,
}
"""Matomo's ``config_device_type`` numbers."""

DEVICE_TYPE_NAMES: Mapping[int, str] = {number: name for name, number in DEVICE_TYPES.items()}

HINT_SECTIONS = frozenset({"brands", "platforms", "apps"})
SECTIONS = frozenset({"browsers", "clients", "engines", "operating_systems", "os_patterns", "os_device_types",
                      "device_type_patterns", "device_brands_by_model", "device_brands", "client_hints", "bots"})


class MappingError(ValueError):
    """The mapping file is malformed; the message names the section and key."""


@dataclass(frozen=True)
class Client:
    """A client that is not a browser: the name Matomo stores and its client type number."""

    name: str
    type: int


@dataclass(frozen=True)
class DeviceMapping:
    browsers: Mapping[str, str]
    """ua-parser family -> two-character browser code."""
    clients: Mapping[str, Client]
    """ua-parser family -> non-browser client."""
    engines: Mapping[str, str]
    """browser code -> engine that overrides what the user agent's tokens say."""
    operating_systems: Mapping[str, str]
    """ua-parser OS family (or "family major") -> three-letter OS code."""
    os_patterns: tuple[tuple[str, re.Pattern[str]], ...]
    """(OS code, expression) for user agents ua-parser finds no OS in."""
    os_device_types: Mapping[str, int]
    """OS code -> device type number, when nothing more specific is known."""
    device_type_patterns: tuple[tuple[int, re.Pattern[str]], ...]
    brands_by_model: tuple[tuple[re.Pattern[str], str], ...]
    """(expression over the model, brand code), tried before ``device_brands``."""
    device_brands: Mapping[str, str]
    """ua-parser device brand -> brand code."""
    brands_by_folded_name: Mapping[str, str]
    """``device_brands`` keyed by case-folded name, for brand names found inside a model."""
    hint_brands: Mapping[str, tuple[str, ...]]
    """client-hint brand -> browser codes it stands for."""
    hint_platforms: Mapping[str, str]
    """client-hint platform -> OS code."""
    hint_apps: Mapping[str, str]
    """X-Requested-With app id -> browser code."""
    bot_pattern: re.Pattern[str] | None
    """Any of the ``[bots]`` patterns."""


def load_mapping(path: Path = MAPPING_FILE) -> DeviceMapping:
    """Read and check a mapping file; raises ``MappingError`` naming what is wrong."""
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    unknown = set(data) - SECTIONS
    if unknown:
        raise MappingError(f"{path.name}: unknown section [{min(unknown)}]")
    hints = _table(data, "client_hints")
    if set(hints) - HINT_SECTIONS:
        raise MappingError(f"{path.name}: unknown section [client_hints.{min(set(hints) - HINT_SECTIONS)}]")
    brands = _strings(_table(data, "device_brands"), "device_brands")
    return DeviceMapping(
        browsers=_codes(_table(data, "browsers"), "browsers", 2),
        clients={family: _client(family, entry) for family, entry in _table(data, "clients").items()},
        engines=_strings(_table(data, "engines"), "engines"),
        operating_systems=_codes(_table(data, "operating_systems"), "operating_systems", 3),
        os_patterns=tuple((code, _regex(pattern, f"os_patterns.{code}"))
                          for code, value in _table(data, "os_patterns").items()
                          for pattern in _patterns(code, value)),
        os_device_types={code: _device_type(value, f"os_device_types.{code}")
                         for code, value in _table(data, "os_device_types").items()},
        device_type_patterns=tuple((_device_type(name, f"device_type_patterns.{name}"),
                                    _regex(pattern, f"device_type_patterns.{name}"))
                                   for name, pattern in _table(data, "device_type_patterns").items()),
        brands_by_model=tuple((_regex(pattern, f"device_brands_by_model.{pattern}"), code) for pattern, code
                              in _strings(_table(data, "device_brands_by_model"), "device_brands_by_model").items()),
        device_brands=brands,
        brands_by_folded_name={name.casefold(): code for name, code in brands.items()},
        hint_brands={brand: _browser_codes(codes, f"client_hints.brands.{brand}")
                     for brand, codes in _table(hints, "brands").items()},
        hint_platforms=_codes(_table(hints, "platforms"), "client_hints.platforms", 3),
        hint_apps=_codes(_table(hints, "apps"), "client_hints.apps", 2),
        bot_pattern=_bot_pattern(_table(data, "bots").get("patterns", [])),
    )


@cache
def default_mapping() -> DeviceMapping:
    """The plugin's own mapping file, read once per process."""
    return load_mapping()


def _table(data: Mapping[str, Any], name: str) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise MappingError(f"[{name}] must be a table")
    return value


def _strings(table: Mapping[str, Any], section: str) -> dict[str, str]:
    for key, value in table.items():
        if not isinstance(value, str) or not value:
            raise MappingError(f"{section}.{key}: expected a non-empty string, got {value!r}")
    return dict(table)


def _codes(table: Mapping[str, Any], section: str, length: int) -> dict[str, str]:
    """Codes of a fixed length."""
    for key, code in _strings(table, section).items():
        if len(code) != length:
            raise MappingError(f"{section}.{key}: {code!r} must have {length} characters")
    return dict(table)


def _browser_codes(codes: Any, where: str) -> tuple[str, ...]:
    if not isinstance(codes, list) or not codes or not all(isinstance(c, str) and len(c) == 2 for c in codes):
        raise MappingError(f"{where}: expected a list of two-character browser codes")
    return tuple(codes)


def _client(family: str, entry: Any) -> Client:
    if not isinstance(entry, dict) or set(entry) != {"name", "type"}:
        raise MappingError(f"clients.{family}: expected {{ name = ..., type = ... }}")
    if entry["type"] not in CLIENT_TYPES or entry["type"] == "browser":
        raise MappingError(f"clients.{family}: type must be one of {sorted(set(CLIENT_TYPES) - {'browser'})}")
    return Client(str(entry["name"])[:40], CLIENT_TYPES[entry["type"]])


def _patterns(os_code: str, value: Any) -> list[Any]:
    if len(os_code) != 3:
        raise MappingError(f"os_patterns.{os_code}: {os_code!r} must have 3 characters")
    return value if isinstance(value, list) else [value]


def _device_type(name: Any, where: str) -> int:
    if name not in DEVICE_TYPES:
        raise MappingError(f"{where}: {name!r} is not a device type ({', '.join(DEVICE_TYPES)})")
    return DEVICE_TYPES[name]


def _regex(pattern: Any, where: str) -> re.Pattern[str]:
    if not isinstance(pattern, str):
        raise MappingError(f"{where}: expected a regular expression string")
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise MappingError(f"{where}: invalid regular expression: {exc}") from exc


def _bot_pattern(patterns: Any) -> re.Pattern[str] | None:
    if not isinstance(patterns, list):
        raise MappingError("bots.patterns must be a list of regular expressions")
    for index, pattern in enumerate(patterns):
        _regex(pattern, f"bots.patterns[{index}]")
    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None
