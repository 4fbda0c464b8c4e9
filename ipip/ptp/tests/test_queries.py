"""`module_coverage`: per module, planned or not, sessions, first and last date; two queries."""

from datetime import date

import pytest
from pytest_django import DjangoAssertNumQueries

from ipip.accounts.models import User
from ipip.cases.models import Case
from ipip.ptp.actions import do_set_plan
from ipip.ptp.queries import module_coverage
from ipip.ptp.rules import CoverageState
from ipip.ptp.tests.helpers import record

pytestmark = pytest.mark.django_db


def test_without_plan_or_sessions_nothing_is_planned_or_covered(
    case: Case, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(2):
        rows = module_coverage(case)
    assert [r.code for r in rows] == ["attribution", "anger", "mood", "stress", "behaviour"]
    assert {r.state for r in rows} == {CoverageState.NOT_PLANNED}


@pytest.mark.parametrize("sessions", [1, 6])
def test_coverage_against_the_plan(
    case: Case,
    other_case: Case,
    alice: User,
    sessions: int,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    do_set_plan(
        case,
        planned_sessions=5,
        planned_modules=["attribution", "anger", "mood"],
        starts_on=date(2026, 3, 13),
        note="",
        acting_user=alice,
    )
    for i in range(sessions):
        modules = ["anger", "behaviour"] if i % 2 else ["anger"]
        record(case, alice, held_on=date(2026, 3, 13 + i), modules=modules)
    record(other_case, alice, modules=["mood"])  # another case's sessions do not count
    with django_assert_num_queries(2):
        rows = {r.code: r for r in module_coverage(case)}
    anger = rows["anger"]
    assert (anger.planned, anger.sessions, anger.state) == (True, sessions, CoverageState.COVERED)
    assert (anger.first_on, anger.last_on) == (date(2026, 3, 13), date(2026, 3, 12 + sessions))
    assert rows["mood"].state == CoverageState.PLANNED
    assert rows["mood"].sessions == 0
    assert rows["stress"].state == CoverageState.NOT_PLANNED
    assert rows["behaviour"].planned is False
    assert rows["behaviour"].sessions == sessions // 2
