"""Reading values out of URL query strings the way Matomo stores them (spec §7.4, "mixed"):
campaign names, search keywords found in URLs."""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from core.params import sanitize

_PHP_TRIM = " \t\n\r\x00\x0b"


def query_values(query: str) -> dict[str, str]:
    """``a=1&b=x%20y`` -> ``{"a": "1", "b": "x%20y"}``: values still encoded, the last of a repeated
    name wins, a name without ``=`` has the value ``""``, ``name[]`` array pairs are left out."""
    values: dict[str, str] = {}
    if not query:
        return values
    if query[0] == "?":
        query = query[1:]
    for pair in query.split("&"):
        name, _, value = pair.partition("=")
        if name and not name.endswith(("]", "%5D", "%5d")):
            values[name] = value
    return values


def url_decode(value: str, charsets: tuple[str, ...] = ()) -> str:
    """PHP's ``urldecode`` (``+`` is a space), read as UTF-8, else as the first of *charsets*
    that fits, else as Latin-1."""
    if "+" in value:
        value = value.replace("+", " ")
    if "%" not in value:
        return value
    raw = unquote_to_bytes(value)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for charset in charsets:
        try:
            return raw.decode(charset)
        except (UnicodeDecodeError, LookupError):
            continue
    return raw.decode("latin-1")


def stored_value(encoded: str, charsets: tuple[str, ...] = ()) -> str:
    """A query value in Matomo's stored form: HTML-escaped first, then URL-decoded, then trimmed.

    So ``%3C`` ends up as a raw ``<`` while a literal ``<`` ends up as ``&lt;``.
    """
    return url_decode(sanitize(encoded), charsets).strip(_PHP_TRIM)
