"""Reading goals: the goals page's data and the case page's summary."""

from datetime import date

import pytest
from pytest_django import DjangoAssertNumQueries

from ipip.accounts.models import User
from ipip.cases.models import Case
from ipip.goals.actions import Rating, do_change_goal_status, do_rate_goals
from ipip.goals.models import GoalStatus
from ipip.goals.queries import case_goals, goals_summary
from ipip.goals.tests.conftest import set_goal

pytestmark = pytest.mark.django_db


def test_case_goals_numbers_active_goals_and_lists_the_others_after(
    case: Case, other_case: Case, alice: User, bob: User
) -> None:
    old = set_goal(case, alice, text="Old", on=date(2026, 1, 5))
    first = set_goal(case, alice, text="First", on=date(2026, 1, 10))
    second = set_goal(case, alice, text="Second", on=date(2026, 2, 1))
    set_goal(other_case, bob, text="Not this case")
    do_change_goal_status(old, status=GoalStatus.ACHIEVED, acting_user=alice)
    do_rate_goals(case, {first: Rating(6, 9)}, rated_on=date(2026, 3, 1), acting_user=alice)
    views = case_goals(case)
    assert [(v.goal, v.number, v.name) for v in views] == [
        (first, 1, "Goal 1"),
        (second, 2, "Goal 2"),
        (old, None, "Goal set 5 January 2026"),
    ]
    assert [(r.now, r.hoped) for r in views[0].ratings] == [(3, 8), (6, 9)]
    latest = views[0].latest
    assert latest is not None
    assert latest.rated_on == date(2026, 3, 1)
    assert [pt.now for pt in views[0].points] == [3, 6]
    assert not views[2].is_active


def test_summary_gives_first_and_latest_now_of_active_goals(
    case: Case, alice: User, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    dropped = set_goal(case, alice, text="Dropped", on=date(2026, 1, 5))
    reviewed = set_goal(case, alice, text="Reviewed", on=date(2026, 1, 10), now=2, hoped=9)
    once = set_goal(case, alice, text="Once", on=date(2026, 2, 1), now=4, hoped=7)
    do_change_goal_status(dropped, status=GoalStatus.DROPPED, acting_user=alice)
    for on, now in ((date(2026, 2, 10), 4), (date(2026, 3, 1), 6)):
        do_rate_goals(case, {reviewed: Rating(now, 9)}, rated_on=on, acting_user=alice)
    with django_assert_num_queries(2):
        summary = goals_summary(case)
    assert [(s.public_id, s.number, s.text) for s in summary] == [
        (reviewed.public_id, 1, "Reviewed"),
        (once.public_id, 2, "Once"),
    ]
    top = summary[0]
    assert (top.first_now, top.first_on, top.latest_now, top.latest_on) == (
        2,
        date(2026, 1, 10),
        6,
        date(2026, 3, 1),
    )
    assert (top.latest_hoped, top.rating_count) == (9, 3)
    assert (summary[1].first_now, summary[1].latest_now, summary[1].rating_count) == (4, 4, 1)


def test_summary_of_a_case_without_goals_is_one_query(
    case: Case, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(1):
        assert goals_summary(case) == []
