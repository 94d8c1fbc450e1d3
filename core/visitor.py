"""Visitor: the visit row being written, and the stored row it was matched with."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class Visitor:
    """What dimensions read and write while a request is processed.

    - ``get``/``set``: the properties of the visit as they will be stored. For an ongoing visit
      they start as a copy of the stored row; for a new visit with only the core's columns.
    - ``previous``: the matched stored row as loaded (for a new visit of a known visitor, that
      is the visitor's *previous* visit).
    """

    __slots__ = ("_values", "_stored", "is_known", "is_new_visit")

    def __init__(self, stored: Mapping[str, Any] | None, *, is_new_visit: bool, values: dict[str, Any]) -> None:
        self._stored: Mapping[str, Any] = stored or {}
        self.is_known = stored is not None
        self.is_new_visit = is_new_visit
        self._values = values

    def get(self, column: str, default: Any = None) -> Any:
        return self._values.get(column, default)

    def set(self, column: str, value: Any) -> None:
        self._values[column] = value

    def previous(self, column: str, default: Any = None) -> Any:
        """The column as stored in the matched visit row (``default`` for an unknown visitor)."""
        return self._stored.get(column, default)

    @property
    def values(self) -> dict[str, Any]:
        return self._values

    @property
    def stored(self) -> Mapping[str, Any]:
        return self._stored
