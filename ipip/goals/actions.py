"""Writes to goals. `rate_goals` is composable: VIG reviews and PTP sessions call it
inside their own transaction, so a review and its ratings are saved together or not at all."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db import transaction

from ipip.accounts.models import User
from ipip.audit.events import Action
from ipip.audit.record import record
from ipip.cases.access import may_work_on_case
from ipip.cases.actions import check_version
from ipip.cases.models import Case
from ipip.core.errors import DomainError
from ipip.goals.models import RATING_MAX, RATING_MIN, Goal, GoalRating, GoalStatus, Occasion


@dataclass(frozen=True)
class Rating:
    now: int
    hoped: int


def _check_rating(rating: Rating) -> None:
    for label, value in (("now", rating.now), ("hoped for", rating.hoped)):
        if not RATING_MIN <= value <= RATING_MAX:
            raise DomainError(f"A rating ({label}) must be from {RATING_MIN} to {RATING_MAX}.")


def rate_goals(
    case: Case,
    ratings: Mapping[Goal, Rating],
    *,
    rated_on: date,
    occasion: Occasion,
    source_public_id: UUID | None,
    acting_user: User,
) -> list[GoalRating]:
    """Record the parent's ratings of some of the case's goals (composable, not durable).

    The caller has checked the case is open and the user may work on it. Refuses a goal of
    another case or one no longer active. Writes one GOALS_RATED event when anything is rated.
    """
    # Check against the goals as saved now, not the copies the caller loaded before it
    # locked the case: someone may have marked a goal achieved in between. Check every
    # goal before saving any, so a refusal never leaves some ratings behind.
    saved = {
        pk: (case_id, status, set_on)
        for pk, case_id, status, set_on in Goal.objects.filter(
            pk__in=[goal.pk for goal in ratings]
        ).values_list("pk", "case_id", "status", "set_on")
    }
    for goal, rating in ratings.items():
        case_id, status, set_on = saved.get(goal.pk, (None, None, None))
        if case_id != case.pk:
            raise DomainError("That goal belongs to another case.")
        if status != GoalStatus.ACTIVE:
            raise DomainError("Only goals still being worked on can be rated.")
        assert set_on is not None
        if rated_on < set_on:
            raise DomainError("A goal cannot be rated before the day it was set.")
        _check_rating(rating)
    made = []
    for goal, rating in ratings.items():
        made.append(
            GoalRating.objects.create(
                goal=goal,
                rated_on=rated_on,
                now=rating.now,
                hoped=rating.hoped,
                occasion=occasion,
                source_public_id=source_public_id,
                recorded_by=acting_user,
                created_by=acting_user,
                modified_by=acting_user,
            )
        )
    if made:
        record(
            Action.GOALS_RATED,
            actor=acting_user,
            subject=case,
            family_public_id=case.family.public_id,
            data={
                "occasion": str(occasion),
                "source_id": str(source_public_id) if source_public_id else None,
                "goal_ids": [str(r.goal.public_id) for r in made],
            },
        )
    return made


def _locked_case(case: Case, acting_user: User) -> Case:
    case = Case.objects.select_for_update(of=("self",)).select_related("family").get(pk=case.pk)
    if not may_work_on_case(acting_user, case):
        raise PermissionDenied
    case.ensure_open("its goals")
    return case


@transaction.atomic(durable=True)
def do_set_goal(case: Case, *, text: str, set_on: date, rating: Rating, acting_user: User) -> Goal:
    """Add a goal in the parent's words with its first rating. Writes GOAL_SET and GOALS_RATED."""
    case = _locked_case(case, acting_user)
    text = text.strip()
    if not text:
        raise DomainError("Enter the goal in the parent's own words.")
    _check_rating(rating)
    goal = Goal.objects.create(
        case=case, text=text, set_on=set_on, created_by=acting_user, modified_by=acting_user
    )
    record(
        Action.GOAL_SET, actor=acting_user, subject=goal, family_public_id=case.family.public_id
    )
    rate_goals(
        case,
        {goal: rating},
        rated_on=set_on,
        occasion=Occasion.SET,
        source_public_id=None,
        acting_user=acting_user,
    )
    return goal


@transaction.atomic(durable=True)
def do_rate_goals(
    case: Case, ratings: Mapping[Goal, Rating], *, rated_on: date, acting_user: User
) -> list[GoalRating]:
    """A review of the goals on its own (not part of a VIG review or PTP session)."""
    case = _locked_case(case, acting_user)
    if not ratings:
        raise DomainError("Rate at least one goal.")
    return rate_goals(
        case,
        ratings,
        rated_on=rated_on,
        occasion=Occasion.REVIEW,
        source_public_id=None,
        acting_user=acting_user,
    )


@transaction.atomic(durable=True)
def do_change_goal_status(
    goal: Goal, *, status: GoalStatus, acting_user: User, expected_version: int | None = None
) -> Goal:
    """Mark a goal achieved or dropped (or active again). Writes GOAL_CHANGED."""
    case = _locked_case(goal.case, acting_user)
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    check_version(goal.version, expected_version, what="goal")
    goal.status = status
    goal.version += 1
    goal.modified_by = acting_user
    goal.save(update_fields=["status", "version", "modified_by", "modified_at"])
    record(
        Action.GOAL_CHANGED,
        actor=acting_user,
        subject=goal,
        family_public_id=case.family.public_id,
        data={"status": str(status)},
    )
    return goal
