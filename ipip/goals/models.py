"""The parent's own goals, and each 1-10 rating of them (now, and hoped for).

A rating is made when a goal is set and at each review: a VIG shared review, a PTP
session, or a review on its own. Ratings are never edited: a new review adds new ones.
"""

from typing import Any, Final

from django.conf import settings
from django.db import models
from django.db.models import Q

from ipip.cases.models import Case
from ipip.core.errors import InvalidTransition
from ipip.core.models import BaseModel

RATING_MIN: Final = 1
RATING_MAX: Final = 10


class GoalStatus(models.TextChoices):
    ACTIVE = "active", "Working on it"
    ACHIEVED = "achieved", "Achieved"
    DROPPED = "dropped", "No longer a goal"


class Occasion(models.TextChoices):
    SET = "set", "Goal set"
    VIG_REVIEW = "vig_review", "VIG shared review"
    PTP_SESSION = "ptp_session", "PTP session"
    REVIEW = "review", "Review"


class Goal(BaseModel):
    """One goal in the parent's own words."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="goals")
    text = models.TextField()
    set_on = models.DateField()
    status = models.CharField(max_length=10, choices=GoalStatus.choices, default=GoalStatus.ACTIVE)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["set_on", "id"]


class GoalRating(BaseModel):
    """The parent's rating of one goal on one occasion: where they are now, and where they
    hope to be, each from 1 to 10."""

    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="ratings")
    rated_on = models.DateField()
    now = models.PositiveSmallIntegerField()
    hoped = models.PositiveSmallIntegerField()
    occasion = models.CharField(max_length=12, choices=Occasion.choices)
    # The VIG cycle or PTP session the review belongs to (its public id), if any.
    source_public_id = models.UUIDField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["rated_on", "id"]
        indexes = [models.Index(fields=["goal", "rated_on"], name="goal_rating_goal_idx")]
        constraints = [
            models.CheckConstraint(
                name="goal_rating_now_range",
                condition=Q(now__gte=RATING_MIN) & Q(now__lte=RATING_MAX),
            ),
            models.CheckConstraint(
                name="goal_rating_hoped_range",
                condition=Q(hoped__gte=RATING_MIN) & Q(hoped__lte=RATING_MAX),
            ),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise InvalidTransition("A goal rating is never edited; record a new review.")
        super().save(*args, **kwargs)
