"""Action: what one tracking request did (a page view, a download, an event, ...)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar


class ActionType:
    """``log_action.type`` values (Matomo's constants)."""

    PAGE_URL = 1
    OUTLINK = 2
    DOWNLOAD = 3
    PAGE_TITLE = 4
    ECOMMERCE_ITEM_SKU = 5
    ECOMMERCE_ITEM_NAME = 6
    ECOMMERCE_ITEM_CATEGORY = 7
    SITE_SEARCH = 8
    EVENT_CATEGORY = 10
    EVENT_ACTION = 11
    EVENT_NAME = 12
    CONTENT_NAME = 13
    CONTENT_PIECE = 14
    CONTENT_TARGET = 15
    CONTENT_INTERACTION = 16


@dataclass(frozen=True)
class ActionName:
    """A name to store in ``log_action``: the text, its type and, for page URLs, the prefix code."""

    name: str
    type: int
    url_prefix: int | None = None


@dataclass
class Action:
    """Base of every action kind. Plugins subclass it and return it from ``build_action``.

    ``names`` maps a column of ``log_link_visit_action`` to the ``log_action`` name it refers
    to; the core resolves them all in one go and puts the ids in ``ids`` (0 for an empty name,
    as Matomo stores it). ``type`` is the log_action type of the action's URL, which tells the
    kind (page view 1, outlink 2, download 3, site search 8, event 10, content 13).
    """

    kind: ClassVar[str] = "action"
    priority: ClassVar[int] = 0
    """When several plugins build an action for one request, the highest priority wins. Matomo's
    order: download 50 > outlink 40 > event 30 > content 20 > site search 10 > other plugins'
    kinds 0 > the page view, built for any request, -1."""
    type: int
    url: str = ""
    """The normalised URL, with its prefix (``https://...``)."""
    raw_url: str = ""
    """The URL as sent, still HTML-escaped: goals match URLs against this."""
    names: dict[str, ActionName | None] = field(default_factory=dict)
    ids: dict[str, int | None] = field(default_factory=dict)
    custom_float: float | None = None
    """The event value (``e_v``); the Events plugin stores it in ``custom_float``."""
    row_values: dict[str, Any] = field(default_factory=dict)
    """Extra values for the action row, by column, set by plugins whose columns are not known when
    the tracker starts (custom dimensions). Columns the table does not have are ignored."""
    extra: dict[str, Any] = field(default_factory=dict)

    def id_of(self, column: str) -> int | None:
        """The resolved ``log_action`` id of ``column``; ``None`` when the action has no such name."""
        return self.ids.get(column)


def choose_action(candidates: Iterable["Action | None"]) -> Action | None:
    """The candidate with the highest priority (the first of equals), or None when there is none."""
    best: Action | None = None
    for candidate in candidates:
        if candidate is not None and (best is None or candidate.priority > best.priority):
            best = candidate
    return best
