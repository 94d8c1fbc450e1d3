"""Events' dimensions: the event's category and action ids, its value, and the visit's event count."""

from __future__ import annotations

from core import UNCHANGED, Action, ActionDimension, ActionType, Increment, VisitDimension, columns

from plugins.events.event import EventAction


def _is_event(action: Action | None) -> bool:
    return action is not None and action.type == ActionType.EVENT_CATEGORY


class VisitTotalEvents(VisitDimension):
    column_name = "visit_total_events"
    column_type = columns.UnsignedInt()

    def on_new_visit(self, request, visitor, action):
        return 1 if _is_event(action) else 0

    def on_existing_visit(self, request, visitor, action):
        return Increment(1) if _is_event(action) else UNCHANGED


class _EventName(ActionDimension):
    """The log_action id the event action resolved for this column; other actions leave it NULL."""

    column_type = columns.UnsignedInt()

    def on_new_action(self, request, visitor, action):
        return action.id_of(self.column_name) if isinstance(action, EventAction) else UNCHANGED


class IdactionEventCategory(_EventName):
    column_name = "idaction_event_category"


class IdactionEventAction(_EventName):
    column_name = "idaction_event_action"


class EventValue(ActionDimension):
    """``e_v`` in the core's ``custom_float`` column."""

    column_name = "custom_float"

    def on_new_action(self, request, visitor, action):
        return action.custom_float if isinstance(action, EventAction) else UNCHANGED


DIMENSIONS = [VisitTotalEvents, IdactionEventCategory, IdactionEventAction, EventValue]
