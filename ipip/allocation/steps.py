"""Composable steps of allocating a case (not durable): `cases.actions.do_allocate_case` calls
them inside its transaction, with the case row locked.

- `approach_for` settles the approach: the trial arm (assigned now, at random, on a first
  allocation in trial mode; kept on every reallocation), or the manager's choice.
- `add_allocation_record` keeps the history: it ends the current record and adds one.
"""

from datetime import datetime
from typing import Final

from ipip.accounts.models import User
from ipip.allocation.keys import randomisation_key
from ipip.allocation.models import (
    AllocationRecord,
    Capacity,
    TrialAssignment,
    TrialSetting,
    stratum_for,
)
from ipip.allocation.randomisation import arm_at
from ipip.audit.events import Action
from ipip.audit.record import record
from ipip.cases.models import Approach, Case
from ipip.consent.models import Purpose
from ipip.consent.queries import has_consent
from ipip.core.errors import DomainError

NEEDS_RESEARCH_CONSENT: Final = (
    "Record the family's consent to research before allocating: in trial mode the approach "
    "is assigned at random"
)
CHOOSE_APPROACH: Final = "Choose the approach: VIG or Pathways Triple P"
TRIAL_ARM_FIXED: Final = (
    "This case is in the trial: its approach was assigned at random and cannot be changed."
)
TRIAL_NO_CHOICE: Final = (
    "This area runs as a trial: the approach is assigned at random, so it cannot be chosen. "
    "Choose the practitioner only."
)
TRIAL_KEEPS_APPROACH: Final = (
    "This area runs as a trial: the approach of a case allocated before the trial began "
    "cannot be changed."
)


def trial_is_on(area_id: int) -> bool:
    return TrialSetting.objects.filter(area_id=area_id, is_enabled=True).exists()


def _assign_arm(case: Case, *, acting_user: User, at: datetime) -> TrialAssignment:
    """Take the next position in the area's stratum and assign its arm.

    The caller holds the lock on the area's TrialSetting row, so the count of assignments
    is the next position and no other allocation can take it meanwhile (the unique
    constraint on stratum and position backs this up). Writes TRIAL_ARM_ASSIGNED with the
    stratum, position and arm: never the key.
    """
    if not has_consent(case, Purpose.RESEARCH):
        raise DomainError(NEEDS_RESEARCH_CONSENT)
    key = randomisation_key()
    stratum = stratum_for(case.area)
    position = TrialAssignment.objects.filter(stratum=stratum).count()
    arm = arm_at(key, stratum, position)
    assignment = TrialAssignment.objects.create(
        case=case,
        area_id=case.area_id,
        stratum=stratum,
        position=position,
        arm=arm,
        assigned_at=at,
        assigned_by=acting_user,
        created_by=acting_user,
        modified_by=acting_user,
    )
    record(
        Action.TRIAL_ARM_ASSIGNED,
        actor=acting_user,
        subject=assignment,
        family_public_id=case.family.public_id,
        data={"stratum": stratum, "position": position, "arm": arm},
    )
    return assignment


def approach_for(
    case: Case, chosen: Approach | None, *, acting_user: User, at: datetime
) -> tuple[Approach, bool]:
    """The approach of this allocation, and whether it came from the randomisation.

    - A trial case keeps its arm (a different choice is refused).
    - In trial mode, a first allocation is randomised (a choice is refused: the manager
      chooses the practitioner only); a case allocated before the trial began keeps its
      approach.
    - Otherwise the manager's choice, which is then required.
    """
    existing = TrialAssignment.objects.filter(case=case).first()
    if existing is not None:
        if chosen is not None and chosen != existing.arm:
            raise DomainError(TRIAL_ARM_FIXED)
        return Approach(existing.arm), True
    # Locks the area's setting: serialises assignments, and a switch of trial mode waits.
    setting = TrialSetting.objects.select_for_update().filter(area_id=case.area_id).first()
    if setting is not None and setting.is_enabled:
        if case.allocated_to_id is None:
            if chosen is not None:
                raise DomainError(TRIAL_NO_CHOICE)
            assignment = _assign_arm(case, acting_user=acting_user, at=at)
            return Approach(assignment.arm), True
        if chosen is not None and chosen != case.approach:
            raise DomainError(TRIAL_KEEPS_APPROACH)
        return Approach(case.approach), False
    if chosen is None:
        raise DomainError(CHOOSE_APPROACH)
    return chosen, False


def check_reallocation(
    case: Case, *, practitioner: User, approach: Approach | None, reason: str
) -> None:
    """A reallocation needs a reason and must change something."""
    if case.allocated_to_id is None:
        return
    if not reason.strip():
        raise DomainError("Enter the reason for reallocating the case")
    if case.allocated_to_id == practitioner.pk and approach in (None, case.approach):
        raise DomainError(
            "The case is already allocated to this practitioner: choose another practitioner "
            "or approach."
        )


def add_allocation_record(
    case: Case,
    *,
    practitioner: User,
    approach: Approach,
    is_randomised: bool,
    reason: str,
    acting_user: User,
    at: datetime,
) -> AllocationRecord:
    """End the current allocation record, if any, and add this one."""
    AllocationRecord.objects.filter(case=case, ended_at__isnull=True).update(
        ended_at=at, modified_by=acting_user, modified_at=at
    )
    return AllocationRecord.objects.create(
        case=case,
        practitioner=practitioner,
        approach=approach,
        is_randomised=is_randomised,
        allocated_at=at,
        allocated_by=acting_user,
        reason=reason.strip(),
        created_by=acting_user,
        modified_by=acting_user,
    )


def is_over_capacity(practitioner: User) -> bool:
    """Whether the practitioner holds more open cases than the capacity set for them."""
    capacity = Capacity.objects.filter(practitioner=practitioner).first()
    if capacity is None:
        return False
    open_cases = Case.objects.open().filter(allocated_to=practitioner).count()
    return open_cases > capacity.max_open_cases
