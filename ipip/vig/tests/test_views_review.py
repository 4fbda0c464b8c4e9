"""Recording the shared review with the parent's goal ratings: one form, nothing lost."""

import pytest
from django.test import Client
from django.urls import reverse

from ipip.accounts.models import User
from ipip.cases.models import Case
from ipip.goals.models import GoalRating, Occasion
from ipip.vig.models import SharedReview, VigCycle
from ipip.vig.tests.helpers import REVIEWED_ON, film, goal, start

pytestmark = pytest.mark.django_db


def review_url(cycle: VigCycle) -> str:
    return reverse(
        "vig:review", kwargs={"case_id": cycle.case.public_id, "cycle_id": cycle.public_id}
    )


def valid(cycle: VigCycle) -> dict[str, object]:
    return {
        "version": str(cycle.version),
        "reviewed_on_0": "1",
        "reviewed_on_1": "4",
        "reviewed_on_2": "2026",
        "parent_reflections": "I noticed I waited",
        "celebrated": "Turn-taking",
        "next_goals": "Try at bath time",
    }


def test_review_happy_path_with_goal_ratings(client: Client, case: Case, alice: User) -> None:
    calmer = goal(case, alice, "Calmer bedtimes")
    skipped = goal(case, alice, "Play outside")
    cycle = start(case, alice, goals=(calmer,))
    film(cycle, alice)
    client.force_login(alice)
    html = client.get(review_url(cycle)).content.decode()
    assert "Goal 1: Calmer bedtimes" in html
    assert "Goal 2: Play outside" in html
    data = valid(cycle) | {f"goals-now_{calmer.pk}": "6", f"goals-hoped_{calmer.pk}": "9"}
    response = client.post(review_url(cycle), data)
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.completed_on == REVIEWED_ON
    shared = SharedReview.objects.get()
    assert (shared.parent_reflections, shared.celebrated, shared.next_goals) == (
        "I noticed I waited",
        "Turn-taking",
        "Try at bath time",
    )
    rating = GoalRating.objects.get(occasion=Occasion.VIG_REVIEW)
    assert (rating.goal, rating.now, rating.hoped) == (calmer, 6, 9)
    assert not GoalRating.objects.filter(goal=skipped, occasion=Occasion.VIG_REVIEW).exists()
    html = client.get(response["Location"]).content.decode()
    assert "Shared review recorded: cycle 1 is complete." in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("parent_reflections", "", "Enter the parent&#x27;s reflections"),
        ("celebrated", "", "Enter what was celebrated"),
        ("reviewed_on_1", "", "Date of the shared review must include a month"),
        ("reviewed_on_2", "2027", "Date of the shared review must be today or in the past"),
    ],
)
def test_review_errors_name_the_field_and_keep_values(
    client: Client, case: Case, alice: User, field: str, value: str, message: str
) -> None:
    calmer = goal(case, alice)
    cycle = start(case, alice)
    film(cycle, alice)
    data = valid(cycle) | {f"goals-now_{calmer.pk}": "6", f"goals-hoped_{calmer.pk}": "9"}
    data[field] = value
    client.force_login(alice)
    html = client.post(review_url(cycle), data).content.decode()
    assert "<title>Error: Shared review, cycle 1" in html
    assert message in html
    assert "Try at bath time</textarea>" in html
    assert 'value="6"' in html
    assert 'value="9"' in html
    assert not SharedReview.objects.exists()


def test_review_shows_goal_and_review_errors_together(
    client: Client, case: Case, alice: User
) -> None:
    calmer = goal(case, alice)
    cycle = start(case, alice)
    film(cycle, alice)
    data = valid(cycle) | {"celebrated": "", f"goals-now_{calmer.pk}": "6"}
    client.force_login(alice)
    html = client.post(review_url(cycle), data).content.decode()
    assert "Enter what was celebrated" in html
    assert "Enter what the parent hopes for on goal 1" in html
    assert not SharedReview.objects.exists()


def test_review_refused_by_a_rule_says_why_and_keeps_values(
    client: Client, case: Case, alice: User
) -> None:
    cycle = start(case, alice)  # not filmed yet
    client.force_login(alice)
    html = client.post(review_url(cycle), valid(cycle)).content.decode()
    assert "Record the filming of this cycle before its shared review." in html
    assert "I noticed I waited</textarea>" in html
    assert not SharedReview.objects.exists()


def test_review_before_the_filming_date_is_refused(
    client: Client, case: Case, alice: User
) -> None:
    cycle = start(case, alice)
    film(cycle, alice)
    client.force_login(alice)
    data = valid(cycle) | {"reviewed_on_0": "26", "reviewed_on_1": "3"}
    html = client.post(review_url(cycle), data).content.decode()
    assert "must be on or after the filming (27 March 2026)" in html
    cycle.refresh_from_db()
    assert cycle.completed_on is None


def test_a_complete_cycle_sends_the_review_page_back_to_the_cycle(
    client: Client, case: Case, alice: User
) -> None:
    cycle = start(case, alice)
    film(cycle, alice)
    client.force_login(alice)
    client.post(review_url(cycle), valid(cycle))
    response = client.post(review_url(cycle), valid(cycle) | {"celebrated": "Again"}, follow=True)
    assert "The shared review of cycle 1 is already recorded." in response.content.decode()
    assert SharedReview.objects.get().celebrated == "Turn-taking"
