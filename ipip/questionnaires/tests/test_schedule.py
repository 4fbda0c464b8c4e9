"""The time point rules, at every edge of every window (the day before, on, and after)."""

from dataclasses import fields
from datetime import date, timedelta
from uuid import uuid4

import pytest

from ipip.questionnaires.instruments import get_instrument
from ipip.questionnaires.models import ScheduleSettings, TimePoint
from ipip.questionnaires.schedule import (
    NO_INTERVENTION,
    NOT_ALLOCATED,
    CaseDates,
    CaseSchedule,
    ChildFacts,
    Counts,
    Done,
    Plan,
    Point,
    Status,
    Window,
    Windows,
    add_months,
    case_schedule,
)

PHQ9 = get_instrument("phq9")
SDQ = get_instrument("sdq")  # about a child aged 2 to 17 (24 to 216 months)
ALLOCATED = date(2026, 1, 5)
STARTED = date(2026, 1, 15)  # the first intervention visit
CLOSED = date(2026, 4, 10)
CHILD = ChildFacts(id=7, date_of_birth=date(2020, 6, 1))

PLAN = Plan(windows=Windows(), instruments=dict.fromkeys(Point, (PHQ9,)))


def dates(
    *,
    allocated: date | None = ALLOCATED,
    started: date | None = None,
    closed: date | None = None,
    child: ChildFacts | None = CHILD,
) -> CaseDates:
    return CaseDates(
        allocated_on=allocated,
        first_intervention_on=started,
        closed_on=closed,
        referred_child=child,
    )


def judge(
    case: CaseDates, today: date, *, plan: Plan = PLAN, done: tuple[Done, ...] = ()
) -> CaseSchedule:
    return case_schedule(case, plan=plan, done=done, today=today)


def status(case: CaseDates, point: Point, today: date) -> Status:
    entries = judge(case, today).time_points[list(Point).index(point)].entries
    assert len(entries) == 1
    return entries[0].status


def done(
    code: str = "phq9",
    point: Point = Point.BASELINE,
    *,
    completed_on: date | None = None,
    child_id: int | None = None,
) -> Done:
    return Done(uuid4(), code, point.value, child_id, completed_on)


def test_the_time_points_are_the_models_own() -> None:
    assert [p.value for p in Point] == TimePoint.values
    assert [p.label for p in Point] == TimePoint.labels


def test_the_default_windows_are_the_models_defaults() -> None:
    row = ScheduleSettings()  # unsaved: the fields' defaults
    for f in fields(Windows):
        assert getattr(row, f.name) == f.default, f.name


# -- baseline -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (ALLOCATED - timedelta(days=1), Status.NOT_YET_DUE),
        (ALLOCATED, Status.DUE),
        (ALLOCATED + timedelta(days=21), Status.DUE),  # the due date: 26 January
        (ALLOCATED + timedelta(days=22), Status.OVERDUE),
        (ALLOCATED + timedelta(days=400), Status.OVERDUE),  # never missed before a visit
    ],
)
def test_baseline_before_any_intervention_visit(today: date, expected: Status) -> None:
    assert status(dates(), Point.BASELINE, today) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (STARTED, Status.DUE),  # due by the first visit, sooner than 21 days
        (STARTED + timedelta(days=1), Status.OVERDUE),
        (STARTED + timedelta(days=14), Status.OVERDUE),  # the last day of grace
        (STARTED + timedelta(days=15), Status.MISSED),
    ],
)
def test_baseline_is_due_by_the_first_visit_and_missed_after_the_grace(
    today: date, expected: Status
) -> None:
    assert status(dates(started=STARTED), Point.BASELINE, today) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 1, 26), Status.DUE),
        (date(2026, 1, 27), Status.OVERDUE),
        (date(2026, 3, 6), Status.OVERDUE),  # 20 February + 14 days
        (date(2026, 3, 7), Status.MISSED),
    ],
)
def test_baseline_with_a_late_first_visit_is_overdue_after_21_days(
    today: date, expected: Status
) -> None:
    case = dates(started=date(2026, 2, 20))
    assert status(case, Point.BASELINE, today) == expected


def test_a_case_closed_before_the_intervention_has_only_a_baseline() -> None:
    case = dates(closed=date(2026, 1, 10))
    assert status(case, Point.BASELINE, date(2026, 1, 10)) == Status.DUE
    assert status(case, Point.BASELINE, date(2026, 1, 11)) == Status.MISSED
    schedule = judge(case, date(2026, 1, 11))
    for tp in schedule.time_points[1:]:
        assert tp.window is None
        assert tp.entries == ()
        assert tp.notes == (NO_INTERVENTION,)


def test_a_first_visit_after_closure_does_not_count_as_the_intervention() -> None:
    case = dates(started=date(2026, 2, 1), closed=date(2026, 1, 20))
    assert judge(case, date(2026, 2, 2)).time_points[1].window is None


def test_a_case_never_allocated_has_no_time_points() -> None:
    schedule = judge(dates(allocated=None), date(2026, 3, 1))
    assert all(tp.window is None and tp.notes == (NOT_ALLOCATED,) for tp in schedule.time_points)
    assert schedule.counts == Counts()


# -- end ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 3, 1), Status.NOT_YET_DUE),
        (date(2026, 3, 2), Status.DUE),  # 56 days after allocation
        (date(2027, 3, 2), Status.DUE),  # never overdue while the case is open
    ],
)
def test_end_of_an_open_case(today: date, expected: Status) -> None:
    assert status(dates(started=STARTED), Point.END, today) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (CLOSED, Status.DUE),
        (CLOSED + timedelta(days=1), Status.OVERDUE),
        (CLOSED + timedelta(days=28), Status.OVERDUE),
        (CLOSED + timedelta(days=29), Status.MISSED),
    ],
)
def test_end_is_overdue_after_closure_and_missed_after_the_window(
    today: date, expected: Status
) -> None:
    assert status(dates(started=STARTED, closed=CLOSED), Point.END, today) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 1, 31), Status.NOT_YET_DUE),
        (date(2026, 2, 1), Status.DUE),  # closure, before the 56 days
        (date(2026, 2, 2), Status.OVERDUE),
    ],
)
def test_end_opens_at_an_early_closure(today: date, expected: Status) -> None:
    case = dates(started=STARTED, closed=date(2026, 2, 1))
    assert status(case, Point.END, today) == expected


# -- follow-up ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 9, 9), Status.NOT_YET_DUE),
        (date(2026, 9, 10), Status.DUE),  # 30 days before 10 October
        (date(2026, 10, 10), Status.DUE),  # 6 months after closure
        (date(2026, 10, 11), Status.OVERDUE),
        (date(2026, 11, 9), Status.OVERDUE),  # 30 days after
        (date(2026, 11, 10), Status.MISSED),
    ],
)
def test_follow_up_window(today: date, expected: Status) -> None:
    assert status(dates(started=STARTED, closed=CLOSED), Point.FOLLOW_UP, today) == expected


def test_follow_up_of_an_open_case_is_not_yet_due() -> None:
    tp = judge(dates(started=STARTED), date(2027, 1, 1)).time_points[2]
    assert tp.window == Window(opens_on=None, due_on=None, closes_on=None)
    assert tp.entries[0].status == Status.NOT_YET_DUE
    assert tp.notes == ("Due 6 months after the case closes.",)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 4, 10), 6, date(2026, 10, 10)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),
        (date(2026, 12, 15), 2, date(2027, 2, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 1, 10), -6, date(2025, 7, 10)),
    ],
)
def test_add_months_keeps_the_day_or_the_month_end(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_settings_change_the_windows() -> None:
    plan = Plan(
        windows=Windows(
            baseline_due_days=7,
            baseline_grace_days=0,
            end_opens_after_days=30,
            end_window_after_days=10,
            follow_up_months=3,
            follow_up_window_days=5,
        ),
        instruments=PLAN.instruments,
    )
    case = dates(started=date(2026, 1, 20), closed=CLOSED)
    windows = [tp.window for tp in judge(case, CLOSED, plan=plan).time_points]
    assert windows == [
        Window(ALLOCATED, date(2026, 1, 12), date(2026, 1, 20), early_is_fine=True),
        Window(date(2026, 2, 4), CLOSED, date(2026, 4, 20)),
        Window(date(2026, 7, 5), date(2026, 7, 10), date(2026, 7, 15)),
    ]


# -- what was done --------------------------------------------------------------------------


def test_in_progress_and_completed_override_the_window_but_keep_its_timing() -> None:
    case = dates(started=STARTED)
    today = STARTED + timedelta(days=20)  # baseline missed
    started = done()
    schedule = judge(case, today, done=(started,))
    entry = schedule.time_points[0].entries[0]
    assert (entry.status, entry.timing, entry.done) == (Status.IN_PROGRESS, Status.MISSED, started)
    assert entry.counts_as == Status.MISSED
    finished = done(completed_on=STARTED)
    entry = judge(case, today, done=(finished,)).time_points[0].entries[0]
    assert (entry.status, entry.outside_window, entry.counts_as) == (
        Status.COMPLETED,
        False,
        None,
    )


@pytest.mark.parametrize(
    ("point", "completed_on", "outside"),
    [
        (Point.BASELINE, ALLOCATED - timedelta(days=3), False),  # before allocation is fine
        (Point.BASELINE, STARTED + timedelta(days=14), False),
        (Point.BASELINE, STARTED + timedelta(days=15), True),
        (Point.END, date(2026, 3, 1), True),  # before the end opens
        (Point.END, date(2026, 3, 2), False),
        (Point.END, CLOSED + timedelta(days=28), False),
        (Point.END, CLOSED + timedelta(days=29), True),
        (Point.FOLLOW_UP, date(2026, 9, 9), True),
        (Point.FOLLOW_UP, date(2026, 11, 9), False),
        (Point.FOLLOW_UP, date(2026, 11, 10), True),
    ],
)
def test_completed_outside_its_window(point: Point, completed_on: date, outside: bool) -> None:
    case = dates(started=STARTED, closed=CLOSED)
    schedule = judge(case, date(2027, 1, 1), done=(done(point=point, completed_on=completed_on),))
    entry = schedule.time_points[list(Point).index(point)].entries[0]
    assert entry.status == Status.COMPLETED
    assert entry.outside_window is outside


def test_counts_add_up_what_is_not_completed() -> None:
    case = dates(started=STARTED, closed=CLOSED)
    plan = Plan(windows=Windows(), instruments={Point.BASELINE: (PHQ9,), Point.END: (PHQ9,)})
    # Baseline missed, end overdue.
    assert judge(case, CLOSED + timedelta(days=1), plan=plan).counts == Counts(0, 1, 1)
    # Baseline completed, end due.
    finished = done(completed_on=STARTED)
    assert judge(case, CLOSED, plan=plan, done=(finished,)).counts == Counts(1, 0, 0)
    assert Counts(1, 2, 3) + Counts(1, 1, 1) == Counts(2, 3, 4)
    assert Counts(1, 2, 3).total == 6
    assert [Counts(1, 2, 3).of(s) for s in (Status.DUE, Status.OVERDUE, Status.MISSED)] == [
        1,
        2,
        3,
    ]


# -- children -------------------------------------------------------------------------------

SDQ_PLAN = Plan(windows=Windows(), instruments={Point.BASELINE: (SDQ,)})


@pytest.mark.parametrize(
    ("born", "due"),
    [
        (add_months(ALLOCATED, -24), True),  # 2 on the day baseline opens
        (add_months(ALLOCATED, -24) + timedelta(days=1), False),  # a day short of 2
        (add_months(ALLOCATED, -216) + timedelta(days=1), True),  # 17, a day short of 18
        (add_months(ALLOCATED, -216), False),  # 18
    ],
)
def test_a_questionnaire_about_a_child_is_due_within_its_ages(born: date, due: bool) -> None:
    case = dates(child=ChildFacts(id=3, date_of_birth=born))
    tp = judge(case, ALLOCATED, plan=SDQ_PLAN).time_points[0]
    if due:
        assert [(e.instrument, e.child_id) for e in tp.entries] == [(SDQ, 3)]
        assert tp.notes == ()
    else:
        assert tp.entries == ()
        assert tp.notes == (
            "SDQ: not due, the referred child is outside its ages (2 to 17) when the time "
            "point opens.",
        )


def test_a_child_without_a_date_of_birth_is_still_due() -> None:
    case = dates(child=ChildFacts(id=3, date_of_birth=None))
    assert judge(case, ALLOCATED, plan=SDQ_PLAN).time_points[0].entries[0].child_id == 3


def test_no_referred_child_means_no_questionnaire_about_a_child() -> None:
    tp = judge(dates(child=None), ALLOCATED, plan=SDQ_PLAN).time_points[0]
    assert tp.entries == ()
    assert tp.notes == ("SDQ: not due, no referred child is recorded.",)


def test_one_for_another_child_or_not_scheduled_is_listed_apart() -> None:
    referred = done("sdq", completed_on=ALLOCATED, child_id=CHILD.id)
    sibling = done("sdq", completed_on=ALLOCATED, child_id=99)
    extra = done("phq9", Point.END)
    schedule = judge(dates(), ALLOCATED, plan=SDQ_PLAN, done=(referred, sibling, extra))
    assert schedule.time_points[0].entries[0].done == referred
    assert schedule.others == (sibling, extra)
