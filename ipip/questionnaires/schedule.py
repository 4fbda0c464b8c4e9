"""Which questionnaires are due when: the time points, their windows and each one's status.

Pure (no ORM): `queries.py` gathers the dates and the administrations and this module judges
them against `today`. The rules, in words a manager can check (ADR 0009 says why):

- Time points apply only to a case that was allocated.
- Baseline opens at allocation. It is due by the earlier of `baseline_due_days` after
  allocation and the first intervention visit (the first VIG filming or PTP session), and
  overdue the day after. It is missed the day after `baseline_grace_days` have passed since
  the first intervention visit (or the day after closure, if the case closed first).
- End opens `end_opens_after_days` after allocation, or at closure if that is sooner. It is
  due by closure (overdue the day after) and missed the day after `end_window_after_days`
  have passed since closure.
- Follow-up is due `follow_up_months` after closure, opens `follow_up_window_days` before,
  is overdue the day after the due date and missed the day after the window closes.
- A case closed before the intervention started (no filming or session by closure) has no
  end or follow-up time point.
- An instrument about a child (the SDQ) is due for the referred child, if the child's age on
  the day the time point opens is within the instrument's ages; others may be added by hand.
- Started and not completed is "in progress"; completed is "completed", and one completed
  after its window closed (or, for end and follow-up, before it opened) is marked outside
  its window. Due, overdue and missed are counted for anything not yet completed.
"""

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from uuid import UUID

from ipip.core.dates import whole_months_between
from ipip.questionnaires.instruments.base import Instrument


class Point(StrEnum):
    """The time points; the same values as `models.TimePoint` (a test keeps them equal)."""

    BASELINE = "baseline"
    END = "end"
    FOLLOW_UP = "follow_up"

    @property
    def label(self) -> str:
        return POINT_LABELS[self]


POINT_LABELS: Mapping[Point, str] = {
    Point.BASELINE: "Baseline",
    Point.END: "End",
    Point.FOLLOW_UP: "Follow-up",
}


class Status(StrEnum):
    NOT_YET_DUE = "not_yet_due"
    DUE = "due"
    OVERDUE = "overdue"
    MISSED = "missed"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS: Mapping[Status, str] = {
    Status.NOT_YET_DUE: "Not yet due",
    Status.DUE: "Due",
    Status.OVERDUE: "Overdue",
    Status.MISSED: "Missed",
    Status.IN_PROGRESS: "In progress",
    Status.COMPLETED: "Completed",
}


@dataclass(frozen=True)
class Windows:
    """The service's settings (`models.ScheduleSettings`; the defaults are the same)."""

    baseline_due_days: int = 21
    baseline_grace_days: int = 14
    end_opens_after_days: int = 56
    end_window_after_days: int = 28
    follow_up_months: int = 6
    follow_up_window_days: int = 30


@dataclass(frozen=True)
class Plan:
    """The windows and the instruments due at each time point, in the order shown."""

    windows: Windows
    instruments: Mapping[Point, tuple[Instrument, ...]]


@dataclass(frozen=True)
class ChildFacts:
    id: int
    date_of_birth: date | None


@dataclass(frozen=True)
class CaseDates:
    """What the rules need about a case. Dates are local dates."""

    allocated_on: date | None
    first_intervention_on: date | None  # the first VIG filming or PTP session
    closed_on: date | None
    referred_child: ChildFacts | None


@dataclass(frozen=True)
class Done:
    """A current (not superseded) administration: in progress, or completed on a date."""

    public_id: UUID
    instrument_code: str
    time_point: str
    child_id: int | None
    completed_on: date | None  # None: in progress

    @property
    def is_completed(self) -> bool:
        return self.completed_on is not None


@dataclass(frozen=True)
class Window:
    """A time point's dates. Due from `opens_on`; overdue the day after `due_on`; missed the
    day after `closes_on`. None: not known yet (the follow-up of an open case opens at a
    date only closure fixes), not overdue yet, or never missed."""

    opens_on: date | None
    due_on: date | None
    closes_on: date | None
    # Baseline: done before allocation is still before the intervention, so not early.
    early_is_fine: bool = False

    def timing(self, today: date) -> Status:
        if self.opens_on is None or today < self.opens_on:
            return Status.NOT_YET_DUE
        if self.closes_on is not None and today > self.closes_on:
            return Status.MISSED
        if self.due_on is not None and today > self.due_on:
            return Status.OVERDUE
        return Status.DUE

    def is_outside(self, on: date) -> bool:
        """Completed on `on`, outside this window?"""
        if self.closes_on is not None and on > self.closes_on:
            return True
        return not self.early_is_fine and self.opens_on is not None and on < self.opens_on


@dataclass(frozen=True)
class Entry:
    """One instrument due at a time point (for one child, if it is about a child)."""

    instrument: Instrument
    child_id: int | None
    status: Status
    timing: Status  # the window's state today, whatever was done
    done: Done | None
    outside_window: bool = False

    @property
    def counts_as(self) -> Status | None:
        """Due, overdue or missed while not completed (in progress included); else None."""
        if self.status == Status.COMPLETED:
            return None
        if self.timing in (Status.DUE, Status.OVERDUE, Status.MISSED):
            return self.timing
        return None


@dataclass(frozen=True)
class TimePointSchedule:
    point: Point
    window: Window | None  # None: the time point does not apply to this case
    entries: tuple[Entry, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Counts:
    due: int = 0
    overdue: int = 0
    missed: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(
            self.due + other.due, self.overdue + other.overdue, self.missed + other.missed
        )

    @property
    def total(self) -> int:
        return self.due + self.overdue + self.missed

    @property
    def summary(self) -> str:
        """ "1 due, 2 overdue" (what is not zero), for the caseload."""
        parts = (
            (self.due, "due"),
            (self.overdue, "overdue"),
            (self.missed, "missed"),
        )
        return ", ".join(f"{n} {word}" for n, word in parts if n)

    def of(self, status: Status) -> int:
        return {Status.DUE: self.due, Status.OVERDUE: self.overdue, Status.MISSED: self.missed}[
            status
        ]


@dataclass(frozen=True)
class CaseSchedule:
    time_points: tuple[TimePointSchedule, ...]
    # Administrations not matching an entry: started by hand, or for another child.
    others: tuple[Done, ...] = field(default=())

    @property
    def counts(self) -> Counts:
        found = [e.counts_as for tp in self.time_points for e in tp.entries]
        return Counts(
            due=found.count(Status.DUE),
            overdue=found.count(Status.OVERDUE),
            missed=found.count(Status.MISSED),
        )


# The statuses the caseload and the dashboard count.
COUNTED = (Status.DUE, Status.OVERDUE, Status.MISSED)

NOT_ALLOCATED = "Time points start when the case is allocated."
NO_INTERVENTION = "Not due: the case closed before the intervention started."
FOLLOW_UP_OPEN = "Due {months} months after the case closes."


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day when it is shorter (31 August + 6
    months is 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _earliest(*days: date | None) -> date | None:
    known = [d for d in days if d is not None]
    return min(known) if known else None


def baseline_window(case: CaseDates, windows: Windows) -> Window | None:
    if case.allocated_on is None:
        return None
    started = case.first_intervention_on
    return Window(
        opens_on=case.allocated_on,
        due_on=_earliest(
            case.allocated_on + timedelta(days=windows.baseline_due_days),
            started,
            case.closed_on,
        ),
        closes_on=_earliest(
            started + timedelta(days=windows.baseline_grace_days) if started else None,
            case.closed_on,
        ),
        early_is_fine=True,
    )


def _intervention_started(case: CaseDates) -> bool:
    """Open, or closed after the intervention started: end and follow-up apply."""
    if case.closed_on is None:
        return True
    return case.first_intervention_on is not None and case.first_intervention_on <= case.closed_on


def end_window(case: CaseDates, windows: Windows) -> Window | None:
    if case.allocated_on is None or not _intervention_started(case):
        return None
    closed = case.closed_on
    return Window(
        opens_on=_earliest(
            case.allocated_on + timedelta(days=windows.end_opens_after_days), closed
        ),
        due_on=closed,
        closes_on=closed + timedelta(days=windows.end_window_after_days) if closed else None,
    )


def follow_up_window(case: CaseDates, windows: Windows) -> Window | None:
    if case.allocated_on is None or not _intervention_started(case):
        return None
    if case.closed_on is None:
        return Window(opens_on=None, due_on=None, closes_on=None)
    due = add_months(case.closed_on, windows.follow_up_months)
    spread = timedelta(days=windows.follow_up_window_days)
    return Window(opens_on=due - spread, due_on=due, closes_on=due + spread)


def _child_for(
    instrument: Instrument, case: CaseDates, window: Window
) -> tuple[ChildFacts | None, str]:
    """The child an instrument about a child is due for (None: not due), and why not."""
    child = case.referred_child
    if child is None:
        return None, f"{instrument.name}: not due, no referred child is recorded."
    ages = instrument.child_age_months
    if child.date_of_birth is None or ages is None or window.opens_on is None:
        return child, ""
    age = whole_months_between(child.date_of_birth, window.opens_on)
    low, high = ages
    if low <= age < high:
        return child, ""
    return None, (
        f"{instrument.name}: not due, the referred child is outside its ages "
        f"({low // 12} to {high // 12 - 1}) when the time point opens."
    )


def _entry(
    instrument: Instrument, child_id: int | None, window: Window, done: Done | None, today: date
) -> Entry:
    timing = window.timing(today)
    if done is None:
        return Entry(instrument, child_id, timing, timing, None)
    if done.completed_on is None:
        return Entry(instrument, child_id, Status.IN_PROGRESS, timing, done)
    return Entry(
        instrument,
        child_id,
        Status.COMPLETED,
        timing,
        done,
        outside_window=window.is_outside(done.completed_on),
    )


def _time_point(
    point: Point,
    window: Window | None,
    *,
    case: CaseDates,
    plan: Plan,
    done: Mapping[tuple[str, str, int | None], Done],
    today: date,
) -> TimePointSchedule:
    if window is None:
        note = NOT_ALLOCATED if case.allocated_on is None else NO_INTERVENTION
        return TimePointSchedule(point, None, notes=(note,))
    entries: list[Entry] = []
    notes: list[str] = []
    if window.opens_on is None and point == Point.FOLLOW_UP:
        notes.append(FOLLOW_UP_OPEN.format(months=plan.windows.follow_up_months))
    for instrument in plan.instruments.get(point, ()):
        child_id = None
        if instrument.about_child:
            child, why_not = _child_for(instrument, case, window)
            if child is None:
                notes.append(why_not)
                continue
            child_id = child.id
        found = done.get((point.value, instrument.code, child_id))
        entries.append(_entry(instrument, child_id, window, found, today))
    return TimePointSchedule(point, window, tuple(entries), tuple(notes))


def windows_for(case: CaseDates, windows: Windows) -> dict[Point, Window | None]:
    return {
        Point.BASELINE: baseline_window(case, windows),
        Point.END: end_window(case, windows),
        Point.FOLLOW_UP: follow_up_window(case, windows),
    }


def case_schedule(
    case: CaseDates, *, plan: Plan, done: Iterable[Done], today: date
) -> CaseSchedule:
    """Every time point of a case with each instrument's status on `today`, and the
    administrations that match no scheduled instrument."""
    by_key = {(d.time_point, d.instrument_code, d.child_id): d for d in done}
    time_points = tuple(
        _time_point(point, window, case=case, plan=plan, done=by_key, today=today)
        for point, window in windows_for(case, plan.windows).items()
    )
    matched = {entry.done.public_id for tp in time_points for entry in tp.entries if entry.done}
    others = tuple(d for d in by_key.values() if d.public_id not in matched)
    return CaseSchedule(time_points, others)
