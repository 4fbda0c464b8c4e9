"""Loading what `schedule` judges: the plan (settings and scheduled instruments), each case's
dates and its administrations. One case, a page of cases or an area's cases each take a
fixed number of queries, however many cases, children or administrations there are.

Case dates come as correlated subqueries (`schedule_annotations`) so a page of cases stays
one query; the administrations of all the cases are one more; the plan is two. The counts
over an area (or every area) are one query: the dates and, per time point, which scheduled
instruments were completed, judged per case without building the whole schedule.
"""

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import models
from django.db.models import (
    Expression,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
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
    COUNTED,
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
    _child_for,
    add_months,
    case_schedule,
    follow_up_window,
    windows_for,
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
    return _in_play(dates, follow_up_window(dates, plan.windows), today)


def _in_play(dates: CaseDates, follow_up: Window | None, today: date) -> bool:
    if dates.allocated_on is None:
        return False
    if dates.closed_on is None:
        return True
    return (
        follow_up is not None and follow_up.closes_on is not None and today <= follow_up.closes_on
    )


_Bits = Mapping[tuple[Point, str], int]


def _bits(plan: Plan) -> dict[tuple[Point, str], int]:
    """A bit for each instrument the plan schedules at each time point."""
    keys = [(point, i.code) for point in Point for i in plan.instruments.get(point, ())]
    return {key: 1 << n for n, key in enumerate(keys)}


def _completed(plan: Plan, bits: _Bits) -> Expression:
    """Per case: the bits of the scheduled instruments completed (current, not superseded),
    an instrument about a child only for the referred child, as `case_schedule` matches
    them. In progress ones are not counted: they are still to do (`Entry.counts_as`)."""
    referred = OuterRef("referral__referred_child")
    marks = [
        When(
            Q(time_point=point.value, instrument_code=i.code)
            & (Q(child=referred) if i.about_child else Q(child__isnull=True)),
            then=Value(bits[(point, i.code)]),
        )
        for point in Point
        for i in plan.instruments.get(point, ())
    ]
    if not marks:
        return Value(0)
    done = (
        Administration.objects.filter(case=OuterRef("pk"), status=AdministrationStatus.COMPLETED)
        .order_by()
        .values("case")
        # One current administration per case, time point, instrument (and child): a sum
        # of distinct bits.
        .annotate(mask=Sum(models.Case(*marks, default=Value(0), output_field=IntegerField())))
        .values("mask")
    )
    return Coalesce(Subquery(done), Value(0))


# Where each status is counted in a tally: [due, overdue, missed].
_SLOTS: Mapping[Status, int] = {status: n for n, status in enumerate(COUNTED)}


def _tallies(qs: QuerySet[Case], *, plan: Plan, today: date) -> Iterator[tuple[int, list[int]]]:
    """(case id, [due, overdue, missed]) for each case of `qs` in play: one query for the
    dates and what was completed, as plain values (a model instance a case would cost more
    than judging it), then `case_schedule(...).counts` worked out without building the
    schedule: the same windows and the same instruments (and children) due, less those
    completed. A test holds the two equal."""
    zone = timezone.get_current_timezone()
    bits = _bits(plan)
    layout = [
        (point, [(i, bits[(point, i.code)]) for i in plan.instruments.get(point, ())])
        for point in Point
    ]

    def local(moment: datetime | None) -> date | None:
        return moment.astimezone(zone).date() if moment is not None else None

    facts = schedule_annotations()
    rows = (
        _coarse_in_play(qs, plan=plan, today=today)
        .annotate(
            # Named one by one, so the type checker knows the values below.
            q_first_filmed_on=facts["q_first_filmed_on"],
            q_first_session_on=facts["q_first_session_on"],
            q_completed=_completed(plan, bits),
        )
        .order_by()
        .values_list(
            "pk",
            "allocated_at",
            "closed_at",
            "q_first_filmed_on",
            "q_first_session_on",
            # The referred child by a join (one referral a case), not two more subqueries.
            "referral__referred_child_id",
            "referral__referred_child__date_of_birth",
            "q_completed",
        )
    )
    for pk, allocated, closed, filmed, session, child_id, born, completed in rows:
        started = [d for d in (filmed, session) if d is not None]
        referred: int | None = child_id  # None without a referral (a left join)
        dates = CaseDates(
            allocated_on=local(allocated),
            first_intervention_on=min(started) if started else None,
            closed_on=local(closed),
            referred_child=ChildFacts(referred, born) if referred is not None else None,
        )
        windows = windows_for(dates, plan.windows)
        if not _in_play(dates, windows[Point.FOLLOW_UP], today):
            continue
        tally = [0, 0, 0]
        for point, instruments in layout:
            window = windows[point]
            slot = _SLOTS.get(window.timing(today)) if window is not None else None
            if window is None or slot is None:
                continue
            for instrument, bit in instruments:
                if completed & bit:
                    continue
                if instrument.about_child and _child_for(instrument, dates, window)[0] is None:
                    continue
                tally[slot] += 1
        yield pk, tally


def counts_in_play(qs: QuerySet[Case], *, plan: Plan, today: date) -> Counts:
    """Due, overdue and missed over the cases of `qs` still in play (see `in_play`): the
    area dashboard's figures. One query (the cases, their dates and what was completed)."""
    total = [0, 0, 0]
    for _case_id, tally in _tallies(qs, plan=plan, today=today):
        for n, found in enumerate(tally):
            total[n] += found
    return Counts(
        due=total[_SLOTS[Status.DUE]],
        overdue=total[_SLOTS[Status.OVERDUE]],
        missed=total[_SLOTS[Status.MISSED]],
    )


def case_ids_with(qs: QuerySet[Case], status: Status, *, plan: Plan, today: date) -> list[int]:
    """Ids of the cases of `qs` in play with at least one questionnaire `status` (due,
    overdue or missed): the case list's filter, matching the dashboard. One query."""
    slot = _SLOTS[status]
    return [case_id for case_id, tally in _tallies(qs, plan=plan, today=today) if tally[slot]]
