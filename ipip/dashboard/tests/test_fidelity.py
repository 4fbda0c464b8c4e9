"""The fidelity rules at their boundaries."""

import pytest

from ipip.dashboard.fidelity import (
    RULES,
    CaseFacts,
    Flag,
    assess,
    expected_dose,
    missed_rate,
)


def vig(days: int, cycles: int = 3, **kw: object) -> CaseFacts:
    base: dict[str, object] = {"visits_recorded": 1, "visits_took_place": 1}
    base.update(kw)
    return CaseFacts(
        approach="vig",
        days_allocated=days,
        is_open=True,
        vig_cycles_completed=cycles,
        **base,  # type: ignore[arg-type]
    )


def ptp(days: int, sessions: int = 3, modules: int = 5, **kw: object) -> CaseFacts:
    base: dict[str, object] = {"visits_recorded": 1, "visits_took_place": 1}
    base.update(kw)
    return CaseFacts(
        approach="ptp",
        days_allocated=days,
        is_open=True,
        ptp_sessions=sessions,
        ptp_modules_covered=modules,
        **base,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(("days", "flagged"), [(0, False), (92, False), (93, True), (200, True)])
def test_beyond_the_window_after_three_months(days: int, flagged: bool) -> None:
    assert (Flag.BEYOND_WINDOW in assess(vig(days, cycles=5))) is flagged


@pytest.mark.parametrize(
    ("days", "expected"), [(0, 0), (29, 0), (30, 1), (59, 1), (60, 2), (90, 3), (400, 3)]
)
def test_vig_pace_is_a_cycle_a_month_up_to_three(days: int, expected: int) -> None:
    assert expected_dose("vig", days) == expected


@pytest.mark.parametrize(("days", "expected"), [(20, 0), (21, 1), (42, 2), (63, 3), (300, 3)])
def test_ptp_pace_is_a_session_every_three_weeks_up_to_three(days: int, expected: int) -> None:
    assert expected_dose("ptp", days) == expected


def test_under_dose_when_behind_the_pace() -> None:
    assert Flag.UNDER_DOSE in assess(vig(60, cycles=1))
    assert Flag.UNDER_DOSE not in assess(vig(60, cycles=2))
    assert Flag.UNDER_DOSE in assess(ptp(42, sessions=1))
    assert Flag.UNDER_DOSE not in assess(ptp(42, sessions=2))


def test_over_dose_after_five_cycles() -> None:
    assert Flag.OVER_DOSE not in assess(vig(80, cycles=5))
    assert Flag.OVER_DOSE in assess(vig(80, cycles=6))


@pytest.mark.parametrize(
    ("days", "modules", "flagged"), [(60, 2, False), (61, 4, True), (61, 5, False)]
)
def test_modules_judged_from_two_months(days: int, modules: int, flagged: bool) -> None:
    assert (Flag.MODULES_NOT_COVERED in assess(ptp(days, modules=modules))) is flagged


def test_no_first_visit_after_fourteen_days() -> None:
    assert Flag.NO_FIRST_VISIT not in assess(vig(14, visits_took_place=0, visits_recorded=0))
    assert Flag.NO_FIRST_VISIT in assess(vig(15, visits_took_place=0, visits_recorded=0))
    assert Flag.NO_FIRST_VISIT not in assess(vig(15, visits_took_place=1))


def test_missed_visits_over_a_quarter_once_four_are_recorded() -> None:
    # 1 of 4 missed is 25%: not over. 2 of 4 is. 2 of 3 is too few visits to judge.
    assert Flag.MISSED_VISITS not in assess(vig(10, visits_recorded=4, visits_missed=1))
    assert Flag.MISSED_VISITS in assess(vig(10, visits_recorded=4, visits_missed=2))
    assert Flag.MISSED_VISITS not in assess(vig(10, visits_recorded=3, visits_missed=2))
    assert missed_rate(vig(10, visits_recorded=0)) is None
    assert missed_rate(vig(10, visits_recorded=8, visits_missed=2)) == 0.25


def test_a_case_closed_as_completed_is_judged_on_the_full_dose() -> None:
    closed = CaseFacts(
        approach="vig",
        days_allocated=20,
        is_open=False,
        closed_completed=True,
        vig_cycles_completed=2,
        visits_took_place=0,
    )
    assert assess(closed) == [Flag.UNDER_DOSE]  # no window or first-visit flags once closed
    closed_ptp = CaseFacts(
        approach="ptp",
        days_allocated=20,
        is_open=False,
        closed_completed=True,
        ptp_sessions=3,
        ptp_modules_covered=4,
    )
    assert assess(closed_ptp) == [Flag.MODULES_NOT_COVERED]


def test_a_case_closed_for_another_reason_is_not_judged() -> None:
    closed = CaseFacts(approach="vig", days_allocated=200, is_open=False, vig_cycles_completed=0)
    assert assess(closed) == []


def test_on_track_has_no_flags() -> None:
    assert assess(vig(75, cycles=2)) == []
    assert assess(ptp(70, sessions=3, modules=5)) == []


def test_every_flag_has_a_rule_a_manager_can_read() -> None:
    assert {rule.flag for rule in RULES} == set(Flag)
    assert all(rule.text and flag.label for rule, flag in zip(RULES, Flag, strict=True))
