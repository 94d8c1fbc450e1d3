"""Dimension base classes: each owns one column and computes its value at a fixed moment.

The lifecycle follows Matomo's (``VisitDimension``, ``ActionDimension``,
``ConversionDimension``). A hook that returns :data:`UNCHANGED` leaves the column alone; any
other value, ``None`` included, is written. :class:`Increment` asks the database to add to the
stored value atomically (``col = col + n``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:  # pragma: no cover
    from sqlalchemy.types import TypeEngine

    from core.action import Action
    from core.request import TrackingRequest
    from core.visitor import Visitor


class _Unchanged:
    __slots__ = ()

    def __repr__(self) -> str:
        return "UNCHANGED"

    def __bool__(self) -> bool:
        return False


UNCHANGED: Any = _Unchanged()
"""Returned by a dimension hook to leave its column as it is."""


class Increment:
    """A value that adds ``by`` to the stored column in SQL, so concurrent updates never lose a count."""

    __slots__ = ("by",)

    def __init__(self, by: int | float = 1) -> None:
        self.by = by

    def __repr__(self) -> str:
        return f"Increment({self.by!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Increment) and other.by == self.by

    def applied_to(self, stored: int | float | None) -> int | float:
        return (stored or 0) + self.by


class Dimension:
    """What all dimensions share: the column they fill."""

    column_name: ClassVar[str] = ""
    column_type: ClassVar["TypeEngine | None"] = None
    """The column's type as the plugin's migration creates it; ``None`` when the dimension fills a
    column it does not own (one of the core's, for instance)."""
    table: ClassVar[str] = ""

    @property
    def name(self) -> str:
        return type(self).__name__

    def __repr__(self) -> str:
        return f"<{self.name} {self.table}.{self.column_name}>"


class VisitDimension(Dimension):
    """A column of ``log_visit``."""

    table = "log_visit"
    required_visit_fields: ClassVar[Sequence[str]] = ()
    """Columns that must be computed before this one (they are read from the stored visit too)."""

    def on_new_visit(self, request: "TrackingRequest", visitor: "Visitor", action: "Action | None") -> Any:
        """The value stored when this request opens a new visit."""
        return UNCHANGED

    def on_existing_visit(self, request: "TrackingRequest", visitor: "Visitor", action: "Action | None") -> Any:
        """The value stored when this request extends the ongoing visit."""
        return UNCHANGED

    def on_converted_visit(self, request: "TrackingRequest", visitor: "Visitor", action: "Action | None") -> Any:
        """Runs after ``on_new_visit``/``on_existing_visit`` when the request converted a goal."""
        return UNCHANGED

    def on_any_goal_conversion(self, request: "TrackingRequest", visitor: "Visitor", action: "Action | None") -> Any:
        """The value copied into each ``log_conversion`` row (the migration then adds the column there too)."""
        return UNCHANGED

    def should_force_new_visit(self, request: "TrackingRequest", visitor: "Visitor", action: "Action | None") -> bool:
        """True starts a new visit even inside the visit window (a campaign change, say)."""
        return False

    @classmethod
    def copies_to_conversions(cls) -> bool:
        """True when the dimension implements ``on_any_goal_conversion``: it then owns the same
        column in ``log_conversion``, and its migration must add it there too."""
        return cls.on_any_goal_conversion is not VisitDimension.on_any_goal_conversion


class ActionDimension(Dimension):
    """A column of ``log_link_visit_action``.

    Set ``action_type`` (a ``log_action`` type) when the column holds a ``log_action`` id: then
    ``on_lookup_action`` returns a *name*, the core resolves it to an id and stores the id.
    """

    table = "log_link_visit_action"
    action_type: ClassVar[int | None] = None

    def on_lookup_action(self, request: "TrackingRequest", action: "Action") -> Any:
        """The name to resolve through ``log_action`` (only with ``action_type``)."""
        return UNCHANGED

    def on_new_action(self, request: "TrackingRequest", visitor: "Visitor", action: "Action") -> Any:
        """The raw value stored in the action row."""
        return UNCHANGED


class ConversionDimension(Dimension):
    """A column of ``log_conversion``."""

    table = "log_conversion"

    def on_goal_conversion(self, request: "TrackingRequest", visitor: "Visitor", action: "Action | None",
                           goal: Any) -> Any:
        return UNCHANGED

    def on_ecommerce_order_conversion(self, request: "TrackingRequest", visitor: "Visitor",
                                      action: "Action | None", goal: Any) -> Any:
        return UNCHANGED

    def on_ecommerce_cart_update_conversion(self, request: "TrackingRequest", visitor: "Visitor",
                                            action: "Action | None", goal: Any) -> Any:
        return UNCHANGED


class DimensionCycleError(Exception):
    """Visit dimensions whose ``required_visit_fields`` depend on each other in a circle."""


def sort_visit_dimensions(dimensions: Iterable[VisitDimension]) -> list[VisitDimension]:
    """Order so that every dimension comes after the columns it requires.

    Dimensions keep their given order where no requirement says otherwise. A required column
    that no dimension fills is ignored (it is read from the stored visit). A cycle is an error
    naming the dimensions in it.
    """
    pending = list(dimensions)
    provided = {d.column_name for d in pending}
    done: set[str] = set()
    ordered: list[VisitDimension] = []
    while pending:
        ready = [d for d in pending
                 if all(f in done or f not in provided or f == d.column_name for f in d.required_visit_fields)]
        if not ready:
            raise DimensionCycleError("visit dimensions require each other in a cycle: " + _describe_cycle(pending))
        for d in ready:
            ordered.append(d)
            done.add(d.column_name)
        pending = [d for d in pending if d not in ready]
    return ordered


def _describe_cycle(pending: list[VisitDimension]) -> str:
    by_column = {d.column_name: d for d in pending}
    start = pending[0]
    path = [start]
    while True:
        current = path[-1]
        nxt = next(by_column[f] for f in current.required_visit_fields if f in by_column and f != current.column_name)
        if nxt in path:
            cycle = path[path.index(nxt):] + [nxt]
            return " -> ".join(f"{d.name} ({d.column_name})" for d in cycle)
        path.append(nxt)


def dimensions_in(package: str) -> list[type[Dimension]]:
    """Every dimension class defined in the modules of ``package`` (e.g. ``"my_plugin.columns"``),
    in module-name order, then definition order. A plugin's ``register_dimensions`` can return
    this, so a new file in its ``columns/`` folder is picked up without further wiring."""
    import importlib
    import inspect
    import pkgutil

    root = importlib.import_module(package)
    modules = [root] + [importlib.import_module(f"{package}.{info.name}")
                        for info in sorted(pkgutil.iter_modules(root.__path__), key=lambda i: i.name)
                        if not info.name.startswith("_")] if hasattr(root, "__path__") else [root]
    found: list[type[Dimension]] = []
    for module in modules:
        classes = [obj for _, obj in inspect.getmembers(module, inspect.isclass)
                   if obj.__module__ == module.__name__ and issubclass(obj, Dimension)
                   and obj.column_name and not obj.__name__.startswith("_")]
        found.extend(sorted(classes, key=lambda cls: inspect.getsourcelines(cls)[1]))
    return found
