"""CustomVariables' dimensions: ``custom_var_k1..5``/``custom_var_v1..5`` on visits (copied into
conversions) from ``_cvar``, and on action rows from ``cvar``."""

from __future__ import annotations

from typing import Any

from core import UNCHANGED, Action, ActionDimension, TrackingRequest, VisitDimension, Visitor, columns

from plugins.custom_variables.variables import PAGE_SCOPE, VISIT_SCOPE, column_names, custom_variables


class _VisitVariable(VisitDimension):
    """Set when the visit starts; a later request overwrites only the slots it sends."""

    column_type = columns.VarChar(200)

    def on_new_visit(self, request: TrackingRequest, visitor: Visitor, action: Action | None) -> Any:
        return custom_variables(request, VISIT_SCOPE).get(self.column_name, UNCHANGED)

    def on_existing_visit(self, request: TrackingRequest, visitor: Visitor, action: Action | None) -> Any:
        return custom_variables(request, VISIT_SCOPE).get(self.column_name, UNCHANGED)

    def on_any_goal_conversion(self, request: TrackingRequest, visitor: Visitor, action: Action | None) -> Any:
        return visitor.get(self.column_name)


class _PageVariable(ActionDimension):
    column_type = columns.VarChar(200)

    def on_new_action(self, request: TrackingRequest, visitor: Visitor, action: Action) -> Any:
        return custom_variables(request, PAGE_SCOPE).get(self.column_name, UNCHANGED)


def _dimension(base: type, prefix: str, column: str) -> type:
    """One class per column (``VisitCustomVarK1``, ``PageCustomVarV3``, ...)."""
    name = prefix + column.title().replace("_", "")
    return type(name, (base,), {"column_name": column, "__module__": __name__})


VISIT_DIMENSIONS = [_dimension(_VisitVariable, "Visit", column) for column in column_names()]
PAGE_DIMENSIONS = [_dimension(_PageVariable, "Page", column) for column in column_names()]
DIMENSIONS = VISIT_DIMENSIONS + PAGE_DIMENSIONS
