"""Goal pages: the goals with chart and table, setting a goal, a review, changing status."""

import re
from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.db import transaction
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from pytest_django import DjangoAssertNumQueries

from ipip.accounts.models import User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.cases.models import Case
from ipip.goals.actions import Rating, do_change_goal_status, do_rate_goals, rate_goals
from ipip.goals.models import Goal, GoalRating, GoalStatus, Occasion
from ipip.goals.queries import goals_summary
from ipip.goals.tests.conftest import close, set_goal

pytestmark = pytest.mark.django_db

# Session, user, second-factor check, the case (one join), the goals, their ratings (one
# prefetch) and the audit row: the same for 1 goal with 2 ratings or 4 goals with 10.
INDEX_QUERIES = 7


def url(name: str, case: Case, **kwargs: object) -> str:
    return reverse(f"goals:{name}", kwargs={"case_id": case.public_id, **kwargs})


def status_url(goal: Goal) -> str:
    return url("status", goal.case, goal_id=goal.public_id)


def messages_of(response: object) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]


# -- index --------------------------------------------------------------------------------


def test_index_shows_goals_chart_and_table(client: Client, case: Case, alice: User) -> None:
    first = set_goal(case, alice, text="Play with Sam's sister", on=date(2026, 1, 10), now=2)
    second = set_goal(case, alice, text="Keep calm at teatime", on=date(2026, 2, 1))
    old = set_goal(case, alice, text="Bedtime by eight", on=date(2026, 1, 5))
    do_change_goal_status(old, status=GoalStatus.ACHIEVED, acting_user=alice)
    do_rate_goals(case, {first: Rating(6, 9)}, rated_on=date(2026, 3, 1), acting_user=alice)
    client.force_login(alice)
    html = client.get(url("index", case)).content.decode()
    assert escape("Play with Sam's sister") in html
    assert "Keep calm at teatime" in html
    assert "Bedtime by eight" in html
    assert "Goal 1" in html
    assert "Goal 2" in html
    assert "Goal set 5 January 2026" in html
    assert '<strong class="govuk-tag govuk-tag--blue">Working on it</strong>' in html
    assert '<strong class="govuk-tag govuk-tag--green">Achieved</strong>' in html
    assert "Now 6, hoped for 9 (1 March 2026)" in html
    assert html.count('role="img"') == 3  # a chart per goal
    assert "Now went from 2 to 6; hoped for went from 8 to 9." in html
    assert "VIG shared review" not in html
    assert html.count('<td class="govuk-table__cell">Goal set</td>') == 3
    assert '<td class="govuk-table__cell">Review</td>' in html
    assert url("new", case) in html
    assert url("rate", case) in html
    assert f"{status_url(first)}?to=achieved" in html
    assert f"{status_url(second)}?to=dropped" in html
    assert f"{status_url(old)}?to=active" in html
    assert " style=" not in html.split("<main", 1)[1]
    event = AuditEvent.objects.get(action=Action.GOALS_VIEWED)
    assert (event.actor, event.subject_public_id) == (alice, case.public_id)
    assert set(event.data["goal_ids"]) == {str(g.public_id) for g in (first, second, old)}


def test_index_names_the_occasion_of_vig_and_ptp_ratings(
    client: Client, case: Case, alice: User
) -> None:
    goal = set_goal(case, alice)
    for occasion, on in (
        (Occasion.VIG_REVIEW, date(2026, 2, 9)),
        (Occasion.PTP_SESSION, date(2026, 2, 16)),
    ):
        with transaction.atomic():
            rate_goals(
                case,
                {goal: Rating(4, 8)},
                rated_on=on,
                occasion=occasion,
                source_public_id=None,
                acting_user=alice,
            )
    client.force_login(alice)
    html = client.get(url("index", case)).content.decode()
    assert "VIG shared review" in html
    assert "PTP session" in html


def test_index_without_goals(client: Client, case: Case, alice: User) -> None:
    client.force_login(alice)
    html = client.get(url("index", case)).content.decode()
    assert "No goals have been set yet." in html
    assert url("new", case) in html
    assert url("rate", case) not in html  # nothing to rate
    assert AuditEvent.objects.get(action=Action.GOALS_VIEWED).data == {"goal_ids": []}


def test_index_of_a_closed_case_offers_no_changes(
    client: Client, case: Case, alice: User, bob: User
) -> None:
    goal = set_goal(case, alice)
    close(case, bob)
    client.force_login(bob)
    html = client.get(url("index", case)).content.decode()
    assert "Play with my son" in html
    assert url("new", case) not in html
    assert url("rate", case) not in html
    assert status_url(goal) not in html


@pytest.mark.parametrize(("goal_count", "reviews"), [(1, 1), (4, 2)])
def test_index_query_count_does_not_grow(
    client: Client,
    case: Case,
    alice: User,
    goal_count: int,
    reviews: int,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    goals = [set_goal(case, alice, text=f"Goal {i}") for i in range(goal_count)]
    for day in range(reviews):
        do_rate_goals(
            case,
            {g: Rating(4 + day, 8) for g in goals},
            rated_on=date(2026, 3, 1 + day),
            acting_user=alice,
        )
    # 1 goal with 2 ratings; 4 goals with 12 ratings (a goal set and two reviews each).
    assert GoalRating.objects.count() == goal_count * (1 + reviews)
    client.force_login(alice)
    with django_assert_num_queries(INDEX_QUERIES):
        response = client.get(url("index", case))
    assert response.content.decode().count('role="img"') == goal_count


# -- set a goal -----------------------------------------------------------------------


GOAL = {"text": "Read a story", "set_on_0": "2", "set_on_1": "3", "set_on_2": "2026"}


def test_set_a_goal(client: Client, case: Case, alice: User) -> None:
    client.force_login(alice)
    assert "Set a goal" in client.get(url("new", case)).content.decode()
    response = client.post(url("new", case), {**GOAL, "now": "3", "hoped": "9"})
    assert response.status_code == 302
    assert response["Location"] == url("index", case)
    assert messages_of(response) == ["Goal set."]
    goal = Goal.objects.get()
    assert (goal.text, goal.set_on) == ("Read a story", date(2026, 3, 2))
    assert [(r.now, r.hoped, r.occasion) for r in goal.ratings.all()] == [(3, 9, "set")]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("text", "", "Enter the goal in the parent&#x27;s own words"),
        ("now", "", "Enter where the parent is now, from 1 to 10"),
        ("now", "0", "Where the parent is now must be from 1 to 10"),
        ("hoped", "ten", "Where the parent hopes to be must be a whole number from 1 to 10"),
        ("set_on_2", "2027", "Date set must be today or in the past"),
    ],
)
def test_set_a_goal_errors_keep_what_was_typed(
    client: Client, case: Case, alice: User, field: str, value: str, message: str
) -> None:
    data = {**GOAL, "now": "3", "hoped": "9", field: value}
    client.force_login(alice)
    response = client.post(url("new", case), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Set a goal" in html
    assert message in html
    for name, typed in data.items():
        if typed and name != "text":
            assert f'name="{name}"' in html
            assert f'value="{typed}"' in html, name
    if data["text"]:
        assert "Read a story</textarea>" in html
    assert not Goal.objects.exists()


def test_set_a_goal_on_a_closed_case_says_why(client: Client, case: Case, bob: User) -> None:
    close(case, bob)
    client.force_login(bob)
    response = client.post(url("new", case), {**GOAL, "now": "3", "hoped": "9"})
    html = response.content.decode()
    assert "This case is closed: its goals cannot be changed." in html
    assert "Read a story</textarea>" in html
    assert not Goal.objects.exists()


# -- rate the goals ---------------------------------------------------------------------


REVIEW_ON = {"rated_on_0": "10", "rated_on_1": "3", "rated_on_2": "2026"}


def test_rate_the_goals(client: Client, case: Case, alice: User) -> None:
    one = set_goal(case, alice, text="One")
    two = set_goal(case, alice, text="Two")
    dropped = set_goal(case, alice, text="Dropped one")
    do_change_goal_status(dropped, status=GoalStatus.DROPPED, acting_user=alice)
    client.force_login(alice)
    html = client.get(url("rate", case)).content.decode()
    assert "Goal 1: One" in html
    assert "Goal 2: Two" in html
    assert "Dropped one" not in html
    response = client.post(
        url("rate", case), {**REVIEW_ON, f"now_{two.pk}": "6", f"hoped_{two.pk}": "9"}
    )
    assert response.status_code == 302
    assert messages_of(response) == ["Ratings saved."]
    review = GoalRating.objects.get(occasion=Occasion.REVIEW)
    assert (review.goal, review.rated_on, review.now, review.hoped) == (
        two,
        date(2026, 3, 10),
        6,
        9,
    )
    assert one.ratings.count() == 1


def test_rate_with_nothing_rated_says_so(client: Client, case: Case, alice: User) -> None:
    set_goal(case, alice)
    client.force_login(alice)
    html = client.post(url("rate", case), REVIEW_ON).content.decode()
    assert "<title>Error: Rate the goals" in html
    assert "Rate at least one goal" in html
    assert 'id="goal-ratings-error"' in html
    assert 'value="10"' in html  # the date typed is kept
    assert GoalRating.objects.count() == 1


def test_rate_errors_show_together_and_keep_what_was_typed(
    client: Client, case: Case, alice: User
) -> None:
    one = set_goal(case, alice, text="One")
    two = set_goal(case, alice, text="Two")
    client.force_login(alice)
    data = {
        "rated_on_0": "10",
        "rated_on_1": "",
        "rated_on_2": "2026",
        f"now_{one.pk}": "5",
        f"now_{two.pk}": "12",
        f"hoped_{two.pk}": "9",
    }
    html = client.post(url("rate", case), data).content.decode()
    assert "Date of the review must include a month" in html
    assert "Enter what the parent hopes for on goal 1" in html
    assert "Goal 2, now must be from 1 to 10" in html
    assert f'href="#id_hoped_{one.pk}"' in html
    assert 'value="12"' in html
    assert 'value="5"' in html
    assert GoalRating.objects.count() == 2


def test_rate_before_a_goal_was_set_says_why(client: Client, case: Case, alice: User) -> None:
    goal = set_goal(case, alice, on=date(2026, 3, 11))
    client.force_login(alice)
    html = client.post(
        url("rate", case), {**REVIEW_ON, f"now_{goal.pk}": "5", f"hoped_{goal.pk}": "8"}
    ).content.decode()
    assert "A goal cannot be rated before the day it was set." in html
    assert 'value="5"' in html
    assert goal.ratings.count() == 1


def test_rate_page_without_active_goals_points_to_setting_one(
    client: Client, case: Case, alice: User
) -> None:
    client.force_login(alice)
    html = client.get(url("rate", case)).content.decode()
    assert "No goals are being worked on." in html
    assert url("new", case) in html


# -- change a goal's status -------------------------------------------------------------


def test_mark_a_goal_achieved(client: Client, case: Case, alice: User) -> None:
    goal = set_goal(case, alice)
    client.force_login(alice)
    html = client.get(f"{status_url(goal)}?to=achieved").content.decode()
    assert "Play with my son" in html
    assert 'value="achieved" checked' in html
    assert 'value="active"' not in html  # already being worked on
    assert 'name="version" value="1"' in html
    response = client.post(status_url(goal), {"version": "1", "status": "achieved"})
    assert response.status_code == 302
    assert response["Location"] == url("index", case)
    assert messages_of(response) == ["Goal marked as achieved."]
    goal.refresh_from_db()
    assert (goal.status, goal.version) == (GoalStatus.ACHIEVED, 2)


def test_status_needs_a_choice(client: Client, case: Case, alice: User) -> None:
    goal = set_goal(case, alice)
    client.force_login(alice)
    html = client.post(status_url(goal), {"version": "1"}).content.decode()
    assert "<title>Error: Change a goal" in html
    assert "Select what the goal is now" in html
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACTIVE


def test_stale_status_change_says_someone_else_changed_it(
    client: Client, case: Case, alice: User, bob: User
) -> None:
    goal = set_goal(case, alice)
    client.force_login(alice)
    client.get(status_url(goal))
    do_change_goal_status(goal, status=GoalStatus.ACHIEVED, acting_user=bob, expected_version=1)
    do_change_goal_status(goal, status=GoalStatus.ACTIVE, acting_user=bob, expected_version=2)
    response = client.post(status_url(goal), {"version": "1", "status": "dropped"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this goal while you were working on it." in html
    assert 'value="dropped" checked' in html  # what was chosen is kept
    goal.refresh_from_db()
    assert (goal.status, goal.version) == (GoalStatus.ACTIVE, 3)


def test_status_of_a_goal_of_another_case_is_404(
    client: Client, case: Case, other_case: Case, alice: User, bob: User
) -> None:
    goal = set_goal(other_case, bob)
    client.force_login(bob)
    wrong = url("status", case, goal_id=goal.public_id)
    assert client.get(wrong).status_code == 404
    assert client.post(wrong, {"version": "1", "status": "achieved"}).status_code == 404
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACTIVE


def test_status_on_a_closed_case_says_why(
    client: Client, case: Case, alice: User, bob: User
) -> None:
    goal = set_goal(case, alice)
    close(case, bob)
    client.force_login(bob)
    html = client.post(status_url(goal), {"version": "1", "status": "achieved"}).content.decode()
    assert "This case is closed: its goals cannot be changed." in html
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACTIVE


def test_summary_include_renders(case: Case, alice: User) -> None:
    set_goal(case, alice, text="Tea & toast")
    html = render_to_string(
        "goals/includes/_goals_summary.html",
        {"goals_summary": goals_summary(case), "case": case},
    )
    assert "Tea &amp; toast" in html
    assert "Not reviewed yet" in html
    assert url("index", case) in html
    assert re.search(r">3<br>", html)
