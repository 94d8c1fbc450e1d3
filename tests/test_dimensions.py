"""Dimension ordering and the dimension value markers (core/dimensions.py), with the bundled plugins' dimensions."""

from __future__ import annotations

import pytest

from core import UNCHANGED, Increment, VisitDimension
from core.dimensions import DimensionCycleError, sort_visit_dimensions
from core.plugins import bundled_plugin_names, load_plugins

BUNDLED = {"TRACKWAY_LOAD_PLUGINS": ",".join(bundled_plugin_names())}


def dimension(class_name: str, column: str, requires: tuple[str, ...] = ()) -> VisitDimension:
    """A visit dimension instance of a fresh class named ``class_name`` (the name error messages use)."""
    cls = type(class_name, (VisitDimension,), {"column_name": column, "required_visit_fields": requires})
    return cls()


def names(dimensions) -> list[str]:
    return [d.name for d in dimensions]


# -- ordering --------------------------------------------------------------------------------------


def test_without_requirements_the_given_order_is_kept():
    given = [dimension("Zeta", "zeta"), dimension("Alpha", "alpha"), dimension("Mid", "mid"), dimension("Beta", "beta")]

    assert names(sort_visit_dimensions(given)) == ["Zeta", "Alpha", "Mid", "Beta"]
    assert names(sort_visit_dimensions(reversed(given))) == ["Beta", "Mid", "Alpha", "Zeta"]


def test_a_requirement_moves_a_dimension_after_the_one_it_needs():
    total = dimension("Total", "total", requires=("first",))
    first = dimension("First", "first")
    other = dimension("Other", "other")

    ordered = names(sort_visit_dimensions([total, first, other]))

    assert sorted(ordered) == ["First", "Other", "Total"]
    assert ordered.index("First") < ordered.index("Total")
    # dimensions nobody requires keep their relative order
    assert ordered.index("First") < ordered.index("Other")


def test_a_chain_of_requirements_is_resolved_in_order():
    given = [dimension("C", "c", requires=("b",)), dimension("B", "b", requires=("a",)), dimension("A", "a")]

    assert names(sort_visit_dimensions(given)) == ["A", "B", "C"]


def test_several_requirements_all_come_first():
    given = [dimension("Needy", "needy", requires=("x", "y")), dimension("Y", "y"), dimension("X", "x")]

    ordered = names(sort_visit_dimensions(given))

    assert ordered[-1] == "Needy"
    assert ordered.index("Y") < ordered.index("X")  # independent ones keep the given order


def test_a_requirement_on_a_column_no_dimension_fills_is_ignored():
    # idvisitor is a core column: read from the stored visit, computed by no dimension
    given = [dimension("Reader", "reader", requires=("idvisitor", "not_a_column")), dimension("Other", "other")]

    assert names(sort_visit_dimensions(given)) == ["Reader", "Other"]


def test_a_dimension_may_require_its_own_column():
    """Reading the stored value of one's own column (a counter, say) is no cycle."""
    given = [dimension("Counter", "counter", requires=("counter",)), dimension("Other", "other")]

    assert names(sort_visit_dimensions(given)) == ["Counter", "Other"]


def test_sorting_returns_every_dimension_once_and_leaves_the_input_alone():
    given = [dimension("B", "b", requires=("a",)), dimension("A", "a"), dimension("C", "c")]
    before = list(given)

    ordered = sort_visit_dimensions(given)

    assert given == before
    assert sorted(map(id, ordered)) == sorted(map(id, given))


def test_a_two_cycle_is_an_error_naming_both_dimensions():
    given = [dimension("VisitAlpha", "alpha", requires=("beta",)), dimension("VisitBeta", "beta", requires=("alpha",))]

    with pytest.raises(DimensionCycleError) as caught:
        sort_visit_dimensions(given)

    message = str(caught.value)
    assert "VisitAlpha" in message and "VisitBeta" in message


def test_a_three_cycle_is_an_error_naming_every_dimension_in_it():
    given = [
        dimension("Independent", "independent"),
        dimension("CycleOne", "one", requires=("two",)),
        dimension("CycleTwo", "two", requires=("three",)),
        dimension("CycleThree", "three", requires=("one",)),
    ]

    with pytest.raises(DimensionCycleError) as caught:
        sort_visit_dimensions(given)

    message = str(caught.value)
    for name in ("CycleOne", "CycleTwo", "CycleThree"):
        assert name in message
    assert "Independent" not in message


def test_a_cycle_reached_through_a_dependent_names_the_cycle():
    """The first pending dimension is not in the cycle, it only depends on it."""
    given = [
        dimension("Outsider", "outsider", requires=("left",)),
        dimension("LeftSide", "left", requires=("right",)),
        dimension("RightSide", "right", requires=("left",)),
    ]

    with pytest.raises(DimensionCycleError) as caught:
        sort_visit_dimensions(given)

    message = str(caught.value)
    assert "LeftSide" in message and "RightSide" in message


def test_a_cycle_through_a_dimension_that_also_requires_itself_names_both():
    given = [dimension("SelfAndOther", "a", requires=("a", "b")), dimension("OtherSide", "b", requires=("a",))]

    with pytest.raises(DimensionCycleError) as caught:
        sort_visit_dimensions(given)

    message = str(caught.value)
    assert "SelfAndOther" in message and "OtherSide" in message


# -- value markers ---------------------------------------------------------------------------------


def test_unchanged_is_falsy_and_distinct_from_none_false_and_zero():
    assert not UNCHANGED
    assert UNCHANGED is not None and UNCHANGED is not False
    assert UNCHANGED != None  # noqa: E711 - equality, not identity, is what a careless plugin would test
    assert UNCHANGED != False  # noqa: E712
    assert UNCHANGED != 0 and UNCHANGED != ""
    assert repr(UNCHANGED) == "UNCHANGED"


def test_increment_applied_to_a_stored_value():
    assert Increment(2).applied_to(None) == 2
    assert Increment(2).applied_to(5) == 7
    assert Increment().applied_to(0) == 1
    assert Increment(0.5).applied_to(1) == 1.5
    assert Increment(3) == Increment(3) and Increment(3) != Increment(4)
    assert Increment(1) != 1


# -- the bundled plugins ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled_visit_dimensions() -> list[VisitDimension]:
    plugins = load_plugins(environ=BUNDLED)
    found = []
    for classes in plugins.manager.hook.register_dimensions():
        for cls in classes or ():
            instance = cls() if isinstance(cls, type) else cls
            if isinstance(instance, VisitDimension):
                found.append(instance)
    return found


def test_bundled_visit_dimensions_sort_without_error(bundled_visit_dimensions):
    ordered = sort_visit_dimensions(bundled_visit_dimensions)

    assert len(ordered) == len(bundled_visit_dimensions)
    columns = [d.column_name for d in ordered]
    for expected in ("visit_first_action_time", "visit_total_time", "visit_total_actions", "visitor_returning"):
        assert expected in columns
    # every requirement that some dimension fills is met by an earlier one
    position = {d.column_name: i for i, d in enumerate(ordered)}
    for i, d in enumerate(ordered):
        for required in d.required_visit_fields:
            if required in position and required != d.column_name:
                assert position[required] < i, f"{d.name} comes before {required}"


def test_visit_total_time_comes_after_visit_first_action_time(bundled_visit_dimensions):
    columns = [d.column_name for d in sort_visit_dimensions(bundled_visit_dimensions)]

    assert columns.index("visit_first_action_time") < columns.index("visit_total_time")
    assert columns.index("visitor_seconds_since_order") < columns.index("visitor_returning")
