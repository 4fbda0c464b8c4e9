"""Safeguarding pages, the alerts list and case closure: what they show, errors keep what was
typed, the plan outcome closes the case, fixed query counts."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from pytest_django import DjangoAssertNumQueries

from ipip.accounts.models import User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.cases.models import Case, CaseStatus, ClosureReason
from ipip.core.testing.builders import allocated_case, referral_input
from ipip.referrals.tests.test_views_referral_create import error_summary, form_values
from ipip.safeguarding.models import (
    Agency,
    Alert,
    AlertKind,
    Concern,
    ConcernStatus,
    Escalation,
    EscalationOutcome,
)
from ipip.safeguarding.tests.conftest import (
    WHAT,
    children_of,
    escalate,
    raise_concern,
    settle,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("ipip.safeguarding.tests.urls")]

# Session, user, second-factor check, the case (one join), the concerns (with who raised
# them), their children and escalations (two prefetches), and the audit row.
INDEX_QUERIES = 8
# Session, user, second-factor check, the count, the page of alerts (with case, family and
# area), and the audit row.
ALERT_LIST_QUERIES = 6


def sg(name: str, case: Case, **ids: object) -> str:
    return reverse(f"safeguarding:{name}", kwargs={"case_id": case.public_id, **ids})


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def date_fields(name: str, day: int, month: int = 3, year: int = 2026) -> dict[str, str]:
    return {f"{name}_0": str(day), f"{name}_1": str(month), f"{name}_2": str(year)}


# -- index --------------------------------------------------------------------------------


def test_index_lists_concerns_with_escalations_and_outcomes(
    client: Client, case: Case, alice: User
) -> None:
    first = raise_concern(case, alice)
    escalation = escalate(first, alice, agency=Agency.CHILDRENS_SOCIAL_CARE)
    settle(escalation, alice, EscalationOutcome.CHILD_IN_NEED)
    second = raise_concern(case, alice)
    client.force_login(alice)
    response = client.get(sg("index", case))
    assert response.status_code == 200
    html = response.content.decode()
    child = children_of(case)[0]
    assert escape(f"{child.first_name} {child.last_name}") in html
    assert escape("Local authority children's social care (front door or MASH)") in html
    assert "Child in need (section 17)" in html
    assert ">Escalated</strong>" in html
    assert ">Open</strong>" in html
    assert sg("concern", case, concern_id=first.public_id) in html
    assert sg("concern", case, concern_id=second.public_id) in html
    assert sg("raise", case) in html
    event = AuditEvent.objects.get(action=Action.SAFEGUARDING_VIEWED)
    assert event.actor == alice
    assert event.family_public_id == case.family.public_id
    assert set(event.data["concern_ids"]) == {str(first.public_id), str(second.public_id)}


def test_index_without_concerns(client: Client, case: Case, bob: User) -> None:
    client.force_login(bob)
    html = client.get(sg("index", case)).content.decode()
    assert "No safeguarding concerns have been raised." in html


@pytest.mark.parametrize("count", [1, 4])
def test_index_query_count_does_not_grow(
    client: Client,
    case: Case,
    alice: User,
    count: int,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    for i in range(count):
        concern = raise_concern(case, alice)
        escalate(concern, alice)
        if i % 2:
            escalate(concern, alice, agency=Agency.HEALTH)
    client.force_login(alice)
    with django_assert_num_queries(INDEX_QUERIES):
        response = client.get(sg("index", case))
    assert response.content.decode().count('class="govuk-summary-card"') == count


# -- raising ------------------------------------------------------------------------------


def test_raise_a_concern(client: Client, case: Case, alice: User) -> None:
    client.force_login(alice)
    page = client.get(sg("raise", case)).content.decode()
    children = children_of(case)
    for child in children:
        assert escape(f"{child.first_name} {child.last_name}") in page
    response = client.post(
        sg("raise", case),
        {
            **date_fields("raised_on", 18),
            "children": [str(children[1].public_id)],
            "what_happened": WHAT,
        },
    )
    concern = Concern.objects.get()
    assert response.status_code == 302
    assert response["Location"] == sg("concern", case, concern_id=concern.public_id)
    assert list(concern.children.all()) == [children[1]]
    detail = client.get(response["Location"]).content.decode()
    assert "Concern recorded. The centre managers have been alerted." in detail
    assert escape(WHAT) in detail
    assert AuditEvent.objects.filter(action=Action.CONCERN_RAISED, actor=alice).exists()


def test_raise_with_nothing_names_every_field(client: Client, case: Case, alice: User) -> None:
    client.force_login(alice)
    response = client.post(sg("raise", case), {})
    assert response.status_code == 200
    summary = error_summary(response.content.decode())
    assert "Enter the date the concern was raised" in summary
    assert "Select the children the concern is about" in summary
    assert "Enter what was seen or heard" in summary
    assert not Concern.objects.exists()


def test_raise_with_a_future_date_keeps_what_was_typed(
    client: Client, case: Case, alice: User
) -> None:
    client.force_login(alice)
    response = client.post(
        sg("raise", case),
        {
            **date_fields("raised_on", 21),
            "children": [str(children_of(case)[0].public_id)],
            "what_happened": WHAT,
        },
    )
    html = response.content.decode()
    assert "Date the concern was raised must be today or in the past" in error_summary(html)
    values = form_values(html)
    assert values["what_happened"] == WHAT
    assert values["raised_on_0"] == "21"
    assert not Concern.objects.exists()


# -- one concern, escalation, closing with no further action -------------------------------


def test_escalate_a_concern(client: Client, case: Case, bob: User, alice: User) -> None:
    concern = raise_concern(case, alice)
    client.force_login(bob)
    url = sg("escalate", case, concern_id=concern.public_id)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "version": concern.version,
            **date_fields("escalated_on", 19),
            "agency": "childrens_social_care",
            "agency_name": "Sheffield MASH",
            "reason": "Child disclosed being left alone overnight.",
        },
    )
    assert response.status_code == 302
    escalation = Escalation.objects.get()
    assert escalation.agency == Agency.CHILDRENS_SOCIAL_CARE
    assert Concern.objects.get().status == ConcernStatus.ESCALATED
    detail = client.get(response["Location"]).content.decode()
    assert "Sheffield MASH" in detail
    assert "Awaiting outcome" in detail
    assert sg("outcome", case, escalation_id=escalation.public_id) in detail


def test_escalate_to_another_agency_needs_its_name(
    client: Client, case: Case, alice: User
) -> None:
    concern = raise_concern(case, alice)
    client.force_login(alice)
    response = client.post(
        sg("escalate", case, concern_id=concern.public_id),
        {
            "version": concern.version,
            **date_fields("escalated_on", 10),
            "agency": "other",
            "reason": "Worried.",
        },
    )
    html = response.content.decode()
    summary = error_summary(html)
    assert "Enter the name of the agency contacted" in summary
    assert "Date of the escalation must be the same as or after 16 March 2026" in summary
    assert form_values(html)["reason"] == "Worried."
    assert not Escalation.objects.exists()


def test_close_a_concern_with_no_further_action(client: Client, case: Case, alice: User) -> None:
    concern = raise_concern(case, alice)
    client.force_login(alice)
    detail = client.get(sg("concern", case, concern_id=concern.public_id)).content.decode()
    assert "Close with no further action" in detail
    response = client.post(
        sg("close", case, concern_id=concern.public_id), {"version": concern.version}
    )
    assert response.status_code == 302
    assert Concern.objects.get().status == ConcernStatus.CLOSED_NFA
    detail = client.get(response["Location"]).content.decode()
    assert "Concern closed with no further action." in detail
    assert "Close with no further action</button>" not in detail
    assert sg("escalate", case, concern_id=concern.public_id) not in detail


def test_closing_an_escalated_concern_is_refused_with_409(
    client: Client, case: Case, alice: User
) -> None:
    concern = escalate(raise_concern(case, alice), alice).concern
    client.force_login(alice)
    response = client.post(
        sg("close", case, concern_id=concern.public_id), {"version": concern.version}
    )
    assert response.status_code == 409
    assert "Only an open concern" in response.content.decode()


# -- outcome ------------------------------------------------------------------------------


def test_outcome_page_warns_and_a_plan_closes_the_case(
    client: Client, case: Case, alice: User, bob: User, erin: User
) -> None:
    escalation = escalate(raise_concern(case, alice), alice)
    client.force_login(alice)
    url = sg("outcome", case, escalation_id=escalation.public_id)
    page = client.get(url).content.decode()
    assert "A child protection plan or care proceedings ends the family" in page
    assert 'value="awaiting"' not in page
    response = client.post(
        url,
        {
            "version": escalation.version,
            "outcome": "child_protection_plan",
            **date_fields("outcome_on", 19),
        },
    )
    assert response.status_code == 302
    case = fresh(case)
    assert case.status == CaseStatus.CLOSED
    assert case.closure_reason == ClosureReason.NO_LONGER_ELIGIBLE
    detail = client.get(response["Location"]).content.decode()
    assert "the case is closed and the centre managers have been alerted" in detail
    assert Alert.objects.filter(kind=AlertKind.SAFEGUARDING_CLOSURE).exists()
    # The case page shows the closing summary to those who see identities, not to evaluators.
    client.force_login(bob)
    case_page = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    assert "Closing summary" in case_page
    assert "child protection plan, on 19 March 2026" in case_page
    assert ": no longer eligible" in case_page
    client.force_login(erin)
    case_page = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    assert "Closing summary" not in case_page
    assert "child protection plan, on" not in case_page


def test_outcome_before_the_escalation_is_a_field_error(
    client: Client, case: Case, alice: User
) -> None:
    escalation = escalate(raise_concern(case, alice), alice)
    client.force_login(alice)
    response = client.post(
        sg("outcome", case, escalation_id=escalation.public_id),
        {
            "version": escalation.version,
            "outcome": "care_proceedings",
            **date_fields("outcome_on", 1),
        },
    )
    html = response.content.decode()
    assert "Date of the outcome must be the same as or after 17 March 2026" in error_summary(html)
    assert form_values(html)["outcome"] == "care_proceedings"
    assert fresh(case).status == CaseStatus.ALLOCATED


def test_outcome_without_a_choice(client: Client, case: Case, alice: User) -> None:
    escalation = escalate(raise_concern(case, alice), alice)
    client.force_login(alice)
    response = client.post(
        sg("outcome", case, escalation_id=escalation.public_id), {"version": escalation.version}
    )
    summary = error_summary(response.content.decode())
    assert "Select the outcome of the escalation" in summary
    assert "Enter the date of the outcome" in summary


def test_outcome_with_a_stale_version_is_refused(client: Client, case: Case, alice: User) -> None:
    escalation = escalate(raise_concern(case, alice), alice)
    settle(escalation, alice, EscalationOutcome.SECTION_47)
    client.force_login(alice)
    response = client.post(
        sg("outcome", case, escalation_id=escalation.public_id),
        {"version": 1, "outcome": "no_further_action", **date_fields("outcome_on", 19)},
    )
    assert "Someone else changed this escalation" in error_summary(response.content.decode())
    assert Escalation.objects.get().outcome == EscalationOutcome.SECTION_47


def test_a_closed_case_still_takes_safeguarding_records(
    client: Client, case: Case, alice: User
) -> None:
    from ipip.cases.actions import do_close_case

    do_close_case(case, reason=ClosureReason.COMPLETED, note="Goals met.", acting_user=alice)
    client.force_login(alice)
    page = client.get(sg("raise", case)).content.decode()
    assert "This case is closed. Safeguarding concerns" in page
    response = client.post(
        sg("raise", case),
        {
            **date_fields("raised_on", 20),
            "children": [str(children_of(case)[0].public_id)],
            "what_happened": WHAT,
        },
    )
    assert response.status_code == 302
    assert Concern.objects.count() == 1


# -- alerts -------------------------------------------------------------------------------


def test_alert_list_and_acknowledge(client: Client, case: Case, alice: User, bob: User) -> None:
    raise_concern(case, alice)
    alert = Alert.objects.get()
    client.force_login(bob)
    response = client.get(reverse("alerts:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert case.family.pseudonym in html
    assert "A safeguarding concern was raised." in html
    assert sg("index", case) in html
    child = children_of(case)[0]
    assert escape(child.last_name) not in html  # alerts carry no names
    event = AuditEvent.objects.get(action=Action.ALERTS_VIEWED)
    assert event.data["alert_ids"] == [str(alert.public_id)]
    response = client.post(reverse("alerts:acknowledge", kwargs={"alert_id": alert.public_id}))
    assert response.status_code == 302
    assert response["Location"] == reverse("alerts:list")
    html = client.get(reverse("alerts:list")).content.decode()
    assert "Alert acknowledged." in html
    assert "There are no open alerts." in html
    again = client.post(reverse("alerts:acknowledge", kwargs={"alert_id": alert.public_id}))
    assert again.status_code == 302
    assert "already been acknowledged" in client.get(reverse("alerts:list")).content.decode()


@pytest.mark.parametrize("count", [1, 5])
def test_alert_list_query_count_does_not_grow(
    client: Client,
    case: Case,
    alice: User,
    lena: User,
    rita: User,
    dave: User,
    charlie: User,
    count: int,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    hull = allocated_case(rita, dave, charlie, referral=referral_input(area="Hull"))
    for i in range(count):
        raise_concern(case if i % 2 else hull, alice if i % 2 else charlie)
    client.force_login(lena)
    with django_assert_num_queries(ALERT_LIST_QUERIES):
        response = client.get(reverse("alerts:list"))
    rows = re.findall(r'<tr class="govuk-table__row">', response.content.decode())
    assert len(rows) == count + 1  # and the head


# -- closing the case ---------------------------------------------------------------------


def test_the_practitioner_closes_the_case_with_a_summary(
    client: Client, case: Case, alice: User
) -> None:
    client.force_login(alice)
    detail = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    close_url = reverse("cases:close", args=[case.public_id])
    assert close_url in detail
    response = client.post(
        close_url, {"version": case.version, "reason": "completed", "note": " "}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a closing summary" in error_summary(html)
    assert 'href="#id_note"' in error_summary(html)
    assert form_values(html)["reason"] == "completed"
    assert fresh(case).status == CaseStatus.ALLOCATED
    response = client.post(
        close_url,
        {"version": case.version, "reason": "completed", "note": "Goals met; family thriving."},
    )
    assert response.status_code == 302
    case = fresh(case)
    assert case.status == CaseStatus.CLOSED
    assert case.closure_note == "Goals met; family thriving."
    detail = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    assert "Goals met; family thriving." in detail
    assert close_url not in detail
