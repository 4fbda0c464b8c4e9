"""Allocation pages: waiting list, capacity, trial mode, and the case's allocate page."""

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pytest_django import DjangoAssertNumQueries

from ipip.accounts.models import Area, Role, User
from ipip.allocation.actions import do_set_capacity
from ipip.allocation.models import AllocationRecord, Capacity, TrialAssignment, TrialSetting
from ipip.allocation.queries import waiting_list
from ipip.allocation.tests.conftest import NewCase, research_consent, trial_on
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.cases.actions import do_allocate_case
from ipip.cases.models import Approach, Case, CaseStatus
from ipip.core.testing.personas import make_user
from ipip.referrals.tests.test_views_referral_create import error_summary

pytestmark = pytest.mark.django_db

WAITING = reverse("allocation:waiting-list")
CAPACITY = reverse("allocation:capacity")
TRIAL = reverse("allocation:trial")


def allocate_url(case: Case) -> str:
    return reverse("cases:allocate", args=[case.public_id])


def area(name: str) -> Area:
    return Area.objects.get(name=name)


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


# -- waiting list ---------------------------------------------------------------------


def test_waiting_list_is_oldest_referral_first_with_days_waiting(
    client: Client, new_case: NewCase, alice: User, bob: User
) -> None:
    today = timezone.localdate()
    # Accepted newest referral first, so the order shown must come from the referral date.
    newest = new_case(received_on=today - timedelta(days=3))
    oldest = new_case(received_on=today - timedelta(days=40))
    middle = new_case(received_on=today - timedelta(days=12))
    allocated = new_case(received_on=today - timedelta(days=90))
    do_allocate_case(allocated, practitioner=alice, approach=Approach.VIG, acting_user=bob)
    hull = new_case("Hull", received_on=today - timedelta(days=50))
    client.force_login(bob)
    html = client.get(WAITING).content.decode()
    shown = re.findall(r"F-[A-Z0-9]{8}", html)
    expected = [c.family.pseudonym for c in (oldest, middle, newest)]
    assert [p for p in dict.fromkeys(shown) if p in expected] == expected
    assert allocated.family.pseudonym not in html and hull.family.pseudonym not in html
    assert "3 cases waiting, oldest referral first" in html
    for case, days in ((oldest, 40), (middle, 12), (newest, 3)):
        assert allocate_url(case) in html
        row = html[html.index(allocate_url(case)) - 800 : html.index(allocate_url(case))]
        assert f">{days}</td>" in row
    event = AuditEvent.objects.get(action=Action.WAITING_LIST_VIEWED)
    assert event.actor == bob
    assert event.data == {
        "area_id": str(area("Sheffield").public_id),
        "case_ids": [str(c.public_id) for c in (oldest, middle, newest)],
    }


def test_waiting_list_function_for_the_dashboard(new_case: NewCase) -> None:
    first = new_case(received_on=date(2026, 3, 1))
    second = new_case(received_on=date(2026, 3, 5))
    rows = waiting_list(area("Sheffield").pk, today=date(2026, 3, 11))
    assert [(r.case_public_id, r.days_waiting) for r in rows] == [
        (first.public_id, 10),
        (second.public_id, 6),
    ]
    assert rows[0].pseudonym == first.family.pseudonym
    assert rows[0].received_on == date(2026, 3, 1)
    assert waiting_list(area("Hull").pk) == []


def test_waiting_list_shows_research_consent_in_trial_mode(
    client: Client, new_case: NewCase, bob: User
) -> None:
    with_consent, without = new_case(), new_case()
    research_consent(with_consent, by=bob)
    client.force_login(bob)
    assert "Consent to research" not in client.get(WAITING).content.decode()
    trial_on("Sheffield", by=bob)
    html = client.get(WAITING).content.decode()
    assert "Sheffield runs as a trial" in html
    assert html.count(">Given</strong>") == 1 and html.count(">Not given</strong>") == 1
    assert [r.has_research_consent for r in waiting_list(area("Sheffield").pk)] == [True, False]
    assert without.family.pseudonym in html


def test_national_lead_chooses_the_area(client: Client, new_case: NewCase, lena: User) -> None:
    case = new_case("Hull")
    client.force_login(lena)
    html = client.get(WAITING).content.decode()
    assert "Choose an area" in html and case.family.pseudonym not in html
    assert not AuditEvent.objects.filter(action=Action.WAITING_LIST_VIEWED).exists()
    html = client.get(f"{WAITING}?area={area('Hull').public_id}").content.decode()
    assert case.family.pseudonym in html
    assert f"{CAPACITY}?area={area('Hull').public_id}" in html  # the choice is kept


def test_a_manager_cannot_ask_for_another_area(client: Client, dave: User) -> None:
    client.force_login(dave)
    for url in (WAITING, CAPACITY, TRIAL):
        assert client.get(url).status_code == 200  # Hull
        assert client.get(f"{url}?area={area('Sheffield').public_id}").status_code == 404


@pytest.mark.parametrize("bad", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_an_unknown_area_is_a_404(client: Client, lena: User, bad: str) -> None:
    client.force_login(lena)
    assert client.get(f"{WAITING}?area={bad}").status_code == 404


@pytest.mark.parametrize("n", [2, 10])
def test_waiting_list_query_count_is_fixed(
    client: Client,
    new_case: NewCase,
    bob: User,
    django_assert_num_queries: DjangoAssertNumQueries,
    n: int,
) -> None:
    for i in range(n):
        research_consent(new_case(received_on=date(2026, 3, 1) + timedelta(days=i)), by=bob)
    trial_on("Sheffield", by=bob)
    client.force_login(bob)
    # session, user, second factor, area, the waiting list, trial setting, the audit row
    with django_assert_num_queries(7):
        response = client.get(WAITING)
    assert response.content.decode().count(">Allocate<") == n


# -- capacity -------------------------------------------------------------------------


def test_capacity_page_lists_the_areas_practitioners_against_capacity(
    client: Client, new_case: NewCase, alice: User, second: User, charlie: User, bob: User
) -> None:
    do_set_capacity(alice, max_open_cases=1, acting_user=bob)
    do_set_capacity(second, max_open_cases=3, acting_user=bob)
    for _ in range(2):
        do_allocate_case(new_case(), practitioner=alice, approach=Approach.VIG, acting_user=bob)
    client.force_login(bob)
    html = client.get(CAPACITY).content.decode()
    assert escape(alice.display_name) in html and escape(second.display_name) in html
    assert escape(charlie.display_name) not in html
    assert "Over capacity" in html and "Room for 3" in html
    assert reverse("allocation:capacity-edit", args=[alice.public_id]) in html


@pytest.mark.parametrize("n", [2, 10])
def test_capacity_page_query_count_is_fixed(
    client: Client,
    new_case: NewCase,
    bob: User,
    django_assert_num_queries: DjangoAssertNumQueries,
    n: int,
) -> None:
    for i in range(n):
        p = make_user(f"p{i}@example.org", Role.PRACTITIONER, "Sheffield", with_totp=False)
        do_set_capacity(p, max_open_cases=4, acting_user=bob)
        do_allocate_case(new_case(), practitioner=p, approach=Approach.PTP, acting_user=bob)
    client.force_login(bob)
    with django_assert_num_queries(5):  # session, user, second factor, area, caseloads
        response = client.get(CAPACITY)
    assert response.content.decode().count("Room for 3") == n


def test_set_capacity_through_the_page(client: Client, alice: User, bob: User) -> None:
    url = reverse("allocation:capacity-edit", args=[alice.public_id])
    client.force_login(bob)
    assert client.get(url).status_code == 200
    response = client.post(url, {"max_open_cases": "7"})
    assert response.status_code == 302 and response["Location"] == CAPACITY
    capacity = Capacity.objects.get(practitioner=alice)
    assert capacity.max_open_cases == 7 and capacity.set_by == bob
    assert AuditEvent.objects.filter(action=Action.CAPACITY_SET).count() == 1
    html = client.get(url).content.decode()
    assert 'value="7"' in html and 'name="version" value="1"' in html
    assert client.post(url, {"max_open_cases": "5", "version": "1"}).status_code == 302
    # A page loaded before that change is refused, and what was typed is kept.
    response = client.post(url, {"max_open_cases": "9", "version": "1"})
    assert "Someone else changed this capacity" in error_summary(response.content.decode())
    assert 'value="9"' in response.content.decode()
    assert Capacity.objects.get().max_open_cases == 5


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the maximum number of open cases"),
        ("lots", "Maximum number of open cases must be a whole number"),
        ("51", "Enter the maximum number of open cases, from 0 to 50"),
        ("-2", "Enter the maximum number of open cases, from 0 to 50"),
    ],
)
def test_set_capacity_errors_name_the_field(
    client: Client, alice: User, bob: User, typed: str, message: str
) -> None:
    client.force_login(bob)
    response = client.post(
        reverse("allocation:capacity-edit", args=[alice.public_id]), {"max_open_cases": typed}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert message in error_summary(html)
    assert 'href="#id_max_open_cases"' in error_summary(html)
    assert html.startswith("<!") and "<title>Error: " in html
    assert not Capacity.objects.exists()


def test_capacity_of_a_practitioner_of_another_area_is_a_404(
    client: Client, charlie: User, bob: User
) -> None:
    client.force_login(bob)
    url = reverse("allocation:capacity-edit", args=[charlie.public_id])
    assert client.get(url).status_code == 404
    assert client.post(url, {"max_open_cases": "3"}).status_code == 404
    assert not Capacity.objects.exists()


# -- trial mode -----------------------------------------------------------------------


def test_manager_switches_trial_mode_on(client: Client, bob: User) -> None:
    client.force_login(bob)
    html = client.get(TRIAL).content.decode()
    assert ">Off</strong>" in html
    response = client.post(TRIAL, {"enabled": "yes", "version": "1"})
    assert response.status_code == 302 and response["Location"] == TRIAL
    assert TrialSetting.objects.get(area=area("Sheffield")).is_enabled
    event = AuditEvent.objects.get(action=Action.TRIAL_MODE_CHANGED)
    assert event.actor == bob and event.data["enabled"] is True
    html = client.get(TRIAL).content.decode()
    assert "Trial mode is now on in Sheffield." in html and ">On</strong>" in html


def test_trial_mode_errors(client: Client, bob: User, settings: object) -> None:
    client.force_login(bob)
    response = client.post(TRIAL, {"version": "1"})
    assert "Choose whether this area runs as a trial" in error_summary(response.content.decode())
    response = client.post(TRIAL, {"enabled": "no", "version": "1"})
    assert "Trial mode is already off in Sheffield." in error_summary(response.content.decode())
    assert not AuditEvent.objects.filter(action=Action.TRIAL_MODE_CHANGED).exists()


def test_trial_page_warns_when_no_key_is_set_up(
    client: Client, bob: User, settings: pytest.FixtureRequest
) -> None:
    settings.IPIP_RANDOMISATION_KEY = ""  # type: ignore[attr-defined]
    client.force_login(bob)
    assert "randomisation key is not set up" in client.get(TRIAL).content.decode()
    response = client.post(TRIAL, {"enabled": "yes", "version": "1"})
    assert "IPIP_RANDOMISATION_KEY" in error_summary(response.content.decode())
    assert not TrialSetting.objects.filter(is_enabled=True).exists()


def test_national_lead_switches_an_area_chosen_with_the_filter(client: Client, lena: User) -> None:
    client.force_login(lena)
    assert client.post(TRIAL, {"enabled": "yes", "version": "1"}).status_code == 404
    url = f"{TRIAL}?area={area('Hull').public_id}"
    response = client.post(url, {"enabled": "yes", "version": "1"})
    assert response.status_code == 302 and response["Location"] == url
    assert TrialSetting.objects.get(area=area("Hull")).is_enabled


# -- the allocate page ----------------------------------------------------------------


def test_allocate_page_in_trial_mode_asks_for_the_practitioner_only(
    client: Client, accepted_case: Case, alice: User, bob: User
) -> None:
    trial_on("Sheffield", by=bob)
    client.force_login(bob)
    html = client.get(allocate_url(accepted_case)).content.decode()
    assert "Sheffield runs as a trial: choose the practitioner only" in html
    assert 'name="approach"' not in html
    assert "consent to research is not recorded" in html
    response = client.post(
        allocate_url(accepted_case), {"version": accepted_case.version, "practitioner": alice.pk}
    )
    assert response.status_code == 200
    assert "Record the family&#x27;s consent to research before allocating" in error_summary(
        response.content.decode()
    )
    assert fresh(accepted_case).status == CaseStatus.ACCEPTED
    assert not TrialAssignment.objects.exists()

    research_consent(accepted_case, by=bob)
    assert "consent to research is not recorded" not in (
        client.get(allocate_url(accepted_case)).content.decode()
    )
    response = client.post(
        allocate_url(accepted_case), {"version": accepted_case.version, "practitioner": alice.pk}
    )
    assert response.status_code == 302
    case = fresh(accepted_case)
    detail = client.get(response["Location"]).content.decode()
    assert f"The approach assigned at random is {case.get_approach_display()}" in detail
    assert "Allocation history" in detail and "Assigned at random (trial)" in detail


def test_a_trial_switched_on_meanwhile_shows_the_trial_form(
    client: Client, accepted_case: Case, alice: User, bob: User
) -> None:
    client.force_login(bob)
    assert 'name="approach"' in client.get(allocate_url(accepted_case)).content.decode()
    trial_on("Sheffield", by=bob)
    response = client.post(
        allocate_url(accepted_case),
        {"version": accepted_case.version, "practitioner": alice.pk, "approach": "vig"},
    )
    html = response.content.decode()
    assert "the approach is assigned at random, so it cannot be chosen" in error_summary(html)
    assert 'name="approach"' not in html
    assert fresh(accepted_case).status == CaseStatus.ACCEPTED
    assert not AuditEvent.objects.filter(action=Action.CASE_ALLOCATED).exists()


def test_reallocate_through_the_page_needs_a_reason(
    client: Client, accepted_case: Case, alice: User, second: User, bob: User
) -> None:
    case = do_allocate_case(
        accepted_case, practitioner=alice, approach=Approach.VIG, acting_user=bob
    )
    client.force_login(bob)
    data = {"version": fresh(case).version, "practitioner": second.pk, "approach": "vig"}
    response = client.post(allocate_url(case), data)
    assert "Enter the reason for reallocating the case" in error_summary(response.content.decode())
    assert fresh(case).allocated_to == alice
    response = client.post(allocate_url(case), data | {"reason": "Alice's caseload is full."})
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert escape("Alice's caseload is full.") in detail
    assert escape(alice.display_name) in detail and escape(second.display_name) in detail
    assert ">Reallocate</a>" in detail
    assert AllocationRecord.objects.filter(case=case).count() == 2


def test_allocate_page_warns_over_capacity_but_allows_it(
    client: Client, accepted_case: Case, alice: User, bob: User
) -> None:
    do_set_capacity(alice, max_open_cases=0, acting_user=bob)
    client.force_login(bob)
    html = client.get(allocate_url(accepted_case)).content.decode()
    assert "at or over their capacity" in html and "At capacity" in html
    response = client.post(
        allocate_url(accepted_case),
        {"version": accepted_case.version, "practitioner": alice.pk, "approach": "ptp"},
        follow=True,
    )
    html = response.content.decode()
    assert "Case allocated." in html
    assert (
        escape(f"{alice.display_name} now has 1 open cases, more than their capacity of 0.")
        in html
    )
    assert fresh(accepted_case).allocated_to == alice


def test_evaluator_sees_no_allocation_history(
    client: Client, accepted_case: Case, alice: User, bob: User, erin: User
) -> None:
    case = do_allocate_case(
        accepted_case, practitioner=alice, approach=Approach.VIG, acting_user=bob
    )
    client.force_login(erin)
    html = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    assert "Allocation history" not in html and escape(alice.display_name) not in html
