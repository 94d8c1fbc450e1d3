"""The visitor's subscription plan, sent by the site as the tracking parameter ``plan``."""

from core import UNCHANGED, VisitDimension, columns

MAX_LENGTH = 20


class VisitPlan(VisitDimension):
    column_name = "sample_plan"
    column_type = columns.VarChar(MAX_LENGTH)

    def on_new_visit(self, request, visitor, action):
        plan = request.get_str("plan")
        return plan[:MAX_LENGTH] if plan else None

    def on_existing_visit(self, request, visitor, action):
        plan = request.get_str("plan")
        return plan[:MAX_LENGTH] if plan else UNCHANGED

    def on_any_goal_conversion(self, request, visitor, action):
        return visitor.get(self.column_name)
