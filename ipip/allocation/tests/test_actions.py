"""Allocation actions: trial assignment, reallocation history, capacity, trial mode."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from pytest_django import Settings

from ipip.accounts.models import Area, User
from ipip.allocation import steps
from ipip.allocation.actions import do_set_capacity, do_set_trial_mode
from ipip.allocation.keys import KEY_INVALID, KEY_MISSING, randomisation_key
from ipip.allocation.models import (
    AllocationRecord,
    Capacity,
    TrialAssignment,
    TrialSetting,
    stratum_for,
)
from ipip.allocation.randomisation import arm_at
from ipip.allocation.tests.conftest import NewCase, research_consent, trial_on
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.cases.actions import do_activate_case, do_allocate_case, do_close_case
from ipip.cases.models import Approach, Case, CaseStatus, ClosureReason
from ipip.consent.models import ConsentDecision
from ipip.core.errors import ConcurrentEdit, DomainError, InvalidTransition

pytestmark = pytest.mark.django_db


def events(action: Action) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def assert_nothing_allocated(case: Case) -> None:
    case = fresh(case)
    assert case.status == CaseStatus.ACCEPTED
    assert case.allocated_to_id is None and case.approach == ""
    assert not TrialAssignment.objects.filter(case=case).exists()
    assert not AllocationRecord.objects.filter(case=case).exists()
    assert not events(Action.TRIAL_ARM_ASSIGNED)
    assert not events(Action.CASE_ALLOCATED)


# -- trial allocation ---------------------------------------------------------------


def test_trial_allocation_is_refused_without_consent_to_research(
    accepted_case: Case, alice: User, bob: User
) -> None:
    trial_on("Sheffield", by=bob)
    with pytest.raises(DomainError) as err:
        do_allocate_case(accepted_case, practitioner=alice, acting_user=bob)
    assert str(err.value) == (
        "Record the family's consent to research before allocating: in trial mode the "
        "approach is assigned at random"
    )
    assert_nothing_allocated(accepted_case)


def test_trial_allocation_is_refused_when_consent_to_research_was_withdrawn(
    accepted_case: Case, alice: User, bob: User
) -> None:
    trial_on("Sheffield", by=bob)
    research_consent(accepted_case, by=bob)
    research_consent(accepted_case, by=bob, decision=ConsentDecision.WITHDRAWN)
    with pytest.raises(DomainError, match="consent to research"):
        do_allocate_case(accepted_case, practitioner=alice, acting_user=bob)
    assert_nothing_allocated(accepted_case)


def test_trial_allocation_assigns_the_arm_at_the_next_position_and_audits_it(
    accepted_case: Case, alice: User, bob: User
) -> None:
    trial_on("Sheffield", by=bob)
    research_consent(accepted_case, by=bob)
    case = do_allocate_case(accepted_case, practitioner=alice, acting_user=bob)
    stratum = stratum_for(case.area)
    expected = arm_at(randomisation_key(), stratum, 0)
    case = fresh(case)
    assert case.status == CaseStatus.ALLOCATED
    assert case.allocated_to == alice
    assert case.approach == expected
    assignment = TrialAssignment.objects.get(case=case)
    assert (assignment.stratum, assignment.position, assignment.arm) == (stratum, 0, expected)
    assert assignment.area_id == case.area_id and assignment.assigned_by == bob
    (assigned,) = events(Action.TRIAL_ARM_ASSIGNED)
    assert assigned.data == {"stratum": stratum, "position": 0, "arm": expected}
    assert assigned.actor == bob
    assert assigned.subject_public_id == assignment.public_id
    assert assigned.family_public_id == case.family.public_id
    (allocated,) = events(Action.CASE_ALLOCATED)
    assert allocated.id > assigned.id
    assert allocated.data["randomised"] is True and allocated.data["approach"] == expected
    (entry,) = AllocationRecord.objects.filter(case=case)
    assert entry.is_randomised and entry.approach == expected and entry.ended_at is None


def test_positions_count_up_in_each_area_independently(
    new_case: NewCase, alice: User, bob: User, charlie: User, lena: User
) -> None:
    trial_on("Sheffield", by=bob)
    trial_on("Hull", by=lena)
    key = randomisation_key()
    order = ["Sheffield", "Hull", "Sheffield", "Sheffield", "Hull"]
    for name in order:
        case = new_case(name)
        research_consent(case, by=lena)
        do_allocate_case(
            case, practitioner=alice if name == "Sheffield" else charlie, acting_user=lena
        )
    for name, positions in (("Sheffield", [0, 1, 2]), ("Hull", [0, 1])):
        area = Area.objects.get(name=name)
        rows = list(TrialAssignment.objects.filter(area=area).order_by("id"))
        assert [r.position for r in rows] == positions
        assert all(r.stratum == stratum_for(area) for r in rows)
        assert [r.arm for r in rows] == [arm_at(key, stratum_for(area), p) for p in positions]
        assert [r.case.approach for r in rows] == [r.arm for r in rows]
    audited = [(e.data["stratum"], e.data["position"]) for e in events(Action.TRIAL_ARM_ASSIGNED)]
    sheffield = stratum_for(Area.objects.get(name="Sheffield"))
    hull = stratum_for(Area.objects.get(name="Hull"))
    assert audited == [(sheffield, 0), (hull, 0), (sheffield, 1), (sheffield, 2), (hull, 1)]


def test_the_same_position_can_never_be_taken_twice(
    accepted_case: Case, alice: User, bob: User
) -> None:
    trial_on("Sheffield", by=bob)
    research_consent(accepted_case, by=bob)
    do_allocate_case(accepted_case, practitioner=alice, acting_user=bob)
    first = TrialAssignment.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        TrialAssignment.objects.create(
            case=Case.objects.create(
                family=accepted_case.family,
                area=accepted_case.area,
                accepted_at=accepted_case.accepted_at,
                status=CaseStatus.CLOSED,
                closure_reason=ClosureReason.WITHDREW,
                closed_at=accepted_case.accepted_at,
            ),
            area=first.area,
            stratum=first.stratum,
            position=first.position,
            arm=first.arm,
            assigned_at=first.assigned_at,
            assigned_by=bob,
        )


def test_a_trial_assignment_is_never_changed(accepted_case: Case, alice: User, bob: User) -> None:
    trial_on("Sheffield", by=bob)
    research_consent(accepted_case, by=bob)
    do_allocate_case(accepted_case, practitioner=alice, acting_user=bob)
    assignment = TrialAssignment.objects.get()
    assignment.arm = Approach.PTP if assignment.arm == Approach.VIG else Approach.VIG
    with pytest.raises(InvalidTransition):
        assignment.save()


def test_in_trial_mode_an_approach_cannot_be_chosen(
    accepted_case: Case, alice: User, bob: User
) -> None:
    trial_on("Sheffield", by=bob)
    research_consent(accepted_case, by=bob)
    with pytest.raises(DomainError, match="assigned at random, so it cannot be chosen"):
        do_allocate_case(accepted_case, practitioner=alice, approach=Approach.VIG, acting_user=bob)
    assert_nothing_allocated(accepted_case)


def test_reallocation_keeps_the_arm_and_the_history(
    accepted_case: Case, alice: User, second: User, bob: User
) -> None:
    trial_on("Sheffield", by=bob)
    research_consent(accepted_case, by=bob)
    case = do_allocate_case(accepted_case, practitioner=alice, acting_user=bob)
    arm = fresh(case).approach
    other = Approach.PTP if arm == Approach.VIG else Approach.VIG
    with pytest.raises(DomainError, match="cannot be changed"):
        do_allocate_case(
            case, practitioner=second, approach=other, acting_user=bob, reason="Leave."
        )
    case = do_allocate_case(
        case, practitioner=second, acting_user=bob, reason="Alice is on leave."
    )
    case = fresh(case)
    assert case.allocated_to == second and case.approach == arm
    assert TrialAssignment.objects.count() == 1
    first, now = AllocationRecord.objects.filter(case=case).order_by("allocated_at", "id")
    assert first.practitioner == alice and first.ended_at == now.allocated_at
    assert now.practitioner == second and now.ended_at is None and now.is_randomised
    assert now.reason == "Alice is on leave."
    realloc = events(Action.CASE_ALLOCATED)[-1]
    assert realloc.data["previous_practitioner_id"] == alice.pk
    assert "Alice is on leave." not in str(realloc.data)  # free text is never audited
    assert len(events(Action.TRIAL_ARM_ASSIGNED)) == 1


def test_a_trial_case_keeps_its_arm_after_trial_mode_is_switched_off(
    accepted_case: Case, alice: User, second: User, bob: User
) -> None:
    trial_on("Sheffield", by=bob)
    research_consent(accepted_case, by=bob)
    case = do_allocate_case(accepted_case, practitioner=alice, acting_user=bob)
    arm = fresh(case).approach
    do_set_trial_mode(case.area, is_enabled=False, acting_user=bob)
    case = do_allocate_case(case, practitioner=second, acting_user=bob, reason="Moved team.")
    assert fresh(case).approach == arm


def test_a_case_allocated_before_the_trial_keeps_its_approach(
    accepted_case: Case, alice: User, second: User, bob: User
) -> None:
    case = do_allocate_case(
        accepted_case, practitioner=alice, approach=Approach.PTP, acting_user=bob
    )
    trial_on("Sheffield", by=bob)
    with pytest.raises(DomainError, match="allocated before the trial began"):
        do_allocate_case(
            case, practitioner=second, approach=Approach.VIG, acting_user=bob, reason="x"
        )
    case = do_allocate_case(case, practitioner=second, acting_user=bob, reason="Moved team.")
    assert fresh(case).approach == Approach.PTP
    assert not TrialAssignment.objects.exists()


@pytest.mark.parametrize(
    ("key", "message"),
    [("", KEY_MISSING), ("abc", KEY_INVALID), ("zz" * 32, KEY_INVALID), ("ab" * 16, KEY_INVALID)],
)
def test_trial_allocation_is_refused_without_a_usable_key(
    accepted_case: Case, alice: User, bob: User, settings: Settings, key: str, message: str
) -> None:
    trial_on("Sheffield", by=bob)
    research_consent(accepted_case, by=bob)
    settings.IPIP_RANDOMISATION_KEY = key
    with pytest.raises(DomainError) as err:
        do_allocate_case(accepted_case, practitioner=alice, acting_user=bob)
    assert str(err.value) == message
    assert "IPIP_RANDOMISATION_KEY" in message
    assert_nothing_allocated(accepted_case)


# -- allocation outside trial mode, reallocation, capacity -------------------------------


def test_outside_trial_mode_the_approach_must_be_chosen(
    accepted_case: Case, alice: User, bob: User
) -> None:
    with pytest.raises(DomainError, match="Choose the approach: VIG or Pathways Triple P"):
        do_allocate_case(accepted_case, practitioner=alice, acting_user=bob)
    assert_nothing_allocated(accepted_case)


def test_allocation_starts_the_history(accepted_case: Case, alice: User, bob: User) -> None:
    case = do_allocate_case(
        accepted_case, practitioner=alice, approach=Approach.VIG, acting_user=bob
    )
    (entry,) = AllocationRecord.objects.filter(case=case)
    assert (entry.practitioner, entry.approach, entry.allocated_by) == (alice, "vig", bob)
    assert entry.allocated_at == fresh(case).allocated_at
    assert not entry.is_randomised and entry.reason == ""
    event = events(Action.CASE_ALLOCATED)[-1]
    assert event.data["allocation_record_id"] == str(entry.public_id)
    assert event.data["randomised"] is False and event.data["over_capacity"] is False


def test_reallocation_needs_a_reason(
    accepted_case: Case, alice: User, second: User, bob: User
) -> None:
    case = do_allocate_case(
        accepted_case, practitioner=alice, approach=Approach.VIG, acting_user=bob
    )
    with pytest.raises(DomainError, match="Enter the reason for reallocating the case"):
        do_allocate_case(
            case, practitioner=second, approach=Approach.VIG, acting_user=bob, reason="  "
        )
    assert fresh(case).allocated_to == alice
    assert AllocationRecord.objects.filter(case=case).count() == 1


def test_reallocating_to_the_same_practitioner_and_approach_is_refused(
    accepted_case: Case, alice: User, bob: User
) -> None:
    case = do_allocate_case(
        accepted_case, practitioner=alice, approach=Approach.VIG, acting_user=bob
    )
    with pytest.raises(DomainError, match="already allocated to this practitioner"):
        do_allocate_case(
            case, practitioner=alice, approach=Approach.VIG, acting_user=bob, reason="x"
        )
    # Changing only the approach is a reallocation too.
    do_allocate_case(
        case, practitioner=alice, approach=Approach.PTP, acting_user=bob, reason="Fit."
    )
    assert AllocationRecord.objects.filter(case=case).count() == 2


def test_an_active_case_can_be_reallocated_and_stays_active(
    accepted_case: Case, alice: User, second: User, bob: User
) -> None:
    case = do_allocate_case(
        accepted_case, practitioner=alice, approach=Approach.VIG, acting_user=bob
    )
    do_activate_case(case, acting_user=alice)
    version = fresh(case).version
    case = do_allocate_case(
        case, practitioner=second, acting_user=bob, approach=Approach.VIG, reason="Leaving."
    )
    case = fresh(case)
    assert case.status == CaseStatus.ACTIVE and case.allocated_to == second
    assert case.version == version + 1
    history = AllocationRecord.objects.filter(case=case).order_by("id")
    assert [e.practitioner for e in history] == [alice, second]


def test_a_closed_case_cannot_be_allocated(accepted_case: Case, alice: User, bob: User) -> None:
    do_close_case(accepted_case, reason=ClosureReason.WITHDREW, note="Withdrew.", acting_user=bob)
    with pytest.raises(DomainError, match="This case is closed"):
        do_allocate_case(accepted_case, practitioner=alice, approach=Approach.VIG, acting_user=bob)
    assert not AllocationRecord.objects.exists()


@pytest.mark.parametrize("who", ["alice", "dave", "erin", "adam"])
def test_only_managers_of_the_area_and_the_lead_allocate(
    accepted_case: Case, alice: User, who: str, request: pytest.FixtureRequest
) -> None:
    user: User = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        do_allocate_case(
            accepted_case, practitioner=alice, approach=Approach.VIG, acting_user=user
        )
    assert_nothing_allocated(accepted_case)


def test_the_national_lead_allocates(accepted_case: Case, alice: User, lena: User) -> None:
    case = do_allocate_case(
        accepted_case, practitioner=alice, approach=Approach.PTP, acting_user=lena
    )
    assert fresh(case).allocated_to == alice


def test_allocating_over_capacity_is_allowed_and_flagged(
    new_case: NewCase, alice: User, bob: User
) -> None:
    do_set_capacity(alice, max_open_cases=1, acting_user=bob)
    do_allocate_case(new_case(), practitioner=alice, approach=Approach.VIG, acting_user=bob)
    assert events(Action.CASE_ALLOCATED)[-1].data["over_capacity"] is False  # 1 of 1
    do_allocate_case(new_case(), practitioner=alice, approach=Approach.VIG, acting_user=bob)
    assert events(Action.CASE_ALLOCATED)[-1].data["over_capacity"] is True  # 2 of 1
    assert steps.is_over_capacity(alice)


def test_set_capacity_creates_then_changes_it(alice: User, bob: User, lena: User) -> None:
    capacity = do_set_capacity(alice, max_open_cases=8, acting_user=bob)
    assert (capacity.max_open_cases, capacity.set_by, capacity.version) == (8, bob, 1)
    (event,) = events(Action.CAPACITY_SET)
    assert event.actor == bob and event.subject_public_id == alice.public_id
    assert event.data == {
        "practitioner_id": alice.pk,
        "max_open_cases": 8,
        "previous_max_open_cases": None,
    }
    capacity = do_set_capacity(alice, max_open_cases=6, acting_user=lena, expected_version=1)
    capacity.refresh_from_db()
    assert (capacity.max_open_cases, capacity.set_by, capacity.version) == (6, lena, 2)
    assert events(Action.CAPACITY_SET)[-1].data["previous_max_open_cases"] == 8


def test_set_capacity_refuses_a_stale_page(alice: User, bob: User) -> None:
    do_set_capacity(alice, max_open_cases=8, acting_user=bob)
    do_set_capacity(alice, max_open_cases=7, acting_user=bob, expected_version=1)
    with pytest.raises(ConcurrentEdit):
        do_set_capacity(alice, max_open_cases=5, acting_user=bob, expected_version=1)
    assert Capacity.objects.get().max_open_cases == 7
    assert len(events(Action.CAPACITY_SET)) == 2


@pytest.mark.parametrize("number", [-1, 51])
def test_set_capacity_refuses_a_number_out_of_range(alice: User, bob: User, number: int) -> None:
    with pytest.raises(DomainError, match="from 0 to 50"):
        do_set_capacity(alice, max_open_cases=number, acting_user=bob)
    assert not Capacity.objects.exists() and not events(Action.CAPACITY_SET)


@pytest.mark.parametrize("who", ["alice", "dave", "erin", "adam", "charlie"])
def test_set_capacity_only_by_a_manager_of_the_area_or_the_lead(
    alice: User, who: str, request: pytest.FixtureRequest
) -> None:
    with pytest.raises(PermissionDenied):
        do_set_capacity(alice, max_open_cases=3, acting_user=request.getfixturevalue(who))
    assert not Capacity.objects.exists()


def test_capacity_is_only_for_practitioners(bob: User, lena: User) -> None:
    with pytest.raises(DomainError, match="only be set for a practitioner"):
        do_set_capacity(bob, max_open_cases=3, acting_user=lena)


# -- trial mode -----------------------------------------------------------------------


def test_switching_trial_mode_on_and_off_is_audited(bob: User) -> None:
    sheffield = Area.objects.get(name="Sheffield")
    setting = do_set_trial_mode(sheffield, is_enabled=True, acting_user=bob, expected_version=1)
    assert setting.is_enabled and setting.changed_by == bob and setting.version == 2
    do_set_trial_mode(sheffield, is_enabled=False, acting_user=bob, expected_version=2)
    on, off = events(Action.TRIAL_MODE_CHANGED)
    assert on.data == {"area_id": str(sheffield.public_id), "enabled": True}
    assert off.data == {"area_id": str(sheffield.public_id), "enabled": False}
    assert not TrialSetting.objects.get(area=sheffield).is_enabled


def test_trial_mode_refuses_no_change_and_a_stale_page(bob: User) -> None:
    sheffield = Area.objects.get(name="Sheffield")
    with pytest.raises(DomainError, match="Trial mode is already off in Sheffield"):
        do_set_trial_mode(sheffield, is_enabled=False, acting_user=bob)
    do_set_trial_mode(sheffield, is_enabled=True, acting_user=bob)
    with pytest.raises(ConcurrentEdit):
        do_set_trial_mode(sheffield, is_enabled=False, acting_user=bob, expected_version=1)
    assert len(events(Action.TRIAL_MODE_CHANGED)) == 1


@pytest.mark.parametrize("who", ["alice", "dave", "erin", "adam"])
def test_trial_mode_only_by_a_manager_of_the_area_or_the_lead(
    who: str, request: pytest.FixtureRequest
) -> None:
    with pytest.raises(PermissionDenied):
        do_set_trial_mode(
            Area.objects.get(name="Sheffield"),
            is_enabled=True,
            acting_user=request.getfixturevalue(who),
        )
    assert not events(Action.TRIAL_MODE_CHANGED)


def test_trial_mode_cannot_be_switched_on_without_a_key(bob: User, settings: Settings) -> None:
    settings.IPIP_RANDOMISATION_KEY = ""
    with pytest.raises(DomainError, match="key is not set up"):
        do_set_trial_mode(Area.objects.get(name="Sheffield"), is_enabled=True, acting_user=bob)
    assert not TrialSetting.objects.filter(is_enabled=True).exists()
