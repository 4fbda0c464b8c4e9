"""Visit states at the grace boundary, and the per-case summary."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from ipip.visits.rules import case_visit_summary, visit_state

NOW = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class V:
    scheduled_at: datetime
    outcome: str = ""


@pytest.mark.parametrize(
    ("ago", "outcome", "state"),
    [
        (timedelta(hours=-2), "", "planned"),  # in the future
        (timedelta(0), "", "planned"),
        (timedelta(hours=23, minutes=59), "", "planned"),
        (timedelta(hours=24), "", "planned"),  # exactly 24 hours: still within the grace
        (timedelta(hours=24, minutes=1), "", "overdue"),
        (timedelta(days=30), "", "overdue"),
        (timedelta(days=30), "took_place", "took_place"),
        (timedelta(hours=-2), "cancelled_by_family", "cancelled_by_family"),
        (timedelta(hours=25), "no_one_home", "no_one_home"),
    ],
)
def test_visit_state(ago: timedelta, outcome: str, state: str) -> None:
    assert visit_state(NOW - ago, outcome, NOW) == state


def test_summary_of_no_visits() -> None:
    summary = case_visit_summary(list[V](), NOW)
    assert (summary.next_planned, summary.overdue, summary.last_took_place) == (None, 0, None)


def test_summary_picks_next_counts_overdue_and_last_took_place() -> None:
    soon = V(NOW + timedelta(days=2))
    later = V(NOW + timedelta(days=9))
    just_passed = V(NOW - timedelta(hours=24))  # due now, not yet overdue: it is next
    overdue = [V(NOW - timedelta(hours=24, minutes=1)), V(NOW - timedelta(days=5))]
    old = V(NOW - timedelta(days=20), "took_place")
    recent = V(NOW - timedelta(days=6), "took_place")
    missed = V(NOW - timedelta(days=3), "no_one_home")
    summary = case_visit_summary([later, old, *overdue, soon, recent, just_passed, missed], NOW)
    assert summary.next_planned is just_passed
    assert summary.overdue == 2
    assert summary.last_took_place is recent
    summary = case_visit_summary([later, soon], NOW)
    assert summary.next_planned is soon
