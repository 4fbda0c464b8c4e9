"""Reading goals: a case's goals with their ratings, and the short summary for the case page.

Goals are numbered as the rating form numbers them: "Goal 1" is the first goal still being
worked on, in the order set (date set, then the order recorded). Goals achieved or no
longer being worked on are not numbered.
"""

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.db.models import Prefetch

from ipip.cases.models import Case
from ipip.core.dates import long_date
from ipip.goals.charts import RatingPoint
from ipip.goals.models import Goal, GoalRating, GoalStatus


@dataclass(frozen=True)
class GoalView:
    """One goal for the goals page, with its ratings in date order (the order made within a day)."""

    goal: Goal
    number: int | None  # None for a goal no longer being worked on
    ratings: tuple[GoalRating, ...]

    @property
    def is_active(self) -> bool:
        return self.goal.status == GoalStatus.ACTIVE

    @property
    def name(self) -> str:
        """ "Goal 1", or for a goal no longer being worked on, "Goal set 12 March 2026"."""
        if self.number is None:
            return f"Goal set {long_date(self.goal.set_on)}"
        return f"Goal {self.number}"

    @property
    def latest(self) -> GoalRating | None:
        return self.ratings[-1] if self.ratings else None

    @property
    def points(self) -> list[RatingPoint]:
        return [RatingPoint(on=r.rated_on, now=r.now, hoped=r.hoped) for r in self.ratings]


def case_goals(case: Case) -> list[GoalView]:
    """Every goal of the case: those being worked on first (numbered), then the others.

    Two queries, whatever the number of goals and ratings.
    """
    goals = (
        Goal.objects.filter(case=case)
        .order_by("set_on", "id")
        .prefetch_related(
            Prefetch("ratings", queryset=GoalRating.objects.order_by("rated_on", "id"))
        )
    )
    active: list[Goal] = []
    others: list[Goal] = []
    for goal in goals:
        (active if goal.status == GoalStatus.ACTIVE else others).append(goal)
    views = [
        GoalView(goal=g, number=n, ratings=tuple(g.ratings.all()))
        for n, g in enumerate(active, start=1)
    ]
    views += [GoalView(goal=g, number=None, ratings=tuple(g.ratings.all())) for g in others]
    return views


@dataclass(frozen=True)
class GoalSummary:
    """An active goal with its first and latest "now" ratings, for the case page."""

    public_id: UUID
    number: int
    text: str
    set_on: date
    first_now: int | None
    first_on: date | None
    latest_now: int | None
    latest_hoped: int | None
    latest_on: date | None
    rating_count: int


def goals_summary(case: Case) -> list[GoalSummary]:
    """Each goal still being worked on, with its first and latest "now" rating.

    Two queries: the active goals, then their ratings (values only).
    """
    goals = list(
        Goal.objects.filter(case=case, status=GoalStatus.ACTIVE)
        .order_by("set_on", "id")
        .values_list("pk", "public_id", "text", "set_on")
    )
    if not goals:
        return []
    rows = GoalRating.objects.filter(goal_id__in=[pk for pk, *_ in goals]).order_by(
        "goal_id", "rated_on", "id"
    )
    first: dict[int, tuple[date, int]] = {}
    latest: dict[int, tuple[date, int, int]] = {}
    counts: dict[int, int] = {}
    for goal_id, rated_on, now, hoped in rows.values_list("goal_id", "rated_on", "now", "hoped"):
        first.setdefault(goal_id, (rated_on, now))
        latest[goal_id] = (rated_on, now, hoped)
        counts[goal_id] = counts.get(goal_id, 0) + 1
    summaries = []
    for number, (pk, public_id, text, set_on) in enumerate(goals, start=1):
        first_on, first_now = first.get(pk, (None, None))
        latest_on, latest_now, latest_hoped = latest.get(pk, (None, None, None))
        summaries.append(
            GoalSummary(
                public_id=public_id,
                number=number,
                text=text,
                set_on=set_on,
                first_now=first_now,
                first_on=first_on,
                latest_now=latest_now,
                latest_hoped=latest_hoped,
                latest_on=latest_on,
                rating_count=counts.get(pk, 0),
            )
        )
    return summaries
