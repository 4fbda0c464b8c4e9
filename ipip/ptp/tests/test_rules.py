"""Pure rules: the module catalogue, session lengths and dates, coverage against the plan."""

from datetime import date

import pytest

from ipip.ptp import modules
from ipip.ptp.modules import Level, in_catalogue_order, module_label, unknown_codes
from ipip.ptp.rules import (
    CoverageState,
    ModuleStats,
    Neighbour,
    coverage_rows,
    minutes_ok,
    planned_sessions_ok,
    session_date_problem,
    stats_from_sessions,
)

TODAY = date(2026, 3, 20)


def test_catalogue_codes_labels_and_levels() -> None:
    assert [(m.code, m.label) for m in modules.MODULES] == [
        ("attribution", "Realistic expectations / attribution retraining"),
        ("anger", "Anger management"),
        ("mood", "Mood management"),
        ("stress", "Stress coping"),
        ("behaviour", "Strategies for managing children's behaviour"),
    ]
    # domain.md §3 names Pathways and Enhanced (both Level 5) content only; Level 3 is the
    # prerequisite, with no module tagged to it, so sessions record the level used.
    assert {m.level for m in modules.MODULES} == {Level.LEVEL_5}
    assert all(m.basis for m in modules.MODULES)


def test_catalogue_helpers() -> None:
    assert module_label("anger") == "Anger management"
    assert module_label("juggling") == "juggling"
    assert unknown_codes(["anger", "juggling"]) == ["juggling"]
    assert unknown_codes("anger") == ["'anger'"]
    assert in_catalogue_order(["behaviour", "attribution", "behaviour", "juggling"]) == [
        "attribution",
        "behaviour",
    ]
    assert in_catalogue_order(None) == []


@pytest.mark.parametrize(
    ("minutes", "ok"), [(59, False), (60, True), (75, True), (90, True), (91, False)]
)
def test_session_minutes_60_to_90(minutes: int, ok: bool) -> None:
    assert minutes_ok(minutes) is ok


@pytest.mark.parametrize(("count", "ok"), [(1, False), (2, True), (12, True), (13, False)])
def test_planned_sessions_2_to_12(count: int, ok: bool) -> None:
    assert planned_sessions_ok(count) is ok


def test_session_date_rules() -> None:
    previous = Neighbour(2, date(2026, 3, 10))
    following = Neighbour(4, date(2026, 3, 15))
    check = session_date_problem
    assert check(TODAY, today=TODAY, previous=None, following=None) is None
    assert check(date(2026, 3, 21), today=TODAY, previous=None, following=None) == (
        "Date of the session must be today or in the past"
    )
    assert check(date(2026, 3, 10), today=TODAY, previous=previous, following=following) is None
    assert check(date(2026, 3, 15), today=TODAY, previous=previous, following=following) is None
    assert check(date(2026, 3, 9), today=TODAY, previous=previous, following=None) == (
        "Date of the session must be the same as or after the date of session 2 (10 March 2026)"
    )
    assert check(date(2026, 3, 16), today=TODAY, previous=previous, following=following) == (
        "Date of the session must be the same as or before the date of session 4 (15 March 2026)"
    )


def test_coverage_states_in_catalogue_order() -> None:
    stats = stats_from_sessions(
        [
            (date(2026, 3, 16), ["anger", "attribution"]),
            (date(2026, 3, 10), ["anger"]),
            (date(2026, 3, 18), ["behaviour", "behaviour"]),
        ]
    )
    assert stats["anger"] == ModuleStats(2, date(2026, 3, 10), date(2026, 3, 16))
    rows = coverage_rows(["attribution", "anger", "mood"], stats)
    assert [r.code for r in rows] == ["attribution", "anger", "mood", "stress", "behaviour"]
    by_code = {r.code: r for r in rows}
    assert by_code["anger"].state == CoverageState.COVERED
    assert by_code["anger"].state_label == "Covered"
    assert by_code["mood"].state == CoverageState.PLANNED
    assert by_code["mood"].state_label == "Planned, not yet covered"
    assert (by_code["mood"].sessions, by_code["mood"].first_on) == (0, None)
    assert by_code["stress"].state == CoverageState.NOT_PLANNED
    # Covered without being planned still counts as covered; the plan column says "No".
    assert (by_code["behaviour"].state, by_code["behaviour"].planned) == ("covered", False)
    assert by_code["behaviour"].sessions == 1
