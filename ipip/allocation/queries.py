"""Reading allocation: practitioners' caseloads against capacity, and an area's waiting list.

Each is one query, whatever the number of rows.
"""

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import timezone

from ipip.accounts.models import Role, User
from ipip.allocation.models import AllocationRecord, TrialAssignment, TrialSetting
from ipip.cases.models import Case, CaseStatus
from ipip.consent.models import ConsentDecision, ConsentRecord, Purpose


@dataclass(frozen=True)
class Caseload:
    practitioner: User
    open_cases: int
    capacity: int | None  # None: no capacity set

    @property
    def is_over(self) -> bool:
        return self.capacity is not None and self.open_cases > self.capacity

    @property
    def is_full(self) -> bool:
        """At or over capacity: one more case would take them over it."""
        return self.capacity is not None and self.open_cases >= self.capacity

    @property
    def space(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.open_cases, 0)


def practitioner_caseloads(area_id: int | None) -> list[Caseload]:
    """The area's active practitioners with their open cases and the capacity set for them
    (`None`: every area's)."""
    practitioners = User.objects.filter(role=Role.PRACTITIONER, is_active=True)
    if area_id is not None:
        practitioners = practitioners.filter(area_id=area_id)
    rows = (
        practitioners.select_related("area")
        .annotate(
            open_cases=Count(
                "allocated_cases", filter=~Q(allocated_cases__status=CaseStatus.CLOSED)
            ),
            max_open_cases=F("capacity__max_open_cases"),
        )
        .order_by("last_name", "first_name", "id")
    )
    return [
        Caseload(practitioner=u, open_cases=u.open_cases, capacity=u.max_open_cases) for u in rows
    ]


@dataclass(frozen=True)
class WaitingCase:
    case_public_id: UUID
    pseudonym: str
    area_name: str
    received_on: date | None
    accepted_at: datetime
    days_waiting: int
    has_research_consent: bool


def _research_decision() -> Subquery:
    """The decision on research consent in force today (as `consent.rules` works it out:
    the latest dated on or before today, in the order recorded)."""
    latest = ConsentRecord.objects.filter(
        case=OuterRef("pk"), purpose=Purpose.RESEARCH, decided_on__lte=timezone.localdate()
    ).order_by("-decided_on", "-id")
    return Subquery(latest.values("decision")[:1])


def waiting_list(area_id: int | None, *, today: date | None = None) -> list[WaitingCase]:
    """The area's accepted cases not yet allocated, oldest referral first, with the days
    each has waited since its referral was received (`None`: every area's). Pseudonyms
    only: no names."""
    today = today or timezone.localdate()
    waiting_cases = Case.objects.filter(status=CaseStatus.ACCEPTED)
    if area_id is not None:
        waiting_cases = waiting_cases.filter(area_id=area_id)
    rows = (
        waiting_cases.annotate(research=_research_decision())
        .order_by(F("referral__received_on").asc(nulls_last=True), "accepted_at", "id")
        .values(
            "public_id",
            "family__pseudonym",
            "area__name",
            "referral__received_on",
            "accepted_at",
            "research",
        )
    )
    waiting = []
    for row in rows:
        received = row["referral__received_on"]
        since = received or timezone.localtime(row["accepted_at"]).date()
        waiting.append(
            WaitingCase(
                case_public_id=row["public_id"],
                pseudonym=row["family__pseudonym"],
                area_name=row["area__name"],
                received_on=received,
                accepted_at=row["accepted_at"],
                days_waiting=max((today - since).days, 0),
                has_research_consent=row["research"] == ConsentDecision.GIVEN,
            )
        )
    return waiting


@dataclass(frozen=True)
class AllocationMode:
    """How a case's allocation page works: whether the approach is chosen or randomised."""

    trial_on: bool  # the case's area runs as a trial
    trial_arm: str | None  # the case's arm, if it is a trial case
    reallocating: bool  # the case is allocated already

    @property
    def choose_approach(self) -> bool:
        return not self.trial_on and self.trial_arm is None

    @property
    def randomise(self) -> bool:
        """Allocating now assigns an arm at random."""
        return self.trial_on and self.trial_arm is None and not self.reallocating


def allocation_mode(case: Case) -> AllocationMode:
    assignment = TrialAssignment.objects.filter(case=case).values_list("arm", flat=True).first()
    return AllocationMode(
        trial_on=TrialSetting.objects.filter(area_id=case.area_id, is_enabled=True).exists(),
        trial_arm=assignment,
        reallocating=case.allocated_to_id is not None,
    )


def allocation_history(case: Case) -> list[AllocationRecord]:
    """The case's allocations, first to last, with who was allocated and by whom."""
    return list(
        AllocationRecord.objects.filter(case=case)
        .select_related("practitioner", "allocated_by")
        .order_by("allocated_at", "id")
    )
