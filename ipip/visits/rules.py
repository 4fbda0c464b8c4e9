"""When a visit is planned, overdue or done: pure functions over plain values."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, Protocol

# A visit is not overdue the moment its time passes: practitioners record outcomes at the
# end of the day or the next morning. Only a day later does the caseload flag it.
OVERDUE_GRACE: Final = timedelta(hours=24)

PLANNED: Final = "planned"
OVERDUE: Final = "overdue"
TOOK_PLACE: Final = "took_place"


def visit_state(scheduled_at: datetime, outcome: str, now: datetime) -> str:
    """ "planned", "overdue", or the outcome once recorded.

    A visit without an outcome is overdue when its time passed more than OVERDUE_GRACE ago
    (exactly 24 hours is still planned).
    """
    if outcome:
        return outcome
    return OVERDUE if now - scheduled_at > OVERDUE_GRACE else PLANNED


class VisitLike(Protocol):
    @property
    def scheduled_at(self) -> datetime: ...

    @property
    def outcome(self) -> str: ...


@dataclass(frozen=True)
class VisitSummary[V: VisitLike]:
    next_planned: V | None
    overdue: int
    last_took_place: V | None


def case_visit_summary[V: VisitLike](visits: Iterable[V], now: datetime) -> VisitSummary[V]:
    """The next planned visit, how many are overdue, and the last visit that took place."""
    next_planned: V | None = None
    last_took_place: V | None = None
    overdue = 0
    for visit in visits:
        state = visit_state(visit.scheduled_at, visit.outcome, now)
        if state == OVERDUE:
            overdue += 1
        elif state == PLANNED:
            if next_planned is None or visit.scheduled_at < next_planned.scheduled_at:
                next_planned = visit
        elif state == TOOK_PLACE and (
            last_took_place is None or visit.scheduled_at > last_took_place.scheduled_at
        ):
            last_took_place = visit
    return VisitSummary(
        next_planned=next_planned, overdue=overdue, last_took_place=last_took_place
    )
