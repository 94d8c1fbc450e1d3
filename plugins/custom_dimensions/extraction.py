"""Extractions: how a dimension takes its value from the page URL or title when the request
does not send ``dimension<id>`` (spec §10.11).

Each extraction names what it reads (``url``, ``urlparam`` or ``action_name``) and a pattern
whose single capturing group is the value. For ``urlparam`` the pattern is a query-parameter
name, turned into ``\\?.*<name>=([^&]*)``; the name is escaped, so it matches literally.
Extractions are stored as JSON: ``[{"dimension": "url", "pattern": "^/shop/([^/]+)"}]``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

SOURCES = ("url", "urlparam", "action_name")


class ExtractionError(ValueError):
    """An extraction a user asked for that cannot work."""


@dataclass(frozen=True)
class Extraction:
    dimension: str
    pattern: str

    @property
    def regex_source(self) -> str:
        if self.dimension == "urlparam":
            return r"\?.*" + re.escape(self.pattern) + "=([^&]*)"
        return self.pattern

    def compile(self, case_sensitive: bool) -> re.Pattern[str]:
        return re.compile(self.regex_source, 0 if case_sensitive else re.IGNORECASE)

    def as_text(self) -> str:
        return f"{self.dimension}={self.pattern}"


def parse_option(text: str) -> Extraction:
    """``DIM=PATTERN`` from the command line, checked: a known DIM, a pattern that compiles
    with exactly one capturing group (for ``urlparam``, a parameter name)."""
    dimension, sep, pattern = text.partition("=")
    dimension = dimension.strip()
    if not sep or dimension not in SOURCES:
        raise ExtractionError(f"--extraction {text!r}: expected DIM=PATTERN with DIM one of {', '.join(SOURCES)}")
    if not pattern:
        raise ExtractionError(f"--extraction {text!r}: the pattern is empty")
    extraction = Extraction(dimension, pattern)
    try:
        groups = extraction.compile(case_sensitive=True).groups
    except re.error as exc:
        raise ExtractionError(f"--extraction {text!r}: not a valid regular expression: {exc}") from None
    if groups != 1:
        raise ExtractionError(f"--extraction {text!r}: the pattern must have exactly one capturing group "
                              f"(the value), it has {groups}")
    return extraction


def to_json(extractions: list[Extraction]) -> str:
    return json.dumps([{"dimension": e.dimension, "pattern": e.pattern} for e in extractions])


def from_json(text: str | None) -> list[Extraction]:
    """The stored extractions; entries that are not well-formed are skipped (a hand-edited row
    must not break tracking)."""
    try:
        decoded = json.loads(text) if text else []
    except ValueError:
        return []
    found = []
    for entry in decoded if isinstance(decoded, list) else ():
        if not isinstance(entry, dict):
            continue
        dimension, pattern = entry.get("dimension"), entry.get("pattern")
        if dimension in SOURCES and isinstance(pattern, str) and pattern:
            found.append(Extraction(dimension, pattern))
    return found
