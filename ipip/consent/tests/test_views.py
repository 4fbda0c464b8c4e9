"""Consent pages: the summary and history, recording a decision, errors, outsiders."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from pytest_django import DjangoAssertNumQueries

from ipip.accounts.models import User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.cases import actions as case_actions
from ipip.cases.models import Carer, Case, ClosureReason
from ipip.consent.models import ConsentDecision, ConsentRecord, Purpose
from ipip.consent.queries import has_consent
from ipip.consent.tests.conftest import consent
from ipip.referrals.tests.test_views_referral_create import error_summary, form_values

pytestmark = pytest.mark.django_db


def url(name: str, case: Case) -> str:
    return reverse(f"consent:{name}", kwargs={"case_id": case.public_id})


def post_data(case: Case, carer: Carer, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "version": case.version,
        "purpose": "filming",
        "decision": "given",
        "decided_on_0": "2",
        "decided_on_1": "3",
        "decided_on_2": "2026",
        "given_by": carer.pk,
        "note": "Explained the right to stop filming.",
    }
    return data | overrides


def test_index_shows_state_and_history(client: Client, case: Case, alice: User) -> None:
    consent(case, Purpose.SERVICE, by=alice, on=date(2026, 3, 1))
    consent(case, Purpose.FILMING, by=alice, on=date(2026, 3, 2))
    consent(case, Purpose.FILMING, ConsentDecision.WITHDRAWN, by=alice, on=date(2026, 3, 9))
    client.force_login(alice)
    response = client.get(url("index", case))
    assert response.status_code == 200
    html = response.content.decode()
    carer = case.family.carers.get()
    assert 'govuk-tag--green">Given</strong>' in html
    assert 'govuk-tag--red">Withdrawn</strong>' in html
    assert html.count('govuk-tag--grey">Not asked</strong>') == 3
    assert "Keeping clips and using them in supervision" in html
    assert escape(f"9 March 2026, by {carer.first_name} {carer.last_name}") in html
    assert "Withdrawn: clips of this family must be deleted" in html
    assert alice.display_name in html  # recorded by
    history = html[html.index(">History<") :]
    assert history.index("9 March 2026") < history.index("2 March 2026")
    assert history.index("2 March 2026") < history.index("1 March 2026")
    assert reverse("cases:detail", args=[case.public_id]) in html
    event = AuditEvent.objects.get(action=Action.CONSENT_VIEWED)
    assert event.actor == alice and event.subject_public_id == case.public_id


def test_index_flags_research_withdrawal(client: Client, case: Case, bob: User) -> None:
    consent(case, Purpose.RESEARCH, by=bob)
    consent(case, Purpose.RESEARCH, ConsentDecision.WITHDRAWN, by=bob)
    client.force_login(bob)
    html = client.get(url("index", case)).content.decode()
    assert "left out of research" in html
    assert "clips of this family must be deleted" not in html


def test_index_with_nothing_recorded(client: Client, case: Case, lena: User) -> None:
    client.force_login(lena)
    html = client.get(url("index", case)).content.decode()
    assert html.count('govuk-tag--grey">Not asked</strong>') == 5
    assert "No consent has been recorded yet." in html
    assert url("record", case) in html


def _index_queries(
    client: Client, case: Case, user: User, assert_num: DjangoAssertNumQueries, n: int
) -> None:
    client.force_login(user)
    with assert_num(n):
        assert client.get(url("index", case)).status_code == 200


@pytest.mark.parametrize("cycles", [1, 6])
def test_index_query_count_is_fixed(
    client: Client,
    case: Case,
    bob: User,
    django_assert_num_queries: DjangoAssertNumQueries,
    cycles: int,
) -> None:
    # 2 records, then 12: the page costs the same number of queries.
    for day in range(1, cycles * 2, 2):
        consent(case, Purpose.FILMING, by=bob, on=date(2026, 3, day))
        consent(case, Purpose.FILMING, ConsentDecision.WITHDRAWN, by=bob, on=date(2026, 3, day))
    assert ConsentRecord.objects.count() == cycles * 2
    # Session and user (with login checks), the case, the records with carer and recorder,
    # the audit row: never one per record.
    _index_queries(client, case, bob, django_assert_num_queries, 6)


def test_record_happy_path(client: Client, case: Case, carer: Carer, alice: User) -> None:
    client.force_login(alice)
    page = client.get(url("record", case))
    assert page.status_code == 200
    html = page.content.decode()
    assert escape(f"{carer.first_name} {carer.last_name} (mother)") in html
    assert form_values(html)["version"] == str(case.version)
    response = client.post(url("record", case), post_data(case, carer))
    assert response.status_code == 302
    assert response["Location"] == url("index", case)
    record = ConsentRecord.objects.get()
    assert record.decided_on == date(2026, 3, 2)
    assert record.recorded_by == alice
    assert record.note == "Explained the right to stop filming."
    assert has_consent(case, Purpose.FILMING)
    assert AuditEvent.objects.filter(action=Action.CONSENT_GIVEN).count() == 1
    followed = client.get(response["Location"]).content.decode()
    assert "Consent given." in followed


def test_record_errors_are_named_and_typed_values_kept(
    client: Client, case: Case, carer: Carer, bob: User
) -> None:
    client.force_login(bob)
    response = client.post(
        url("record", case),
        post_data(case, carer, purpose="", decision="", given_by="", decided_on_1=""),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: " in html
    summary = error_summary(html)
    assert "Choose what the consent is for" in summary
    assert "Choose whether consent was given or withdrawn" in summary
    assert "Date of the decision must include a month" in summary
    assert "Choose the parent or carer who made the decision" in summary
    values = form_values(html)
    assert values["decided_on_0"] == "2"
    assert values["decided_on_2"] == "2026"
    assert values["note"] == "Explained the right to stop filming."
    assert not ConsentRecord.objects.exists()


def test_record_refusal_from_the_action_is_shown(
    client: Client, case: Case, carer: Carer, bob: User
) -> None:
    client.force_login(bob)
    response = client.post(url("record", case), post_data(case, carer, decision="withdrawn"))
    assert response.status_code == 200
    summary = error_summary(response.content.decode())
    assert "Consent to being filmed cannot be withdrawn: it has not been given." in summary
    assert form_values(response.content.decode())["decision"] == "withdrawn"


def test_record_out_of_date_page_is_refused(
    client: Client, case: Case, carer: Carer, bob: User
) -> None:
    client.force_login(bob)
    response = client.post(url("record", case), post_data(case, carer, version=case.version + 1))
    assert "Someone else changed this case" in error_summary(response.content.decode())
    assert not ConsentRecord.objects.exists()


def test_record_carer_of_another_family_is_refused(
    client: Client, case: Case, other_case: Case, bob: User
) -> None:
    client.force_login(bob)
    stranger = other_case.family.carers.get()
    response = client.post(url("record", case), post_data(case, stranger))
    assert "Choose a parent or carer of this family" in error_summary(response.content.decode())
    assert not ConsentRecord.objects.exists()


def test_closed_case_offers_withdrawal_only(
    client: Client, case: Case, carer: Carer, bob: User
) -> None:
    case = case_actions.do_close_case(
        case, reason=ClosureReason.COMPLETED, note="Done.", acting_user=bob
    )
    client.force_login(bob)
    assert "Record a withdrawal" in client.get(url("index", case)).content.decode()
    response = client.post(url("record", case), post_data(case, carer))
    assert "This case is closed" in error_summary(response.content.decode())


@pytest.mark.parametrize("persona", ["charlie", "dave", "rita", "erin", "adam"])
@pytest.mark.parametrize("page", ["index", "record"])
def test_outsider_gets_404(
    client: Client,
    case: Case,
    carer: Carer,
    request: pytest.FixtureRequest,
    persona: str,
    page: str,
) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url(page, case)).status_code == 404
    if page == "record":
        assert client.post(url(page, case), post_data(case, carer)).status_code == 404
        assert not ConsentRecord.objects.exists()


def test_index_is_get_only(client: Client, case: Case, bob: User) -> None:
    client.force_login(bob)
    assert client.post(url("index", case)).status_code == 405


def test_anonymous_is_sent_to_login(client: Client, case: Case) -> None:
    for page in ("index", "record"):
        response = client.get(url(page, case))
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]
