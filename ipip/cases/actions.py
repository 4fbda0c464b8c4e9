"""Writes to families, children and cases. Each writes its audit events.

`create_family` and `open_case` are composable steps (not durable) called by the
referral actions; the `do_*` functions are the outer, view-facing actions.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ipip.accounts.models import Role, User
from ipip.allocation import steps as allocation
from ipip.allocation.access import may_manage_area
from ipip.audit.events import Action
from ipip.audit.record import record
from ipip.cases.access import may_work_on_case
from ipip.cases.intake import AssessmentInput, ChildInput, FamilyInput, PlanInput
from ipip.cases.models import (
    Approach,
    Carer,
    Case,
    Child,
    ChildProtectionPlan,
    ClosureReason,
    EarlyHelpAssessment,
    Family,
    name_key,
    postcode_key,
)
from ipip.core.errors import ConcurrentEdit, DomainError


@dataclass(frozen=True)
class RecordedFamily:
    family: Family
    referred_child: Child
    other_children: tuple[Child, ...]


def check_version(current: int, expected: int | None, *, what: str) -> None:
    """Refuse a write made from a page that is out of date (two people editing)."""
    if expected is not None and current != expected:
        raise ConcurrentEdit(
            f"Someone else changed this {what} while you were working on it. "
            "Your change was not saved: check the page as it is now and try again."
        )


def _add_plan(child: Child, plan: PlanInput, *, acting_user: User | None) -> ChildProtectionPlan:
    return ChildProtectionPlan.objects.create(
        child=child,
        started_on=plan.started_on,
        ended_on=None if plan.is_ongoing else plan.ended_on,
        is_ongoing=plan.is_ongoing,
        category=plan.category,
        created_by=acting_user,
        modified_by=acting_user,
    )


def _add_child(family: Family, data: ChildInput, *, acting_user: User | None) -> Child:
    child = Child.objects.create(
        family=family,
        first_name=data.first_name.strip(),
        last_name=data.last_name.strip(),
        name_key=name_key(data.first_name, data.last_name),
        date_of_birth=data.date_of_birth,
        lives_in_household=data.lives_in_household,
        ever_on_plan=data.ever_on_plan,
        care_proceedings=data.care_proceedings,
        created_by=acting_user,
        modified_by=acting_user,
    )
    for plan in data.plans:
        _add_plan(child, plan, acting_user=acting_user)
    record(
        Action.CHILD_CREATED, actor=acting_user, subject=child, family_public_id=family.public_id
    )
    return child


def _add_assessment(child: Child, data: AssessmentInput, *, acting_user: User | None) -> None:
    EarlyHelpAssessment.objects.create(
        child=child,
        kind=data.kind,
        completed_on=data.completed_on,
        shows_neglect_concerns=data.shows_neglect_concerns,
        created_by=acting_user,
        modified_by=acting_user,
    )


def create_family(data: FamilyInput, *, acting_user: User | None) -> RecordedFamily:
    """Record a family, its carers and children from a referral (composable, not durable).

    Writes FAMILY_CREATED and one CHILD_CREATED per child.
    """
    family = Family.objects.create(
        area_id=data.area_id,
        address_line_1=data.address_line_1.strip(),
        address_line_2=data.address_line_2.strip(),
        town=data.town.strip(),
        postcode=data.postcode.strip().upper(),
        postcode_key=postcode_key(data.postcode),
        created_by=acting_user,
        modified_by=acting_user,
    )
    record(
        Action.FAMILY_CREATED, actor=acting_user, subject=family, family_public_id=family.public_id
    )
    for carer in data.carers:
        Carer.objects.create(
            family=family,
            first_name=carer.first_name.strip(),
            last_name=carer.last_name.strip(),
            relationship=carer.relationship,
            phone=carer.phone.strip(),
            email=carer.email.strip(),
            lives_in_household=carer.lives_in_household,
            created_by=acting_user,
            modified_by=acting_user,
        )
    referred = _add_child(family, data.referred_child, acting_user=acting_user)
    if data.assessment is not None:
        _add_assessment(referred, data.assessment, acting_user=acting_user)
    others = tuple(_add_child(family, c, acting_user=acting_user) for c in data.other_children)
    return RecordedFamily(family=family, referred_child=referred, other_children=others)


@dataclass(frozen=True)
class ChildFactsChange:
    date_of_birth: date | None
    ever_on_plan: str
    care_proceedings: str
    new_plan: PlanInput | None = None


def update_child_facts(child: Child, change: ChildFactsChange, *, acting_user: User) -> list[str]:
    """Change the eligibility facts of one child (composable, not durable).

    Returns the names of the fields changed and writes CHILD_CHANGED with them.
    """
    changed: list[str] = []
    for field in ("date_of_birth", "ever_on_plan", "care_proceedings"):
        value = getattr(change, field)
        if getattr(child, field) != value:
            setattr(child, field, value)
            changed.append(field)
    if changed:
        child.modified_by = acting_user
        child.save(update_fields=[*changed, "modified_by", "modified_at"])
    if change.new_plan is not None:
        _add_plan(child, change.new_plan, acting_user=acting_user)
        changed.append("plans")
    if changed:
        record(
            Action.CHILD_CHANGED,
            actor=acting_user,
            subject=child,
            family_public_id=child.family.public_id,
            data={"fields": changed},
        )
    return changed


def record_assessment(child: Child, data: AssessmentInput, *, acting_user: User) -> None:
    """Add an early-help assessment to a child (composable). Writes CHILD_CHANGED."""
    _add_assessment(child, data, acting_user=acting_user)
    record(
        Action.CHILD_CHANGED,
        actor=acting_user,
        subject=child,
        family_public_id=child.family.public_id,
        data={"fields": ["assessment"]},
    )


def archive_family(family: Family, *, merged_into: Family, acting_user: User) -> None:
    """Archive a family recorded twice, pointing at the one kept (composable)."""
    family.archived_at = timezone.now()
    family.archive_reason = "merged"
    family.merged_into = merged_into
    family.modified_by = acting_user
    family.save(
        update_fields=[
            "archived_at",
            "archive_reason",
            "merged_into",
            "modified_by",
            "modified_at",
        ]
    )
    record(
        Action.FAMILY_CHANGED,
        actor=acting_user,
        subject=family,
        family_public_id=family.public_id,
        data={"archived": "merged", "merged_into": str(merged_into.public_id)},
    )


def open_case(family: Family, *, acting_user: User) -> Case:
    """Open a case for an accepted referral (composable, not durable). Writes CASE_OPENED."""
    if family.area_id is None:
        raise DomainError("A case can only be opened for a family in an area the service covers.")
    if Case.objects.open().filter(family=family).exists():
        raise DomainError("This family already has an open case.")
    case = Case.objects.create(
        family=family,
        area_id=family.area_id,
        accepted_at=timezone.now(),
        created_by=acting_user,
        modified_by=acting_user,
    )
    record(Action.CASE_OPENED, actor=acting_user, subject=case, family_public_id=family.public_id)
    return case


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update(of=("self",)).select_related("family").get(pk=case.pk)


@transaction.atomic(durable=True)
def do_allocate_case(
    case: Case,
    *,
    practitioner: User,
    approach: Approach | None = None,
    acting_user: User,
    reason: str = "",
    expected_version: int | None = None,
) -> Case:
    """Allocate (or reallocate) a case to a practitioner of its area and an approach.

    Called by a centre manager of the area or the national lead (others: PermissionDenied).
    In trial mode the approach is not chosen (pass None): a first allocation is assigned an
    arm by the concealed randomisation, which needs consent to research, and a trial case
    keeps its arm for good (see `ipip.allocation.steps`). A reallocation, also of an active
    case, needs a reason, kept in the allocation history and never audited. Allocating
    beyond the practitioner's capacity is allowed and flagged in the audit. Writes
    TRIAL_ARM_ASSIGNED when an arm is assigned, then CASE_ALLOCATED.
    """
    case = _locked(case)
    check_version(case.version, expected_version, what="case")
    if not may_manage_area(acting_user, case.area_id):
        raise PermissionDenied
    case.ensure_open("its allocation")
    if practitioner.role != Role.PRACTITIONER or not practitioner.is_active:
        raise DomainError("Choose a practitioner.")
    if practitioner.area_id != case.area_id:
        raise DomainError("Choose a practitioner who works in the case's area.")
    allocation.check_reallocation(
        case, practitioner=practitioner, approach=approach, reason=reason
    )
    now = timezone.now()
    previous = case.allocated_to_id
    approach, randomised = allocation.approach_for(case, approach, acting_user=acting_user, at=now)
    if previous is not None:
        case.reassign(practitioner_id=practitioner.pk, approach=approach)
    else:
        case.allocate(practitioner_id=practitioner.pk, approach=approach, at=now)
    case.modified_by = acting_user
    case.save(
        update_fields=[
            "status",
            "allocated_to",
            "approach",
            "allocated_at",
            "version",
            "modified_by",
            "modified_at",
        ]
    )
    entry = allocation.add_allocation_record(
        case,
        practitioner=practitioner,
        approach=approach,
        is_randomised=randomised,
        reason=reason,
        acting_user=acting_user,
        at=now,
    )
    record(
        Action.CASE_ALLOCATED,
        actor=acting_user,
        subject=case,
        family_public_id=case.family.public_id,
        data={
            "practitioner_id": practitioner.pk,
            "previous_practitioner_id": previous,
            "approach": str(approach),
            "randomised": randomised,
            "over_capacity": allocation.is_over_capacity(practitioner),
            "allocation_record_id": str(entry.public_id),
        },
    )
    return case


@transaction.atomic(durable=True)
def do_activate_case(
    case: Case, *, acting_user: User, expected_version: int | None = None
) -> Case:
    """Mark an allocated case active (work with the family has begun). Writes CASE_ACTIVATED."""
    case = _locked(case)
    check_version(case.version, expected_version, what="case")
    case.activate(at=timezone.now())
    case.modified_by = acting_user
    case.save(update_fields=["status", "activated_at", "version", "modified_by", "modified_at"])
    record(
        Action.CASE_ACTIVATED,
        actor=acting_user,
        subject=case,
        family_public_id=case.family.public_id,
    )
    return case


def close_case(case: Case, *, reason: ClosureReason, note: str, acting_user: User) -> Case:
    """Close a locked case with a reason and a closing summary (composable, not durable).

    Also called by safeguarding when an escalation's outcome ends eligibility. Refuses an
    empty summary. Writes CASE_CLOSED with the reason code (never the summary).
    """
    note = note.strip()
    if not note:
        raise DomainError("Enter a closing summary")
    case.close(reason=reason, note=note, at=timezone.now())
    case.modified_by = acting_user
    case.save(
        update_fields=[
            "status",
            "closure_reason",
            "closure_note",
            "closed_at",
            "version",
            "modified_by",
            "modified_at",
        ]
    )
    record(
        Action.CASE_CLOSED,
        actor=acting_user,
        subject=case,
        family_public_id=case.family.public_id,
        data={"reason": str(reason)},
    )
    return case


@transaction.atomic(durable=True)
def do_close_case(
    case: Case,
    *,
    reason: ClosureReason,
    note: str,
    acting_user: User,
    expected_version: int | None = None,
) -> Case:
    """Close a case with a reason and a closing summary (`note`, required).

    Called by the allocated practitioner (who runs the case to closure), a centre manager
    of the case's area, or the national lead. A closed case is read-only except for
    follow-up records (safeguarding, consent withdrawals). Writes CASE_CLOSED (the reason
    code, not the summary).
    """
    case = _locked(case)
    if not may_work_on_case(acting_user, case):
        raise PermissionDenied
    check_version(case.version, expected_version, what="case")
    return close_case(case, reason=reason, note=note, acting_user=acting_user)
