"""Questionnaire administrations, their scale scores, the schedule of time points, and the
risk alerts scoring raised.

An administration is one instrument given at one time point for one case (and, for an
instrument about a child, one child). Items-stored instruments keep each answer in
`answers`; scores-only instruments keep only the scale scores typed in (`entered`). Scale
scores are computed by the pure scoring functions and stored in `ScaleScore` rows, so
results and research extracts read numbers, never re-score.

A completed administration is locked. A correction is a new administration (version + 1)
with a reason; the old one is marked superseded and kept.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from ipip.cases.models import Case, Child
from ipip.core.models import BaseModel
from ipip.safeguarding.models import Alert


class TimePoint(models.TextChoices):
    BASELINE = "baseline", "Baseline"
    END = "end", "End"
    FOLLOW_UP = "follow_up", "Follow-up"


class AdministrationStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    SUPERSEDED = "superseded", "Corrected (replaced by a later version)"


class Administration(BaseModel):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="administrations")
    # The child an instrument about a child (SDQ) was answered about.
    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, null=True, blank=True, related_name="administrations"
    )
    instrument_code = models.CharField(max_length=20)
    # The instrument definition's version when scored (keys or bands may change later).
    instrument_version = models.CharField(max_length=10)
    time_point = models.CharField(max_length=10, choices=TimePoint.choices)
    status = models.CharField(
        max_length=12,
        choices=AdministrationStatus.choices,
        default=AdministrationStatus.IN_PROGRESS,
    )
    # Item number (as a string, JSON keys) -> raw value; items-stored instruments only.
    answers = models.JSONField(default=dict, blank=True)
    # Scale code -> score as a string ("4", "3.25"); scores-only instruments only.
    entered = models.JSONField(default=dict, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    # The child's age in whole months on `completed_on`, which chose the SDQ form's bands.
    child_age_months = models.PositiveSmallIntegerField(null=True, blank=True)
    administered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Corrections: number 1 is the first; a correction supersedes the one before.
    number = models.PositiveSmallIntegerField(default=1)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    correction_reason = models.TextField(blank=True)
    # Optimistic lock for saving part-way from two tabs or two people.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["case", "time_point", "instrument_code", "number"]
        indexes = [
            models.Index(fields=["case", "status"], name="admin_case_status_idx"),
            models.Index(fields=["instrument_code", "time_point"], name="admin_instrument_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="admin_completed_has_date",
                condition=Q(status=AdministrationStatus.IN_PROGRESS)
                | Q(completed_on__isnull=False),
            ),
            # One current administration per case, time point, instrument (and child).
            models.UniqueConstraint(
                fields=["case", "time_point", "instrument_code"],
                condition=Q(child__isnull=True) & ~Q(status=AdministrationStatus.SUPERSEDED),
                name="admin_one_current",
            ),
            models.UniqueConstraint(
                fields=["case", "child", "time_point", "instrument_code"],
                condition=Q(child__isnull=False) & ~Q(status=AdministrationStatus.SUPERSEDED),
                name="admin_one_current_per_child",
            ),
            models.CheckConstraint(
                name="admin_correction_has_reason",
                condition=Q(supersedes__isnull=True) | ~Q(correction_reason=""),
            ),
        ]


class ScaleScore(BaseModel):
    """One scale's score from one administration, as scored when it was completed."""

    administration = models.ForeignKey(
        Administration, on_delete=models.PROTECT, related_name="scores"
    )
    scale_code = models.CharField(max_length=30)
    # None: incomplete (too many items missing) or not given.
    value = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    band_code = models.CharField(max_length=30, blank=True)
    band_label = models.CharField(max_length=60, blank=True)
    form = models.CharField(max_length=20, blank=True)
    answered = models.PositiveSmallIntegerField(default=0)
    missing = models.PositiveSmallIntegerField(default=0)
    prorated = models.BooleanField(default=False)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["administration", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["administration", "scale_code"], name="scale_score_unique"
            ),
        ]


class RiskFlag(BaseModel):
    """A risk found by scoring (PHQ-9 item 9 above 0, K10 very high, DASS-21 depression
    extremely severe), and the alert it raised to the practitioner and the area's managers."""

    administration = models.ForeignKey(
        Administration, on_delete=models.PROTECT, related_name="risk_flags"
    )
    code = models.CharField(max_length=60)
    message = models.CharField(max_length=300)
    alert = models.OneToOneField(
        Alert, on_delete=models.PROTECT, null=True, blank=True, related_name="risk_flag"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["administration", "code"], name="risk_flag_unique"),
        ]


class ScheduleSettings(BaseModel):
    """The service's time points: one row. Windows in days; follow-up in months after
    closure. Read by `ipip.questionnaires.schedule`."""

    # Baseline: from allocation, due before the first intervention visit; overdue after
    # `baseline_due_days` from allocation; missed once an intervention visit took place
    # more than `baseline_grace_days` before without it.
    baseline_due_days = models.PositiveSmallIntegerField(default=21)
    baseline_grace_days = models.PositiveSmallIntegerField(default=14)
    # End: opens this many days after allocation (the 2-3 month window) or at closure,
    # whichever is first; overdue after closure; missed `end_window_after_days` after it.
    end_opens_after_days = models.PositiveSmallIntegerField(default=56)
    end_window_after_days = models.PositiveSmallIntegerField(default=28)
    # Follow-up: due `follow_up_months` after closure, open `follow_up_window_days` either
    # side; missed after the window.
    follow_up_months = models.PositiveSmallIntegerField(default=6)
    follow_up_window_days = models.PositiveSmallIntegerField(default=30)
    version = models.PositiveIntegerField(default=1)


class ScheduledInstrument(BaseModel):
    """Instrument due at a time point (set per service)."""

    time_point = models.CharField(max_length=10, choices=TimePoint.choices)
    instrument_code = models.CharField(max_length=20)

    class Meta:
        ordering = ["time_point", "instrument_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["time_point", "instrument_code"], name="scheduled_instrument_unique"
            ),
        ]
