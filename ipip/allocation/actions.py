"""Writes of the allocation app: practitioners' capacity and an area's trial mode.

Allocating a case is `ipip.cases.actions.do_allocate_case` (with the steps in `steps.py`).
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ipip.accounts.models import Area, Role, User
from ipip.allocation.access import may_manage_area
from ipip.allocation.keys import randomisation_key
from ipip.allocation.models import CAPACITY_MAX, Capacity, TrialSetting
from ipip.audit.events import Action
from ipip.audit.record import record
from ipip.cases.actions import check_version
from ipip.core.errors import DomainError


@transaction.atomic(durable=True)
def do_set_capacity(
    practitioner: User,
    *,
    max_open_cases: int,
    acting_user: User,
    expected_version: int | None = None,
) -> Capacity:
    """Set how many open cases a practitioner should hold.

    Called by a centre manager of the practitioner's area or the national lead (others:
    PermissionDenied). A capacity below the current caseload is allowed: it only makes the
    allocation page warn. Writes CAPACITY_SET with the old and new numbers.
    """
    if not may_manage_area(acting_user, practitioner.area_id):
        raise PermissionDenied
    if practitioner.role != Role.PRACTITIONER or not practitioner.is_active:
        raise DomainError("Capacity can only be set for a practitioner.")
    if not 0 <= max_open_cases <= CAPACITY_MAX:
        raise DomainError(f"Enter the maximum number of open cases, from 0 to {CAPACITY_MAX}")
    now = timezone.now()
    capacity = Capacity.objects.select_for_update().filter(practitioner=practitioner).first()
    previous: int | None = None
    if capacity is None:
        # A first capacity: there was nothing on the page to be out of date against.
        capacity = Capacity.objects.create(
            practitioner=practitioner,
            max_open_cases=max_open_cases,
            set_by=acting_user,
            set_at=now,
            created_by=acting_user,
            modified_by=acting_user,
        )
    else:
        check_version(capacity.version, expected_version, what="capacity")
        previous = capacity.max_open_cases
        capacity.max_open_cases = max_open_cases
        capacity.set_by = acting_user
        capacity.set_at = now
        capacity.version += 1
        capacity.modified_by = acting_user
        capacity.save(
            update_fields=[
                "max_open_cases",
                "set_by",
                "set_at",
                "version",
                "modified_by",
                "modified_at",
            ]
        )
    record(
        Action.CAPACITY_SET,
        actor=acting_user,
        subject=practitioner,
        data={
            "practitioner_id": practitioner.pk,
            "max_open_cases": max_open_cases,
            "previous_max_open_cases": previous,
        },
    )
    return capacity


@transaction.atomic(durable=True)
def do_set_trial_mode(
    area: Area,
    *,
    is_enabled: bool,
    acting_user: User,
    expected_version: int | None = None,
) -> TrialSetting:
    """Switch an area's trial mode on or off.

    Called by a centre manager of the area or the national lead (others: PermissionDenied).
    Switching on needs a usable randomisation key. Switching off leaves every assignment
    made as it is (trial cases keep their arms). Writes TRIAL_MODE_CHANGED.
    """
    if not may_manage_area(acting_user, area.pk):
        raise PermissionDenied
    setting, _created = TrialSetting.objects.select_for_update().get_or_create(area=area)
    check_version(setting.version, expected_version, what="trial setting")
    if setting.is_enabled == is_enabled:
        state = "on" if is_enabled else "off"
        raise DomainError(f"Trial mode is already {state} in {area.name}.")
    if is_enabled:
        randomisation_key()  # refuses, with a message, when no usable key is set up
    setting.is_enabled = is_enabled
    setting.changed_by = acting_user
    setting.changed_at = timezone.now()
    setting.version += 1
    setting.modified_by = acting_user
    setting.save(
        update_fields=[
            "is_enabled",
            "changed_by",
            "changed_at",
            "version",
            "modified_by",
            "modified_at",
        ]
    )
    record(
        Action.TRIAL_MODE_CHANGED,
        actor=acting_user,
        subject=setting,
        data={"area_id": str(area.public_id), "enabled": is_enabled},
    )
    return setting
