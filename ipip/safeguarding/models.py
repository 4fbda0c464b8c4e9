"""Safeguarding concerns, their escalation to children's social care, and alerts.

Safeguarding never stops: concerns, escalations and outcomes may be recorded on a closed
case too (they are follow-up records). An escalation whose outcome is a new child
protection plan or care proceedings ends the family's eligibility (domain.md §5), and the
case closes (see `actions.do_record_escalation_outcome`).
"""

from datetime import date
from typing import Final

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from ipip.accounts.models import Area
from ipip.cases.models import Case, Child
from ipip.core.errors import DomainError
from ipip.core.models import BaseModel


class ConcernStatus(models.TextChoices):
    OPEN = "open", "Open"
    ESCALATED = "escalated", "Escalated"
    CLOSED_NFA = "closed_nfa", "Closed with no further action"


class Concern(BaseModel):
    """A safeguarding concern raised by a member of staff on the case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="safeguarding_concerns")
    raised_on = models.DateField()
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    what_happened = models.TextField("What was seen or heard")
    children = models.ManyToManyField(Child, related_name="safeguarding_concerns")
    status = models.CharField(
        max_length=12, choices=ConcernStatus.choices, default=ConcernStatus.OPEN
    )
    closed_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [models.Index(fields=["case", "-raised_on"], name="concern_case_raised_idx")]
        constraints = [
            models.CheckConstraint(
                name="concern_closed_has_date",
                condition=(Q(status="closed_nfa") & Q(closed_on__isnull=False))
                | (~Q(status="closed_nfa") & Q(closed_on__isnull=True)),
            ),
            models.CheckConstraint(
                name="concern_closed_after_raised",
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("raised_on")),
            ),
        ]

    @property
    def is_closed(self) -> bool:
        return self.status == ConcernStatus.CLOSED_NFA

    def escalate(self) -> None:
        """Mark the concern escalated (again, if it already was). Validates, does not save."""
        if self.is_closed:
            raise DomainError(
                "This concern was closed with no further action: raise a new concern instead."
            )
        self.status = ConcernStatus.ESCALATED
        self.version += 1

    def close_no_further_action(self, *, on: date) -> None:
        """Close a concern that was never escalated. Validates, does not save."""
        if self.status != ConcernStatus.OPEN:
            raise DomainError(
                "Only an open concern that has not been escalated can be closed with no "
                "further action."
            )
        if on < self.raised_on:
            raise DomainError("A concern cannot be closed before the date it was raised.")
        self.status = ConcernStatus.CLOSED_NFA
        self.closed_on = on
        self.version += 1


class Agency(models.TextChoices):
    CHILDRENS_SOCIAL_CARE = (
        "childrens_social_care",
        "Local authority children's social care (front door or MASH)",
    )
    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    OTHER = "other", "Other agency"


class EscalationOutcome(models.TextChoices):
    AWAITING = "awaiting", "Awaiting outcome"
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    EARLY_HELP = "early_help", "Early help"
    CHILD_IN_NEED = "child_in_need", "Child in need (section 17)"
    SECTION_47 = "section_47", "Child protection enquiry (section 47)"
    CHILD_PROTECTION_PLAN = "child_protection_plan", "Child protection plan"
    CARE_PROCEEDINGS = "care_proceedings", "Care proceedings"


# A new child protection plan or care proceedings breaks the entry criteria (domain.md §5).
ENDS_ELIGIBILITY: Final = frozenset(
    {EscalationOutcome.CHILD_PROTECTION_PLAN, EscalationOutcome.CARE_PROCEEDINGS}
)


class EscalationQuerySet(models.QuerySet["Escalation"]):
    def awaiting_outcome(self) -> "EscalationQuerySet":
        return self.filter(outcome=EscalationOutcome.AWAITING)


class Escalation(BaseModel):
    """A referral of a concern to another agency, and what that agency decided."""

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="escalations")
    escalated_on = models.DateField()
    reason = models.TextField()
    agency = models.CharField(max_length=24, choices=Agency.choices)
    agency_name = models.CharField(max_length=120, blank=True)
    outcome = models.CharField(
        max_length=24, choices=EscalationOutcome.choices, default=EscalationOutcome.AWAITING
    )
    outcome_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = EscalationQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["concern", "escalated_on"], name="escalation_concern_idx"),
            models.Index(fields=["outcome"], name="escalation_outcome_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="escalation_outcome_has_date",
                condition=(Q(outcome="awaiting") & Q(outcome_on__isnull=True))
                | (~Q(outcome="awaiting") & Q(outcome_on__isnull=False)),
            ),
            models.CheckConstraint(
                name="escalation_outcome_after_escalation",
                condition=Q(outcome_on__isnull=True) | Q(outcome_on__gte=F("escalated_on")),
            ),
            models.CheckConstraint(
                name="escalation_other_agency_named",
                condition=~Q(agency="other") | ~Q(agency_name=""),
            ),
        ]

    @property
    def is_awaiting(self) -> bool:
        return self.outcome == EscalationOutcome.AWAITING

    @property
    def ends_eligibility(self) -> bool:
        return self.outcome in ENDS_ELIGIBILITY

    def record_outcome(self, *, outcome: EscalationOutcome, on: date) -> None:
        """Set (or correct) the outcome. Validates, does not save."""
        if outcome == EscalationOutcome.AWAITING:
            raise DomainError("Select the outcome of the escalation")
        if on < self.escalated_on:
            raise DomainError(
                "Date of the outcome must be the same as or after the date of the escalation."
            )
        self.outcome = outcome
        self.outcome_on = on
        self.version += 1


class AlertKind(models.TextChoices):
    """Why an alert was raised. Later features add kinds here (e.g. questionnaire risk)."""

    SAFEGUARDING_CLOSURE = "safeguarding_closure", "Case closed after safeguarding"
    CONCERN_RAISED = "concern_raised", "Safeguarding concern raised"
    ESCALATION = "escalation", "Escalated to another agency"
    QUESTIONNAIRE_RISK = "questionnaire_risk", "Questionnaire risk answer or score"


# The kinds whose page is the case's safeguarding record.
SAFEGUARDING_KINDS: Final = frozenset(
    {AlertKind.SAFEGUARDING_CLOSURE, AlertKind.CONCERN_RAISED, AlertKind.ESCALATION}
)


class AlertQuerySet(models.QuerySet["Alert"]):
    def open(self) -> "AlertQuerySet":
        return self.filter(acknowledged_at__isnull=True)


class Alert(BaseModel):
    """Something the area's centre managers (and the national lead) must look at.

    Shown to the centre managers of `area`, the national lead, and `for_user` (the
    practitioner it is addressed to, if any) while that person still holds the case.
    One acknowledgement clears it for everyone. `message` is fixed text: never a name.
    """

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="alerts")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="alerts")
    kind = models.CharField(max_length=30, choices=AlertKind.choices)
    message = models.CharField(max_length=300)
    raised_at = models.DateTimeField()
    for_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="alerts",
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = AlertQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["area", "acknowledged_at", "-raised_at"], name="alert_area_idx"),
            models.Index(fields=["for_user", "acknowledged_at"], name="alert_for_user_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="alert_acknowledged_has_who",
                condition=Q(acknowledged_at__isnull=True, acknowledged_by__isnull=True)
                | Q(acknowledged_at__isnull=False, acknowledged_by__isnull=False),
            ),
        ]

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None

    @property
    def is_about_safeguarding(self) -> bool:
        return self.kind in SAFEGUARDING_KINDS
