"""Reading custom variables from a request: ``_cvar`` (visit scope) and ``cvar`` (page scope).

Both parameters hold JSON such as ``{"1": ["name", "value"], "3": ["plan", "pro"]}``. Spec §10.12:
slots run from 1 to :data:`SLOTS`; an entry is a list of exactly two scalars (strings or
numbers); names and values are stored raw (not HTML-escaped), trimmed and cut to
:data:`MAX_LENGTH` characters. Anything else in the parameter is skipped, entry by entry; an
unreadable parameter (``core.to_json`` gives None) is skipped as a whole. Bad input never fails the request.
"""

from __future__ import annotations

from typing import Any

from core import TrackingRequest, unsanitize

VISIT_SCOPE = "_cvar"
PAGE_SCOPE = "cvar"
SLOTS = 5
"""The number of slots, i.e. of ``custom_var_k*`` columns the migration creates (Matomo's default)."""
MAX_LENGTH = 200
_PHP_TRIM = " \t\n\r\x00\x0b"
_CACHE_KEY = "custom_variables"


def column_names() -> list[str]:
    """``custom_var_k1``, ``custom_var_v1``, ... ``custom_var_v5``: the order of the columns."""
    return [f"custom_var_{part}{slot}" for slot in range(1, SLOTS + 1) for part in ("k", "v")]


def custom_variables(request: TrackingRequest, parameter: str) -> dict[str, str]:
    """The columns ``parameter`` sets, by column name (read once per request, then cached)."""
    cache = request.extra.setdefault(_CACHE_KEY, {})
    if parameter not in cache:
        cache[parameter] = parse(request.get_json(parameter))
    return cache[parameter]


def parse(decoded: Any) -> dict[str, str]:
    """Columns from an already decoded (and, as every JSON parameter, sanitised) value."""
    if not isinstance(decoded, dict):
        return {}
    found: dict[str, str] = {}
    for key, entry in decoded.items():
        slot = _slot(key)
        pair = _pair(entry)
        if slot is None or pair is None:
            continue
        found[f"custom_var_k{slot}"], found[f"custom_var_v{slot}"] = pair
    return found


def _slot(key: str) -> int | None:
    text = key.strip()
    if not text.isascii() or not text.isdigit():
        return None
    slot = int(text)
    return slot if 1 <= slot <= SLOTS else None


def _pair(entry: Any) -> tuple[str, str] | None:
    if not isinstance(entry, list) or len(entry) != 2:
        return None
    name, value = (_text(item) for item in entry)
    if name is None or value is None:
        return None
    return name, value


def _text(item: Any) -> str | None:
    """A scalar as the stored text: raw again (JSON parameters arrive sanitised), trimmed, cut."""
    if isinstance(item, str):
        text = unsanitize(item)
    elif isinstance(item, bool) or not isinstance(item, (int, float)):
        return None
    elif isinstance(item, float) and item.is_integer() and abs(item) < 1e15:
        text = str(int(item))  # PHP prints 5.0 as "5"
    else:
        text = str(item)
    return text.strip(_PHP_TRIM)[:MAX_LENGTH]
