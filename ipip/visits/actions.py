"""Writes to visits: schedule one, record its outcome. Each writes its audit event."""

from collections.abc import Collection
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ipip.accounts.models import User
from ipip.audit.events import Action
from ipip.audit.record import record
from ipip.cases.access import may_work_on_case
from ipip.cases.actions import check_version
from ipip.cases.models import Carer, Case, Child
from ipip.core.errors import DomainError
from ipip.visits.models import PLANNED_MINUTES_MAX, PLANNED_MINUTES_MIN, Visit, VisitOutcome


def _locked_case(case_id: int) -> Case:
    return Case.objects.select_for_update(of=("self",)).select_related("family").get(pk=case_id)


def _check_may_visit(case: Case, user: User) -> None:
    """The allocated practitioner, a manager of the case's area, or the national lead."""
    if not may_work_on_case(user, case):
        raise PermissionDenied


def _check_open_and_allocated(case: Case) -> None:
    case.ensure_open("its visits")
    if case.allocated_to_id is None:
        raise DomainError("Allocate the case before scheduling visits.")


@transaction.atomic(durable=True)
def do_schedule_visit(
    case: Case, *, scheduled_at: datetime, planned_minutes: int, acting_user: User
) -> Visit:
    """Plan a home visit for an open, allocated case.

    Called by the allocated practitioner, a manager of the area or the national lead.
    A time in the past is allowed (a visit recorded after the fact). Writes VISIT_SCHEDULED.
    """
    case = _locked_case(case.pk)
    _check_may_visit(case, acting_user)
    _check_open_and_allocated(case)
    if timezone.is_naive(scheduled_at):
        raise ValueError("scheduled_at must be timezone-aware")
    if not PLANNED_MINUTES_MIN <= planned_minutes <= PLANNED_MINUTES_MAX:
        raise DomainError(
            f"Planned length must be from {PLANNED_MINUTES_MIN} to {PLANNED_MINUTES_MAX} minutes."
        )
    visit = Visit.objects.create(
        case=case,
        scheduled_at=scheduled_at,
        planned_minutes=planned_minutes,
        created_by=acting_user,
        modified_by=acting_user,
    )
    record(
        Action.VISIT_SCHEDULED,
        actor=acting_user,
        subject=visit,
        family_public_id=case.family.public_id,
        data={"visit_id": str(visit.public_id), "case_id": str(case.public_id)},
    )
    return visit


@transaction.atomic(durable=True)
def do_record_visit(
    visit: Visit,
    *,
    outcome: VisitOutcome,
    actual_minutes: int | None,
    present_carers: Collection[Carer],
    present_children: Collection[Child],
    note: str,
    acting_user: User,
    expected_version: int | None = None,
) -> Visit:
    """Record what happened at a planned visit: once only (a second attempt is refused).

    Took place: actual minutes and at least one person present, all of the case's family.
    Otherwise: no minutes and no one present. Same callers as `do_schedule_visit`.
    Writes VISIT_RECORDED with the outcome code (never the note).
    """
    case = _locked_case(visit.case_id)
    _check_may_visit(case, acting_user)
    _check_open_and_allocated(case)
    visit = Visit.objects.select_for_update(of=("self",)).get(pk=visit.pk)
    check_version(visit.version, expected_version, what="visit")
    people: list[Carer | Child] = [*present_carers, *present_children]
    if any(person.family_id != case.family_id for person in people):
        raise DomainError("Choose only people of this family.")
    visit.record(
        outcome=outcome,
        actual_minutes=actual_minutes,
        has_people=bool(people),
        note=note.strip(),
        at=timezone.now(),
    )
    visit.recorded_by = acting_user
    visit.modified_by = acting_user
    visit.save(
        update_fields=[
            "outcome",
            "actual_minutes",
            "note",
            "recorded_at",
            "recorded_by",
            "version",
            "modified_by",
            "modified_at",
        ]
    )
    visit.present_carers.set(present_carers)
    visit.present_children.set(present_children)
    record(
        Action.VISIT_RECORDED,
        actor=acting_user,
        subject=visit,
        family_public_id=case.family.public_id,
        data={"visit_id": str(visit.public_id), "outcome": str(outcome)},
    )
    return visit
