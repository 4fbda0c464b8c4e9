"""Case actions: lifecycle transitions along allowed edges only, each audited."""

import itertools

import pytest

from ipip.accounts.models import User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.cases import actions
from ipip.cases.models import CASE_TRANSITIONS, Approach, Case, CaseStatus, ClosureReason
from ipip.core.errors import ConcurrentEdit, DomainError, InvalidTransition
from ipip.core.testing.builders import referral_input
from ipip.referrals.actions import do_accept_referral, do_receive_referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(rita: User, bob: User) -> Case:
    referral = do_receive_referral(referral_input(), acting_user=rita)
    return do_accept_referral(referral, acting_user=bob)


def last_event() -> AuditEvent:
    return AuditEvent.objects.order_by("-id").first()  # type: ignore[return-value]


def test_allocate_sets_practitioner_and_approach(case: Case, alice: User, bob: User) -> None:
    case = actions.do_allocate_case(
        case, practitioner=alice, approach=Approach.PTP, acting_user=bob
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.ALLOCATED
    assert case.allocated_to == alice
    assert case.approach == Approach.PTP
    event = last_event()
    assert event.action == Action.CASE_ALLOCATED
    assert event.data["practitioner_id"] == alice.pk
    assert event.family_public_id == case.family.public_id


def test_reallocation_keeps_previous_in_audit(case: Case, alice: User, bob: User) -> None:
    second = User.objects.create_user(
        email="p2@example.org", password="x", role="practitioner", area=alice.area
    )
    actions.do_allocate_case(case, practitioner=alice, approach=Approach.VIG, acting_user=bob)
    actions.do_allocate_case(
        case, practitioner=second, approach=Approach.VIG, acting_user=bob, reason="On leave."
    )
    assert last_event().data["previous_practitioner_id"] == alice.pk


def test_reallocation_keeps_the_first_allocation_date(case: Case, alice: User, bob: User) -> None:
    """The two-to-three-month window runs from the first allocation, whoever takes over."""
    second = User.objects.create_user(
        email="p2@example.org", password="x", role="practitioner", area=alice.area
    )
    first = actions.do_allocate_case(
        case, practitioner=alice, approach=Approach.VIG, acting_user=bob
    )
    first = actions.do_activate_case(first, acting_user=bob)
    moved = actions.do_allocate_case(
        first, practitioner=second, approach=Approach.VIG, acting_user=bob, reason="On leave."
    )
    assert moved.allocated_at == first.allocated_at
    assert (moved.status, moved.allocated_to_id) == (CaseStatus.ACTIVE, second.pk)


def test_cannot_allocate_to_practitioner_of_another_area(
    case: Case, charlie: User, bob: User
) -> None:
    with pytest.raises(DomainError, match="area"):
        actions.do_allocate_case(
            case, practitioner=charlie, approach=Approach.VIG, acting_user=bob
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED


def test_cannot_allocate_to_a_manager(case: Case, bob: User) -> None:
    with pytest.raises(DomainError):
        actions.do_allocate_case(case, practitioner=bob, approach=Approach.VIG, acting_user=bob)


def test_activate_and_close(case: Case, alice: User, bob: User) -> None:
    actions.do_allocate_case(case, practitioner=alice, approach=Approach.VIG, acting_user=bob)
    actions.do_activate_case(case, acting_user=alice)
    assert last_event().action == Action.CASE_ACTIVATED
    actions.do_close_case(case, reason=ClosureReason.COMPLETED, note="Goals met.", acting_user=bob)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.closed_at is not None
    assert last_event().data == {"reason": "completed"}  # the code, never the note


def test_closed_case_cannot_be_reopened(case: Case, bob: User) -> None:
    actions.do_close_case(
        case, reason=ClosureReason.WITHDREW, note="Family withdrew.", acting_user=bob
    )
    with pytest.raises(InvalidTransition, match="is closed"):
        actions.do_activate_case(case, acting_user=bob)


def test_stale_version_refused(case: Case, alice: User, bob: User) -> None:
    stale = case.version
    actions.do_allocate_case(case, practitioner=alice, approach=Approach.VIG, acting_user=bob)
    with pytest.raises(ConcurrentEdit):
        actions.do_close_case(
            case,
            reason=ClosureReason.MOVED_AWAY,
            note="Moved.",
            acting_user=bob,
            expected_version=stale,
        )


@pytest.mark.parametrize(("src", "dst"), list(itertools.product(CaseStatus, CaseStatus)))
def test_transition_matrix(src: CaseStatus, dst: CaseStatus) -> None:
    """Every from/to pair: allowed edges move, all others raise InvalidTransition."""
    case = Case(status=src)

    def mover() -> None:
        case._move(dst)

    if dst in CASE_TRANSITIONS[src]:
        mover()
        assert case.status == dst
    else:
        with pytest.raises(InvalidTransition):
            mover()
