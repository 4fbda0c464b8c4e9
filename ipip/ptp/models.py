"""Pathways Triple P per case: the session plan, the sessions, and the modules each covered.

The modules are a child table (not JSON on the session) so coverage is counted in SQL.
"""

from django.db import models
from django.db.models import Q

from ipip.cases.models import Case
from ipip.core.errors import DomainError
from ipip.core.models import BaseModel
from ipip.ptp.modules import LEVEL_LABELS, MODULE_CHOICES, MODULE_CODES, Level, unknown_codes
from ipip.ptp.rules import (
    PLANNED_SESSIONS_MAX,
    PLANNED_SESSIONS_MIN,
    SESSION_MINUTES_MAX,
    SESSION_MINUTES_MIN,
)


class ContentLevel(models.TextChoices):
    """Which Triple P level's content a session used (see modules.py)."""

    LEVEL_3 = Level.LEVEL_3.value, LEVEL_LABELS[Level.LEVEL_3]
    LEVEL_5 = Level.LEVEL_5.value, LEVEL_LABELS[Level.LEVEL_5]


class HomeworkReview(models.TextChoices):
    """How the homework set at the previous session went."""

    DONE = "done", "Done"
    PARTLY_DONE = "partly_done", "Partly done"
    NOT_DONE = "not_done", "Not done"
    NONE_SET = "none_set", "No homework was set"


class SessionPlan(BaseModel):
    """The case's plan: how many sessions, which modules, from when. One per case."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="ptp_plan")
    planned_sessions = models.PositiveSmallIntegerField()
    # Module codes from ptp.modules, each once, in the catalogue's order.
    planned_modules = models.JSONField(default=list)
    starts_on = models.DateField()
    note = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="ptp_plan_sessions_range",
                condition=Q(planned_sessions__gte=PLANNED_SESSIONS_MIN)
                & Q(planned_sessions__lte=PLANNED_SESSIONS_MAX),
            ),
        ]

    def check_modules(self) -> None:
        """Refuse a plan whose modules are not a non-empty list of catalogue codes."""
        if not isinstance(self.planned_modules, list) or not self.planned_modules:
            raise DomainError("Select at least one module to plan.")
        if unknown_codes(self.planned_modules):
            raise DomainError("Choose only modules from the list.")
        if len(set(self.planned_modules)) != len(self.planned_modules):
            raise DomainError("Choose each module only once.")


class PtpSession(BaseModel):
    """One Pathways Triple P session with the parent, numbered 1, 2, ... per case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="ptp_sessions")
    number = models.PositiveSmallIntegerField()
    held_on = models.DateField()
    minutes = models.PositiveSmallIntegerField()
    content_level = models.CharField(max_length=8, choices=ContentLevel.choices)
    homework_set = models.TextField(blank=True)
    homework_review = models.CharField(max_length=12, choices=HomeworkReview.choices)
    homework_review_note = models.TextField(blank=True)
    note = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["number"]
        indexes = [models.Index(fields=["case", "held_on"], name="ptp_session_case_held_idx")]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="ptp_session_number_unique"),
            models.CheckConstraint(name="ptp_session_number_positive", condition=Q(number__gte=1)),
            models.CheckConstraint(
                name="ptp_session_minutes_range",
                condition=Q(minutes__gte=SESSION_MINUTES_MIN)
                & Q(minutes__lte=SESSION_MINUTES_MAX),
            ),
            models.CheckConstraint(
                name="ptp_session_content_level_valid",
                condition=Q(content_level__in=ContentLevel.values),
            ),
            models.CheckConstraint(
                name="ptp_session_homework_review_valid",
                condition=Q(homework_review__in=HomeworkReview.values),
            ),
        ]


class SessionModule(models.Model):
    """One module covered at one session."""

    session = models.ForeignKey(
        PtpSession, on_delete=models.CASCADE, related_name="modules_covered"
    )
    module = models.CharField(max_length=16, choices=MODULE_CHOICES)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "module"], name="ptp_session_module_unique"
            ),
            models.CheckConstraint(
                name="ptp_session_module_known", condition=Q(module__in=MODULE_CODES)
            ),
        ]

    def __str__(self) -> str:
        return f"SessionModule {self.pk} {self.module}"
