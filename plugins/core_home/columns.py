"""CoreHome's dimensions: when the visit started and last acted, how long it lasted, what is known
of the visitor across visits."""

from __future__ import annotations

from datetime import datetime

from core import UNCHANGED, ActionDimension, TrackingRequest, VisitDimension, Visitor, columns


def _seconds(later: datetime, earlier: datetime) -> int:
    return int((later - earlier).total_seconds())


def _is_ping(request: TrackingRequest) -> bool:
    return request.get_int("ping") == 1


class VisitFirstActionTime(VisitDimension):
    column_name = "visit_first_action_time"
    column_type = columns.DateTime()

    def on_new_visit(self, request, visitor, action):
        return request.time


class VisitLastActionTime(VisitDimension):
    """The core's column; never moves backwards, and a heartbeat does not move it at all."""

    column_name = "visit_last_action_time"

    def on_new_visit(self, request, visitor, action):
        return request.time

    def on_existing_visit(self, request, visitor, action):
        if _is_ping(request):
            return UNCHANGED
        return max(request.time, visitor.previous(self.column_name))


class VisitTotalTime(VisitDimension):
    column_name = "visit_total_time"
    column_type = columns.UnsignedInt()
    required_visit_fields = ("visit_first_action_time",)

    def on_new_visit(self, request, visitor, action):
        return request.settings.get("Tracker", "default_time_one_page_visit")

    def on_existing_visit(self, request, visitor, action):
        return max(0, 1 + _seconds(request.time, visitor.get("visit_first_action_time")))

    def on_converted_visit(self, request, visitor, action):
        # Changing the total on every conversion makes sure the visit UPDATE is never a no-op.
        # Matomo's idgoal defaults to -1, so a goal matched on an action adds 1, a manual goal N adds N + 2
        bump = request.get_int("idgoal", -1) + 2
        if visitor.is_new_visit:
            return (visitor.previous(self.column_name) or 0) + bump if visitor.is_known else UNCHANGED
        return visitor.get(self.column_name, 0) + bump


def _has_ordered(request: TrackingRequest, visitor: Visitor) -> bool:
    return (request.has("ec_id") or visitor.get("visitor_seconds_since_order") is not None
            or visitor.previous("visitor_seconds_since_order") is not None)


class _CopiedToConversions(VisitDimension):
    def on_any_goal_conversion(self, request, visitor, action):
        return visitor.get(self.column_name)


class VisitorReturning(_CopiedToConversions):
    column_name = "visitor_returning"
    column_type = columns.TinyInt(1)
    required_visit_fields = ("visitor_seconds_since_order",)

    def on_new_visit(self, request, visitor, action):
        if _has_ordered(request, visitor):
            return 2
        return 1 if visitor.is_known else 0


class VisitorCountVisits(_CopiedToConversions):
    column_name = "visitor_count_visits"
    column_type = columns.UnsignedInt()

    def on_new_visit(self, request, visitor, action):
        return (visitor.previous(self.column_name) or 0) + 1 if visitor.is_known else 1


def _aged_since_previous_visit(request: TrackingRequest, visitor: Visitor, column: str) -> int | None:
    """The previous visit's value of a "seconds since" column, plus the time since that visit
    started; None when the previous visit had none or the result would be negative."""
    previous = visitor.previous(column)
    if previous is None:
        return None
    value = previous + _seconds(request.time, visitor.previous("visit_first_action_time"))
    return value if value >= 0 else None


class VisitorSecondsSinceFirst(_CopiedToConversions):
    column_name = "visitor_seconds_since_first"
    column_type = columns.UnsignedInt()

    def on_new_visit(self, request, visitor, action):
        return _aged_since_previous_visit(request, visitor, self.column_name) if visitor.is_known else 0


class VisitorSecondsSinceOrder(_CopiedToConversions):
    column_name = "visitor_seconds_since_order"
    column_type = columns.UnsignedInt()

    def on_new_visit(self, request, visitor, action):
        if request.has("ec_id"):
            return 0
        return _aged_since_previous_visit(request, visitor, self.column_name)

    def on_existing_visit(self, request, visitor, action):
        return 0 if request.has("ec_id") else UNCHANGED


class VisitGoalConverted(VisitDimension):
    column_name = "visit_goal_converted"
    column_type = columns.TinyInt(1)

    def on_new_visit(self, request, visitor, action):
        return 0

    def on_converted_visit(self, request, visitor, action):
        return 1


class VisitGoalBuyer(VisitDimension):
    """0 until the Ecommerce plugin reports an order or a cart for the visit."""

    column_name = "visit_goal_buyer"
    column_type = columns.TinyInt(1)

    def on_new_visit(self, request, visitor, action):
        return visitor.get(self.column_name) or 0


class UserId(VisitDimension):
    column_name = "user_id"
    column_type = columns.VarChar(200)

    def on_new_visit(self, request, visitor, action):
        return request.user_id

    def on_existing_visit(self, request, visitor, action):
        return request.user_id if request.user_id else UNCHANGED


class Profilable(VisitDimension):
    """1 once the visitor sent an id of its own (cookie, cid or uid): its visits can be linked."""

    column_name = "profilable"
    column_type = columns.TinyInt(1)

    def on_new_visit(self, request, visitor, action):
        return 1 if request.visitor_id[1] is not None else 0

    def on_existing_visit(self, request, visitor, action):
        return 1 if request.visitor_id[1] is not None else UNCHANGED


class ServerTime(ActionDimension):
    column_name = "server_time"
    column_type = columns.DateTime()

    def on_new_action(self, request, visitor, action):
        return request.time


DIMENSIONS = [
    VisitFirstActionTime, VisitLastActionTime, VisitTotalTime, VisitorReturning, VisitorCountVisits,
    VisitorSecondsSinceFirst, VisitorSecondsSinceOrder, VisitGoalConverted, VisitGoalBuyer, UserId, Profilable,
    ServerTime,
]
