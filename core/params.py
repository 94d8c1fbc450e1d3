"""Reading tracking-request parameters the way Matomo's PHP tracker sees them.

Spec: matomo-tracker.md §1 (parameter sources, sanitising, typed reads) and §2 (lengths).

Three layers, applied in this order by the request code:

1. :func:`parse_query` / :func:`merge_params` turn the query string and the form body into one
   dict of *raw* values, with PHP's key rules (``a[]``, ``a[k]``, ``.``/space -> ``_``).
2. The typed readers (:func:`to_int`, :func:`to_float`, :func:`to_str`, :func:`to_json`) read a
   raw value with Matomo's validation rules and fall back to a default.
3. :func:`sanitize` applies Matomo's HTML escaping, which is part of the stored data format
   (spec §7.4); :func:`unsanitize` undoes it.

Everything here runs on every tracking request: regexes are compiled at import time and every
function has a fast path for the common, boring input.
"""

from __future__ import annotations

import json
import math
import re
from binascii import a2b_qp
from html.entities import name2codepoint
from typing import Any
from urllib.parse import unquote_to_bytes

__all__ = [
    "MAX_INPUT_VARS",
    "MAX_NESTING",
    "clean_string",
    "merge_params",
    "parse_query",
    "sanitize",
    "to_float",
    "to_int",
    "to_json",
    "to_str",
    "truncate_utf8",
    "unsanitize",
]

#: PHP's ``max_input_vars`` default: pairs after the first 1000 are ignored.
MAX_INPUT_VARS = 1000
#: PHP's ``max_input_nesting_level`` default: a key with more bracket levels is dropped.
MAX_NESTING = 64

# PHP trim()'s default character set (Python's str.strip() would also eat \xa0, \u2028, ...).
_PHP_TRIM = " \t\n\r\x00\x0b"

# ---------------------------------------------------------------------------------------------
# parse_query
# ---------------------------------------------------------------------------------------------

# Characters that make a key leave the fast path: PHP rewrites ' ' and '.', '[' opens an array
# index, and PHP reads the key as a C string, so a NUL ends it.
_KEY_SLOW = re.compile(r"[ .\[\x00]")
_INT_KEY = re.compile(r"-?(?:0|[1-9][0-9]{0,18})\Z")


class _PhpArray(dict):
    """A PHP array while it is being built: str keys plus PHP's "next free integer index"."""

    __slots__ = ("next_index",)

    def __init__(self) -> None:
        super().__init__()
        self.next_index = 0

    def put(self, key: str | None, value: Any) -> None:
        if key is None:  # `a[]=`: append at the next free integer index
            self[str(self.next_index)] = value
            self.next_index += 1
            return
        self[key] = value
        if _INT_KEY.match(key):
            idx = int(key)
            if idx >= self.next_index:
                self.next_index = idx + 1


def _finalize(arr: _PhpArray) -> list[Any] | dict[str, Any]:
    """Convert a built PHP array: keys exactly '0'..'n-1' in order -> list, otherwise dict."""
    out: dict[str, Any] = {}
    is_list = True
    i = 0
    for k, v in arr.items():
        if type(v) is _PhpArray:
            v = _finalize(v)
        out[k] = v
        if is_list and k != str(i):
            is_list = False
        i += 1
    return list(out.values()) if is_list else out


# Percent-decoding is the hot spot of parsing (matomo.js URL-encodes whole URLs and JSON), and
# urllib's unquote_to_bytes loops in Python per escape. binascii.a2b_qp decodes "=XX" in C:
# with every literal '=' doubled ("==" is its escape for '=') and '%' turned into '=', it does
# exactly PHP's urldecode, provided that every '%' starts a valid %XX escape.
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_BAD_PERCENT_B = re.compile(rb"%(?![0-9A-Fa-f]{2})")


def _decode_component(raw: str) -> str:
    """URL-decode one ASCII key or value: '+' is a space, %XX are bytes, bytes are UTF-8 or Latin-1."""
    if "+" in raw:
        raw = raw.replace("+", " ")
    if "%" not in raw:
        return raw
    if _BAD_PERCENT.search(raw):
        data = unquote_to_bytes(raw)  # keeps a '%' without two hex digits as is, like PHP
    else:
        if "=" in raw:
            raw = raw.replace("=", "==")
        data = a2b_qp(raw.replace("%", "="))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _decode_component_bytes(raw: bytes) -> str:
    """Same as :func:`_decode_component` for a piece of a non-ASCII byte string."""
    if b"+" in raw:
        raw = raw.replace(b"+", b" ")
    if b"%" in raw:
        if _BAD_PERCENT_B.search(raw):
            raw = unquote_to_bytes(raw)
        else:
            if b"=" in raw:
                raw = raw.replace(b"=", b"==")
            raw = a2b_qp(raw.replace(b"%", b"="))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _store(result: dict[str, Any], key: str, value: str, touched: set[str]) -> None:
    """Store one decoded pair whose key needs PHP's key rules (the slow path)."""
    key = key.lstrip(" ")  # PHP ignores leading spaces in a variable name
    nul = key.find("\x00")
    if nul >= 0:
        key = key[:nul]
    bracket = key.find("[")
    base = key if bracket < 0 else key[:bracket]
    if " " in base or "." in base:
        base = base.replace(" ", "_").replace(".", "_")
    if not base:
        return
    if bracket < 0:
        result[base] = value
        return

    # Collect the bracket indices: '' stands for `[]`.
    indices: list[str] = []
    pos = bracket
    n = len(key)
    while True:
        close = key.find("]", pos + 1)
        if close < 0:
            if not indices:
                # An unmatched first '[' is no array: PHP turns it into '_' and keeps the rest
                # of the name, with ' ', '.' and '[' also rewritten to '_'.
                rest = key[pos + 1 :].replace(" ", "_").replace(".", "_").replace("[", "_")
                result[base + "_" + rest] = value
                return
            break  # an unmatched later '[' just ends the index list
        indices.append(key[pos + 1 : close])
        pos = close + 1
        if pos >= n or key[pos] != "[":
            break  # PHP ignores anything after the last ']' that does not open a new index
    if len(indices) > MAX_NESTING:
        return

    node = result.get(base)
    if type(node) is not _PhpArray:
        node = _PhpArray()
        result[base] = node
    touched.add(base)
    last = len(indices) - 1
    for i, idx in enumerate(indices):
        slot = idx or None
        if i == last:
            node.put(slot, value)
            break
        child = node.get(slot) if slot is not None else None
        if type(child) is not _PhpArray:
            child = _PhpArray()
            node.put(slot, child)
        node = child


def parse_query(qs: bytes | str) -> dict[str, Any]:
    """Parse a query string or form body the way PHP fills ``$_GET`` / ``$_POST``.

    - Pairs are split on ``&`` only; a pair without ``=`` gets ``''``; empty keys are dropped.
    - ``+`` is a space; ``%XX`` is decoded to bytes first, then the bytes of each key and each
      value are decoded as UTF-8, or as Latin-1 when they are not valid UTF-8. A ``str``
      argument is treated as its UTF-8 encoding.
    - Key rules: leading spaces are dropped, a NUL ends the key, ``.`` and `` `` before the
      first ``[`` become ``_``. ``a[]=1&a[]=2`` -> ``{'a': ['1', '2']}``,
      ``a[k]=v`` -> ``{'a': {'k': 'v'}}``, nesting (``a[x][y]``) is supported up to
      :data:`MAX_NESTING` levels. A PHP array whose keys are exactly 0..n-1 in order is a
      ``list``, any other is a ``dict`` with ``str`` keys. ``a[b`` (no ``]``) is the plain key
      ``a_b``. A later plain key replaces an earlier value, array or not (keeping its position).
    - At most :data:`MAX_INPUT_VARS` pairs are read, like PHP's ``max_input_vars``.
    - A leading ``?`` is *not* stripped (PHP never sees one).

    Never raises: anything that is not ``str``/bytes-like gives ``{}``.
    """
    if isinstance(qs, str):
        if not qs.isascii():
            try:
                qs = qs.encode("utf-8")
            except UnicodeEncodeError:
                # Lone surrogates: give back the original bytes of a surrogateescape decode,
                # or encode them as is (they then fail UTF-8 and read as Latin-1).
                try:
                    qs = qs.encode("utf-8", "surrogateescape")
                except UnicodeEncodeError:
                    qs = qs.encode("utf-8", "surrogatepass")
    elif isinstance(qs, (bytes, bytearray, memoryview)):
        qs = bytes(qs)
        if qs.isascii():
            qs = qs.decode("ascii")
    else:
        return {}
    if not qs:
        return {}

    result: dict[str, Any] = {}
    touched: set[str] = set()
    pairs = qs.split("&" if type(qs) is str else b"&")  # type: ignore[arg-type]
    if len(pairs) > MAX_INPUT_VARS:
        pairs = [p for p in pairs if p][:MAX_INPUT_VARS]  # PHP does not count empty pairs
    if type(qs) is str:
        # The hot loop: plain keys and values skip the decoder call entirely.
        for pair in pairs:
            key, _, value = pair.partition("=")
            if not key:
                continue
            if "%" in key or "+" in key:
                key = _decode_component(key)
            if "%" in value or "+" in value:
                value = _decode_component(value)
            if key.isidentifier() or not _KEY_SLOW.search(key):
                result[key] = value
            else:
                _store(result, key, value, touched)
    else:
        for bpair in pairs:
            bkey, _, bvalue = bpair.partition(b"=")  # type: ignore[arg-type]
            if not bkey:
                continue
            key = _decode_component_bytes(bkey)  # type: ignore[arg-type]
            value = _decode_component_bytes(bvalue) if bvalue else ""  # type: ignore[arg-type]
            if key.isidentifier() or not _KEY_SLOW.search(key):
                result[key] = value
            else:
                _store(result, key, value, touched)
    for name in touched:
        node = result.get(name)
        if type(node) is _PhpArray:
            result[name] = _finalize(node)
    return result


def merge_params(query: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    """Query-string and form-body parameters together; for a key in both, the query value wins.

    Like PHP's ``$_GET + $_POST``: query keys first, then body-only keys. To avoid a copy on
    the common path, when one side is empty the *other dict itself* is returned: copy it
    before mutating if the inputs must stay untouched.
    """
    if not body:
        return query
    if not query:
        return body
    merged = query.copy()
    for key, value in body.items():
        if key not in merged:
            merged[key] = value
    return merged


# ---------------------------------------------------------------------------------------------
# sanitize / unsanitize
# ---------------------------------------------------------------------------------------------

# An entity is decoded only when it ends with ';'. Named entities: the HTML 4.01 table, which is
# exactly html.entities.name2codepoint (no &apos;).
_ENTITY = re.compile(r"&(?:#(?:([0-9]+)|[xX]([0-9A-Fa-f]+))|([A-Za-z0-9]+));")
_NAMED: dict[str, str] = {name: chr(cp) for name, cp in name2codepoint.items()}
_NEEDS_SANITIZE = re.compile("[&\"'<>\x00]")


def _allowed_numeric(cp: int) -> bool:
    """Code points PHP's HTML 4.01 mode accepts from a numeric entity; others stay as text."""
    if cp < 0xA0:
        return 0x20 <= cp <= 0x7E or cp in (0x09, 0x0A, 0x0D)
    if cp <= 0xD7FF:
        return True
    return 0xE000 <= cp <= 0x10FFFF and (cp & 0xFFFF) < 0xFFFE and not 0xFDD0 <= cp <= 0xFDEF


def _entity_repl(m: re.Match[str]) -> str:
    dec, hexa, name = m.groups()
    if name is not None:
        return _NAMED.get(name, m.group(0))
    digits = (dec if dec is not None else hexa).lstrip("0") or "0"
    if len(digits) > 7:  # also keeps int() away from its 4300-digit limit
        return m.group(0)
    cp = int(digits, 10 if dec is not None else 16)
    return chr(cp) if _allowed_numeric(cp) else m.group(0)


def _decode_entities(text: str) -> str:
    """PHP ``html_entity_decode(ENT_QUOTES | ENT_HTML401)`` semantics; caller checks for '&'."""
    return _ENTITY.sub(_entity_repl, text)


def _sanitize_str(value: str) -> str:
    if not _NEEDS_SANITIZE.search(value):
        return value
    if "&" in value:
        value = _ENTITY.sub(_entity_repl, value)
    if "\x00" in value:
        value = value.replace("\x00", "")
    return (
        value.replace("&", "&amp;")
        .replace('"', "&quot;")
        .replace("'", "&#039;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
    )


def sanitize(value: Any) -> Any:
    """Matomo's input escaping (spec §1.3), the form most stored strings have (§7.4).

    For a ``str``: decode HTML entities (HTML 4.01 names and ``&#NNN;``/``&#xHH;``, only when
    terminated by ``;``; numeric ones only for code points PHP accepts), delete NUL bytes, then
    escape ``& " ' < >`` as ``&amp; &quot; &#039; &lt; &gt;``. Lists, tuples and dicts are
    handled recursively, dict keys included. Anything else (int, float, bool, None) is returned
    unchanged. Line breaks are kept.
    """
    if type(value) is str:
        return _sanitize_str(value)
    if isinstance(value, str):
        return _sanitize_str(str(value))
    if isinstance(value, dict):
        return {
            (_sanitize_str(k) if isinstance(k, str) else k): sanitize(v) for k, v in value.items()
        }
    if isinstance(value, list):
        return [sanitize(v) for v in value]
    if isinstance(value, tuple):
        return tuple(sanitize(v) for v in value)
    return value


def unsanitize(value: str) -> str:
    """Undo :func:`sanitize`'s escaping: ``&amp; &quot; &#039; &lt; &gt;`` back to characters.

    Uses the same decoding rule as :func:`sanitize` (all HTML 4.01 and numeric entities ending
    in ``;``). On a sanitised string, whose only entities are those five, that is exactly
    Matomo's ``htmlspecialchars_decode``.
    """
    if "&" not in value:
        return value
    return _ENTITY.sub(_entity_repl, value)


# ---------------------------------------------------------------------------------------------
# Typed readers (spec §1.4). They take the *raw* value, as parse_query returned it.
# ---------------------------------------------------------------------------------------------

_INT_RE = re.compile(r"-?[0-9]+\Z")
_FLOAT_RE = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?\Z")
_INT64_MIN = -(2**63)
_INT64_MAX = 2**63 - 1


def to_int(raw: Any, default: int | None = None) -> int | None:
    """An integer parameter: an optional '-' then ASCII digits (``"5"``, ``"05"``, ``"-3"``).

    ``"5.0"``, ``" 5"``, ``"+5"``, ``"x"``, ``""``, values outside signed 64 bits, lists and dicts
    give *default*. Numbers from a JSON bulk body: ints as they are (bools as 0/1), floats only
    when integral.
    """
    if type(raw) is str:
        if not _INT_RE.match(raw):
            return default
        if len(raw) > 19:
            digits = raw.lstrip("-").lstrip("0")
            if len(digits) > 19:  # also keeps int() away from its 4300-digit limit
                return default
            n = int(digits or "0")
            if raw[0] == "-":
                n = -n
        else:
            n = int(raw)
        return n if _INT64_MIN <= n <= _INT64_MAX else default
    if isinstance(raw, bool):
        return int(raw)
    if isinstance(raw, int):
        return raw if _INT64_MIN <= raw <= _INT64_MAX else default
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() and _INT64_MIN <= raw <= _INT64_MAX else default
    return default


def to_float(raw: Any, default: float | None = None) -> float | None:
    """A float parameter: exactly ``[+-]?digits(.digits)?([eE][+-]?digits)?`` (ASCII digits).

    So ``"1e3"`` -> 1000.0, while ``".5"``, ``"5."``, ``"1,5"``, ``"undefined"``, ``""`` give
    *default*. A result that is not finite (``"1e999"``) also gives *default*. JSON numbers are
    taken as is (when finite).
    """
    if type(raw) is str:
        if not _FLOAT_RE.match(raw):
            return default
        f = float(raw)
    elif isinstance(raw, (int, float)):  # includes bool
        try:
            f = float(raw)
        except OverflowError:
            return default
    else:
        return default
    return f if math.isfinite(f) else default


def to_str(raw: Any, default: str | None = None) -> str | None:
    """A string parameter: any scalar as ``str``; ``""``, None, lists and dicts give *default*.

    Booleans follow PHP's string cast (``"1"``, and ``""`` -> *default* for False); integral
    floats print without ``.0`` like PHP.
    """
    if type(raw) is str:
        return raw if raw else default
    if isinstance(raw, str):
        return str(raw) or default
    if isinstance(raw, bool):
        return "1" if raw else default
    if isinstance(raw, int):
        return str(raw)
    if isinstance(raw, float):
        if raw.is_integer() and abs(raw) < 1e15:
            return str(int(raw))
        return repr(raw)
    return default


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


def to_json(raw: Any) -> Any:
    """A JSON parameter: decode, then :func:`sanitize`. Invalid JSON or a non-str gives None.

    ``NaN``/``Infinity`` are rejected as PHP's ``json_decode`` does; so is text holding a lone UTF-16
    surrogate (``"\\ud800"``), which cannot be stored; absurd nesting gives None.
    """
    if not isinstance(raw, str) or not raw:
        return None
    try:
        decoded = json.loads(raw, parse_constant=_reject_constant)
        json.dumps(decoded, ensure_ascii=False).encode("utf-8")
    except (ValueError, RecursionError):  # UnicodeEncodeError is a ValueError
        return None
    return sanitize(decoded)


# ---------------------------------------------------------------------------------------------
# String clean-up shared with core.urls
# ---------------------------------------------------------------------------------------------


def truncate_utf8(text: str, max_bytes: int) -> str:
    """Cut *text* so its UTF-8 encoding is at most *max_bytes* bytes, never splitting a character.

    (Matomo cuts at a byte and may split a character; spec §7.4 asks us not to.) Lone surrogates
    count as 3 bytes and are kept.
    """
    n = len(text)
    if n * 4 <= max_bytes:
        return text
    if max_bytes <= 0:
        return ""
    if n <= max_bytes and text.isascii():
        return text
    data = text.encode("utf-8", "surrogatepass")
    if len(data) <= max_bytes:
        return text
    cut = max_bytes
    while cut > 0 and (data[cut] & 0xC0) == 0x80:  # back off to the start of a character
        cut -= 1
    return data[:cut].decode("utf-8", "surrogatepass")


def clean_string(text: str) -> str:
    """Trim (PHP ``trim()`` characters: space, tab, CR, LF, NUL, VT) and remove CR, LF and NUL.

    Used for ``action_name`` and URLs (spec §2 ``action_name``, §7.3 step 1). No truncation.
    """
    text = text.strip(_PHP_TRIM)
    if "\n" in text:
        text = text.replace("\n", "")
    if "\r" in text:
        text = text.replace("\r", "")
    if "\x00" in text:
        text = text.replace("\x00", "")
    return text
