"""Safeguarding actions: state and audit rows; bad input saves nothing; a plan or care
proceedings closes the case and alerts the area's managers; case closure needs a summary."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from ipip.accounts.models import User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.cases import actions as case_actions
from ipip.cases.models import Case, CaseStatus, Child, ClosureReason
from ipip.core.errors import ConcurrentEdit, DomainError, InvalidTransition
from ipip.safeguarding import actions
from ipip.safeguarding.models import (
    Agency,
    Alert,
    AlertKind,
    Concern,
    ConcernStatus,
    Escalation,
    EscalationOutcome,
)
from ipip.safeguarding.queries import open_alerts_for
from ipip.safeguarding.tests.conftest import (
    WHAT,
    children_of,
    escalate,
    raise_concern,
    settle,
)

pytestmark = pytest.mark.django_db


def events(action: Action) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def close(case: Case, by: User) -> Case:
    return case_actions.do_close_case(
        case, reason=ClosureReason.COMPLETED, note="Goals met.", acting_user=by
    )


# -- raising a concern --------------------------------------------------------------------


def test_raise_concern_records_it_and_alerts_the_managers(case: Case, alice: User) -> None:
    children = children_of(case)
    concern = actions.do_raise_concern(
        case,
        raised_on=date(2026, 3, 16),
        what_happened=f"  {WHAT}  ",
        children=children,
        acting_user=alice,
    )
    concern.refresh_from_db()
    assert concern.case == case
    assert concern.status == ConcernStatus.OPEN
    assert concern.raised_by == alice
    assert concern.what_happened == WHAT
    assert set(concern.children.all()) == set(children)
    (event,) = events(Action.CONCERN_RAISED)
    assert event.actor == alice
    assert event.family_public_id == case.family.public_id
    assert event.data == {
        "concern_id": str(concern.public_id),
        "case_id": str(case.public_id),
        "child_ids": sorted(str(c.public_id) for c in children),
    }
    assert WHAT not in str(event.data)
    alert = Alert.objects.get()
    assert alert.kind == AlertKind.CONCERN_RAISED
    assert alert.area_id == case.area_id
    assert alert.case == case
    assert alert.for_user is None  # alice raised it herself
    assert alert.message == "A safeguarding concern was raised."
    (raised,) = events(Action.ALERT_RAISED)
    assert raised.data == {
        "alert_id": str(alert.public_id),
        "kind": "concern_raised",
        "case_id": str(case.public_id),
        "for_user_id": None,
    }


def test_a_concern_raised_by_the_manager_alerts_the_practitioner_too(
    case: Case, bob: User, alice: User
) -> None:
    raise_concern(case, bob)
    alert = Alert.objects.get()
    assert alert.for_user == alice
    assert events(Action.ALERT_RAISED)[0].data["for_user_id"] == alice.pk
    assert list(open_alerts_for(alice)) == [alert]
    assert list(open_alerts_for(bob)) == [alert]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"raised_on": date(2026, 3, 21)}, "Date the concern was raised must be today or in"),
        ({"what_happened": "   "}, "Enter what was seen or heard"),
        ({"children": []}, "Select the children the concern is about"),
        ({"children": "other family"}, "Choose only children of this family."),
    ],
)
def test_raise_concern_bad_input_saves_nothing(
    case: Case, hull_case: Case, alice: User, change: dict[str, object], message: str
) -> None:
    kwargs: dict[str, object] = {
        "raised_on": date(2026, 3, 16),
        "what_happened": WHAT,
        "children": children_of(case),
    }
    kwargs |= change
    if kwargs["children"] == "other family":
        kwargs["children"] = children_of(hull_case)
    with pytest.raises(DomainError, match=message):
        actions.do_raise_concern(case, acting_user=alice, **kwargs)  # type: ignore[arg-type]
    assert not Concern.objects.exists()
    assert not Alert.objects.exists()
    assert not events(Action.CONCERN_RAISED)
    assert not events(Action.ALERT_RAISED)


@pytest.mark.parametrize("persona", ["charlie", "dave", "erin", "adam"])
def test_outsiders_cannot_raise_a_concern(
    case: Case, persona: str, request: pytest.FixtureRequest
) -> None:
    with pytest.raises(PermissionDenied):
        raise_concern(case, request.getfixturevalue(persona))
    assert not Concern.objects.exists()


def test_lead_may_raise_a_concern(case: Case, lena: User) -> None:
    raise_concern(case, lena)
    assert events(Action.CONCERN_RAISED)[0].actor == lena


def test_a_closed_case_still_takes_concerns(case: Case, alice: User, bob: User) -> None:
    close(case, bob)
    concern = raise_concern(case, alice)
    assert concern.pk is not None
    assert fresh(case).status == CaseStatus.CLOSED


# -- closing a concern with no further action ---------------------------------------------


def test_close_concern_with_no_further_action(case: Case, alice: User) -> None:
    concern = raise_concern(case, alice)
    concern = actions.do_close_concern(
        concern, acting_user=alice, expected_version=concern.version
    )
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.CLOSED_NFA
    assert concern.closed_on == date(2026, 3, 20)
    assert concern.version == 2
    (event,) = events(Action.CONCERN_CLOSED)
    assert event.data == {"concern_id": str(concern.public_id), "status": "closed_nfa"}
    with pytest.raises(DomainError, match="Only an open concern"):
        actions.do_close_concern(concern, acting_user=alice)
    with pytest.raises(DomainError, match="closed with no further action: raise a new"):
        escalate(concern, alice)
    assert not Escalation.objects.exists()


def test_an_escalated_concern_cannot_be_closed_with_no_further_action(
    case: Case, alice: User
) -> None:
    concern = raise_concern(case, alice)
    escalate(concern, alice)
    with pytest.raises(DomainError, match="Only an open concern"):
        actions.do_close_concern(concern, acting_user=alice)
    assert Concern.objects.get().status == ConcernStatus.ESCALATED


# -- escalation ---------------------------------------------------------------------------


def test_escalate_records_it_and_alerts(case: Case, alice: User) -> None:
    concern = raise_concern(case, alice)
    escalation = actions.do_escalate_concern(
        concern,
        escalated_on=date(2026, 3, 17),
        reason=" Disclosure of neglect. ",
        agency=Agency.CHILDRENS_SOCIAL_CARE,
        agency_name=" Sheffield MASH ",
        acting_user=alice,
        expected_version=concern.version,
    )
    escalation.refresh_from_db()
    assert escalation.concern == concern
    assert escalation.escalated_on == date(2026, 3, 17)
    assert escalation.reason == "Disclosure of neglect."
    assert escalation.agency_name == "Sheffield MASH"
    assert escalation.outcome == EscalationOutcome.AWAITING
    assert escalation.outcome_on is None
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.ESCALATED
    assert concern.version == 2
    (event,) = events(Action.ESCALATION_RECORDED)
    assert event.data == {
        "concern_id": str(concern.public_id),
        "escalation_id": str(escalation.public_id),
        "agency": "childrens_social_care",
    }
    assert event.family_public_id == case.family.public_id
    alert = Alert.objects.get(kind=AlertKind.ESCALATION)
    assert "MASH" in alert.message  # the agency's kind, a fixed label
    assert "Sheffield" not in alert.message  # never the typed name
    assert len(events(Action.ALERT_RAISED)) == 2


def test_a_concern_may_be_escalated_twice(case: Case, alice: User) -> None:
    concern = raise_concern(case, alice)
    escalate(concern, alice, agency=Agency.POLICE)
    escalate(concern, alice, agency=Agency.HEALTH)
    assert concern.escalations.count() == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"escalated_on": date(2026, 3, 21)}, "Date of the escalation must be today or in"),
        ({"escalated_on": date(2026, 3, 15)}, "must be the same as or after the date the concern"),
        ({"reason": "  "}, "Enter the reason for the escalation"),
        ({"agency": Agency.OTHER, "agency_name": " "}, "Enter the name of the agency contacted"),
        ({"expected_version": 7}, "Someone else changed this concern"),
    ],
)
def test_escalate_bad_input_saves_nothing(
    case: Case, alice: User, change: dict[str, object], message: str
) -> None:
    concern = raise_concern(case, alice)
    kwargs: dict[str, object] = {
        "escalated_on": date(2026, 3, 17),
        "reason": "Disclosure.",
        "agency": Agency.POLICE,
        "agency_name": "",
        "expected_version": 1,
    } | change
    with pytest.raises(DomainError, match=message):
        actions.do_escalate_concern(concern, acting_user=alice, **kwargs)  # type: ignore[arg-type]
    assert not Escalation.objects.exists()
    assert Concern.objects.get().status == ConcernStatus.OPEN
    assert not events(Action.ESCALATION_RECORDED)


def test_outsiders_cannot_escalate(case: Case, alice: User, dave: User) -> None:
    concern = raise_concern(case, alice)
    with pytest.raises(PermissionDenied):
        escalate(concern, dave)
    assert not Escalation.objects.exists()


# -- outcomes -----------------------------------------------------------------------------


def test_an_outcome_that_keeps_eligibility_leaves_the_case_open(
    case: Case, alice: User, bob: User
) -> None:
    escalation = escalate(raise_concern(case, alice), alice)
    escalation = actions.do_record_escalation_outcome(
        escalation,
        outcome=EscalationOutcome.CHILD_IN_NEED,
        outcome_on=date(2026, 3, 19),
        acting_user=alice,
        expected_version=escalation.version,
    )
    escalation.refresh_from_db()
    assert escalation.outcome == EscalationOutcome.CHILD_IN_NEED
    assert escalation.outcome_on == date(2026, 3, 19)
    assert escalation.version == 2
    (event,) = events(Action.ESCALATION_OUTCOME_RECORDED)
    assert event.data == {
        "concern_id": str(escalation.concern.public_id),
        "escalation_id": str(escalation.public_id),
        "outcome": "child_in_need",
        "previous_outcome": "awaiting",
        "case_closed": False,
    }
    assert fresh(case).status == CaseStatus.ALLOCATED
    assert not events(Action.CASE_CLOSED)
    assert not Alert.objects.filter(kind=AlertKind.SAFEGUARDING_CLOSURE).exists()


@pytest.mark.parametrize(
    ("outcome", "words"),
    [
        (EscalationOutcome.CHILD_PROTECTION_PLAN, "child protection plan"),
        (EscalationOutcome.CARE_PROCEEDINGS, "care proceedings"),
    ],
)
def test_a_plan_or_care_proceedings_closes_the_case_and_alerts_the_area(
    case: Case,
    hull_case: Case,
    alice: User,
    bob: User,
    dave: User,
    lena: User,
    outcome: EscalationOutcome,
    words: str,
) -> None:
    escalation = escalate(raise_concern(case, alice), alice)
    settle(escalation, bob, outcome)
    case = fresh(case)
    assert case.status == CaseStatus.CLOSED
    assert case.closure_reason == ClosureReason.NO_LONGER_ELIGIBLE
    assert words in case.closure_note
    assert "19 March 2026" in case.closure_note
    assert case.closed_at is not None
    (closed,) = events(Action.CASE_CLOSED)
    assert closed.actor == bob
    assert closed.data == {"reason": "no_longer_eligible"}  # the code, never the summary
    (recorded,) = events(Action.ESCALATION_OUTCOME_RECORDED)
    assert recorded.data["case_closed"] is True
    assert recorded.data["outcome"] == str(outcome)
    alert = Alert.objects.get(kind=AlertKind.SAFEGUARDING_CLOSURE)
    assert alert.message == f"Case closed as no longer eligible: an escalation ended in {words}."
    assert alert.for_user == alice  # bob recorded it: the practitioner is told
    assert alert in open_alerts_for(bob)
    assert alert in open_alerts_for(lena)
    assert alert in open_alerts_for(alice)
    assert alert not in open_alerts_for(dave)
    raised = [e for e in events(Action.ALERT_RAISED) if e.data["kind"] == "safeguarding_closure"]
    assert len(raised) == 1
    # A later correction to the same outcome neither closes again nor alerts again.
    settle(Escalation.objects.get(), bob, outcome, on=date(2026, 3, 20))
    assert Alert.objects.filter(kind=AlertKind.SAFEGUARDING_CLOSURE).count() == 1
    assert len(events(Action.CASE_CLOSED)) == 1


def test_an_enquiry_that_becomes_a_plan_closes_the_case(case: Case, alice: User) -> None:
    escalation = settle(
        escalate(raise_concern(case, alice), alice), alice, EscalationOutcome.SECTION_47
    )
    assert fresh(case).status == CaseStatus.ALLOCATED
    settle(escalation, alice, EscalationOutcome.CHILD_PROTECTION_PLAN, on=date(2026, 3, 20))
    assert fresh(case).closure_reason == ClosureReason.NO_LONGER_ELIGIBLE
    assert events(Action.ESCALATION_OUTCOME_RECORDED)[-1].data["previous_outcome"] == (
        "section_47"
    )
    alert = Alert.objects.get(kind=AlertKind.SAFEGUARDING_CLOSURE)
    assert alert.for_user is None  # alice recorded it herself


def test_a_plan_on_a_closed_case_keeps_its_closure_and_alerts(
    case: Case, alice: User, bob: User
) -> None:
    escalation = escalate(raise_concern(case, alice), alice)
    close(case, bob)
    settle(escalation, alice, EscalationOutcome.CARE_PROCEEDINGS)
    case = fresh(case)
    assert case.closure_reason == ClosureReason.COMPLETED
    assert case.closure_note == "Goals met."
    assert len(events(Action.CASE_CLOSED)) == 1
    assert events(Action.ESCALATION_OUTCOME_RECORDED)[0].data["case_closed"] is False
    alert = Alert.objects.get(kind=AlertKind.SAFEGUARDING_CLOSURE)
    assert alert.message == "An escalation ended in care proceedings. The case was already closed."


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"outcome": EscalationOutcome.AWAITING}, "Select the outcome of the escalation"),
        ({"outcome_on": date(2026, 3, 16)}, "must be the same as or after the date of the esc"),
        ({"outcome_on": date(2026, 3, 21)}, "Date of the outcome must be today or in the past"),
        ({"expected_version": 5}, "Someone else changed this escalation"),
    ],
)
def test_outcome_bad_input_saves_nothing(
    case: Case, alice: User, change: dict[str, object], message: str
) -> None:
    escalation = escalate(raise_concern(case, alice), alice)
    kwargs: dict[str, object] = {
        "outcome": EscalationOutcome.CHILD_PROTECTION_PLAN,
        "outcome_on": date(2026, 3, 19),
        "expected_version": 1,
    } | change
    with pytest.raises(DomainError, match=message):
        actions.do_record_escalation_outcome(escalation, acting_user=alice, **kwargs)  # type: ignore[arg-type]
    assert Escalation.objects.get().outcome == EscalationOutcome.AWAITING
    assert fresh(case).status == CaseStatus.ALLOCATED
    assert not events(Action.ESCALATION_OUTCOME_RECORDED)
    assert not events(Action.CASE_CLOSED)


def test_outsiders_cannot_record_an_outcome(case: Case, alice: User, charlie: User) -> None:
    escalation = escalate(raise_concern(case, alice), alice)
    with pytest.raises(PermissionDenied):
        settle(escalation, charlie, EscalationOutcome.CHILD_PROTECTION_PLAN)
    assert fresh(case).status == CaseStatus.ALLOCATED


# -- alerts -------------------------------------------------------------------------------


def test_acknowledge_an_alert(case: Case, alice: User, bob: User, lena: User) -> None:
    raise_concern(case, bob)
    alert = Alert.objects.get()
    actions.do_acknowledge_alert(alert, acting_user=lena)
    alert.refresh_from_db()
    assert alert.acknowledged_by == lena
    assert alert.acknowledged_at is not None
    (event,) = events(Action.ALERT_ACKNOWLEDGED)
    assert event.data == {"alert_id": str(alert.public_id), "kind": "concern_raised"}
    assert event.family_public_id == case.family.public_id
    assert not open_alerts_for(bob).exists()
    assert not open_alerts_for(alice).exists()
    with pytest.raises(DomainError, match="already been acknowledged"):
        actions.do_acknowledge_alert(alert, acting_user=bob)
    assert len(events(Action.ALERT_ACKNOWLEDGED)) == 1


@pytest.mark.parametrize("persona", ["charlie", "dave", "erin", "adam", "rita"])
def test_outsiders_cannot_acknowledge(
    case: Case, bob: User, persona: str, request: pytest.FixtureRequest
) -> None:
    raise_concern(case, bob)
    alert = Alert.objects.get()
    with pytest.raises(PermissionDenied):
        actions.do_acknowledge_alert(alert, acting_user=request.getfixturevalue(persona))
    assert Alert.objects.get().acknowledged_at is None


# -- closing the case ---------------------------------------------------------------------


def test_closing_without_a_summary_is_refused(case: Case, bob: User) -> None:
    with pytest.raises(DomainError, match="Enter a closing summary"):
        case_actions.do_close_case(
            case, reason=ClosureReason.COMPLETED, note="   ", acting_user=bob
        )
    assert fresh(case).status == CaseStatus.ALLOCATED
    assert not events(Action.CASE_CLOSED)


def test_the_practitioner_may_close_the_case(case: Case, alice: User) -> None:
    case_actions.do_close_case(
        case, reason=ClosureReason.DISENGAGED, note=" Stopped answering. ", acting_user=alice
    )
    case = fresh(case)
    assert case.status == CaseStatus.CLOSED
    assert case.closure_note == "Stopped answering."
    (event,) = events(Action.CASE_CLOSED)
    assert event.actor == alice and event.data == {"reason": "disengaged"}


@pytest.mark.parametrize("persona", ["charlie", "dave", "erin"])
def test_outsiders_cannot_close_the_case(
    case: Case, persona: str, request: pytest.FixtureRequest
) -> None:
    with pytest.raises(PermissionDenied):
        case_actions.do_close_case(
            case,
            reason=ClosureReason.COMPLETED,
            note="Done.",
            acting_user=request.getfixturevalue(persona),
        )
    assert fresh(case).status == CaseStatus.ALLOCATED


def test_a_closed_case_refuses_other_changes(case: Case, alice: User, bob: User) -> None:
    close(case, bob)
    with pytest.raises(InvalidTransition, match="This case is closed"):
        close(case, bob)
    with pytest.raises(DomainError, match="closed"):
        case_actions.do_activate_case(case, acting_user=alice)


def test_children_of_other_families_are_not_offered(case: Case, hull_case: Case) -> None:
    assert {c.family_id for c in children_of(case)} == {case.family_id}
    assert Child.objects.count() == 3


def test_stale_version_on_close_concern(case: Case, alice: User) -> None:
    concern = raise_concern(case, alice)
    with pytest.raises(ConcurrentEdit):
        actions.do_close_concern(concern, acting_user=alice, expected_version=9)
    assert Concern.objects.get().status == ConcernStatus.OPEN
