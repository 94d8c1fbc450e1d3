"""Page-URL normalisation and the ``log_action.url_prefix`` split.

Spec: matomo-tracker.md §7.2 (url_prefix), §7.3 (URL normalisation), §7.4 (stored forms).

:func:`normalize_page_url` gives the stored form of page, event, content and search URLs,
:func:`normalize_click_url` the stored form of outlink and download URLs, and
:func:`split_url_prefix` turns a page URL into the ``(name, url_prefix)`` pair of ``log_action``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from core.params import _decode_entities, clean_string, sanitize, truncate_utf8

__all__ = [
    "ALWAYS_EXCLUDED_PARAMS",
    "DEFAULT_EXCLUDED_PARAMS",
    "URL_PREFIXES",
    "ParamExcluder",
    "get_excluder",
    "join_url_prefix",
    "looks_like_url",
    "normalize_click_url",
    "normalize_page_url",
    "split_url_prefix",
]

#: ``log_action.url_prefix`` codes: the index in this tuple.
URL_PREFIXES: tuple[str, ...] = ("http://", "http://www.", "https://", "https://www.")

#: Default of ``[Tracker] url_query_parameter_to_exclude_from_url`` (spec §7.3.3).
DEFAULT_EXCLUDED_PARAMS: tuple[str, ...] = (
    "gclid", "fbclid", "msclkid", "twclid", "wbraid", "gbraid", "yclid", "fb_xd_fragment",
    "fb_comment_id", "phpsessid", "jsessionid", "sessionid", "aspsessionid", "doing_wp_cron",
    "sid", "pk_vid",
)  # fmt: skip

#: Removed from every page URL whatever the configuration.
ALWAYS_EXCLUDED_PARAMS: tuple[str, ...] = ("ignore_referrer", "ignore_referer")

_PHP_TRIM = " \t\n\r\x00\x0b"

# ---------------------------------------------------------------------------------------------
# url_prefix
# ---------------------------------------------------------------------------------------------


def split_url_prefix(url: str) -> tuple[str, int | None]:
    """Split off the longest of :data:`URL_PREFIXES`, matched case-insensitively.

    ``'http://www.example.com/x'`` -> ``('example.com/x', 1)``; any other scheme (or none) gives
    ``(url, None)`` with the URL unchanged.
    """
    head = url[:12].lower()
    if head.startswith("https://"):
        if head.startswith("https://www."):
            return url[12:], 3
        return url[8:], 2
    if head.startswith("http://"):
        if head.startswith("http://www."):
            return url[11:], 1
        return url[7:], 0
    return url, None


def join_url_prefix(name: str, prefix: int | None) -> str:
    """Inverse of :func:`split_url_prefix`: put the prefix of code *prefix* back (None: as is).

    The prefix comes back in lower case; an unknown code leaves *name* unchanged.
    """
    if prefix is None or not 0 <= prefix < len(URL_PREFIXES):
        return name
    return URL_PREFIXES[prefix] + name


# ---------------------------------------------------------------------------------------------
# "Does it look like a URL?"
# ---------------------------------------------------------------------------------------------

# `scheme://rest` or `//rest`; the scheme starts with an ASCII letter. As in PHP's `(.*)$`, the
# rest must not contain a line feed.
_LOOKS_LIKE_URL = re.compile(r"(?:([A-Za-z][A-Za-z0-9+.\-]*)?:)?//[^\n]+\Z")
_UNSAFE_SCHEMES = frozenset(("javascript", "vbscript", "data"))


def looks_like_url(url: str) -> bool:
    """True for ``scheme://something`` or ``//something`` (something non-empty, no line feed).

    The scheme is an ASCII letter then letters, digits, ``+ . -``; ``javascript:``,
    ``vbscript:`` and ``data:`` never pass (case-insensitive).
    """
    m = _LOOKS_LIKE_URL.match(url)
    if m is None:
        return False
    scheme = m.group(1)
    return scheme is None or scheme.lower() not in _UNSAFE_SCHEMES


# ---------------------------------------------------------------------------------------------
# Excluded query parameters
# ---------------------------------------------------------------------------------------------

_REGEX_META = re.compile(r"[.^$*+?{}\[\]\\|()]")
# Matomo's own configuration uses PHP (PCRE) patterns with delimiters, e.g. `/^utm_/i`.
_PHP_DELIMITED = re.compile(r"([/#~!@%|])(.+)\1([a-zA-Z]*)\Z", re.DOTALL)
_PHP_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}


class ParamExcluder:
    """Decides whether a query parameter name is excluded from page URLs (spec §7.3.3).

    Built once from the configured names (use :func:`get_excluder` for a cached instance).
    Names are compared case-insensitively. An entry is also used as a regular expression:

    - ``/pattern/flags`` (PHP style, as in a Matomo configuration): ``re.search``;
    - otherwise, when it contains regex metacharacters and compiles: ``re.fullmatch``;

    both case-insensitive. Entries that do not compile are plain names only.
    ``ignore_referrer`` and ``ignore_referer`` are always excluded.
    """

    __slots__ = ("names", "_exact", "_patterns")

    def __init__(self, names: Iterable[str]) -> None:
        if isinstance(names, str):
            names = (names,)
        exact = {n for n in ALWAYS_EXCLUDED_PARAMS}
        patterns = []
        kept = []
        for entry in names:
            if not isinstance(entry, str):
                continue
            entry = entry.strip()
            if not entry:
                continue
            kept.append(entry)
            exact.add(entry.lower())
            delimited = _PHP_DELIMITED.match(entry)
            try:
                if delimited is not None:
                    flags = re.IGNORECASE
                    for f in delimited.group(3):
                        flags |= _PHP_FLAGS.get(f, 0)
                    patterns.append(re.compile(delimited.group(2), flags).search)
                elif _REGEX_META.search(entry):
                    patterns.append(re.compile(entry, re.IGNORECASE).fullmatch)
            except Exception:  # re.error, OverflowError, RecursionError: not a usable pattern
                pass
        self.names: frozenset[str] = frozenset(kept)
        self._exact = frozenset(exact)
        self._patterns = tuple(patterns)

    def __call__(self, name: str) -> bool:
        """True when the parameter *name* must be removed."""
        lname = name.lower()
        if lname in self._exact:
            return True
        for match in self._patterns:
            if match(lname) is not None:
                return True
        return False

    def __repr__(self) -> str:
        return f"ParamExcluder({sorted(self.names)!r})"


@functools.lru_cache(maxsize=256)
def _cached_excluder(names: frozenset[str]) -> ParamExcluder:
    return ParamExcluder(names)


def get_excluder(names: Iterable[str] | ParamExcluder) -> ParamExcluder:
    """A cached :class:`ParamExcluder` for *names* (an excluder is returned as is)."""
    if isinstance(names, ParamExcluder):
        return names
    if isinstance(names, str):
        names = (names,)
    elif not isinstance(names, (tuple, list, set, frozenset)):
        names = tuple(names)
    try:
        key = frozenset(names)
    except TypeError:  # unhashable junk in the list
        key = frozenset(n for n in names if isinstance(n, str))
    return _cached_excluder(key)


_DEFAULT_EXCLUDER = ParamExcluder(DEFAULT_EXCLUDED_PARAMS)

# ---------------------------------------------------------------------------------------------
# normalize_page_url
# ---------------------------------------------------------------------------------------------

# Split of a URL that looks like one: (scheme-with-colon)? '//' authority path ?query #fragment.
_URL_SPLIT = re.compile(
    r"((?:[A-Za-z][A-Za-z0-9+.\-]*)?:)?//([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#(.*))?\Z", re.DOTALL
)
_QUERY_ESCAPE = re.compile("[<>\"']")
_ARRAY_SUFFIX = re.compile(r"(?:\[|%5[bB])(?:\]|%5[dD])\Z")


def _convert_matrix(url: str) -> str:
    """Matrix parameters to a query string, Matomo's rule.

    Nothing happens when there is no ';' or when a '?' comes before the first ';'. Otherwise
    the first ';' becomes '?', the first '?' (if any, it is after that ';') and every other ';'
    become '&'. This is done on the whole string, fragment included:
    ``/p;a=1;b=2`` -> ``/p?a=1&b=2``, ``/p;a=1?b=2`` -> ``/p?a=1&b=2``, ``/p?a=1;b=2`` unchanged.
    """
    semi = url.find(";")
    if semi < 0:
        return url
    qmark = url.find("?")
    if 0 <= qmark < semi:
        return url
    rest = url[semi + 1 :]
    if qmark >= 0:
        rest = rest.replace("?", "&", 1)
    return url[:semi] + "?" + rest.replace(";", "&")


def _escape_query_part(text: str) -> str:
    # What sanitize() does to a piece that cannot contain '&' (it was split on '&').
    return (
        text.replace('"', "&quot;").replace("'", "&#039;").replace("<", "&lt;").replace(">", "&gt;")
    )


def _filter_query(query: str, excluded: ParamExcluder) -> str:
    """Re-build a query string (or fragment) without the excluded parameters, like Matomo.

    Pairs keep their original (percent-encoded) spelling, but: one leading '?' and trailing
    whitespace are dropped; pairs with an empty name (or the name ``0``, empty to PHP) are
    dropped; a repeated name keeps its first position and its last value; ``n[]``/``n%5B%5D``
    pairs are collected and written back as ``n[]=v``; ``%5B``/``%5D`` in a name become
    ``[``/``]``; literal ``< > " '`` are escaped as sanitize() does. A pair without '=' stays
    without '='.
    """
    if query[0] == "?":
        query = query[1:]
    query = query.rstrip(_PHP_TRIM)
    if not query:
        return ""
    pieces = query.split("&")
    escape = _QUERY_ESCAPE.search(query) is not None
    if not escape:
        # Fast path, the usual case: unique, non-empty, non-array names and nothing to escape.
        # Then the rebuilt string is the input minus the excluded pairs.
        exact, patterns = excluded._exact, excluded._patterns
        seen: set[str] = set()
        kept: list[str] = []
        for piece in pieces:
            eq = piece.find("=")
            name = piece if eq < 0 else piece[:eq]
            if not name or name == "0" or name in seen or name[-1] == "]" or "%5" in name:
                break
            seen.add(name)
            if name.lower() in exact or (patterns and excluded(name)):
                continue
            kept.append(piece)
        else:
            return query if len(kept) == len(pieces) else "&".join(kept)

    params: dict[str, str | None | list[str | None]] = {}
    for piece in pieces:
        name, eq, value = piece.partition("=")
        if not name or name == "0":
            continue
        if escape:
            name = _escape_query_part(name)
            if value:
                value = _escape_query_part(value)
        item = value if eq else None
        if name[-1] in "]dD":
            m = _ARRAY_SUFFIX.search(name)
            if m is not None and m.start() > 0 and name[: m.start()] != "0":
                base = name[: m.start()]
                current = params.get(base)
                if type(current) is list:
                    current.append(item)
                else:
                    params[base] = [item]
                continue
        params[name] = item

    out: list[str] = []
    for name, item in params.items():
        if "%5" in name:
            name = name.replace("%5B", "[").replace("%5D", "]")
        if excluded(name):
            continue
        if type(item) is list:
            for v in item:
                out.append(name + "[]" if v is None else name + "[]=" + v)
        elif item is None:
            out.append(name)
        else:
            out.append(name + "=" + item)
    return "&".join(out)


def _normalize_page_url(
    raw: str, excluded: ParamExcluder, keep_fragment: bool, max_bytes: int
) -> str:
    # Step 1. `raw` is unsanitised; Matomo sanitises then unsanitises it, which nets out to
    # decoding the HTML entities.
    url = raw
    if "&" in url and ";" in url:  # an entity needs both
        url = _decode_entities(url)
    url = truncate_utf8(clean_string(url), max_bytes)
    if ";" in url:
        url = _convert_matrix(url)

    # Step 2: split. Only `scheme://...` survives: Matomo rebuilds a scheme-less `//host/x` as
    # `host/x`, which then no longer looks like a URL.
    m = _URL_SPLIT.match(url)
    if m is None:
        return ""
    scheme = m.group(1)
    if not scheme or scheme == ":":
        return ""
    lscheme = scheme[:-1].lower()
    if lscheme in _UNSAFE_SCHEMES or lscheme == "mailto":  # mailto is rebuilt without '//'
        return ""
    authority, path, query, fragment = m.group(2, 3, 4, 5)

    # Authority: lower-case the host only. Like PHP's parse_url, an empty host (except for
    # file:) or an invalid port makes the URL unusable.
    userinfo = ""
    at = authority.rfind("@")
    if at >= 0:
        user, _, password = authority[:at].partition(":")
        if user:
            userinfo = user + ":" + password + "@" if password else user + "@"
        authority = authority[at + 1 :]
    port = ""
    colon_at = authority.rfind(":")
    if colon_at > authority.rfind("]"):
        port_text = authority[colon_at + 1 :]
        authority = authority[:colon_at]
        if port_text:
            if not (port_text.isascii() and port_text.isdigit() and len(port_text) <= 5):
                return ""
            port_num = int(port_text)
            if port_num > 65535:
                return ""
            if port_num:
                port = ":" + str(port_num)
    if not authority and lscheme != "file":
        return ""

    if fragment:
        if not keep_fragment:
            fragment = None
        elif fragment[-1] == "#":
            fragment = fragment[:-1]
    if query:
        query = _filter_query(query, excluded)
    elif fragment:
        fragment = _filter_query(fragment, excluded)

    parts = [url[: m.start(2)], userinfo, authority.lower(), port, path]
    if query:
        parts.append("?")
        parts.append(query)
    if fragment:
        parts.append("#")
        parts.append(fragment)
    # Step 3: trim and cut again (the escaping may have made it longer).
    result = truncate_utf8("".join(parts).strip(_PHP_TRIM), max_bytes)
    return result if looks_like_url(result) else ""


def normalize_page_url(
    raw: str,
    *,
    excluded_params: Iterable[str] | ParamExcluder = DEFAULT_EXCLUDED_PARAMS,
    keep_fragment: bool = False,
    max_bytes: int = 1024,
) -> str:
    """Stored form of a page, event, content or search URL (spec §7.3 steps 1-3).

    *raw* is the parameter value as received (not sanitised). *excluded_params* is the full
    exclusion list (the site's and global ``excluded_parameters``, the tracker list, whose
    default is :data:`DEFAULT_EXCLUDED_PARAMS`, and the campaign parameters), as names or as a
    ready :class:`ParamExcluder`; ``ignore_referrer``/``ignore_referer`` are always added.

    1. Decode HTML entities, trim, remove CR/LF/NUL, cut to *max_bytes* UTF-8 bytes (at a
       character boundary), convert matrix parameters (see :func:`_convert_matrix`).
    2. Lower-case the host (scheme, userinfo, port, path keep their spelling); drop the
       fragment unless *keep_fragment* (a kept fragment loses one trailing ``#``); remove
       excluded parameters from the query, or from the kept fragment when there is no query,
       rebuilding it as described in :func:`_filter_query`.
    3. Trim and cut again.

    Returns ``''`` for anything that is not ``scheme://host...`` (including ``//host/x``,
    ``javascript:``, empty hosts except ``file:``, invalid ports). Never raises.
    """
    if not isinstance(raw, str) or not raw:
        return ""
    try:
        if excluded_params is DEFAULT_EXCLUDED_PARAMS:
            excluded = _DEFAULT_EXCLUDER
        else:
            excluded = get_excluder(excluded_params)
        return _normalize_page_url(raw, excluded, keep_fragment, max_bytes)
    except Exception:  # last-resort guard: a tracking request must never fail on its URL
        return ""


def normalize_click_url(raw: str, *, max_bytes: int = 1024) -> str:
    """Stored form of an outlink or download URL (spec §7.3 step 4).

    The sanitised value (so ``&`` is stored as ``&amp;``), trimmed, without CR/LF/NUL, cut to
    *max_bytes* UTF-8 bytes; ``''`` unless it :func:`looks_like_url`. Never raises.
    """
    if not isinstance(raw, str) or not raw:
        return ""
    try:
        url = truncate_utf8(clean_string(sanitize(raw)), max_bytes)
        return url if looks_like_url(url) else ""
    except Exception:  # last-resort guard, as in normalize_page_url
        return ""
