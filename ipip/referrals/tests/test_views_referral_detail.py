"""The referral detail and the manager's actions on it: accept, override, decline, record facts."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from ipip.accounts.models import User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.cases.intake import AssessmentInput
from ipip.cases.models import Case, EarlyHelpAssessment
from ipip.core.testing.builders import child_input, referral_input
from ipip.referrals import actions
from ipip.referrals.models import EligibilityDecision, Outcome, Referral, ReferralStatus
from ipip.referrals.tests.test_views_referral_create import error_summary, form_values

pytestmark = pytest.mark.django_db

RECEIVED = date(2026, 3, 12)


def url(name: str, referral: Referral) -> str:
    return reverse(f"referrals:{name}", args=[referral.public_id])


def eligible(by: User) -> Referral:
    return actions.do_receive_referral(referral_input(received_on=RECEIVED), acting_user=by)


def too_young(by: User) -> Referral:
    child = child_input(born=RECEIVED - timedelta(days=365))
    return actions.do_receive_referral(
        referral_input(received_on=RECEIVED, child=child), acting_user=by
    )


def without_assessment_date(by: User) -> Referral:
    return actions.do_receive_referral(
        referral_input(
            received_on=RECEIVED,
            assessment=AssessmentInput(
                kind="eha", completed_on=None, shows_neglect_concerns="yes"
            ),
        ),
        acting_user=by,
    )


def fresh(referral: Referral) -> Referral:
    return Referral.objects.select_related("current_decision").get(pk=referral.pk)


def test_detail_shows_every_criterions_reason(client: Client, rita: User, bob: User) -> None:
    referral = eligible(rita)
    client.force_login(bob)
    response = client.get(url("detail", referral))
    assert response.status_code == 200
    html = response.content.decode()
    decision = referral.current_decision
    assert decision is not None
    assert len(decision.results) == 6
    for row in decision.criteria:
        assert escape(str(row["label"])) in html
        assert escape(str(row["reason"])) in html
    assert html.count(' data-criterion="') == 6
    assert escape(referral.referred_child.first_name) in html
    assert "Accept referral" in html


def test_detail_writes_referral_viewed_with_viewer_and_ip(
    client: Client, rita: User, bob: User
) -> None:
    referral = eligible(rita)
    client.force_login(bob)
    client.get(url("detail", referral))
    event = AuditEvent.objects.get(action=Action.REFERRAL_VIEWED)
    assert event.actor == bob
    assert event.actor_role == "centre_manager"
    assert event.ip_address == "127.0.0.1"
    assert event.subject_type == "Referral"
    assert event.subject_public_id == referral.public_id
    assert event.family_public_id == referral.family.public_id


def test_referrer_sees_the_decision_but_no_buttons(client: Client, rita: User) -> None:
    referral = eligible(rita)
    client.force_login(rita)
    html = client.get(url("detail", referral)).content.decode()
    assert ">Eligible</strong>" in html
    assert "Accept referral" not in html
    assert client.post(url("accept", referral), {"version": referral.version}).status_code == 404
    assert Case.objects.count() == 0


def test_manager_of_another_area_gets_404(client: Client, rita: User, dave: User) -> None:
    referral = eligible(rita)
    client.force_login(dave)
    assert client.get(url("detail", referral)).status_code == 404
    assert client.post(url("accept", referral), {"version": referral.version}).status_code == 404


def test_accept_opens_the_case_and_redirects_to_it(client: Client, rita: User, bob: User) -> None:
    referral = eligible(rita)
    client.force_login(bob)
    response = client.post(url("accept", referral), {"version": referral.version})
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.public_id])
    assert fresh(referral).status == ReferralStatus.ACCEPTED
    assert AuditEvent.objects.filter(action=Action.REFERRAL_ACCEPTED, actor=bob).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Referral accepted. The case is open and waiting for allocation." in page
    assert ">Accepted</strong>" in page


def test_accepting_a_not_eligible_referral_is_refused(
    client: Client, rita: User, bob: User
) -> None:
    referral = too_young(rita)
    client.force_login(bob)
    response = client.post(url("accept", referral), {"version": referral.version})
    assert response.status_code == 409
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Only an eligible referral can be accepted." in html
    assert ">Not eligible</strong>" in html
    assert Case.objects.count() == 0
    assert fresh(referral).status == ReferralStatus.SCREENED


def test_accept_without_a_version_is_refused(client: Client, rita: User, bob: User) -> None:
    referral = eligible(rita)
    client.force_login(bob)
    response = client.post(url("accept", referral), {})
    assert response.status_code == 409
    assert "The page was out of date" in response.content.decode()
    assert Case.objects.count() == 0


def test_accepting_twice_is_refused(client: Client, rita: User, bob: User) -> None:
    referral = eligible(rita)
    client.force_login(bob)
    client.post(url("accept", referral), {"version": referral.version})
    again = client.post(url("accept", referral), {"version": fresh(referral).version})
    assert again.status_code == 409
    assert "This referral is already accepted." in again.content.decode()
    assert Case.objects.count() == 1


def test_override_without_reason_shows_an_error(client: Client, rita: User, bob: User) -> None:
    referral = too_young(rita)
    client.force_login(bob)
    assert client.get(url("override", referral)).status_code == 200
    response = client.post(
        url("override", referral),
        {"version": referral.version, "outcome": "eligible", "reason": ""},
    )
    assert response.status_code == 200
    summary = error_summary(response.content.decode())
    assert "Enter the reason for overriding the decision" in summary
    assert 'href="#id_reason"' in summary
    assert form_values(response.content.decode())["outcome"] == "eligible"  # kept
    assert EligibilityDecision.objects.filter(referral=referral).count() == 1


def test_override_with_reason_is_shown_on_the_detail(
    client: Client, rita: User, bob: User
) -> None:
    referral = too_young(rita)
    client.force_login(bob)
    response = client.post(
        url("override", referral),
        {"version": referral.version, "outcome": "eligible", "reason": "Twin of a child we see"},
    )
    assert response.status_code == 302
    assert response["Location"] == url("detail", referral)
    decision = fresh(referral).current_decision
    assert decision is not None and decision.is_override
    assert decision.outcome == Outcome.ELIGIBLE
    html = client.get(url("detail", referral)).content.decode()
    assert "Decision overridden. The reason is recorded with it." in html
    assert "Overridden by Bob Example: Twin of a child we see" in html
    assert ">Not eligible</strong>" in html  # the rule-based decision stays listed
    assert AuditEvent.objects.filter(action=Action.REFERRAL_OVERRIDDEN).exists()


def test_override_to_the_same_outcome_is_a_form_error(
    client: Client, rita: User, bob: User
) -> None:
    referral = too_young(rita)
    client.force_login(bob)
    response = client.post(
        url("override", referral),
        {"version": referral.version, "outcome": "not_eligible", "reason": "No change"},
    )
    assert response.status_code == 200
    assert "The override must change the decision." in error_summary(response.content.decode())


def test_decline(client: Client, rita: User, bob: User) -> None:
    referral = eligible(rita)
    client.force_login(bob)
    missing = client.post(url("decline", referral), {"version": referral.version, "reason": ""})
    assert missing.status_code == 200
    assert "Enter the reason for declining the referral" in error_summary(missing.content.decode())
    response = client.post(
        url("decline", referral), {"version": referral.version, "reason": "Family moved away"}
    )
    assert response.status_code == 302
    assert fresh(referral).status == ReferralStatus.DECLINED
    html = client.get(url("detail", referral)).content.decode()
    assert "Declined: Family moved away" in html
    assert "Accept referral" not in html
    assert AuditEvent.objects.filter(action=Action.REFERRAL_DECLINED, actor=bob).exists()


def test_referrer_cannot_decline(client: Client, rita: User) -> None:
    referral = eligible(rita)
    client.force_login(rita)
    response = client.post(url("decline", referral), {"version": referral.version, "reason": "x"})
    assert response.status_code == 404
    assert fresh(referral).status == ReferralStatus.SCREENED


def test_screen_again_adds_a_decision(client: Client, rita: User, bob: User) -> None:
    referral = eligible(rita)
    client.force_login(bob)
    response = client.post(url("rescreen", referral), {"version": referral.version})
    assert response.status_code == 302
    assert EligibilityDecision.objects.filter(referral=referral).count() == 2


def facts_form(client: Client, referral: Referral) -> dict[str, str]:
    """The facts page's form as the browser would post it, unchanged."""
    response = client.get(url("facts", referral))
    assert response.status_code == 200
    values = form_values(response.content.decode())
    values.pop("csrfmiddlewaretoken", None)
    return values


def with_assessment_date(values: dict[str, str], done: date) -> dict[str, str]:
    return values | {
        "assessment-assessment_kind": "eha",
        "assessment-assessment_completed_on_0": str(done.day),
        "assessment-assessment_completed_on_1": str(done.month),
        "assessment-assessment_completed_on_2": str(done.year),
        "assessment-shows_neglect_concerns": "yes",
    }


def test_recording_the_missing_assessment_date_rescreens_to_eligible(
    client: Client, rita: User, bob: User
) -> None:
    referral = without_assessment_date(rita)
    assert referral.current_decision is not None
    assert referral.current_decision.outcome == Outcome.NEEDS_INFORMATION
    client.force_login(bob)
    detail = client.get(url("detail", referral)).content.decode()
    assert "Information needed before a decision can be made" in detail

    values = facts_form(client, referral)
    child = referral.referred_child
    assert values[f"c{child.pk}-ever_on_plan"] == "no"  # today's facts are filled in
    response = client.post(url("facts", referral), with_assessment_date(values, date(2026, 2, 1)))

    assert response.status_code == 302
    assert response["Location"] == url("detail", referral)
    decision = fresh(referral).current_decision
    assert decision is not None
    assert decision.outcome == Outcome.ELIGIBLE
    html = client.get(url("detail", referral)).content.decode()
    assert "Facts recorded and the referral screened again." in html
    assert ">Eligible</strong>" in html
    assert ">Needs information</strong>" in html  # the earlier decision stays listed


def test_facts_page_errors_keep_the_values(client: Client, rita: User, bob: User) -> None:
    referral = without_assessment_date(rita)
    client.force_login(bob)
    values = with_assessment_date(facts_form(client, referral), date(2026, 2, 1))
    values["assessment-assessment_completed_on_1"] = "13"
    response = client.post(url("facts", referral), values)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Date of the assessment must be a real date" in error_summary(html)
    assert form_values(html)["assessment-assessment_completed_on_1"] == "13"
    assert EarlyHelpAssessment.objects.count() == 1


def test_stale_version_on_the_facts_page_saves_nothing(
    client: Client, rita: User, bob: User, lena: User
) -> None:
    referral = without_assessment_date(rita)
    client.force_login(bob)
    values = facts_form(client, referral)  # bob loads the page ...
    actions.do_rescreen_referral(referral, acting_user=lena)  # ... lena screens it again
    decisions = EligibilityDecision.objects.filter(referral=referral).count()

    response = client.post(url("facts", referral), with_assessment_date(values, date(2026, 2, 1)))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else changed this referral while you were working on it." in error_summary(
        html
    )
    assert EarlyHelpAssessment.objects.count() == 1  # no assessment added
    assert EligibilityDecision.objects.filter(referral=referral).count() == decisions
    assert not AuditEvent.objects.filter(action=Action.CHILD_CHANGED).exists()
    decision = fresh(referral).current_decision
    assert decision is not None and decision.outcome == Outcome.NEEDS_INFORMATION


def test_stale_version_on_accept_is_refused(
    client: Client, rita: User, bob: User, lena: User
) -> None:
    referral = eligible(rita)
    stale = referral.version
    actions.do_rescreen_referral(referral, acting_user=lena)
    client.force_login(bob)
    response = client.post(url("accept", referral), {"version": stale})
    assert response.status_code == 409
    assert "Someone else changed this referral" in response.content.decode()
    assert Case.objects.count() == 0


def test_assessment_details_without_a_type_are_not_dropped(
    client: Client, rita: User, bob: User
) -> None:
    referral = without_assessment_date(rita)
    client.force_login(bob)
    values = with_assessment_date(facts_form(client, referral), date(2026, 2, 1))
    values["assessment-assessment_kind"] = ""
    response = client.post(url("facts", referral), values)
    assert response.status_code == 200
    html = response.content.decode()
    summary = error_summary(html)
    assert "Choose the type of the assessment you gave details of" in summary
    assert 'href="#id_assessment-assessment_kind"' in summary
    assert form_values(html)["assessment-assessment_completed_on_2"] == "2026"
    assert EarlyHelpAssessment.objects.count() == 1
    assert EligibilityDecision.objects.filter(referral=referral).count() == 1
