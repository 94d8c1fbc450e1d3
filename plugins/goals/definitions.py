"""A site's goals, loaded once per site into the tracker cache (spec §8 ``goal``, §10.8).

Each goal keeps its matchers ready: the pattern as given and, for Matomo's second try, the
pattern urldecoded, both unescaped and (for regular expressions) compiled, so a request costs
no query and no compilation.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from core import unsanitize, url_decode

ATTRIBUTE = "goals"
"""The key of the site's goals (``{idgoal: Goal}``) in ``site.attributes``."""

Matcher = Callable[["str | float"], bool]
_LEADING_NUMBER = re.compile(r"\s*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


@dataclass(frozen=True)
class Goal:
    """One row of the ``goal`` table, as conversion dimensions and ``conversion_values`` receive it."""

    idgoal: int
    name: str
    match_attribute: str
    pattern: str
    pattern_type: str
    case_sensitive: bool
    allow_multiple: bool
    revenue: float
    event_value_as_revenue: bool
    matchers: tuple[Matcher, ...] = field(default=(), compare=False, repr=False)

    def matches(self, value: "str | float") -> bool:
        """The pattern as stored matches ``value``, or failing that the pattern urldecoded."""
        return any(matcher(value) for matcher in self.matchers)


def as_number(value: "str | float") -> float:
    """The number a value starts with, 0 when it starts with none (PHP's float cast)."""
    if isinstance(value, (int, float)):
        return float(value)
    match = _LEADING_NUMBER.match(value)
    return float(match.group(0)) if match else 0.0


def as_text(value: "str | float") -> str:
    if isinstance(value, str):
        return value
    return str(int(value)) if float(value).is_integer() else str(value)


def matcher(pattern_type: str, pattern: str, case_sensitive: bool) -> Matcher | None:
    """A test of one (already unescaped) pattern; None when it can never match (a broken regex,
    an unknown pattern type)."""
    if pattern_type == "greater_than":
        threshold = as_number(pattern)
        return lambda value: as_number(value) > threshold
    if pattern_type == "regex":
        try:
            regex = re.compile(pattern, 0 if case_sensitive else re.IGNORECASE)
        except re.error:
            return None
        return lambda value: regex.search(as_text(value)) is not None
    fold: Callable[[str], str] = (lambda text: text) if case_sensitive else str.lower
    needle = fold(pattern)
    if pattern_type == "contains":
        return lambda value: needle in fold(as_text(value))
    if pattern_type == "exact":
        return lambda value: fold(as_text(value)) == needle
    return None


def build_goal(row: Any) -> Goal:
    pattern = unsanitize(row.pattern or "")
    patterns = [pattern]
    decoded = url_decode(pattern)
    if decoded != pattern:
        patterns.append(decoded)
    case_sensitive = bool(row.case_sensitive)
    found = (matcher(row.pattern_type, p, case_sensitive) for p in patterns)
    return Goal(idgoal=int(row.idgoal), name=row.name, match_attribute=row.match_attribute, pattern=row.pattern,
                pattern_type=row.pattern_type, case_sensitive=case_sensitive, allow_multiple=bool(row.allow_multiple),
                revenue=float(row.revenue or 0), event_value_as_revenue=bool(row.event_value_as_revenue),
                matchers=tuple(m for m in found if m is not None))


def load_goals(connection: Connection, goal_table: Any, idsite: int) -> dict[int, Goal]:
    """The site's goals that are not deleted, by idgoal."""
    rows = connection.execute(select(goal_table).where(goal_table.c.idsite == idsite, goal_table.c.deleted == 0)
                              .order_by(goal_table.c.idgoal)).all()
    return {int(row.idgoal): build_goal(row) for row in rows}
