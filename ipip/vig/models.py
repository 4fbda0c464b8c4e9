"""VIG cycles: the helping question and goals, the filming, the clips chosen, the shared review.

One cycle is one film and one shared review (domain.md §2). The video file itself arrives in a
later issue: it will hang off `Filming` (e.g. a nullable one-to-one from a `VideoFile` model),
so a clip's times are relative to its filming and `Clip` never refers to a file.
"""

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from ipip.cases.models import Carer, Case, Child
from ipip.core.errors import DomainError, InvalidTransition
from ipip.core.models import BaseModel
from ipip.goals.models import Goal
from ipip.vig.principles import PRINCIPLE_OF_ELEMENT, element_label, principle_label
from ipip.vig.rules import FILM_MAX_SECONDS, format_clock


class VigCycle(BaseModel):
    """One cycle of a case, numbered 1, 2, 3... Complete once its shared review is recorded."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="vig_cycles")
    number = models.PositiveSmallIntegerField()
    helping_question = models.TextField()
    goals = models.ManyToManyField(Goal, blank=True, related_name="vig_cycles")
    started_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "number"], name="vig_cycle_case_number_unique"
            ),
            models.CheckConstraint(name="vig_cycle_number_positive", condition=Q(number__gte=1)),
            models.CheckConstraint(
                name="vig_cycle_completed_after_start",
                condition=Q(completed_on__isnull=True) | Q(completed_on__gte=F("started_on")),
            ),
        ]

    @property
    def is_complete(self) -> bool:
        return self.completed_on is not None

    def complete(self, *, on: date) -> None:
        """Mark the cycle complete on the day of its shared review. Does not save."""
        if self.is_complete:
            raise InvalidTransition(
                "The shared review of this cycle has already been recorded: it cannot be "
                "recorded again."
            )
        if on < self.started_on:
            raise DomainError("The shared review cannot be dated before the cycle started.")
        self.completed_on = on
        self.version += 1


class Filming(BaseModel):
    """A film of the family made for a cycle: when, what activity, how long, who was in it."""

    cycle = models.ForeignKey(VigCycle, on_delete=models.PROTECT, related_name="filmings")
    filmed_on = models.DateField()
    activity = models.CharField(max_length=200)
    length_seconds = models.PositiveIntegerField()
    filmed_carers = models.ManyToManyField(Carer, blank=True, related_name="vig_filmings")
    filmed_children = models.ManyToManyField(Child, blank=True, related_name="vig_filmings")
    note = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["cycle", "filmed_on"], name="vig_filming_cycle_idx")]
        constraints = [
            models.CheckConstraint(
                name="vig_filming_length_range",
                condition=Q(length_seconds__gte=1) & Q(length_seconds__lte=FILM_MAX_SECONDS),
            ),
        ]

    @property
    def length(self) -> str:
        return format_clock(self.length_seconds)


class ClipQuerySet(models.QuerySet["Clip"]):
    def chosen(self) -> "ClipQuerySet":
        """Clips not removed: the ones shown as chosen for the shared review."""
        return self.filter(removed_at__isnull=True)


class Clip(BaseModel):
    """A moment of a filming chosen in the micro-analysis, with the principles it shows.

    `principles` and `elements` are lists of codes from `ipip.vig.principles`, checked by
    `principles.check_selection` in the action. Removing a clip is recorded, never deleted.
    """

    filming = models.ForeignKey(Filming, on_delete=models.PROTECT, related_name="clips")
    start_seconds = models.DecimalField(max_digits=7, decimal_places=3)
    end_seconds = models.DecimalField(max_digits=7, decimal_places=3)
    principles = models.JSONField(default=list)
    elements = models.JSONField(default=list)
    note = models.TextField(blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1)

    objects = ClipQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["filming", "start_seconds"], name="vig_clip_filming_idx")]
        constraints = [
            models.CheckConstraint(
                name="vig_clip_time_range",
                condition=Q(start_seconds__gte=0)
                & Q(end_seconds__gt=F("start_seconds"))
                & Q(end_seconds__lte=FILM_MAX_SECONDS),
            ),
            models.CheckConstraint(
                name="vig_clip_removed_has_who",
                condition=Q(removed_at__isnull=True, removed_by__isnull=True)
                | Q(removed_at__isnull=False, removed_by__isnull=False),
            ),
        ]

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None

    @property
    def time_range(self) -> str:
        """1:05–1:40"""
        return f"{format_clock(self.start_seconds)}–{format_clock(self.end_seconds)}"

    @property
    def principle_rows(self) -> list[tuple[str, list[str]]]:
        """(principle label, [element labels]) for each principle, in catalogue order."""
        return [
            (
                principle_label(code),
                [element_label(e) for e in self.elements if PRINCIPLE_OF_ELEMENT.get(e) == code],
            )
            for code in self.principles
        ]

    def remove(self, *, at: datetime) -> None:
        """Record that the clip is no longer chosen (or must go). Does not save."""
        if self.is_removed:
            raise InvalidTransition("This clip has already been removed.")
        self.removed_at = at
        self.version += 1


class SharedReview(BaseModel):
    """The shared review that completes a cycle: recorded once, never edited."""

    cycle = models.OneToOneField(VigCycle, on_delete=models.PROTECT, related_name="review")
    reviewed_on = models.DateField()
    parent_reflections = models.TextField()
    celebrated = models.TextField()
    next_goals = models.TextField(blank=True)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise InvalidTransition("A shared review is never edited.")
        super().save(*args, **kwargs)
