"""Families, carers, children and their histories; the case and its lifecycle."""

import secrets
from collections.abc import Mapping
from datetime import date, datetime
from typing import Final

from django.conf import settings
from django.db import models
from django.db.models import Q

from ipip.accounts.models import Area, Nation
from ipip.core.errors import DomainError, InvalidTransition
from ipip.core.models import BaseModel

# Unambiguous letters and digits for pseudonymous identifiers (no 0/O, 1/I/L).
_PSEUDONYM_ALPHABET: Final = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_pseudonym() -> str:
    """A random identifier such as `F-7K3Q9M2A`: carries nothing about the family."""
    return "F-" + "".join(secrets.choice(_PSEUDONYM_ALPHABET) for _ in range(8))


def postcode_key(postcode: str) -> str:
    return "".join(postcode.split()).upper()


def name_key(first_name: str, last_name: str) -> str:
    return f"{' '.join(first_name.split())} {' '.join(last_name.split())}".casefold()


class Tristate(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    UNKNOWN = "unknown", "Not known"


class Proceedings(models.TextChoices):
    NONE = "none", "No care proceedings"
    UNDER_WAY = "under_way", "Care proceedings under way"
    CONCLUDED = "concluded", "Care proceedings concluded"
    UNKNOWN = "unknown", "Not known"


class PlanCategory(models.TextChoices):
    NEGLECT = "neglect", "Neglect"
    EMOTIONAL = "emotional", "Emotional abuse"
    PHYSICAL = "physical", "Physical abuse"
    SEXUAL = "sexual", "Sexual abuse"
    MULTIPLE = "multiple", "Multiple categories"
    NOT_KNOWN = "not_known", "Not known"


class AssessmentKind(models.TextChoices):
    CAF = "caf", "Common Assessment Framework (CAF)"
    EHA = "eha", "Early Help Assessment"
    JAFF = "jaff", "Joint Assessment Family Framework (Wales)"
    WELLBEING = "wellbeing", "Wellbeing assessment, Getting it right for every child (Scotland)"
    UNOCINI = "unocini", "UNOCINI assessment (Northern Ireland)"


# Which early-help assessment each nation uses (domain.md §5).
ASSESSMENT_KINDS_BY_NATION: Final[Mapping[str, frozenset[str]]] = {
    Nation.ENGLAND: frozenset({AssessmentKind.CAF, AssessmentKind.EHA}),
    Nation.WALES: frozenset({AssessmentKind.JAFF, AssessmentKind.CAF}),
    Nation.SCOTLAND: frozenset({AssessmentKind.WELLBEING}),
    Nation.NORTHERN_IRELAND: frozenset({AssessmentKind.UNOCINI}),
}


class Relationship(models.TextChoices):
    MOTHER = "mother", "Mother"
    FATHER = "father", "Father"
    STEP_PARENT = "step_parent", "Step-parent"
    GRANDPARENT = "grandparent", "Grandparent"
    KINSHIP_CARER = "kinship_carer", "Other relative or kinship carer"
    OTHER = "other", "Other"


class Family(BaseModel):
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="families"
    )
    pseudonym = models.CharField(max_length=12, unique=True, default=new_pseudonym)
    address_line_1 = models.CharField(max_length=120, blank=True)
    address_line_2 = models.CharField(max_length=120, blank=True)
    town = models.CharField(max_length=80, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    postcode_key = models.CharField(max_length=10, blank=True, db_index=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    archive_reason = models.CharField(max_length=200, blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_from"
    )

    class Meta:
        verbose_name_plural = "families"

    def __str__(self) -> str:
        return f"Family {self.pseudonym}"


class Carer(BaseModel):
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="carers")
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    lives_in_household = models.BooleanField(default=True)
    has_parental_responsibility = models.BooleanField(default=True)


class Child(BaseModel):
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="children")
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    name_key = models.CharField(max_length=170, db_index=True, editable=False)
    date_of_birth = models.DateField(null=True, blank=True, db_index=True)
    lives_in_household = models.BooleanField(default=True)
    ever_on_plan = models.CharField(
        "Ever the subject of a child protection plan",
        max_length=10,
        choices=Tristate.choices,
        default=Tristate.UNKNOWN,
    )
    care_proceedings = models.CharField(
        max_length=12, choices=Proceedings.choices, default=Proceedings.UNKNOWN
    )

    class Meta:
        verbose_name_plural = "children"
        indexes = [models.Index(fields=["name_key", "date_of_birth"], name="child_name_dob_idx")]

    def age_on(self, on: date) -> int | None:
        from ipip.eligibility.rules import age_on

        return None if self.date_of_birth is None else age_on(self.date_of_birth, on)


class ChildProtectionPlan(BaseModel):
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="plans")
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    is_ongoing = models.BooleanField(default=False)
    category = models.CharField(
        max_length=12, choices=PlanCategory.choices, default=PlanCategory.NOT_KNOWN
    )

    class Meta:
        ordering = ["started_on"]
        constraints = [
            models.CheckConstraint(
                name="plan_ongoing_has_no_end",
                condition=Q(is_ongoing=False) | Q(ended_on__isnull=True),
            ),
            models.CheckConstraint(
                name="plan_ends_after_start",
                condition=Q(started_on__isnull=True)
                | Q(ended_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
            ),
        ]


class EarlyHelpAssessment(BaseModel):
    """The CAF or its equivalent in the family's nation, about one child."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="assessments")
    kind = models.CharField(max_length=12, choices=AssessmentKind.choices)
    completed_on = models.DateField(null=True, blank=True)
    shows_neglect_concerns = models.CharField(
        max_length=10, choices=Tristate.choices, default=Tristate.UNKNOWN
    )

    class Meta:
        ordering = ["completed_on"]


class Approach(models.TextChoices):
    VIG = "vig", "Video Interaction Guidance (VIG)"
    PTP = "ptp", "Pathways Triple P (PTP)"


class CaseStatus(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    ALLOCATED = "allocated", "Allocated"
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"


class ClosureReason(models.TextChoices):
    COMPLETED = "completed", "Completed"
    WITHDREW = "withdrew", "Family withdrew"
    DISENGAGED = "disengaged", "Family disengaged"
    ESCALATED = "escalated", "Escalated to children's social care"
    NO_LONGER_ELIGIBLE = "no_longer_eligible", "No longer eligible"
    MOVED_AWAY = "moved_away", "Moved away"


CASE_TRANSITIONS: Final[Mapping[str, frozenset[str]]] = {
    CaseStatus.ACCEPTED: frozenset({CaseStatus.ALLOCATED, CaseStatus.CLOSED}),
    CaseStatus.ALLOCATED: frozenset({CaseStatus.ALLOCATED, CaseStatus.ACTIVE, CaseStatus.CLOSED}),
    CaseStatus.ACTIVE: frozenset({CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset(),
}


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> "CaseQuerySet":
        return self.exclude(status=CaseStatus.CLOSED)


class Case(BaseModel):
    """The service's work with one family, from acceptance to closure."""

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="cases")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="cases")
    status = models.CharField(
        max_length=12, choices=CaseStatus.choices, default=CaseStatus.ACCEPTED
    )
    approach = models.CharField(max_length=4, choices=Approach.choices, blank=True)
    allocated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocated_cases",
    )
    accepted_at = models.DateTimeField()
    allocated_at = models.DateTimeField(null=True, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closure_reason = models.CharField(max_length=20, choices=ClosureReason.choices, blank=True)
    closure_note = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = CaseQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["area", "status", "-accepted_at"], name="case_area_status_idx"),
            models.Index(fields=["allocated_to", "status"], name="case_practitioner_idx"),
            models.Index(fields=["-accepted_at", "-id"], name="case_accepted_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="case_closed_has_reason",
                condition=~Q(status="closed")
                | (~Q(closure_reason="") & Q(closed_at__isnull=False)),
            ),
            models.CheckConstraint(
                name="case_allocated_has_practitioner",
                condition=Q(status__in=["accepted", "closed"])
                | (Q(allocated_to__isnull=False) & ~Q(approach="")),
            ),
        ]

    @property
    def is_closed(self) -> bool:
        return self.status == CaseStatus.CLOSED

    def ensure_open(self, what: str) -> None:
        """Refuse a change to a closed case: it is read-only except for follow-up records.

        `what` names the records, e.g. "its visits".
        """
        if self.status == CaseStatus.CLOSED:
            raise DomainError(f"This case is closed: {what} cannot be changed.")

    def _move(self, to: CaseStatus) -> None:
        if to not in CASE_TRANSITIONS[self.status]:
            if self.status == CaseStatus.CLOSED:
                raise InvalidTransition("This case is closed: it cannot be changed.")
            raise InvalidTransition(
                f"A case that is {self.get_status_display().lower()} cannot be made "
                f"{CaseStatus(to).label.lower()}."
            )
        self.status = to
        self.version += 1

    def allocate(self, *, practitioner_id: int, approach: Approach, at: datetime) -> None:
        self._move(CaseStatus.ALLOCATED)
        self.allocated_to_id = practitioner_id
        self.approach = approach
        self.allocated_at = at

    def reassign(self, *, practitioner_id: int, approach: str) -> None:
        """Another practitioner takes over an allocated or active case. The status stays, and
        `allocated_at` keeps the first allocation: the two-to-three-month window runs on."""
        if self.status not in (CaseStatus.ALLOCATED, CaseStatus.ACTIVE):
            raise InvalidTransition("Only an allocated or active case can be reallocated.")
        self.allocated_to_id = practitioner_id
        self.approach = approach
        self.version += 1

    def activate(self, *, at: datetime) -> None:
        self._move(CaseStatus.ACTIVE)
        self.activated_at = at

    def close(self, *, reason: ClosureReason, note: str, at: datetime) -> None:
        self._move(CaseStatus.CLOSED)
        self.closure_reason = reason
        self.closure_note = note
        self.closed_at = at
