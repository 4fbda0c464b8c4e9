"""Case pages: allocate, activate, close, refused transitions (409, never 500), the audit trail."""

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from ipip.accounts.models import User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.cases import actions as case_actions
from ipip.cases.models import Approach, Case, CaseStatus, ClosureReason
from ipip.core.testing.builders import child_input, referral_input
from ipip.referrals import actions
from ipip.referrals.tests.test_views_referral_create import error_summary, form_values

pytestmark = pytest.mark.django_db


def url(name: str, case: Case) -> str:
    return reverse(f"cases:{name}", args=[case.public_id])


@pytest.fixture
def case(rita: User, bob: User) -> Case:
    referral = actions.do_receive_referral(
        referral_input(child=child_input(born=date(2020, 1, 1), first_name="Zebedee")),
        acting_user=rita,
    )
    return actions.do_accept_referral(referral, acting_user=bob)


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def allocated(case: Case, alice: User, bob: User) -> Case:
    return case_actions.do_allocate_case(
        case, practitioner=alice, approach=Approach.VIG, acting_user=bob
    )


def test_detail_shows_the_case_and_the_manager_buttons(
    client: Client, case: Case, bob: User
) -> None:
    client.force_login(bob)
    response = client.get(url("detail", case))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Zebedee" in html
    assert ">Accepted</strong>" in html
    assert url("allocate", case) in html
    assert url("close", case) in html
    assert url("audit", case) in html
    assert "Mark as active" not in html  # not allocated yet
    event = AuditEvent.objects.get(action=Action.CASE_VIEWED)
    assert event.actor == bob and event.ip_address == "127.0.0.1"


def test_allocate_to_a_practitioner_of_the_area(
    client: Client, case: Case, bob: User, alice: User, charlie: User
) -> None:
    client.force_login(bob)
    page = client.get(url("allocate", case))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Caseloads in Sheffield" in html
    assert alice.display_name in html
    assert charlie.display_name not in html  # Hull
    response = client.post(
        url("allocate", case),
        {"version": case.version, "practitioner": alice.pk, "approach": "ptp"},
    )
    assert response.status_code == 302
    assert response["Location"] == url("detail", case)
    case = fresh(case)
    assert case.status == CaseStatus.ALLOCATED
    assert case.allocated_to == alice
    assert case.approach == Approach.PTP
    event = AuditEvent.objects.get(action=Action.CASE_ALLOCATED)
    assert event.actor == bob
    assert event.data["practitioner_id"] == alice.pk
    detail = client.get(url("detail", case)).content.decode()
    assert "Case allocated." in detail
    assert "Pathways Triple P (PTP)" in detail
    assert alice.display_name in detail


def test_a_practitioner_of_another_area_is_a_field_error(
    client: Client, case: Case, bob: User, charlie: User
) -> None:
    client.force_login(bob)
    response = client.post(
        url("allocate", case),
        {"version": case.version, "practitioner": charlie.pk, "approach": "vig"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    summary = error_summary(html)
    assert "Choose a practitioner of this area" in summary
    assert 'href="#id_practitioner"' in summary
    assert "govuk-select--error" in html
    assert form_values(html)["approach"] == "vig"  # the choice made is kept
    assert fresh(case).status == CaseStatus.ACCEPTED
    assert not AuditEvent.objects.filter(action=Action.CASE_ALLOCATED).exists()


def test_allocate_without_choices_names_both_fields(client: Client, case: Case, bob: User) -> None:
    client.force_login(bob)
    response = client.post(url("allocate", case), {"version": case.version})
    summary = error_summary(response.content.decode())
    assert "Choose a practitioner" in summary
    assert "Choose the approach: VIG or Pathways Triple P" in summary


def test_manager_of_another_area_cannot_allocate(
    client: Client, case: Case, dave: User, charlie: User
) -> None:
    client.force_login(dave)
    assert client.get(url("allocate", case)).status_code == 404
    response = client.post(
        url("allocate", case),
        {"version": case.version, "practitioner": charlie.pk, "approach": "vig"},
    )
    assert response.status_code == 404


def test_activate(client: Client, case: Case, bob: User, alice: User) -> None:
    case = allocated(case, alice, bob)
    client.force_login(bob)
    assert "Mark as active" in client.get(url("detail", case)).content.decode()
    response = client.post(url("activate", case), {"version": case.version})
    assert response.status_code == 302
    assert fresh(case).status == CaseStatus.ACTIVE
    assert AuditEvent.objects.filter(action=Action.CASE_ACTIVATED, actor=bob).exists()
    assert "Case is now active." in client.get(url("detail", case)).content.decode()


def test_allocated_practitioner_can_activate(
    client: Client, case: Case, bob: User, alice: User
) -> None:
    case = allocated(case, alice, bob)
    client.force_login(alice)
    response = client.post(url("activate", case), {"version": case.version})
    assert response.status_code == 302
    assert fresh(case).status == CaseStatus.ACTIVE


def test_close_needs_a_reason(client: Client, case: Case, bob: User) -> None:
    client.force_login(bob)
    assert client.get(url("close", case)).status_code == 200
    response = client.post(
        url("close", case), {"version": case.version, "note": "Family moved to Leeds"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose the reason for closing the case" in error_summary(html)
    assert form_values(html)["note"] == "Family moved to Leeds"
    assert fresh(case).status == CaseStatus.ACCEPTED

    response = client.post(
        url("close", case),
        {"version": case.version, "reason": "moved_away", "note": "Family moved to Leeds"},
    )
    assert response.status_code == 302
    case = fresh(case)
    assert case.status == CaseStatus.CLOSED
    assert case.closure_reason == ClosureReason.MOVED_AWAY
    event = AuditEvent.objects.get(action=Action.CASE_CLOSED)
    assert event.data == {"reason": "moved_away"}  # the code, never the note
    detail = client.get(url("detail", case)).content.decode()
    assert "Case closed." in detail
    assert "(Moved away)" in detail
    assert url("close", case) not in detail


def test_activating_a_closed_case_is_refused_with_409(
    client: Client, case: Case, bob: User
) -> None:
    case = case_actions.do_close_case(
        case, reason=ClosureReason.WITHDREW, note="Family withdrew.", acting_user=bob
    )
    client.force_login(bob)
    response = client.post(url("activate", case), {"version": case.version})
    assert response.status_code == 409
    html = response.content.decode()
    assert "There is a problem" in html
    assert "This case is closed: it cannot be changed." in html
    assert fresh(case).status == CaseStatus.CLOSED
    assert not AuditEvent.objects.filter(action=Action.CASE_ACTIVATED).exists()


def test_activating_an_unallocated_case_is_refused_with_409(
    client: Client, case: Case, bob: User
) -> None:
    client.force_login(bob)
    response = client.post(url("activate", case), {"version": case.version})
    assert response.status_code == 409
    assert "A case that is accepted cannot be made active." in response.content.decode()


def test_activate_with_a_stale_version_is_refused(
    client: Client, case: Case, bob: User, alice: User
) -> None:
    stale = case.version
    case = allocated(case, alice, bob)
    client.force_login(bob)
    response = client.post(url("activate", case), {"version": stale})
    assert response.status_code == 409
    assert "Someone else changed this case" in response.content.decode()
    assert fresh(case).status == CaseStatus.ALLOCATED


def test_activate_without_a_version_is_refused(
    client: Client, case: Case, bob: User, alice: User
) -> None:
    case = allocated(case, alice, bob)
    client.force_login(bob)
    response = client.post(url("activate", case), {"version": "not a number"})
    assert response.status_code == 409
    assert "The page was out of date" in response.content.decode()


def test_closing_a_closed_case_is_a_form_error(client: Client, case: Case, bob: User) -> None:
    case = case_actions.do_close_case(
        case, reason=ClosureReason.WITHDREW, note="Family withdrew.", acting_user=bob
    )
    client.force_login(bob)
    response = client.post(
        url("close", case), {"version": case.version, "reason": "completed", "note": "Done"}
    )
    assert response.status_code == 200
    assert "This case is closed: it cannot be changed." in error_summary(response.content.decode())
    assert AuditEvent.objects.filter(action=Action.CASE_CLOSED).count() == 1


def test_audit_trail_lists_events_newest_first(
    client: Client, case: Case, bob: User, alice: User
) -> None:
    case = allocated(case, alice, bob)
    client.force_login(bob)
    client.post(url("activate", case), {"version": case.version})
    response = client.get(url("audit", case))
    assert response.status_code == 200
    html = response.content.decode()
    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', html, re.S)
    cells = [re.findall(r'<td class="govuk-table__cell">(.*?)</td>', row, re.S) for row in rows]
    whats = [c[2] for c in cells if c]
    assert whats == [
        "Audit trail viewed",
        "Case made active",
        "Case allocated",
        "Referral accepted",
        "Case opened",
        "Eligibility screened",
        "Referral received",
        "Child recorded",
        "Family recorded",
    ]
    by_action = {c[2]: c for c in cells if c}
    assert by_action["Case made active"][1] == "Bob Example (Centre manager)"
    assert by_action["Case made active"][4] == "127.0.0.1"
    assert by_action["Family recorded"][1] == "Rita Example (Referrer)"
    family_events = AuditEvent.objects.filter(family_public_id=case.family.public_id)
    assert len(whats) == family_events.count()


def test_audit_trail_is_for_managers_and_administrators(
    client: Client, case: Case, alice: User, erin: User, adam: User
) -> None:
    client.force_login(alice)
    assert client.get(url("audit", case)).status_code == 404
    client.force_login(erin)
    assert client.get(url("audit", case)).status_code == 404
    client.force_login(adam)
    assert client.get(url("audit", case)).status_code == 200


def test_evaluator_cannot_act(client: Client, case: Case, erin: User) -> None:
    client.force_login(erin)
    assert client.get(url("detail", case)).status_code == 200
    assert client.get(url("allocate", case)).status_code == 404
    assert client.post(url("close", case), {"version": case.version}).status_code == 404
