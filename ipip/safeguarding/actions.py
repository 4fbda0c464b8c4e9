"""Writes to safeguarding: raise a concern, escalate it, record the outcome, alerts.

Safeguarding never stops: these actions work on a closed case too (follow-up records),
so none of them calls `case.ensure_open`. Who: anyone who may work on the case
(`may_work_on_case`: the allocated practitioner, managers of the area, the national lead).
Audit data holds ids and codes only: never what was seen, reasons or agency names.
"""

from collections.abc import Collection
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ipip.accounts.models import User
from ipip.audit.events import Action
from ipip.audit.record import record
from ipip.cases.access import may_work_on_case
from ipip.cases.actions import check_version, close_case
from ipip.cases.models import Case, Child, ClosureReason
from ipip.core.dates import long_date
from ipip.core.errors import DomainError
from ipip.safeguarding.models import (
    Agency,
    Alert,
    AlertKind,
    Concern,
    Escalation,
    EscalationOutcome,
)
from ipip.safeguarding.queries import alerts_for


def _locked_case(case_id: int) -> Case:
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("family", "allocated_to")
        .get(pk=case_id)
    )


def _check_may_work(case: Case, user: User) -> None:
    if not may_work_on_case(user, case):
        raise PermissionDenied


def _check_not_future(value: date, what: str) -> None:
    if value > timezone.localdate():
        raise DomainError(f"{what} must be today or in the past.")


def _practitioner_to_tell(case: Case, acting_user: User) -> User | None:
    """The allocated practitioner, unless they are the one who acted."""
    practitioner = case.allocated_to
    if practitioner is None or practitioner.pk == acting_user.pk:
        return None
    return practitioner


def raise_alert(
    case: Case,
    *,
    kind: AlertKind,
    message: str,
    acting_user: User | None,
    for_user: User | None = None,
) -> Alert:
    """Alert the case area's centre managers and the national lead, and `for_user` (a
    practitioner) if given (composable, not durable). `message` is fixed text: no names.

    Writes ALERT_RAISED.
    """
    alert = Alert.objects.create(
        area_id=case.area_id,
        case=case,
        kind=kind,
        message=message,
        raised_at=timezone.now(),
        for_user=for_user,
        created_by=acting_user,
        modified_by=acting_user,
    )
    record(
        Action.ALERT_RAISED,
        actor=acting_user,
        subject=alert,
        family_public_id=case.family.public_id,
        data={
            "alert_id": str(alert.public_id),
            "kind": str(kind),
            "case_id": str(case.public_id),
            "for_user_id": for_user.pk if for_user is not None else None,
        },
    )
    return alert


@transaction.atomic(durable=True)
def do_raise_concern(
    case: Case,
    *,
    raised_on: date,
    what_happened: str,
    children: Collection[Child],
    acting_user: User,
) -> Concern:
    """Record a safeguarding concern about one or more children of the case's family.

    Allowed on a closed case. Writes CONCERN_RAISED and alerts the area's managers
    (ALERT_RAISED, kind concern_raised).
    """
    case = _locked_case(case.pk)
    _check_may_work(case, acting_user)
    _check_not_future(raised_on, "Date the concern was raised")
    what_happened = what_happened.strip()
    if not what_happened:
        raise DomainError("Enter what was seen or heard")
    if not children:
        raise DomainError("Select the children the concern is about")
    if any(child.family_id != case.family_id for child in children):
        raise DomainError("Choose only children of this family.")
    concern = Concern.objects.create(
        case=case,
        raised_on=raised_on,
        raised_by=acting_user,
        what_happened=what_happened,
        created_by=acting_user,
        modified_by=acting_user,
    )
    concern.children.set(children)
    record(
        Action.CONCERN_RAISED,
        actor=acting_user,
        subject=concern,
        family_public_id=case.family.public_id,
        data={
            "concern_id": str(concern.public_id),
            "case_id": str(case.public_id),
            "child_ids": sorted(str(child.public_id) for child in children),
        },
    )
    raise_alert(
        case,
        kind=AlertKind.CONCERN_RAISED,
        message="A safeguarding concern was raised.",
        acting_user=acting_user,
        for_user=_practitioner_to_tell(case, acting_user),
    )
    return concern


@transaction.atomic(durable=True)
def do_close_concern(
    concern: Concern, *, acting_user: User, expected_version: int | None = None
) -> Concern:
    """Close a concern that was not escalated, with no further action, as of today.

    Writes CONCERN_CLOSED.
    """
    case = _locked_case(concern.case_id)
    _check_may_work(case, acting_user)
    concern = Concern.objects.select_for_update(of=("self",)).get(pk=concern.pk)
    check_version(concern.version, expected_version, what="concern")
    concern.close_no_further_action(on=timezone.localdate())
    concern.modified_by = acting_user
    concern.save(update_fields=["status", "closed_on", "version", "modified_by", "modified_at"])
    record(
        Action.CONCERN_CLOSED,
        actor=acting_user,
        subject=concern,
        family_public_id=case.family.public_id,
        data={"concern_id": str(concern.public_id), "status": str(concern.status)},
    )
    return concern


@transaction.atomic(durable=True)
def do_escalate_concern(
    concern: Concern,
    *,
    escalated_on: date,
    reason: str,
    agency: Agency,
    agency_name: str,
    acting_user: User,
    expected_version: int | None = None,
) -> Escalation:
    """Record that a concern was escalated (to children's social care, usually), awaiting
    the agency's outcome. A concern may be escalated more than once (e.g. to the police
    too). Writes ESCALATION_RECORDED and alerts the area's managers (kind escalation).
    """
    case = _locked_case(concern.case_id)
    _check_may_work(case, acting_user)
    concern = Concern.objects.select_for_update(of=("self",)).get(pk=concern.pk)
    check_version(concern.version, expected_version, what="concern")
    _check_not_future(escalated_on, "Date of the escalation")
    if escalated_on < concern.raised_on:
        raise DomainError(
            "Date of the escalation must be the same as or after the date the concern was raised."
        )
    reason = reason.strip()
    agency_name = agency_name.strip()
    if not reason:
        raise DomainError("Enter the reason for the escalation")
    if agency == Agency.OTHER and not agency_name:
        raise DomainError("Enter the name of the agency contacted")
    concern.escalate()
    concern.modified_by = acting_user
    concern.save(update_fields=["status", "version", "modified_by", "modified_at"])
    escalation = Escalation.objects.create(
        concern=concern,
        escalated_on=escalated_on,
        reason=reason,
        agency=agency,
        agency_name=agency_name,
        created_by=acting_user,
        modified_by=acting_user,
    )
    record(
        Action.ESCALATION_RECORDED,
        actor=acting_user,
        subject=escalation,
        family_public_id=case.family.public_id,
        data={
            "concern_id": str(concern.public_id),
            "escalation_id": str(escalation.public_id),
            "agency": str(agency),
        },
    )
    raise_alert(
        case,
        kind=AlertKind.ESCALATION,
        message=f"A safeguarding concern was escalated to: {Agency(agency).label}.",
        acting_user=acting_user,
        for_user=_practitioner_to_tell(case, acting_user),
    )
    return escalation


def _closing_summary(outcome: EscalationOutcome, on: date) -> str:
    return (
        f"Closed by the service when the outcome of an escalation to another agency was "
        f"recorded: {outcome.label.lower()}, on {long_date(on)}. A new child protection plan "
        "or care proceedings ends the family's eligibility for the service."
    )


@transaction.atomic(durable=True)
def do_record_escalation_outcome(
    escalation: Escalation,
    *,
    outcome: EscalationOutcome,
    outcome_on: date,
    acting_user: User,
    expected_version: int | None = None,
) -> Escalation:
    """Record (or correct) what the agency decided. Allowed on a closed case.

    A new child protection plan or care proceedings ends eligibility: in the same
    transaction an open case closes as no longer eligible (CASE_CLOSED) with a summary
    written here, and the area's managers and the practitioner are alerted
    (kind safeguarding_closure). Writes ESCALATION_OUTCOME_RECORDED.
    """
    concern = Concern.objects.get(pk=escalation.concern_id)
    case = _locked_case(concern.case_id)
    _check_may_work(case, acting_user)
    escalation = Escalation.objects.select_for_update(of=("self",)).get(pk=escalation.pk)
    check_version(escalation.version, expected_version, what="escalation")
    _check_not_future(outcome_on, "Date of the outcome")
    previous = EscalationOutcome(escalation.outcome)
    escalation.record_outcome(outcome=outcome, on=outcome_on)
    escalation.modified_by = acting_user
    escalation.save(
        update_fields=["outcome", "outcome_on", "version", "modified_by", "modified_at"]
    )
    newly_ends = escalation.ends_eligibility and previous not in (
        EscalationOutcome.CHILD_PROTECTION_PLAN,
        EscalationOutcome.CARE_PROCEEDINGS,
    )
    closes_case = newly_ends and not case.is_closed
    record(
        Action.ESCALATION_OUTCOME_RECORDED,
        actor=acting_user,
        subject=escalation,
        family_public_id=case.family.public_id,
        data={
            "concern_id": str(concern.public_id),
            "escalation_id": str(escalation.public_id),
            "outcome": str(outcome),
            "previous_outcome": str(previous),
            "case_closed": closes_case,
        },
    )
    if closes_case:
        close_case(
            case,
            reason=ClosureReason.NO_LONGER_ELIGIBLE,
            note=_closing_summary(outcome, outcome_on),
            acting_user=acting_user,
        )
    if newly_ends:
        label = outcome.label.lower()
        raise_alert(
            case,
            kind=AlertKind.SAFEGUARDING_CLOSURE,
            message=(
                f"Case closed as no longer eligible: an escalation ended in {label}."
                if closes_case
                else f"An escalation ended in {label}. The case was already closed."
            ),
            acting_user=acting_user,
            for_user=_practitioner_to_tell(case, acting_user),
        )
    return escalation


@transaction.atomic(durable=True)
def do_acknowledge_alert(alert: Alert, *, acting_user: User) -> Alert:
    """Mark an alert as seen and dealt with: it leaves everyone's list.

    Anyone the alert is shown to may acknowledge it. Writes ALERT_ACKNOWLEDGED.
    """
    try:
        alert = (
            alerts_for(acting_user)
            .select_for_update(of=("self",))
            .select_related("case__family")
            .get(pk=alert.pk)
        )
    except Alert.DoesNotExist:
        raise PermissionDenied from None
    if alert.is_acknowledged:
        raise DomainError("This alert has already been acknowledged.")
    alert.acknowledged_at = timezone.now()
    alert.acknowledged_by = acting_user
    alert.modified_by = acting_user
    alert.save(update_fields=["acknowledged_at", "acknowledged_by", "modified_by", "modified_at"])
    record(
        Action.ALERT_ACKNOWLEDGED,
        actor=acting_user,
        subject=alert,
        family_public_id=alert.case.family.public_id,
        data={"alert_id": str(alert.public_id), "kind": alert.kind},
    )
    return alert
