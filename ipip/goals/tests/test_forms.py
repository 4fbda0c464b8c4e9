"""Goal forms: each error names the field (and the goal), values out of range or not numbers."""

from datetime import date

import pytest

from ipip.accounts.models import User
from ipip.cases.models import Case
from ipip.goals.actions import Rating
from ipip.goals.forms import GoalRatingsForm, GoalStatusForm, ReviewDateForm, SetGoalForm
from ipip.goals.models import Goal, GoalStatus
from ipip.goals.tests.conftest import set_goal

pytestmark = pytest.mark.django_db


@pytest.fixture
def goals(case: Case, alice: User) -> list[Goal]:
    return [set_goal(case, alice, text="One"), set_goal(case, alice, text="Two")]


def ratings_form(goals: list[Goal], data: dict[str, str], **kwargs: object) -> GoalRatingsForm:
    return GoalRatingsForm(data, goals=goals, **kwargs)  # type: ignore[arg-type]  # test kwargs


def test_ratings_of_some_goals(goals: list[Goal]) -> None:
    one, two = goals
    form = ratings_form(goals, {f"now_{one.pk}": "4", f"hoped_{one.pk}": "9"})
    assert form.is_valid(), form.errors
    assert form.ratings() == {one: Rating(now=4, hoped=9)}
    assert [row.goal for row in form.rows()] == [one, two]


def test_nothing_rated_is_fine_unless_one_is_required(goals: list[Goal]) -> None:
    assert ratings_form(goals, {}).is_valid()
    form = ratings_form(goals, {}, require_one=True)
    assert not form.is_valid()
    assert form.non_field_errors() == ["Rate at least one goal"]


def test_a_prefix_is_honoured(goals: list[Goal]) -> None:
    one = goals[0]
    form = ratings_form(goals, {f"g-now_{one.pk}": "2", f"g-hoped_{one.pk}": "3"}, prefix="g")
    assert form.is_valid()
    assert form.ratings() == {one: Rating(2, 3)}


def test_one_box_without_the_other_names_the_goal(goals: list[Goal]) -> None:
    one, two = goals
    form = ratings_form(goals, {f"now_{one.pk}": "4", f"hoped_{two.pk}": "7"}, require_one=True)
    assert not form.is_valid()
    assert form.errors[f"hoped_{one.pk}"] == ["Enter what the parent hopes for on goal 1"]
    assert form.errors[f"now_{two.pk}"] == ["Enter where the parent is now on goal 2"]
    assert "__all__" not in form.errors  # not also "Rate at least one goal"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "Goal 2, now must be from 1 to 10"),
        ("11", "Goal 2, now must be from 1 to 10"),
        ("-3", "Goal 2, now must be from 1 to 10"),
        ("seven", "Goal 2, now must be a whole number from 1 to 10"),
        ("7.5", "Goal 2, now must be a whole number from 1 to 10"),
    ],
)
def test_out_of_range_or_not_a_number(goals: list[Goal], value: str, message: str) -> None:
    two = goals[1]
    form = ratings_form(goals, {f"now_{two.pk}": value, f"hoped_{two.pk}": "8"})
    assert not form.is_valid()
    assert form.errors == {f"now_{two.pk}": [message]}


def test_rating_boxes_are_text_boxes_with_a_numeric_keyboard(goals: list[Goal]) -> None:
    html = str(ratings_form(goals, {})[f"now_{goals[0].pk}"])
    assert 'type="text"' in html
    assert 'inputmode="numeric"' in html


def test_set_goal_form_happy_path() -> None:
    form = SetGoalForm(
        {
            "text": "Play",
            "set_on_0": "2",
            "set_on_1": "2",
            "set_on_2": "2026",
            "now": "3",
            "hoped": "8",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["set_on"] == date(2026, 2, 2)


@pytest.mark.parametrize(
    ("field", "value", "errors"),
    [
        ("text", "", {"text": ["Enter the goal in the parent's own words"]}),
        ("now", "", {"now": ["Enter where the parent is now, from 1 to 10"]}),
        ("hoped", "", {"hoped": ["Enter what they hope for, from 1 to 10"]}),
        ("now", "12", {"now": ["Where the parent is now must be from 1 to 10"]}),
        (
            "hoped",
            "x",
            {"hoped": ["Where the parent hopes to be must be a whole number from 1 to 10"]},
        ),
        ("set_on_2", "2027", {"set_on": ["Date set must be today or in the past"]}),
        ("set_on_1", "", {"set_on": ["Date set must include a month"]}),
    ],
)
def test_set_goal_form_errors_name_the_field(
    field: str, value: str, errors: dict[str, list[str]]
) -> None:
    data = {"text": "Play", "set_on_0": "2", "set_on_1": "2", "set_on_2": "2026"}
    data |= {"now": "3", "hoped": "8", field: value}
    form = SetGoalForm(data)
    assert not form.is_valid()
    assert form.errors == errors


def test_review_date_is_required_and_not_in_the_future() -> None:
    assert ReviewDateForm({}).errors == {"rated_on": ["Enter the date of the review"]}
    future = {"rated_on_0": "13", "rated_on_1": "3", "rated_on_2": "2026"}
    assert ReviewDateForm(future).errors == {
        "rated_on": ["Date of the review must be today or in the past"]
    }


def test_status_form_offers_the_other_statuses() -> None:
    form = GoalStatusForm(current=GoalStatus.ACTIVE)
    assert [value for value, _ in form.fields["status"].choices] == ["achieved", "dropped"]  # type: ignore[attr-defined]
    form = GoalStatusForm({"version": "1", "status": "active"}, current=GoalStatus.ACTIVE)
    assert form.errors == {"status": ["Select what the goal is now"]}
    form = GoalStatusForm({"version": "1"}, current=GoalStatus.ACHIEVED)
    assert form.errors == {"status": ["Select what the goal is now"]}
