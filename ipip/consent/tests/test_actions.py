"""Recording consent: state and audit after each decision, flags on withdrawal, refusals."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from ipip.accounts.models import User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.cases import actions as case_actions
from ipip.cases.models import Carer, Case, ClosureReason
from ipip.consent.actions import do_record_consent
from ipip.consent.models import ConsentDecision, ConsentRecord, Purpose
from ipip.consent.queries import consent_state, has_consent
from ipip.consent.rules import State
from ipip.consent.tests.conftest import consent
from ipip.core.errors import ConcurrentEdit, DomainError, InvalidTransition

pytestmark = pytest.mark.django_db
GIVEN, WITHDRAWN = ConsentDecision.GIVEN, ConsentDecision.WITHDRAWN


def last_event() -> AuditEvent:
    return AuditEvent.objects.order_by("-id").first()  # type: ignore[return-value]


def test_giving_consent_records_it_and_audits(case: Case, carer: Carer, alice: User) -> None:
    version = case.version
    record = do_record_consent(
        case,
        purpose=Purpose.FILMING,
        decision=GIVEN,
        decided_on=date(2026, 3, 2),
        given_by=carer,
        note="  Explained the recordings policy.  ",
        acting_user=alice,
        expected_version=version,
    )
    assert record.given_by == carer
    assert record.recorded_by == alice
    assert record.note == "Explained the recordings policy."
    assert has_consent(case, Purpose.FILMING)
    assert not has_consent(case, Purpose.FILMING, on=date(2026, 3, 1))
    assert not has_consent(case, Purpose.RESEARCH)
    event = last_event()
    assert event.action == Action.CONSENT_GIVEN
    assert event.actor == alice
    assert event.subject_public_id == record.public_id
    assert event.family_public_id == case.family.public_id
    assert event.data == {"purpose": "filming", "consent_record_id": str(record.public_id)}
    case.refresh_from_db()
    assert case.version == version  # consent compares the version but never bumps it


@pytest.mark.parametrize(
    ("purpose", "flag"),
    [
        (Purpose.FILMING, "clips_to_delete"),
        (Purpose.CLIP_RETENTION, "clips_to_delete"),
        (Purpose.RESEARCH, "exclude_from_research"),
        (Purpose.SERVICE, None),
        (Purpose.INFORMATION_SHARING, None),
    ],
)
def test_withdrawal_is_recorded_and_flags_what_depends_on_it(
    case: Case, bob: User, purpose: Purpose, flag: str | None
) -> None:
    given = consent(case, purpose, by=bob, on=date(2026, 3, 1))
    withdrawn = consent(case, purpose, WITHDRAWN, by=bob, on=date(2026, 3, 1))
    assert consent_state(case)[purpose] == State.WITHDRAWN
    assert not has_consent(case, purpose)
    assert ConsentRecord.objects.filter(pk=given.pk).exists()  # kept, not deleted
    event = last_event()
    assert event.action == Action.CONSENT_WITHDRAWN
    expected: dict[str, object] = {
        "purpose": str(purpose),
        "consent_record_id": str(withdrawn.public_id),
    }
    if flag is not None:
        expected["flag"] = flag
    assert event.data == expected


def test_consent_can_be_given_again_after_withdrawal(case: Case, lena: User) -> None:
    consent(case, Purpose.RESEARCH, by=lena, on=date(2026, 3, 1))
    consent(case, Purpose.RESEARCH, WITHDRAWN, by=lena, on=date(2026, 3, 5))
    consent(case, Purpose.RESEARCH, by=lena, on=date(2026, 3, 9))
    assert has_consent(case, Purpose.RESEARCH)
    assert not has_consent(case, Purpose.RESEARCH, on=date(2026, 3, 6))


def test_consent_state_is_one_query(
    case: Case, bob: User, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    consent(case, Purpose.SERVICE, by=bob)
    consent(case, Purpose.FILMING, by=bob)
    consent(case, Purpose.FILMING, WITHDRAWN, by=bob)
    with django_assert_num_queries(1):
        states = consent_state(case)
    assert states == {
        Purpose.SERVICE: State.GIVEN,
        Purpose.FILMING: State.WITHDRAWN,
        Purpose.CLIP_RETENTION: State.NOT_ASKED,
        Purpose.RESEARCH: State.NOT_ASKED,
        Purpose.INFORMATION_SHARING: State.NOT_ASKED,
    }


def test_cannot_withdraw_what_was_never_given(case: Case, bob: User) -> None:
    with pytest.raises(DomainError, match="has not been given"):
        consent(case, Purpose.FILMING, WITHDRAWN, by=bob)
    assert not ConsentRecord.objects.exists()


def test_cannot_withdraw_twice(case: Case, bob: User) -> None:
    consent(case, Purpose.FILMING, by=bob)
    consent(case, Purpose.FILMING, WITHDRAWN, by=bob)
    with pytest.raises(DomainError, match="has not been given"):
        consent(case, Purpose.FILMING, WITHDRAWN, by=bob)


def test_cannot_give_what_is_already_given(case: Case, bob: User) -> None:
    consent(case, Purpose.SERVICE, by=bob)
    with pytest.raises(DomainError, match="already given"):
        consent(case, Purpose.SERVICE, by=bob, on=date(2026, 3, 2))
    assert ConsentRecord.objects.count() == 1


def test_cannot_date_a_decision_before_the_last_one(case: Case, bob: User) -> None:
    consent(case, Purpose.SERVICE, by=bob, on=date(2026, 3, 10))
    with pytest.raises(DomainError, match="cannot be dated before it"):
        consent(case, Purpose.SERVICE, WITHDRAWN, by=bob, on=date(2026, 3, 9))


def test_cannot_date_a_decision_in_the_future(case: Case, bob: User) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(DomainError, match="today or in the past"):
        consent(case, Purpose.SERVICE, by=bob, on=tomorrow)


def test_closed_case_refuses_giving_but_records_withdrawal(case: Case, bob: User) -> None:
    consent(case, Purpose.FILMING, by=bob)
    case = case_actions.do_close_case(
        case, reason=ClosureReason.COMPLETED, note="Done.", acting_user=bob
    )
    with pytest.raises(DomainError, match="This case is closed"):
        consent(case, Purpose.SERVICE, by=bob)
    assert ConsentRecord.objects.count() == 1
    consent(case, Purpose.FILMING, ConsentDecision.WITHDRAWN, by=bob)
    assert ConsentRecord.objects.count() == 2


def test_carer_of_another_family_is_refused(case: Case, other_case: Case, bob: User) -> None:
    stranger = other_case.family.carers.get()
    with pytest.raises(DomainError, match="carer of this family"):
        consent(case, Purpose.SERVICE, by=bob, carer=stranger)
    assert not AuditEvent.objects.filter(action=Action.CONSENT_GIVEN).exists()


def test_out_of_date_version_is_refused(case: Case, carer: Carer, bob: User) -> None:
    with pytest.raises(ConcurrentEdit):
        do_record_consent(
            case,
            purpose=Purpose.SERVICE,
            decision=GIVEN,
            decided_on=date(2026, 3, 1),
            given_by=carer,
            note="",
            acting_user=bob,
            expected_version=case.version - 1,
        )


def test_a_record_is_never_edited(case: Case, bob: User) -> None:
    record = consent(case, Purpose.SERVICE, by=bob)
    record.note = "changed"
    with pytest.raises(InvalidTransition, match="never edited"):
        record.save()
