"""Loading what `schedule` judges: the plan (settings and scheduled instruments), each case's
dates and its administrations. One case, a page of cases or an area's cases each take a
fixed number of queries, however many cases, children or administrations there are.

Case dates come as correlated subqueries (`schedule_annotations`) so a page of cases stays
one query; the administrations of all the cases are one more; the plan is two.
"""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from ipip.cases.models import Case
from ipip.ptp.models import PtpSession
from ipip.questionnaires.instruments import INSTRUMENTS, REGISTRY
from ipip.questionnaires.models import (
    Administration,
    AdministrationStatus,
    ScheduledInstrument,
    ScheduleSettings,
)
from ipip.questionnaires.schedule import (
    CaseDates,
    CaseSchedule,
    ChildFacts,
    Counts,
    Done,
    Plan,
    Point,
    Status,
    Windows,
    add_months,
    case_schedule,
    follow_up_window,
)
from ipip.referrals.models import Referral
from ipip.vig.models import Filming


def current_settings() -> ScheduleSettings:
    """The one settings row; an unsaved one with the defaults if it is missing."""
    return ScheduleSettings.objects.order_by("id").first() or ScheduleSettings()


def windows_of(row: ScheduleSettings) -> Windows:
    return Windows(
        baseline_due_days=row.baseline_due_days,
        baseline_grace_days=row.baseline_grace_days,
        end_opens_after_days=row.end_opens_after_days,
        end_window_after_days=row.end_window_after_days,
        follow_up_months=row.follow_up_months,
        follow_up_window_days=row.follow_up_window_days,
    )


def scheduled_codes() -> dict[Point, list[str]]:
    """The instrument codes due at each time point, as stored (one query)."""
    codes: dict[Point, list[str]] = {point: [] for point in Point}
    rows = ScheduledInstrument.objects.order_by("time_point", "instrument_code")
    for time_point, code in rows.values_list("time_point", "instrument_code"):
        if time_point in Point:
            codes[Point(time_point)].append(code)
    return codes


def load_plan() -> Plan:
    """The windows and the instruments due at each time point, in the library's order.
    A stored code the library does not have (yet) is left out. Two queries."""
    windows = windows_of(current_settings())
    codes = scheduled_codes()
    return Plan(
        windows=windows,
        instruments={
            point: tuple(i for i in INSTRUMENTS if i.code in codes[point] and i.code in REGISTRY)
            for point in Point
        },
    )


def schedule_annotations() -> dict[str, Any]:
    """Per case: the first VIG filming and the first PTP session (the intervention's start)
    and the referred child, as correlated subqueries."""
    referral = Referral.objects.filter(case=OuterRef("pk"))
    filmings = Filming.objects.filter(cycle__case=OuterRef("pk")).order_by("filmed_on")
    sessions = PtpSession.objects.filter(case=OuterRef("pk")).order_by("held_on")
    return {
        "q_first_filmed_on": Subquery(filmings.values("filmed_on")[:1]),
        "q_first_session_on": Subquery(sessions.values("held_on")[:1]),
        "q_child_id": Subquery(referral.values("referred_child_id")[:1]),
        "q_child_born": Subquery(referral.values("referred_child__date_of_birth")[:1]),
    }


def _local(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment is not None else None


def case_dates(case: Case) -> CaseDates:
    """The dates of a case annotated with `schedule_annotations`."""
    filmed: date | None = case.q_first_filmed_on  # type: ignore[attr-defined]
    session: date | None = case.q_first_session_on  # type: ignore[attr-defined]
    child_id: int | None = case.q_child_id  # type: ignore[attr-defined]
    born: date | None = case.q_child_born  # type: ignore[attr-defined]
    started = [d for d in (filmed, session) if d is not None]
    return CaseDates(
        allocated_on=_local(case.allocated_at),
        first_intervention_on=min(started) if started else None,
        closed_on=_local(case.closed_at),
        referred_child=ChildFacts(child_id, born) if child_id is not None else None,
    )


def done_by_case(cases: QuerySet[Case] | QuerySet[Any] | Iterable[int]) -> dict[int, list[Done]]:
    """The current (not superseded) administrations of the cases, by case id: one query."""
    found: dict[int, list[Done]] = {}
    rows = (
        Administration.objects.filter(case__in=cases)
        .exclude(status=AdministrationStatus.SUPERSEDED)
        .order_by("id")
        .values_list(
            "case_id", "public_id", "instrument_code", "time_point", "child_id", "completed_on"
        )
    )
    for case_id, public_id, code, time_point, child_id, completed_on in rows:
        found.setdefault(case_id, []).append(
            Done(public_id, code, time_point, child_id, completed_on)
        )
    return found


def schedule_for_case(case: Case, *, today: date, plan: Plan | None = None) -> CaseSchedule:
    """One case's schedule: four queries (the plan, the case's dates, its administrations)."""
    plan = plan or load_plan()
    annotated = (
        Case.objects.filter(pk=case.pk)
        .annotate(**schedule_annotations())
        .only("pk", "allocated_at", "closed_at")
        .get()
    )
    done = done_by_case([case.pk]).get(case.pk, [])
    return case_schedule(case_dates(annotated), plan=plan, done=done, today=today)


def schedules_for(cases: Iterable[Case], *, plan: Plan, today: date) -> dict[int, CaseSchedule]:
    """The schedule of each case (annotated with `schedule_annotations`): one query."""
    cases = list(cases)
    done = done_by_case([case.pk for case in cases]) if cases else {}
    return {
        case.pk: case_schedule(
            case_dates(case), plan=plan, done=done.get(case.pk, []), today=today
        )
        for case in cases
    }


def _coarse_in_play(qs: QuerySet[Case], *, plan: Plan, today: date) -> QuerySet[Case]:
    """Allocated cases, open or closed recently enough that follow-up may still be to come
    (a week's margin for short months; `in_play` is exact)."""
    windows = plan.windows
    earliest = add_months(
        today - timedelta(days=windows.follow_up_window_days), -windows.follow_up_months
    ) - timedelta(days=7)
    since = timezone.make_aware(datetime.combine(earliest, time.min))
    return qs.filter(allocated_at__isnull=False).filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=since)
    )


def in_play(dates: CaseDates, *, plan: Plan, today: date) -> bool:
    """Open, or closed with a follow-up window not yet closed: questionnaires to come."""
    if dates.allocated_on is None:
        return False
    if dates.closed_on is None:
        return True
    window = follow_up_window(dates, plan.windows)
    return window is not None and window.closes_on is not None and today <= window.closes_on


def _schedules_in_play(qs: QuerySet[Case], *, plan: Plan, today: date) -> dict[int, CaseSchedule]:
    coarse = _coarse_in_play(qs, plan=plan, today=today)
    cases = [
        case
        for case in coarse.select_related(None)
        .annotate(**schedule_annotations())
        .only("pk", "allocated_at", "closed_at")
        .order_by()
        if in_play(case_dates(case), plan=plan, today=today)
    ]
    # By subquery, not a list of ids: one query however many cases (or none).
    done = done_by_case(coarse.values("pk"))
    return {
        case.pk: case_schedule(
            case_dates(case), plan=plan, done=done.get(case.pk, []), today=today
        )
        for case in cases
    }


def counts_in_play(qs: QuerySet[Case], *, plan: Plan, today: date) -> Counts:
    """Due, overdue and missed over the cases of `qs` still in play (see `in_play`): the
    area dashboard's figures. Two queries (the cases, their administrations)."""
    total = Counts()
    for schedule in _schedules_in_play(qs, plan=plan, today=today).values():
        total += schedule.counts
    return total


def case_ids_with(qs: QuerySet[Case], status: Status, *, plan: Plan, today: date) -> list[int]:
    """Ids of the cases of `qs` in play with at least one questionnaire `status` (due,
    overdue or missed): the case list's filter, matching the dashboard. Two queries."""
    return [
        case_id
        for case_id, schedule in _schedules_in_play(qs, plan=plan, today=today).items()
        if schedule.counts.of(status)
    ]
