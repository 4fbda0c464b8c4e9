"""Referrals, their eligibility decisions and possible duplicates."""

from collections.abc import Mapping
from typing import Any, Final

from django.conf import settings
from django.db import models
from django.db.models import Q

from ipip.accounts.models import AgencyType, Area
from ipip.cases.models import Case, Child, Family
from ipip.core.errors import InvalidTransition
from ipip.core.models import BaseModel
from ipip.eligibility.rules import CRITERION_LABELS, Criterion


class ReferralStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    SCREENED = "screened", "Screened"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


REFERRAL_TRANSITIONS: Final[Mapping[str, frozenset[str]]] = {
    ReferralStatus.RECEIVED: frozenset({ReferralStatus.SCREENED}),
    # Re-screening after facts change keeps a referral screened, with a new decision.
    ReferralStatus.SCREENED: frozenset(
        {ReferralStatus.SCREENED, ReferralStatus.ACCEPTED, ReferralStatus.DECLINED}
    ),
    ReferralStatus.ACCEPTED: frozenset(),
    ReferralStatus.DECLINED: frozenset(),
}


class Outcome(models.TextChoices):
    ELIGIBLE = "eligible", "Eligible"
    NOT_ELIGIBLE = "not_eligible", "Not eligible"
    NEEDS_INFORMATION = "needs_information", "Needs information"


class DuplicateStatus(models.TextChoices):
    NONE = "none", "No possible duplicate"
    POSSIBLE = "possible", "Possible duplicate"
    LINKED = "linked", "Linked to an existing family"
    CONFIRMED_NEW = "confirmed_new", "Confirmed as a new family"


class ReferralQuerySet(models.QuerySet["Referral"]):
    def open(self) -> "ReferralQuerySet":
        return self.filter(status__in=[ReferralStatus.RECEIVED, ReferralStatus.SCREENED])


class Referral(BaseModel):
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="referrals")
    referred_child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="referrals")
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_sent"
    )
    agency_type = models.CharField(max_length=20, choices=AgencyType.choices)
    agency_name = models.CharField(max_length=120, blank=True)
    received_on = models.DateField(db_index=True)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    # The family's area when it is not one the service covers (the area criterion says so).
    other_area_name = models.CharField(max_length=80, blank=True)
    reason = models.TextField()
    status = models.CharField(
        max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.RECEIVED
    )
    current_decision = models.ForeignKey(
        "EligibilityDecision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    duplicate_status = models.CharField(
        max_length=16, choices=DuplicateStatus.choices, default=DuplicateStatus.NONE
    )
    case = models.OneToOneField(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="referral"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decline_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["area", "status", "received_on"], name="referral_queue_idx"),
            models.Index(fields=["referred_by", "-received_on"], name="referral_referrer_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="referral_accepted_has_case",
                condition=~Q(status="accepted") | Q(case__isnull=False),
            ),
        ]

    def _move(self, to: ReferralStatus) -> None:
        if to not in REFERRAL_TRANSITIONS[self.status]:
            raise InvalidTransition(
                f"A referral that is {self.get_status_display().lower()} cannot be "
                f"{to.label.lower()}."
            )
        self.status = to
        self.version += 1

    def screen(self, decision: "EligibilityDecision") -> None:
        self._move(ReferralStatus.SCREENED)
        self.current_decision = decision


class EligibilityDecision(BaseModel):
    """One screening of a referral. Never edited: re-screening or an override adds a row."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    rules_version = models.CharField(max_length=40)
    # One entry per criterion: {"criterion", "result", "reason", "ask_for"}.
    results = models.JSONField(default=list)
    # The facts the rules were given, as of the referral date (ipip.eligibility.rules).
    facts = models.JSONField(default=dict)
    decided_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    is_override = models.BooleanField(default=False)
    overrides = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="overridden_by"
    )
    override_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["decided_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="decision_override_has_reason",
                condition=Q(is_override=False)
                | (~Q(override_reason="") & Q(overrides__isnull=False)),
            ),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise InvalidTransition("An eligibility decision is never edited; screen again.")
        super().save(*args, **kwargs)

    @property
    def is_eligible(self) -> bool:
        return self.outcome == Outcome.ELIGIBLE

    @property
    def criteria(self) -> list[dict[str, object]]:
        """The stored results with each criterion's plain-language label, in order."""
        rows = []
        for row in self.results:
            try:
                label = CRITERION_LABELS[Criterion(row["criterion"])]
            except ValueError:
                label = str(row["criterion"])
            rows.append({**row, "label": label})
        return rows

    @property
    def missing(self) -> list[str]:
        return [str(r["ask_for"]) for r in self.results if r.get("ask_for")]


class MatchReason(models.TextChoices):
    NAME_AND_DOB = "name_dob", "Same name and date of birth"
    DOB_AND_POSTCODE = "dob_postcode", "Same date of birth and postcode"


class DuplicateCandidate(BaseModel):
    """An existing child who may be the referred child."""

    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="duplicate_candidates"
    )
    existing_child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    match_reason = models.CharField(max_length=16, choices=MatchReason.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "existing_child"], name="duplicate_once_per_child"
            )
        ]
