"""Actions' dimensions: entry and exit pages, action counters, and the per-action columns."""

from __future__ import annotations

from core import UNCHANGED, Action, ActionDimension, ActionType, Increment, VisitDimension, columns

COUNTED_ACTIONS = frozenset({ActionType.PAGE_URL, ActionType.OUTLINK, ActionType.DOWNLOAD, ActionType.SITE_SEARCH,
                             ActionType.EVENT_CATEGORY})
"""Kinds counted in visit_total_actions (contents, goals and heartbeats are not)."""
INTERACTIONS = frozenset({ActionType.PAGE_URL, ActionType.SITE_SEARCH})


def _type(action: Action | None) -> int | None:
    return action.type if action is not None else None


def _is_pageview(action: Action | None) -> bool:
    return _type(action) == ActionType.PAGE_URL


def _is_search(action: Action | None) -> bool:
    return _type(action) == ActionType.SITE_SEARCH


class VisitEntryIdactionUrl(VisitDimension):
    column_name = "visit_entry_idaction_url"
    column_type = columns.UnsignedInt()

    def on_new_visit(self, request, visitor, action):
        if _is_pageview(action):
            return action.id_of("idaction_url")
        return 0 if _is_search(action) else None


class VisitEntryIdactionName(VisitDimension):
    column_name = "visit_entry_idaction_name"
    column_type = columns.UnsignedInt()

    def on_new_visit(self, request, visitor, action):
        if _is_pageview(action) or _is_search(action):
            return action.id_of("idaction_name") or 0
        return 0


class VisitExitIdactionUrl(VisitDimension):
    column_name = "visit_exit_idaction_url"
    column_type = columns.UnsignedInt()

    def on_new_visit(self, request, visitor, action):
        return self.on_existing_visit(request, visitor, action)

    def on_existing_visit(self, request, visitor, action):
        if _is_pageview(action):
            return action.id_of("idaction_url")
        return None if _is_search(action) else UNCHANGED


class VisitExitIdactionName(VisitDimension):
    column_name = "visit_exit_idaction_name"
    column_type = columns.UnsignedInt()

    def on_new_visit(self, request, visitor, action):
        value = self.on_existing_visit(request, visitor, action)
        return 0 if value is UNCHANGED else value

    def on_existing_visit(self, request, visitor, action):
        if (_is_pageview(action) and action.id_of("idaction_name")) or _is_search(action):
            return action.id_of("idaction_name")
        return UNCHANGED


class _Counter(VisitDimension):
    counted: frozenset[int] = frozenset()

    def on_new_visit(self, request, visitor, action):
        return 1 if _type(action) in self.counted else 0

    def on_existing_visit(self, request, visitor, action):
        return Increment(1) if _type(action) in self.counted else UNCHANGED


class VisitTotalActions(_Counter):
    column_name = "visit_total_actions"
    column_type = columns.UnsignedInt()
    counted = COUNTED_ACTIONS


class VisitTotalInteractions(_Counter):
    column_name = "visit_total_interactions"
    column_type = columns.UnsignedMediumInt()
    counted = INTERACTIONS


class VisitTotalSearches(_Counter):
    column_name = "visit_total_searches"
    column_type = columns.UnsignedSmallInt()
    counted = frozenset({ActionType.SITE_SEARCH})


class IdactionUrl(ActionDimension):
    column_name = "idaction_url"
    column_type = columns.UnsignedInt()

    def on_new_action(self, request, visitor, action):
        return action.id_of(self.column_name)


class IdactionName(ActionDimension):
    column_name = "idaction_name"
    column_type = columns.UnsignedInt()

    def on_new_action(self, request, visitor, action):
        return action.id_of(self.column_name)


class _ExitOfStoredVisit(ActionDimension):
    """The previous action of the visit, as the stored visit's exit page tells it."""

    exit_column = ""

    def on_new_action(self, request, visitor, action):
        if visitor.is_new_visit:
            return 0
        return visitor.previous(self.exit_column)


class IdactionUrlRef(_ExitOfStoredVisit):
    column_name = "idaction_url_ref"
    exit_column = "visit_exit_idaction_url"


class IdactionNameRef(_ExitOfStoredVisit):
    column_name = "idaction_name_ref"
    exit_column = "visit_exit_idaction_name"


class TimeSpentRefAction(ActionDimension):
    column_name = "time_spent_ref_action"
    column_type = columns.UnsignedInt()

    def on_new_action(self, request, visitor, action):
        if visitor.is_new_visit:
            return 0
        limit = request.settings.get("Tracker", "visit_standard_length")
        spent = int((request.time - visitor.previous("visit_last_action_time")).total_seconds())
        return min(max(spent, 0), limit)


class PageviewPosition(ActionDimension):
    """Position among the visit's page views and searches; other actions share the current one."""

    column_name = "pageview_position"

    def on_new_action(self, request, visitor, action):
        stored = 0 if visitor.is_new_visit else (visitor.previous("visit_total_interactions") or 0)
        if action.type in INTERACTIONS:
            return stored + 1
        return stored or None


class SearchCat(ActionDimension):
    column_name = "search_cat"
    column_type = columns.VarChar(200)

    def on_new_action(self, request, visitor, action):
        return getattr(action, "category", None) if _is_search(action) else UNCHANGED


class SearchCount(ActionDimension):
    column_name = "search_count"
    column_type = columns.UnsignedInt()

    def on_new_action(self, request, visitor, action):
        return getattr(action, "count", None) if _is_search(action) else UNCHANGED


class IdPageview(ActionDimension):
    column_name = "idpageview"
    column_type = columns.Char(6)

    def on_new_action(self, request, visitor, action):
        pv_id = request.get_str("pv_id")
        return pv_id[:6] if pv_id else None


DIMENSIONS = [
    VisitEntryIdactionUrl, VisitEntryIdactionName, VisitExitIdactionUrl, VisitExitIdactionName,
    VisitTotalActions, VisitTotalInteractions, VisitTotalSearches,
    IdactionUrl, IdactionName, IdactionUrlRef, IdactionNameRef, TimeSpentRefAction, PageviewPosition, SearchCat, SearchCount,
    IdPageview,
]
