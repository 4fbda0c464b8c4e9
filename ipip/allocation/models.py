"""Practitioners' capacity, each case's allocation history, and the trial's settings and
assignments. The randomisation key is never stored here (see `keys.py`)."""

from typing import Any, Final

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from ipip.accounts.models import Area
from ipip.cases.models import Approach, Case
from ipip.core.errors import InvalidTransition
from ipip.core.models import BaseModel

CAPACITY_MAX: Final = 50


class Capacity(BaseModel):
    """How many open cases a practitioner should hold, set by a manager. A guide, not a cap:
    allocating beyond it is allowed, with a warning."""

    practitioner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="capacity"
    )
    max_open_cases = models.PositiveSmallIntegerField()
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name_plural = "capacities"
        constraints = [
            models.CheckConstraint(
                name="capacity_max_open_cases_range",
                condition=Q(max_open_cases__gte=0) & Q(max_open_cases__lte=CAPACITY_MAX),
            ),
        ]


class AllocationRecord(BaseModel):
    """One allocation of a case to a practitioner and an approach. A reallocation ends the
    current record and adds one, so the history stays as it happened."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="allocation_history")
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="allocation_records"
    )
    approach = models.CharField(max_length=4, choices=Approach.choices)
    # The approach came from the trial's randomisation (not the manager's choice).
    is_randomised = models.BooleanField(default=False)
    allocated_at = models.DateTimeField()
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    # Why the case was reallocated (free text: shown on the case, never put in the audit).
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["allocated_at", "id"]
        indexes = [models.Index(fields=["case", "allocated_at"], name="allocation_case_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(ended_at__isnull=True),
                name="allocation_one_current_per_case",
            ),
            models.CheckConstraint(
                name="allocation_ends_after_start",
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("allocated_at")),
            ),
        ]

    @property
    def is_current(self) -> bool:
        return self.ended_at is None


class TrialSetting(BaseModel):
    """Whether an area runs as a trial (approach assigned by concealed randomisation).

    Its row is also the lock that serialises assignments in the area's stratum."""

    area = models.OneToOneField(Area, on_delete=models.PROTECT, related_name="trial_setting")
    is_enabled = models.BooleanField(default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)


class TrialAssignment(BaseModel):
    """A case's trial arm: the arm at `position` (0-based) of its stratum's sequence.

    Written once, when the case is first allocated in trial mode; never edited."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="trial_assignment")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="trial_assignments")
    stratum = models.CharField(max_length=64)
    position = models.PositiveIntegerField()
    arm = models.CharField(max_length=4, choices=Approach.choices)
    assigned_at = models.DateTimeField()
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            # Two assignments can never share a position, even if a lock were missed.
            models.UniqueConstraint(
                fields=["stratum", "position"], name="trial_assignment_position_unique"
            ),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise InvalidTransition("A trial assignment is never changed.")
        super().save(*args, **kwargs)


def stratum_for(area: Area) -> str:
    """The randomisation stratum of an area's cases: the area (by its stable public id)."""
    return f"area:{area.public_id}"
