"""Writes to referrals: intake, screening, override, accept, decline, duplicates."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ipip.accounts.models import Role, User
from ipip.audit.events import Action
from ipip.audit.record import record
from ipip.cases import actions as case_actions
from ipip.cases.intake import AssessmentInput, FamilyInput
from ipip.cases.models import Case, Child
from ipip.core.errors import DomainError, InvalidTransition, NotEligible
from ipip.eligibility import rules
from ipip.referrals.models import (
    DuplicateCandidate,
    DuplicateStatus,
    EligibilityDecision,
    MatchReason,
    Outcome,
    Referral,
    ReferralStatus,
)
from ipip.referrals.screening import facts_for


@dataclass(frozen=True)
class ReferralInput:
    received_on: date
    agency_type: str
    agency_name: str
    reason: str
    other_area_name: str
    family: FamilyInput


def find_duplicates(referral: Referral) -> list[tuple[Child, MatchReason]]:
    """Existing children (in other families) who may be the referred child."""
    child = referral.referred_child
    if child.date_of_birth is None:
        return []
    family = referral.family
    match = Q(name_key=child.name_key)
    if family.postcode_key:
        match |= Q(family__postcode_key=family.postcode_key)
    found = (
        Child.objects.filter(
            match, date_of_birth=child.date_of_birth, family__archived_at__isnull=True
        )
        .exclude(family_id=family.pk)
        .select_related("family")
        .order_by("id")[:10]
    )
    return [
        (
            c,
            MatchReason.NAME_AND_DOB
            if c.name_key == child.name_key
            else MatchReason.DOB_AND_POSTCODE,
        )
        for c in found
    ]


def _screen(referral: Referral, *, acting_user: User | None) -> EligibilityDecision:
    """Run the rules on the referral's facts and store a new decision (composable)."""
    facts = facts_for(referral)
    outcome = rules.evaluate(facts)
    decision = EligibilityDecision.objects.create(
        referral=referral,
        outcome=outcome.outcome.value,
        rules_version=outcome.rules_version,
        results=[
            {
                "criterion": r.criterion.value,
                "result": r.result.value,
                "reason": r.reason,
                "ask_for": r.ask_for,
            }
            for r in outcome.results
        ],
        facts=rules.facts_to_dict(facts),
        decided_at=timezone.now(),
        decided_by=acting_user,
        created_by=acting_user,
        modified_by=acting_user,
    )
    referral.screen(decision)
    referral.modified_by = acting_user
    referral.save(
        update_fields=["status", "current_decision", "version", "modified_by", "modified_at"]
    )
    record(
        Action.REFERRAL_SCREENED,
        actor=acting_user,
        subject=referral,
        family_public_id=referral.family.public_id,
        data={
            "outcome": decision.outcome,
            "rules_version": decision.rules_version,
            "decision_id": str(decision.public_id),
        },
    )
    return decision


@transaction.atomic(durable=True)
def do_receive_referral(data: ReferralInput, *, acting_user: User) -> Referral:
    """Record a referral with its family and children, flag duplicates, and screen it.

    Called for referrers (their own referrals) and managers. Writes FAMILY_CREATED,
    CHILD_CREATED per child, REFERRAL_CREATED and REFERRAL_SCREENED, all in one
    transaction: a failure leaves nothing half-saved.
    """
    if acting_user.role not in (Role.REFERRER, Role.CENTRE_MANAGER, Role.NATIONAL_LEAD):
        raise DomainError("Only referrers and managers can make referrals.")
    if acting_user.role == Role.CENTRE_MANAGER and data.family.area_id != acting_user.area_id:
        raise DomainError("You can only record referrals for your own area.")
    recorded = case_actions.create_family(data.family, acting_user=acting_user)
    referral = Referral.objects.create(
        family=recorded.family,
        referred_child=recorded.referred_child,
        referred_by=acting_user,
        agency_type=data.agency_type,
        agency_name=data.agency_name.strip(),
        received_on=data.received_on,
        area_id=data.family.area_id,
        other_area_name="" if data.family.area_id else data.other_area_name.strip(),
        reason=data.reason.strip(),
        created_by=acting_user,
        modified_by=acting_user,
    )
    duplicates = find_duplicates(referral)
    for child, reason in duplicates:
        DuplicateCandidate.objects.create(
            referral=referral, existing_child=child, match_reason=reason, created_by=acting_user
        )
    if duplicates:
        referral.duplicate_status = DuplicateStatus.POSSIBLE
        referral.save(update_fields=["duplicate_status"])
    record(
        Action.REFERRAL_CREATED,
        actor=acting_user,
        subject=referral,
        family_public_id=recorded.family.public_id,
        data={"possible_duplicates": len(duplicates), "agency_type": data.agency_type},
    )
    _screen(referral, acting_user=acting_user)
    return referral


def _locked(referral: Referral, expected_version: int | None) -> Referral:
    locked = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("family", "referred_child", "area", "current_decision")
        .get(pk=referral.pk)
    )
    case_actions.check_version(locked.version, expected_version, what="referral")
    return locked


def _require_open(referral: Referral) -> None:
    if referral.status not in (ReferralStatus.RECEIVED, ReferralStatus.SCREENED):
        raise InvalidTransition(
            f"This referral is already {referral.get_status_display().lower()}."
        )


@transaction.atomic(durable=True)
def do_rescreen_referral(
    referral: Referral, *, acting_user: User, expected_version: int | None = None
) -> EligibilityDecision:
    """Screen an open referral again on its current facts; earlier decisions stay as they were."""
    referral = _locked(referral, expected_version)
    _require_open(referral)
    return _screen(referral, acting_user=acting_user)


@dataclass(frozen=True)
class FactsUpdate:
    """Answers to a "needs information" decision, for the referred child and the others."""

    children: dict[int, case_actions.ChildFactsChange]  # by Child.pk, children of the family
    assessment: AssessmentInput | None


@transaction.atomic(durable=True)
def do_update_referral_facts(
    referral: Referral,
    update: FactsUpdate,
    *,
    acting_user: User,
    expected_version: int | None = None,
) -> EligibilityDecision:
    """Record changed facts of the family's children, then screen again.

    Writes CHILD_CHANGED for each child changed and REFERRAL_SCREENED.
    """
    referral = _locked(referral, expected_version)
    _require_open(referral)
    children = {
        c.pk: c
        for c in Child.objects.filter(family_id=referral.family_id).select_related("family")
    }
    for child_pk, change in update.children.items():
        if child_pk not in children:
            raise DomainError("That child is not in this family.")
        case_actions.update_child_facts(children[child_pk], change, acting_user=acting_user)
    if update.assessment is not None:
        case_actions.record_assessment(
            children[referral.referred_child_id], update.assessment, acting_user=acting_user
        )
    return _screen(referral, acting_user=acting_user)


@transaction.atomic(durable=True)
def do_override_decision(
    referral: Referral,
    *,
    outcome: Outcome,
    reason: str,
    acting_user: User,
    expected_version: int | None = None,
) -> EligibilityDecision:
    """A manager overrides the current decision with a written reason.

    The rule-based decision stays on record; the override is a new decision that
    points at it. Writes REFERRAL_OVERRIDDEN.
    """
    referral = _locked(referral, expected_version)
    _require_open(referral)
    if not acting_user.manages_referrals:
        raise DomainError("Only a centre manager or the national lead can override a decision.")
    if not reason.strip():
        raise DomainError("Enter the reason for overriding the decision.")
    current = referral.current_decision
    if current is None:
        raise InvalidTransition("This referral has not been screened yet.")
    if outcome == current.outcome:
        raise DomainError("The override must change the decision.")
    decision = EligibilityDecision.objects.create(
        referral=referral,
        outcome=outcome,
        rules_version=current.rules_version,
        results=current.results,
        facts=current.facts,
        decided_at=timezone.now(),
        decided_by=acting_user,
        is_override=True,
        overrides=current,
        override_reason=reason.strip(),
        created_by=acting_user,
        modified_by=acting_user,
    )
    referral.screen(decision)
    referral.modified_by = acting_user
    referral.save(
        update_fields=["status", "current_decision", "version", "modified_by", "modified_at"]
    )
    record(
        Action.REFERRAL_OVERRIDDEN,
        actor=acting_user,
        subject=referral,
        family_public_id=referral.family.public_id,
        data={"from": current.outcome, "to": str(outcome), "decision_id": str(decision.public_id)},
    )
    return decision


@transaction.atomic(durable=True)
def do_accept_referral(
    referral: Referral, *, acting_user: User, expected_version: int | None = None
) -> Case:
    """Accept an eligible referral and open its case. Writes REFERRAL_ACCEPTED and CASE_OPENED."""
    referral = _locked(referral, expected_version)
    _require_open(referral)
    decision = referral.current_decision
    if decision is None or decision.outcome != Outcome.ELIGIBLE:
        raise NotEligible(
            "Only an eligible referral can be accepted. Record the missing information "
            "or override the decision with a reason first."
        )
    if referral.duplicate_status == DuplicateStatus.POSSIBLE:
        raise DomainError(
            "This referral may be a family already known to the service: link it or "
            "confirm it is new before accepting it."
        )
    case = case_actions.open_case(referral.family, acting_user=acting_user)
    referral._move(ReferralStatus.ACCEPTED)
    referral.case = case
    referral.decided_at = timezone.now()
    referral.decided_by = acting_user
    referral.modified_by = acting_user
    referral.save(
        update_fields=[
            "status",
            "case",
            "decided_at",
            "decided_by",
            "version",
            "modified_by",
            "modified_at",
        ]
    )
    record(
        Action.REFERRAL_ACCEPTED,
        actor=acting_user,
        subject=referral,
        family_public_id=referral.family.public_id,
        data={"case_id": str(case.public_id)},
    )
    return case


@transaction.atomic(durable=True)
def do_decline_referral(
    referral: Referral, *, reason: str, acting_user: User, expected_version: int | None = None
) -> Referral:
    """Decline a referral with a reason given to the referrer. Writes REFERRAL_DECLINED."""
    referral = _locked(referral, expected_version)
    _require_open(referral)
    if not reason.strip():
        raise DomainError("Enter the reason for declining the referral.")
    referral._move(ReferralStatus.DECLINED)
    referral.decline_reason = reason.strip()
    referral.decided_at = timezone.now()
    referral.decided_by = acting_user
    referral.modified_by = acting_user
    referral.save(
        update_fields=[
            "status",
            "decline_reason",
            "decided_at",
            "decided_by",
            "version",
            "modified_by",
            "modified_at",
        ]
    )
    outcome = referral.current_decision.outcome if referral.current_decision else ""
    record(
        Action.REFERRAL_DECLINED,
        actor=acting_user,
        subject=referral,
        family_public_id=referral.family.public_id,
        data={"decision_outcome": outcome},
    )
    return referral


@transaction.atomic(durable=True)
def do_link_duplicate(
    referral: Referral,
    *,
    candidate: DuplicateCandidate,
    acting_user: User,
    expected_version: int | None = None,
) -> EligibilityDecision:
    """Link a referral to the family already known, archive the copy made at intake, and re-screen.

    Writes REFERRAL_DUPLICATE_LINKED, FAMILY_CHANGED (the archived copy) and REFERRAL_SCREENED.
    """
    referral = _locked(referral, expected_version)
    _require_open(referral)
    if candidate.referral_id != referral.pk:
        raise DomainError("That is not a possible duplicate of this referral.")
    if referral.duplicate_status != DuplicateStatus.POSSIBLE:
        raise InvalidTransition("This referral's possible duplicates have already been resolved.")
    existing = Child.objects.select_related("family").get(pk=candidate.existing_child_id)
    if existing.family.area_id != referral.area_id:
        raise DomainError("The family already known lives in another area: ask the national lead.")
    intake_family = referral.family
    referral.family = existing.family
    referral.referred_child = existing
    referral.duplicate_status = DuplicateStatus.LINKED
    referral.modified_by = acting_user
    referral.save(
        update_fields=[
            "family",
            "referred_child",
            "duplicate_status",
            "modified_by",
            "modified_at",
        ]
    )
    case_actions.archive_family(
        intake_family, merged_into=existing.family, acting_user=acting_user
    )
    record(
        Action.REFERRAL_DUPLICATE_LINKED,
        actor=acting_user,
        subject=referral,
        family_public_id=existing.family.public_id,
        data={"intake_family_id": str(intake_family.public_id), "match": candidate.match_reason},
    )
    return _screen(referral, acting_user=acting_user)


@transaction.atomic(durable=True)
def do_dismiss_duplicates(
    referral: Referral, *, acting_user: User, expected_version: int | None = None
) -> Referral:
    """Confirm that a referral's family is new. Writes REFERRAL_DUPLICATE_DISMISSED."""
    referral = _locked(referral, expected_version)
    _require_open(referral)
    if referral.duplicate_status != DuplicateStatus.POSSIBLE:
        raise InvalidTransition("This referral's possible duplicates have already been resolved.")
    referral.duplicate_status = DuplicateStatus.CONFIRMED_NEW
    referral.version += 1
    referral.modified_by = acting_user
    referral.save(update_fields=["duplicate_status", "version", "modified_by", "modified_at"])
    record(
        Action.REFERRAL_DUPLICATE_DISMISSED,
        actor=acting_user,
        subject=referral,
        family_public_id=referral.family.public_id,
    )
    return referral
