"""Goal actions: state and audit row for each, and every rule they enforce."""

from datetime import date
from uuid import uuid4

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from ipip.accounts.models import User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.cases.models import Case
from ipip.core.errors import ConcurrentEdit, DomainError, InvalidTransition
from ipip.goals.actions import (
    Rating,
    do_change_goal_status,
    do_rate_goals,
    do_set_goal,
    rate_goals,
)
from ipip.goals.models import Goal, GoalRating, GoalStatus, Occasion
from ipip.goals.tests.conftest import close, set_goal

pytestmark = pytest.mark.django_db


def test_set_goal_saves_the_goal_and_its_first_rating(case: Case, alice: User) -> None:
    goal = do_set_goal(
        case,
        text="  Read a story at bedtime  ",
        set_on=date(2026, 2, 2),
        rating=Rating(now=2, hoped=9),
        acting_user=alice,
    )
    goal.refresh_from_db()
    assert (goal.case, goal.text, goal.set_on) == (
        case,
        "Read a story at bedtime",
        date(2026, 2, 2),
    )
    assert (goal.status, goal.version, goal.created_by) == (GoalStatus.ACTIVE, 1, alice)
    rating = GoalRating.objects.get()
    assert (rating.goal, rating.rated_on, rating.now, rating.hoped) == (goal, goal.set_on, 2, 9)
    assert (rating.occasion, rating.source_public_id, rating.recorded_by) == (
        Occasion.SET,
        None,
        alice,
    )
    event = AuditEvent.objects.get(action=Action.GOAL_SET)
    assert (event.actor, event.subject_type, event.subject_public_id) == (
        alice,
        "Goal",
        goal.public_id,
    )
    assert event.family_public_id == case.family.public_id
    assert event.data == {}  # never the goal's words
    rated = AuditEvent.objects.get(action=Action.GOALS_RATED)
    assert rated.subject_public_id == case.public_id
    assert rated.data == {"occasion": "set", "source_id": None, "goal_ids": [str(goal.public_id)]}


def test_set_goal_refuses_empty_words(case: Case, alice: User) -> None:
    with pytest.raises(DomainError, match="Enter the goal in the parent's own words"):
        set_goal(case, alice, text="   ")
    assert not Goal.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.GOAL_SET).exists()


@pytest.mark.parametrize(("now", "hoped"), [(0, 5), (11, 5), (5, 0), (5, 11)])
def test_set_goal_refuses_out_of_range_ratings(
    case: Case, alice: User, now: int, hoped: int
) -> None:
    with pytest.raises(DomainError, match="must be from 1 to 10"):
        set_goal(case, alice, now=now, hoped=hoped)
    assert not Goal.objects.exists()
    assert not GoalRating.objects.exists()


@pytest.mark.parametrize(("now", "hoped"), [(1, 1), (10, 10), (1, 10)])
def test_ratings_at_the_ends_of_the_scale_are_kept(
    case: Case, alice: User, now: int, hoped: int
) -> None:
    set_goal(case, alice, now=now, hoped=hoped)
    assert GoalRating.objects.get().now == now


@pytest.mark.parametrize("who", ["bob", "lena"])
def test_managers_of_the_area_and_the_lead_may_set_goals(
    case: Case, who: str, request: pytest.FixtureRequest
) -> None:
    assert set_goal(case, request.getfixturevalue(who)).pk


@pytest.mark.parametrize("who", ["charlie", "dave", "erin", "adam", "rita"])
def test_others_may_not_set_rate_or_change_goals(
    case: Case, alice: User, who: str, request: pytest.FixtureRequest
) -> None:
    goal = set_goal(case, alice)
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        set_goal(case, user)
    with pytest.raises(PermissionDenied):
        do_rate_goals(case, {goal: Rating(5, 8)}, rated_on=date(2026, 3, 1), acting_user=user)
    with pytest.raises(PermissionDenied):
        do_change_goal_status(goal, status=GoalStatus.ACHIEVED, acting_user=user)
    assert Goal.objects.count() == 1
    assert GoalRating.objects.count() == 1
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACTIVE


def test_a_closed_case_refuses_every_goal_action(case: Case, alice: User, bob: User) -> None:
    goal = set_goal(case, alice)
    close(case, bob)
    with pytest.raises(DomainError, match="This case is closed: its goals cannot be changed"):
        set_goal(case, bob)
    with pytest.raises(DomainError, match="closed"):
        do_rate_goals(case, {goal: Rating(5, 8)}, rated_on=date(2026, 3, 1), acting_user=bob)
    with pytest.raises(DomainError, match="closed"):
        do_change_goal_status(goal, status=GoalStatus.ACHIEVED, acting_user=bob)
    assert (Goal.objects.count(), GoalRating.objects.count()) == (1, 1)
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACTIVE


def test_rate_goals_saves_a_review_and_audits_it(case: Case, alice: User) -> None:
    first = set_goal(case, alice, on=date(2026, 2, 2))
    second = set_goal(case, alice, text="Keep calm at teatime", on=date(2026, 2, 9))
    made = do_rate_goals(
        case,
        {first: Rating(now=5, hoped=8), second: Rating(now=4, hoped=7)},
        rated_on=date(2026, 3, 2),
        acting_user=alice,
    )
    assert [(r.goal, r.now, r.hoped) for r in made] == [(first, 5, 8), (second, 4, 7)]
    saved = GoalRating.objects.filter(occasion=Occasion.REVIEW).order_by("id")
    assert [(r.goal, r.rated_on, r.now, r.hoped, r.recorded_by) for r in saved] == [
        (first, date(2026, 3, 2), 5, 8, alice),
        (second, date(2026, 3, 2), 4, 7, alice),
    ]
    event = AuditEvent.objects.filter(action=Action.GOALS_RATED).latest("id")
    assert event.actor == alice
    assert event.family_public_id == case.family.public_id
    assert event.data == {
        "occasion": "review",
        "source_id": None,
        "goal_ids": [str(first.public_id), str(second.public_id)],
    }


def test_rate_goals_on_the_day_the_goal_was_set(case: Case, alice: User) -> None:
    goal = set_goal(case, alice, on=date(2026, 2, 2))
    do_rate_goals(case, {goal: Rating(4, 8)}, rated_on=date(2026, 2, 2), acting_user=alice)
    assert goal.ratings.count() == 2


def test_rating_nothing_is_refused(case: Case, alice: User) -> None:
    set_goal(case, alice)
    with pytest.raises(DomainError, match="Rate at least one goal"):
        do_rate_goals(case, {}, rated_on=date(2026, 3, 1), acting_user=alice)
    assert AuditEvent.objects.filter(action=Action.GOALS_RATED).count() == 1  # the set only


def test_composable_rate_goals_records_the_source(case: Case, alice: User) -> None:
    goal = set_goal(case, alice)
    source = uuid4()
    with transaction.atomic():
        rate_goals(
            case,
            {goal: Rating(6, 9)},
            rated_on=date(2026, 3, 3),
            occasion=Occasion.VIG_REVIEW,
            source_public_id=source,
            acting_user=alice,
        )
    rating = GoalRating.objects.get(occasion=Occasion.VIG_REVIEW)
    assert rating.source_public_id == source
    event = AuditEvent.objects.filter(action=Action.GOALS_RATED).latest("id")
    assert event.data["source_id"] == str(source)
    assert event.data["occasion"] == "vig_review"


def test_composable_rate_goals_with_nothing_writes_nothing(case: Case, alice: User) -> None:
    with transaction.atomic():
        made = rate_goals(
            case,
            {},
            rated_on=date(2026, 3, 3),
            occasion=Occasion.PTP_SESSION,
            source_public_id=None,
            acting_user=alice,
        )
    assert made == []
    assert not AuditEvent.objects.filter(action=Action.GOALS_RATED).exists()


def test_rate_goals_refuses_a_goal_of_another_case(
    case: Case, other_case: Case, alice: User, bob: User
) -> None:
    mine = set_goal(case, alice)
    theirs = set_goal(other_case, bob)
    with pytest.raises(DomainError, match="That goal belongs to another case"):
        do_rate_goals(
            case,
            {mine: Rating(5, 8), theirs: Rating(5, 8)},
            rated_on=date(2026, 3, 1),
            acting_user=bob,
        )
    assert GoalRating.objects.count() == 2  # the two first ratings only: none of the review
    with (
        pytest.raises(DomainError, match="That goal belongs to another case"),
        transaction.atomic(),
    ):
        rate_goals(
            case,
            {theirs: Rating(5, 8)},
            rated_on=date(2026, 3, 1),
            occasion=Occasion.PTP_SESSION,
            source_public_id=None,
            acting_user=bob,
        )
    assert GoalRating.objects.count() == 2


@pytest.mark.parametrize("status", [GoalStatus.ACHIEVED, GoalStatus.DROPPED])
def test_rate_goals_refuses_a_goal_no_longer_worked_on(
    case: Case, alice: User, status: GoalStatus
) -> None:
    goal = set_goal(case, alice)
    do_change_goal_status(goal, status=status, acting_user=alice)
    with pytest.raises(DomainError, match="Only goals still being worked on can be rated"):
        do_rate_goals(case, {goal: Rating(5, 8)}, rated_on=date(2026, 3, 1), acting_user=alice)
    assert GoalRating.objects.count() == 1


def test_rate_goals_checks_the_saved_status_not_a_stale_copy(case: Case, alice: User) -> None:
    goal = set_goal(case, alice)
    stale = Goal.objects.get(pk=goal.pk)  # loaded before someone else drops the goal
    do_change_goal_status(goal, status=GoalStatus.DROPPED, acting_user=alice)
    assert stale.status == GoalStatus.ACTIVE
    with pytest.raises(DomainError, match="Only goals still being worked on"):
        do_rate_goals(case, {stale: Rating(5, 8)}, rated_on=date(2026, 3, 1), acting_user=alice)
    assert GoalRating.objects.count() == 1


def test_rate_goals_refuses_a_date_before_the_goal_was_set(case: Case, alice: User) -> None:
    early = set_goal(case, alice, on=date(2026, 1, 5))
    late = set_goal(case, alice, on=date(2026, 2, 2))
    with pytest.raises(DomainError, match="A goal cannot be rated before the day it was set"):
        do_rate_goals(
            case,
            {early: Rating(5, 8), late: Rating(5, 8)},
            rated_on=date(2026, 2, 1),
            acting_user=alice,
        )
    assert GoalRating.objects.count() == 2  # the first ratings only: the early goal's too


@pytest.mark.parametrize(("now", "hoped"), [(0, 5), (11, 5), (5, 0), (5, 11), (-1, 5)])
def test_rate_goals_refuses_out_of_range_ratings(
    case: Case, alice: User, now: int, hoped: int
) -> None:
    goal = set_goal(case, alice)
    with pytest.raises(DomainError, match="must be from 1 to 10"):
        do_rate_goals(
            case,
            {goal: Rating(now=now, hoped=hoped)},
            rated_on=date(2026, 3, 1),
            acting_user=alice,
        )
    assert GoalRating.objects.count() == 1


def test_a_rating_can_never_be_edited(case: Case, alice: User) -> None:
    set_goal(case, alice, now=3)
    rating = GoalRating.objects.get()
    rating.now = 9
    with pytest.raises(InvalidTransition, match="A goal rating is never edited"):
        rating.save()
    rating.refresh_from_db()
    assert rating.now == 3


def test_the_database_refuses_out_of_range_ratings(case: Case, alice: User) -> None:
    goal = set_goal(case, alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        GoalRating.objects.create(
            goal=goal,
            rated_on=date(2026, 3, 1),
            now=11,
            hoped=5,
            occasion=Occasion.REVIEW,
            recorded_by=alice,
        )


@pytest.mark.parametrize("status", [GoalStatus.ACHIEVED, GoalStatus.DROPPED])
def test_change_status_saves_and_audits(case: Case, alice: User, status: GoalStatus) -> None:
    goal = set_goal(case, alice)
    changed = do_change_goal_status(goal, status=status, acting_user=alice, expected_version=1)
    goal.refresh_from_db()
    assert (goal.status, goal.version, goal.modified_by) == (status, 2, alice)
    assert changed.version == 2
    event = AuditEvent.objects.get(action=Action.GOAL_CHANGED)
    assert (event.actor, event.subject_public_id, event.family_public_id) == (
        alice,
        goal.public_id,
        case.family.public_id,
    )
    assert event.data == {"status": str(status)}


def test_a_goal_can_be_worked_on_again(case: Case, alice: User) -> None:
    goal = set_goal(case, alice)
    do_change_goal_status(goal, status=GoalStatus.DROPPED, acting_user=alice)
    do_change_goal_status(goal, status=GoalStatus.ACTIVE, acting_user=alice, expected_version=2)
    goal.refresh_from_db()
    assert (goal.status, goal.version) == (GoalStatus.ACTIVE, 3)
    do_rate_goals(case, {goal: Rating(7, 9)}, rated_on=date(2026, 3, 5), acting_user=alice)
    assert goal.ratings.count() == 2


def test_change_status_from_a_stale_page_is_refused(case: Case, alice: User, bob: User) -> None:
    goal = set_goal(case, alice)
    do_change_goal_status(goal, status=GoalStatus.ACHIEVED, acting_user=bob, expected_version=1)
    with pytest.raises(ConcurrentEdit, match="Someone else changed this goal"):
        do_change_goal_status(
            goal, status=GoalStatus.DROPPED, acting_user=alice, expected_version=1
        )
    goal.refresh_from_db()
    assert (goal.status, goal.version) == (GoalStatus.ACHIEVED, 2)
    assert AuditEvent.objects.filter(action=Action.GOAL_CHANGED).count() == 1
