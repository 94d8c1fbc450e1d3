"""Host matching, built once so that a request costs a few dict lookups.

Two structures:

- :class:`HostPatterns` maps host patterns of search engines and social networks to their
  definition (``google.{}``, ``.facebook.com``, ``yandex.{}/images``);
- :class:`SiteUrls` maps site URLs (main URL and aliases, ``excluded_referrers`` entries) to the
  sites they belong to, by host and path prefix.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Generic, TypeVar
from urllib.parse import urlsplit

T = TypeVar("T")

# Second-level labels under which countries register names (co.uk, com.br, ne.jp): "example.{}"
# also stands for these two-label endings.
_GENERIC_SECOND_LEVEL = frozenset((
    "ac", "co", "com", "edu", "gen", "go", "gob", "gov", "gv", "in", "info", "ltd", "me", "mil", "ne", "net",
    "nic", "nom", "or", "org", "plc", "sch",
))


def _with_any_ending(host: str) -> Iterator[str]:
    """``google.de`` -> ``google.{}``; ``google.co.uk`` -> ``google.co.{}``, ``google.{}``."""
    head, dot, _ = host.rpartition(".")
    if not dot or not head:
        return
    yield head + ".{}"
    head2, dot, second = head.rpartition(".")
    if dot and head2 and second in _GENERIC_SECOND_LEVEL:
        yield head2 + ".{}"


def _anchors(labels: list[str]) -> tuple[str, ...]:
    """The labels that may precede a host's ending (``google`` in ``www.google.co.uk``): a pattern
    and a host it matches always share one, so a host sharing none with any pattern is a miss."""
    if labels[-1] == "{}":
        return (labels[-2],) if len(labels) > 1 else ()
    if len(labels) > 2 and labels[-2] in _GENERIC_SECOND_LEVEL:
        return labels[-2], labels[-3]
    return (labels[-2],) if len(labels) > 1 else ()


def _first_segment_matches(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix) and path[len(prefix)] == "/"


class HostPatterns(Generic[T]):
    """Host patterns -> values. A pattern is one of:

    - ``example.com``: that host, and the same host behind ``www.`` or ``m.``;
    - ``.example.com`` (or ``*.example.com``): the host and every subdomain;
    - ``{}`` as the last label stands for any country or top-level ending (``example.{}``);
    - ``/path`` after the host: only URLs whose path is ``/path`` or below it.

    Lookups prefer the exact host to its ``www.``/``m.``-less form, a path pattern to a host
    pattern, a precise ending to ``{}``, and the deepest subdomain pattern; adding a pattern
    twice keeps the later value.
    """

    def __init__(self) -> None:
        self._exact: dict[str, T] = {}
        self._subdomains: dict[str, T] = {}
        self._paths: dict[tuple[bool, str], list[tuple[str, T]]] = {}
        self._anchors: set[str] = set()
        self._single_label = False

    def __len__(self) -> int:
        return len(self._exact) + len(self._subdomains) + sum(len(v) for v in self._paths.values())

    def add(self, pattern: str, value: T) -> None:
        pattern = pattern.strip().lower()
        if "://" in pattern:
            pattern = pattern.split("://", 1)[1]
        host, slash, path = pattern.partition("/")
        wildcard = host.startswith((".", "*."))
        host = host.lstrip("*").lstrip(".")
        if not host:
            raise ValueError(f"host pattern {pattern!r} names no host")
        path = "/" + path.strip("/") if slash else ""
        labels = host.split(".")
        self._anchors.update(_anchors(labels))
        self._single_label = self._single_label or len(labels) == 1
        if path and path != "/":
            entries = [(p, v) for p, v in self._paths.get((wildcard, host), []) if p != path]
            entries.append((path, value))
            entries.sort(key=lambda entry: -len(entry[0]))  # the longest path wins
            self._paths[(wildcard, host)] = entries
        else:
            (self._subdomains if wildcard else self._exact)[host] = value

    def find(self, host: str, path: str = "/") -> T | None:
        """The value for a lower-case host (no port) and URL path, or None."""
        if not host:
            return None
        labels = host.split(".")
        if not self._single_label and self._anchors.isdisjoint(_anchors(labels)):
            return None  # the usual case for websites: no pattern can match
        bases = [host]
        if host.startswith("www."):
            bases.append(host[4:])
        elif host.startswith("m."):
            bases.append(host[2:])
        for base in bases:
            for key in (base, *_with_any_ending(base)):
                found = self._get(False, key, path)
                if found is not None:
                    return found
        if self._subdomains or self._paths:
            suffix = host
            while "." in suffix:
                for key in (suffix, *_with_any_ending(suffix)):
                    found = self._get(True, key, path)
                    if found is not None:
                        return found
                suffix = suffix.split(".", 1)[1]
        return None

    def _get(self, wildcard: bool, key: str, path: str) -> T | None:
        if self._paths:
            for prefix, value in self._paths.get((wildcard, key), ()):
                if _first_segment_matches(path, prefix):
                    return value
        return (self._subdomains if wildcard else self._exact).get(key)


def canonical_host(host: str) -> str:
    """Lower case, without a leading ``www.``: how site URLs and referrers are compared."""
    return host.lower().removeprefix("www.")


def canonical_path(path: str) -> str:
    """Always starts and ends with ``/``, so ``/blog/`` is a prefix of ``/blog/x/`` but not of ``/blogger/``."""
    if not path.startswith("/"):
        path = "/" + path
    return path if path.endswith("/") else path + "/"


def split_site_url(url: str) -> tuple[str, bool, str] | None:
    """``(canonical host, any subdomain?, canonical path)`` of a site URL or an excluded-referrer
    entry (a scheme is optional; a leading ``.`` or ``*.`` on the host means any subdomain)."""
    text = url.strip()
    if not text:
        return None
    if "://" not in text:
        text = "http://" + text.lstrip("/")
    try:
        parts = urlsplit(text)
        netloc = parts.netloc.rpartition("@")[2]
    except ValueError:
        return None
    host = netloc.rsplit(":", 1)[0] if netloc.count(":") == 1 else netloc
    wildcard = host.startswith((".", "*."))
    host = canonical_host(host.lstrip("*").lstrip("."))
    if not host:
        return None
    return host, wildcard, canonical_path(parts.path or "/")


class SiteUrls:
    """Which sites a URL belongs to, by host and path prefix (Matomo's URLs-by-host cache)."""

    def __init__(self, urls: Iterable[tuple[int, str]] = ()) -> None:
        grouped: tuple[dict[str, dict[str, set[int]]], ...] = ({}, {})
        for idsite, url in urls:
            parsed = split_site_url(url) if isinstance(url, str) else None
            if parsed is not None:
                host, wildcard, path = parsed
                grouped[wildcard].setdefault(host, {}).setdefault(path, set()).add(idsite)
        # Per host, the paths longest first: the most precise site URL decides.
        self._exact, self._subdomains = (
            {host: sorted(((p, frozenset(ids)) for p, ids in paths.items()), key=lambda item: -len(item[0]))
             for host, paths in table.items()}
            for table in grouped)

    def __bool__(self) -> bool:
        return bool(self._exact or self._subdomains)

    def match(self, host: str, path: str) -> tuple[frozenset[int], str] | None:
        """``(idsites, matched path)`` for a URL's host and path, or None when no site URL matches."""
        return self.match_canonical(canonical_host(host), canonical_path(path or "/"))

    def match_canonical(self, host: str, path: str) -> tuple[frozenset[int], str] | None:
        """:meth:`match` for a host and path already through ``canonical_host``/``canonical_path``."""
        paths = self._exact.get(host)
        if paths is not None:
            found = self._match_path(paths, path)
            if found is not None:
                return found
        if self._subdomains:
            suffix = host
            while suffix:
                paths = self._subdomains.get(suffix)
                if paths is not None:
                    found = self._match_path(paths, path)
                    if found is not None:
                        return found
                suffix = suffix.partition(".")[2]
        return None

    @staticmethod
    def _match_path(paths: list[tuple[str, frozenset[int]]], path: str) -> tuple[frozenset[int], str] | None:
        for prefix, idsites in paths:
            if path.startswith(prefix):
                return idsites, prefix
        return None
