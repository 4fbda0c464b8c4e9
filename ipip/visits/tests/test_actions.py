"""Visit actions: state after the call, the audit row, and every refusal."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from ipip.accounts.models import User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.cases import actions as case_actions
from ipip.cases.models import Case, ClosureReason
from ipip.core.errors import ConcurrentEdit, DomainError
from ipip.core.testing.builders import referral_input
from ipip.referrals import actions as referral_actions
from ipip.visits.actions import do_record_visit, do_schedule_visit
from ipip.visits.models import Visit, VisitOutcome

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 3, 16, 10, 30, tzinfo=UTC)


def last_event() -> AuditEvent:
    return AuditEvent.objects.order_by("-id").first()  # type: ignore[return-value]


def schedule(case: Case, user: User, minutes: int = 60) -> Visit:
    return do_schedule_visit(case, scheduled_at=WHEN, planned_minutes=minutes, acting_user=user)


def record(visit: Visit, user: User, **overrides: object) -> Visit:
    case = visit.case
    kwargs: dict[str, object] = {
        "outcome": VisitOutcome.TOOK_PLACE,
        "actual_minutes": 55,
        "present_carers": list(case.family.carers.all()),
        "present_children": list(case.family.children.all()),
        "note": "  Played with the children.  ",
        "acting_user": user,
    }
    kwargs.update(overrides)
    return do_record_visit(visit, **kwargs)  # type: ignore[arg-type]  # test convenience


def test_schedule_creates_a_planned_visit_and_audits(case: Case, alice: User) -> None:
    visit = schedule(case, alice, minutes=90)
    visit.refresh_from_db()
    assert (visit.case, visit.scheduled_at, visit.planned_minutes) == (case, WHEN, 90)
    assert visit.outcome == ""
    assert visit.created_by == alice
    event = last_event()
    assert event.action == Action.VISIT_SCHEDULED
    assert event.actor == alice
    assert event.family_public_id == case.family.public_id
    assert event.data["visit_id"] == str(visit.public_id)


@pytest.mark.parametrize("who", ["bob", "lena"])
def test_managers_of_the_area_and_the_lead_may_schedule(
    case: Case, who: str, request: pytest.FixtureRequest
) -> None:
    user: User = request.getfixturevalue(who)
    assert schedule(case, user).pk


@pytest.mark.parametrize("who", ["charlie", "dave", "erin"])
def test_others_may_not_schedule(case: Case, who: str, request: pytest.FixtureRequest) -> None:
    with pytest.raises(PermissionDenied):
        schedule(case, request.getfixturevalue(who))
    assert not Visit.objects.exists()


def test_refused_on_an_unallocated_case(accepted_case: Case, bob: User) -> None:
    with pytest.raises(DomainError, match="Allocate the case before scheduling visits"):
        schedule(accepted_case, bob)


def test_refused_on_a_closed_case(case: Case, alice: User, bob: User) -> None:
    visit = schedule(case, alice)
    case_actions.do_close_case(
        case, reason=ClosureReason.COMPLETED, note="Goals met.", acting_user=bob
    )
    with pytest.raises(DomainError, match="closed"):
        schedule(case, bob)
    with pytest.raises(DomainError, match="closed"):
        record(visit, bob)
    assert Visit.objects.count() == 1


@pytest.mark.parametrize("minutes", [14, 241])
def test_planned_minutes_out_of_range(case: Case, alice: User, minutes: int) -> None:
    with pytest.raises(DomainError, match="from 15 to 240"):
        schedule(case, alice, minutes=minutes)


def test_naive_time_is_a_programming_error(case: Case, alice: User) -> None:
    with pytest.raises(ValueError, match="aware"):
        do_schedule_visit(
            case,
            scheduled_at=datetime(2026, 3, 16, 10, 30),  # noqa: DTZ001  # the point of the test
            planned_minutes=60,
            acting_user=alice,
        )


@time_machine.travel(datetime(2026, 3, 16, 12, 0, tzinfo=UTC), tick=False)
def test_record_took_place_sets_everything_and_audits_without_the_note(
    case: Case, alice: User
) -> None:
    visit = record(schedule(case, alice), alice)
    visit.refresh_from_db()
    assert visit.outcome == VisitOutcome.TOOK_PLACE
    assert visit.actual_minutes == 55
    assert visit.note == "Played with the children."
    assert visit.recorded_by == alice
    assert visit.recorded_at == datetime(2026, 3, 16, 12, 0, tzinfo=UTC)
    assert visit.version == 2
    assert set(visit.present_carers.all()) == set(case.family.carers.all())
    assert set(visit.present_children.all()) == set(case.family.children.all())
    event = last_event()
    assert event.action == Action.VISIT_RECORDED
    assert event.data == {"visit_id": str(visit.public_id), "outcome": "took_place"}
    assert "Played" not in str(event.data)


def test_record_no_one_home_needs_no_minutes_or_people(case: Case, alice: User) -> None:
    visit = record(
        schedule(case, alice),
        alice,
        outcome=VisitOutcome.NO_ONE_HOME,
        actual_minutes=None,
        present_carers=[],
        present_children=[],
    )
    assert visit.outcome == VisitOutcome.NO_ONE_HOME
    assert visit.actual_minutes is None


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"actual_minutes": None}, "how long the visit lasted"),
        ({"actual_minutes": 0}, "how long the visit lasted"),
        ({"present_carers": [], "present_children": []}, "who was present"),
        (
            {
                "outcome": VisitOutcome.CANCELLED_BY_FAMILY,
                "actual_minutes": None,
                "present_carers": [],
            },
            "who was present for a visit that took place",
        ),
        (
            {
                "outcome": VisitOutcome.CANCELLED_BY_SERVICE,
                "present_carers": [],
                "present_children": [],
            },
            "actual length",
        ),
    ],
)
def test_record_refuses_inconsistent_outcomes(
    case: Case, alice: User, overrides: dict[str, object], message: str
) -> None:
    visit = schedule(case, alice)
    with pytest.raises(DomainError, match=message):
        record(visit, alice, **overrides)
    visit.refresh_from_db()
    assert visit.outcome == ""
    assert not AuditEvent.objects.filter(action=Action.VISIT_RECORDED).exists()


def test_record_refuses_a_carer_of_another_family(
    case: Case, alice: User, rita: User, bob: User
) -> None:
    other = referral_actions.do_receive_referral(referral_input(), acting_user=rita)
    visit = schedule(case, alice)
    with pytest.raises(DomainError, match="people of this family"):
        record(visit, alice, present_carers=list(other.family.carers.all()))
    assert not visit.present_carers.exists()


def test_record_refuses_recording_twice(case: Case, alice: User) -> None:
    visit = record(schedule(case, alice), alice)
    with pytest.raises(DomainError, match="already been recorded"):
        record(visit, alice, outcome=VisitOutcome.NO_ONE_HOME, actual_minutes=None)


def test_record_refuses_a_stale_page(case: Case, alice: User) -> None:
    visit = schedule(case, alice)
    with pytest.raises(ConcurrentEdit):
        record(visit, alice, expected_version=visit.version + 1)


def test_record_refuses_an_outsider(case: Case, alice: User, charlie: User) -> None:
    visit = schedule(case, alice)
    with pytest.raises(PermissionDenied):
        record(visit, charlie)
