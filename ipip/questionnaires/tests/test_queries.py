"""Loading the schedule: the plan from the settings, each case's dates (allocation, the first
filming or session, closure, the referred child) and its administrations, in a fixed number
of queries for one case, a page of cases or an area.

Also the helpers the other schedule tests share: cases allocated on a given day, the
intervention's first visit, closure on a given day, and completed questionnaires.
"""

import importlib
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta

import pytest
from pytest_django import DjangoAssertNumQueries

from ipip.accounts.models import User
from ipip.cases import actions as case_actions
from ipip.cases.models import Approach, Case, Child, ClosureReason
from ipip.core.testing import builders
from ipip.core.testing.clock import frozen_at
from ipip.ptp.models import ContentLevel, HomeworkReview, PtpSession
from ipip.questionnaires.actions import (
    do_complete_administration,
    do_correct_administration,
    do_start_administration,
)
from ipip.questionnaires.actions_settings import do_change_schedule
from ipip.questionnaires.instruments import get_instrument
from ipip.questionnaires.instruments.base import LicenceMode
from ipip.questionnaires.models import (
    Administration,
    ScheduledInstrument,
    ScheduleSettings,
    TimePoint,
)
from ipip.questionnaires.queries import (
    case_ids_with,
    counts_in_play,
    current_settings,
    load_plan,
    schedule_annotations,
    schedule_for_case,
    schedules_for,
)
from ipip.questionnaires.schedule import Counts, Point, Status, Windows
from ipip.referrals.models import Referral
from ipip.vig.models import Filming, VigCycle

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)
TODAY = date(2026, 3, 12)

frozen = frozen_at(NOW)

_DEFAULTS_MIGRATION = importlib.import_module(
    "ipip.questionnaires.migrations.0002_default_schedule"
)


def ensure_default_schedule() -> None:
    """The settings row and the time points migration 0002 loads, if missing: a browser
    test's transactional flush empties every table, and ordinary tests may run after it
    on the same worker (as `load_service_areas` explains for the areas)."""
    if not ScheduleSettings.objects.exists():
        ScheduleSettings.objects.create()
    defaults: dict[str, list[str]] = _DEFAULTS_MIGRATION.DEFAULTS
    for time_point, codes in defaults.items():
        for code in codes:
            ScheduledInstrument.objects.get_or_create(time_point=time_point, instrument_code=code)


def default_schedule() -> object:
    """An autouse fixture restoring the default time points before each test. Assign it in
    a test module: `schedule = default_schedule()`."""

    @pytest.fixture(autouse=True)
    def schedule(db: None) -> None:
        ensure_default_schedule()

    return schedule


schedule = default_schedule()


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=UTC)


def make_case(
    referrer: User,
    manager: User,
    practitioner: User | None,
    *,
    allocated_on: date | None = date(2026, 2, 1),
    approach: Approach = Approach.VIG,
    area: str = "Sheffield",
) -> Case:
    """A case accepted a week before `allocated_on` and allocated to `practitioner` on it
    (only accepted, when `allocated_on` or `practitioner` is None)."""
    referral = builders.referral_input(area=area)
    if allocated_on is None or practitioner is None:
        case = builders.accepted_case(referrer, manager, referral)
        accepted = _at(allocated_on or TODAY) - timedelta(days=7)
        Case.objects.filter(pk=case.pk).update(accepted_at=accepted)
    else:
        case = builders.allocated_case(
            referrer, manager, practitioner, approach=approach, referral=referral
        )
        Case.objects.filter(pk=case.pk).update(
            accepted_at=_at(allocated_on) - timedelta(days=7), allocated_at=_at(allocated_on)
        )
    case.refresh_from_db()
    return case


def film(case: Case, on: date, number: int = 1) -> None:
    """A VIG cycle filmed on `on`: an intervention visit."""
    cycle = VigCycle.objects.create(
        case=case, number=number, helping_question="How do I notice?", started_on=on
    )
    Filming.objects.create(cycle=cycle, filmed_on=on, activity="Playing", length_seconds=300)


def ptp_session(case: Case, on: date, number: int = 1) -> None:
    PtpSession.objects.create(
        case=case,
        number=number,
        held_on=on,
        minutes=75,
        content_level=ContentLevel.LEVEL_5,
        homework_review=HomeworkReview.NONE_SET,
    )


def close(case: Case, by: User, on: date) -> Case:
    case_actions.do_close_case(
        case, reason=ClosureReason.COMPLETED, note="Work finished.", acting_user=by
    )
    Case.objects.filter(pk=case.pk).update(closed_at=_at(on))
    case.refresh_from_db()
    return case


def referred_child(case: Case) -> Child:
    return Referral.objects.select_related("referred_child").get(case=case).referred_child


def start(
    case: Case, by: User, code: str, point: TimePoint, *, child: Child | None = None
) -> Administration:
    return do_start_administration(
        case, instrument_code=code, time_point=point, child=child, acting_user=by
    )


def complete(
    case: Case,
    by: User,
    code: str,
    point: TimePoint,
    *,
    on: date,
    child: Child | None = None,
) -> Administration:
    """Start and complete `code` with the lowest answer to each item (or the lowest score
    of each scale): never a risk."""
    administration = start(case, by, code, point, child=child)
    instrument = get_instrument(code)
    if instrument.licence == LicenceMode.ITEMS:
        answers = {i.number: instrument.options_for(i.number)[0].value for i in instrument.items}
        entered = None
    else:
        answers = None
        entered = {
            s.code: str(s.minimum)
            for s in instrument.scales
            if not s.sum_of_scales and not s.optional
        }
    return do_complete_administration(
        administration,
        completed_on=on,
        answers=answers,
        entered=entered,
        expected_version=administration.version,
        acting_user=by,
    ).administration


def set_plan(
    lead: User, plan: Mapping[Point, Sequence[str]], windows: Windows | None = None
) -> None:
    """Due at each time point: `plan` (none where not given), through the lead's action."""
    do_change_schedule(
        windows=windows or Windows(),
        instruments={point: plan.get(point, ()) for point in Point},
        expected_version=current_settings().version,
        acting_user=lead,
    )


@pytest.fixture
def case(rita: User, bob: User, alice: User) -> Case:
    return make_case(rita, bob, alice)


# -- the plan -------------------------------------------------------------------------------


def test_the_default_plan(django_assert_num_queries: DjangoAssertNumQueries) -> None:
    with django_assert_num_queries(2):
        plan = load_plan()
    assert plan.windows == Windows()
    codes = {point: [i.code for i in plan.instruments[point]] for point in Point}
    assert codes == {
        Point.BASELINE: ["sdq", "parenting_scale", "pcri", "dass21"],
        Point.END: ["sdq", "parenting_scale", "pcri", "dass21"],
        Point.FOLLOW_UP: ["sdq", "parenting_scale"],
    }


def test_a_stored_code_the_library_lacks_is_left_out(lena: User) -> None:
    ScheduledInstrument.objects.create(time_point=TimePoint.END, instrument_code="retired")
    assert "retired" not in [i.code for i in load_plan().instruments[Point.END]]


def test_without_a_settings_row_the_defaults_apply() -> None:
    current_settings().delete()
    assert load_plan().windows == Windows()
    assert current_settings().pk is None


# -- one case -------------------------------------------------------------------------------


def test_one_case_in_four_queries(
    case: Case, alice: User, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    film(case, date(2026, 2, 5))
    child = referred_child(case)
    complete(case, alice, "dass21", TimePoint.BASELINE, on=date(2026, 2, 3))
    complete(case, alice, "sdq", TimePoint.BASELINE, on=date(2026, 2, 3), child=child)
    start(case, alice, "parenting_scale", TimePoint.BASELINE)
    with django_assert_num_queries(4):
        schedule = schedule_for_case(case, today=TODAY)
    baseline = schedule.time_points[0]
    assert baseline.window is not None
    # Due by the filming on 5 February, missed 14 days later.
    assert (baseline.window.due_on, baseline.window.closes_on) == (
        date(2026, 2, 5),
        date(2026, 2, 19),
    )
    statuses = {(e.instrument.code, e.child_id): e.status for e in baseline.entries}
    assert statuses == {
        ("sdq", child.pk): Status.COMPLETED,
        ("parenting_scale", None): Status.IN_PROGRESS,
        ("pcri", child.pk): Status.MISSED,
        ("dass21", None): Status.COMPLETED,
    }
    assert schedule.counts == Counts(due=0, overdue=0, missed=2)  # in progress and missed


def test_the_first_intervention_visit_is_the_first_filming_or_session(
    case: Case, rita: User, bob: User, alice: User
) -> None:
    film(case, date(2026, 2, 20), number=1)
    film(case, date(2026, 2, 9), number=2)
    baseline = schedule_for_case(case, today=TODAY).time_points[0]
    assert baseline.window is not None
    assert baseline.window.due_on == date(2026, 2, 9)
    ptp = make_case(rita, bob, alice, approach=Approach.PTP)
    ptp_session(ptp, date(2026, 2, 12), number=1)
    ptp_session(ptp, date(2026, 2, 26), number=2)
    baseline = schedule_for_case(ptp, today=TODAY).time_points[0]
    assert baseline.window is not None
    assert baseline.window.due_on == date(2026, 2, 12)


def test_a_corrected_administration_counts_once_as_its_latest_version(
    case: Case, alice: User
) -> None:
    first = complete(case, alice, "dass21", TimePoint.BASELINE, on=date(2026, 2, 3))
    latest = do_correct_administration(
        first,
        reason="Item 3 was misread.",
        completed_on=date(2026, 2, 3),
        answers={3: 1},
        expected_version=first.version,
        acting_user=alice,
    ).administration
    schedule = schedule_for_case(case, today=TODAY)
    entries = {e.instrument.code: e for e in schedule.time_points[0].entries}
    assert entries["dass21"].status == Status.COMPLETED
    assert entries["dass21"].done is not None
    assert entries["dass21"].done.public_id == latest.public_id
    assert schedule.others == ()


def test_a_closed_case_uses_its_closure_date(case: Case, alice: User) -> None:
    film(case, date(2026, 2, 5))
    close(case, alice, date(2026, 3, 1))
    end = schedule_for_case(case, today=TODAY).time_points[1]
    assert end.window is not None
    assert (end.window.opens_on, end.window.due_on, end.window.closes_on) == (
        date(2026, 3, 1),
        date(2026, 3, 1),
        date(2026, 3, 29),
    )
    assert {e.status for e in end.entries} == {Status.OVERDUE}


# -- many cases -----------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 6])
def test_a_page_of_cases_is_one_query(
    rita: User,
    bob: User,
    alice: User,
    count: int,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    for n in range(count):
        made = make_case(rita, bob, alice)
        complete(made, alice, "dass21", TimePoint.BASELINE, on=date(2026, 2, 2 + n))
    plan = load_plan()
    cases = list(Case.objects.annotate(**schedule_annotations()).order_by("id"))
    with django_assert_num_queries(1):
        schedules = schedules_for(cases, plan=plan, today=TODAY)
    # Baseline due by 22 February (no visit yet): overdue; SDQ, PS and PCRI still to do.
    assert [s.counts for s in schedules.values()] == [Counts(0, 3, 0)] * count


def test_area_counts_cover_cases_in_play(
    rita: User,
    bob: User,
    alice: User,
    lena: User,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    set_plan(lena, {Point.BASELINE: ["dass21"], Point.END: ["dass21"]})
    open_case = make_case(rita, bob, alice)  # baseline overdue since 22 February
    make_case(rita, bob, alice, allocated_on=date(2026, 3, 1))  # baseline due
    make_case(rita, bob, None)  # not allocated: nothing due
    recent = make_case(rita, bob, alice, allocated_on=date(2025, 9, 1))
    film(recent, date(2025, 9, 10))
    close(recent, alice, date(2025, 12, 1))  # baseline and end missed; follow-up to come
    old = make_case(rita, bob, alice, allocated_on=date(2025, 1, 6))
    film(old, date(2025, 1, 10))
    close(old, alice, date(2025, 3, 1))  # follow-up window closed 30 September 2025
    plan = load_plan()
    cases = Case.objects.all()
    with django_assert_num_queries(1):
        counts = counts_in_play(cases, plan=plan, today=TODAY)
    assert counts == Counts(due=1, overdue=1, missed=2)
    assert case_ids_with(cases, Status.OVERDUE, plan=plan, today=TODAY) == [open_case.pk]
    assert case_ids_with(cases, Status.MISSED, plan=plan, today=TODAY) == [recent.pk]


def test_a_case_leaves_play_the_day_after_its_follow_up_window(
    case: Case, alice: User, lena: User
) -> None:
    set_plan(lena, {Point.END: ["dass21"]})
    film(case, date(2026, 2, 5))
    close(case, alice, date(2026, 3, 1))  # follow-up due 1 September, closes 1 October
    plan = load_plan()
    qs = Case.objects.filter(pk=case.pk)
    assert counts_in_play(qs, plan=plan, today=date(2026, 10, 1)) == Counts(missed=1)
    assert counts_in_play(qs, plan=plan, today=date(2026, 10, 2)) == Counts()


def test_a_case_closed_before_the_intervention_is_out_of_play(case: Case, alice: User) -> None:
    close(case, alice, date(2026, 3, 1))
    assert counts_in_play(Case.objects.all(), plan=load_plan(), today=TODAY) == Counts()
