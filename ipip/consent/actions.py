"""Recording consent. A decision is added, never edited: withdrawal is a new record."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from ipip.accounts.models import User
from ipip.audit.events import Action
from ipip.audit.record import record
from ipip.cases.actions import check_version
from ipip.cases.models import Carer, Case, CaseStatus
from ipip.consent.models import ConsentDecision, ConsentRecord, Purpose
from ipip.consent.rules import withdrawal_flag
from ipip.core.dates import long_date
from ipip.core.errors import DomainError


def _check_decision(case: Case, *, purpose: Purpose, decision: ConsentDecision, on: date) -> None:
    """Refuse a decision that does not change anything, or one dated before the last one.

    Decisions for a purpose are kept in date order so that the history reads as it
    happened and the state on any date is the last decision made by then.
    """
    last = (
        ConsentRecord.objects.filter(case=case, purpose=purpose)
        .order_by("decided_on", "id")
        .last()
    )
    label = purpose.label.lower()
    if last is not None and on < last.decided_on:
        raise DomainError(
            f"Consent to {label} was last recorded on {long_date(last.decided_on)}: "
            "a new decision cannot be dated before it."
        )
    is_given = last is not None and last.decision == ConsentDecision.GIVEN
    if decision == ConsentDecision.GIVEN and is_given:
        raise DomainError(f"Consent to {label} is already given.")
    if decision == ConsentDecision.WITHDRAWN and not is_given:
        raise DomainError(f"Consent to {label} cannot be withdrawn: it has not been given.")


@transaction.atomic(durable=True)
def do_record_consent(
    case: Case,
    *,
    purpose: Purpose,
    decision: ConsentDecision,
    decided_on: date,
    given_by: Carer,
    note: str,
    acting_user: User,
    expected_version: int | None = None,
) -> ConsentRecord:
    """Record that a carer of the family gave or withdrew consent for one purpose.

    Called by the allocated practitioner, a manager of the case's area or the national
    lead (the view checks with `get_case_for_user(..., for_write=True)`). The case is
    locked so that two decisions about the same purpose cannot cross; its version is
    compared but not bumped (consent is not part of the case's own fields).
    Writes CONSENT_GIVEN or CONSENT_WITHDRAWN with the purpose and the record's id, and
    a `flag` naming what must follow a withdrawal (clips to delete, research exclusion).
    """
    case = Case.objects.select_for_update(of=("self",)).select_related("family").get(pk=case.pk)
    check_version(case.version, expected_version, what="case")
    # A closed case is read-only, but a family may still withdraw consent afterwards (clips
    # must then be deleted and data left out of research): withdrawal is always recorded.
    if case.status == CaseStatus.CLOSED and decision != ConsentDecision.WITHDRAWN:
        raise DomainError("This case is closed: consent can only be withdrawn now.")
    if given_by.family_id != case.family_id:
        raise DomainError("Choose a parent or carer of this family.")
    if decided_on > timezone.localdate():
        raise DomainError("The date of the decision must be today or in the past.")
    _check_decision(case, purpose=purpose, decision=decision, on=decided_on)
    consent = ConsentRecord.objects.create(
        case=case,
        purpose=purpose,
        decision=decision,
        decided_on=decided_on,
        given_by=given_by,
        recorded_by=acting_user,
        note=note.strip(),
        created_by=acting_user,
        modified_by=acting_user,
    )
    data: dict[str, object] = {
        "purpose": str(purpose),
        "consent_record_id": str(consent.public_id),
    }
    flag = withdrawal_flag(purpose, decision)
    if flag is not None:
        data["flag"] = flag
    record(
        Action.CONSENT_GIVEN if decision == ConsentDecision.GIVEN else Action.CONSENT_WITHDRAWN,
        actor=acting_user,
        subject=consent,
        family_public_id=case.family.public_id,
        data=data,
    )
    return consent
