"""A case's questionnaires page (time points, statuses, windows, actions, the audit row, a
fixed number of queries), and what the schedule adds elsewhere: the caseload's column and
filter, the dashboard's figures, and risk alerts linking to the questionnaire and to the
safeguarding record."""

import re
from datetime import date
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from pytest_django import DjangoAssertNumQueries

from ipip.accounts.models import User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.cases.models import Case
from ipip.core.testing.clock import frozen_at
from ipip.questionnaires.actions import do_complete_administration
from ipip.questionnaires.models import Administration, RiskFlag, TimePoint
from ipip.questionnaires.schedule import NO_INTERVENTION, NOT_ALLOCATED, Point
from ipip.questionnaires.tests.test_queries import (
    NOW,
    TODAY,
    close,
    complete,
    default_schedule,
    film,
    make_case,
    referred_child,
    set_plan,
    start,
)
from ipip.safeguarding.actions import do_raise_concern

pytestmark = pytest.mark.django_db

frozen = frozen_at(NOW)
schedule = default_schedule()

# Session, user, second-factor check, the case (one join), the plan (settings, instruments),
# the case's dates, its administrations, the family's children and the audit row.
INDEX_QUERIES = 10
# The case list's own 7 (see cases' tests), the plan (2) and the page's administrations.
CASE_LIST_QUERIES = 10


def index_url(case: Case) -> str:
    return reverse("questionnaires:index", kwargs={"case_id": case.public_id})


def admin_url(name: str, administration: Administration) -> str:
    return reverse(
        f"questionnaires:{name}",
        kwargs={
            "case_id": administration.case.public_id,
            "administration_id": administration.public_id,
        },
    )


def page(client: Client, case: Case, user: User) -> str:
    client.force_login(user)
    response = client.get(index_url(case))
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, heading: str) -> str:
    """The page from the <h2> `heading` to the next <h2> (or the details)."""
    match = re.search(
        rf'<h2 class="govuk-heading-l">{heading}</h2>(.*?)(<h2|<details)', html, re.S
    )
    assert match, f"no section {heading}"
    return match.group(1)


@pytest.fixture
def case(rita: User, bob: User, alice: User) -> Case:
    return make_case(rita, bob, alice)  # allocated 1 February 2026


def test_the_page_shows_each_time_point_with_statuses_and_actions(
    client: Client, case: Case, alice: User
) -> None:
    film(case, date(2026, 2, 5))  # baseline due by 5 February, missed after 19 February
    child = referred_child(case)
    dass = complete(case, alice, "dass21", TimePoint.BASELINE, on=date(2026, 2, 3))
    parenting = start(case, alice, "parenting_scale", TimePoint.BASELINE)
    extra = start(case, alice, "phq9", TimePoint.END)
    html = page(client, case, alice)

    baseline = section(html, "Baseline")
    assert "Opens 1 February 2026. Due by 5 February 2026. Missed after 19 February 2026." in (
        baseline
    )
    assert "Completed 3 February 2026" in baseline
    assert f'href="{admin_url("detail", dass)}">View' in baseline
    assert f'href="{admin_url("scores", parenting)}">Continue' in baseline  # scores only
    start_url = reverse("questionnaires:start", kwargs={"case_id": case.public_id})
    sdq = urlencode({"instrument": "sdq", "time_point": "baseline", "child": child.public_id})
    assert escape(f"{start_url}?{sdq}") in baseline
    assert escape(f"{child.first_name} {child.last_name}") in baseline
    assert baseline.count('<strong class="govuk-tag govuk-tag--red">Missed</strong>') == 2
    assert baseline.count("Window closed 19 February 2026") == 3  # in progress too
    assert '<strong class="govuk-tag govuk-tag--yellow">In progress</strong>' in baseline

    end = section(html, "End")
    assert "Opens 29 March 2026. Due by closure. Missed 28 days after closure." in end
    assert end.count('<strong class="govuk-tag govuk-tag--grey">Not yet due</strong>') == 4
    assert "Start" not in end

    follow_up = section(html, "Follow-up")
    assert "Due 6 months after the case closes." in follow_up
    assert '<p class="govuk-body">' not in follow_up  # no dates known yet

    others = section(html, "Other questionnaires")
    assert "PHQ-9" in others
    assert f'href="{admin_url("answer", extra)}">Continue' in others  # items stored

    assert "Now: 0 due, 0 overdue, 3 missed." in html
    assert start_url in html
    assert reverse("questionnaires:results", kwargs={"case_id": case.public_id}) in html
    assert reverse("questionnaire_settings:edit") not in html  # the lead's only
    event = AuditEvent.objects.get(action=Action.QUESTIONNAIRE_VIEWED)
    assert (event.actor, event.subject_public_id) == (alice, case.public_id)
    assert event.family_public_id == case.family.public_id
    assert set(event.data["administration_ids"]) == {
        str(a.public_id) for a in (dass, parenting, extra)
    }


def test_a_completion_outside_its_window_is_marked(
    client: Client, case: Case, alice: User
) -> None:
    film(case, date(2026, 2, 5))
    complete(case, alice, "dass21", TimePoint.BASELINE, on=date(2026, 3, 1))
    assert "Outside its window" in section(page(client, case, alice), "Baseline")


def test_a_case_not_yet_allocated(client: Client, rita: User, bob: User) -> None:
    waiting = make_case(rita, bob, None)
    html = page(client, waiting, bob)
    assert html.count(NOT_ALLOCATED) == 3
    assert "govuk-table" not in html


def test_a_case_closed_before_the_intervention(client: Client, case: Case, alice: User) -> None:
    close(case, alice, date(2026, 2, 10))
    html = page(client, case, alice)
    assert escape(NO_INTERVENTION) in section(html, "End")
    assert escape(NO_INTERVENTION) in section(html, "Follow-up")
    assert "Missed after 10 February 2026" in section(html, "Baseline")


def test_the_page_follows_the_settings(
    client: Client, case: Case, alice: User, lena: User
) -> None:
    set_plan(lena, {Point.BASELINE: ["phq9"]})
    html = page(client, case, lena)
    assert "PHQ-9" in section(html, "Baseline")
    assert "SDQ" not in html.split("<details", 1)[0]
    assert "No questionnaires are due at end." in html
    assert reverse("questionnaire_settings:edit") in html  # the lead may change them


@pytest.mark.parametrize("extra", [0, 4])
def test_a_fixed_number_of_queries(
    client: Client,
    case: Case,
    alice: User,
    extra: int,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    film(case, date(2026, 2, 5))
    complete(case, alice, "dass21", TimePoint.BASELINE, on=date(2026, 2, 3))
    for code in ["phq9", "gad7", "k10", "wemwbs"][:extra]:
        complete(case, alice, code, TimePoint.END, on=date(2026, 3, 10))
    client.force_login(alice)
    with django_assert_num_queries(INDEX_QUERIES):
        response = client.get(index_url(case))
    assert response.content.decode().count(">View<") == 1 + extra


# -- the caseload ---------------------------------------------------------------------------


def test_the_caseload_shows_what_is_due_and_links_to_the_page(
    client: Client, case: Case, rita: User, bob: User, alice: User, erin: User
) -> None:
    later = make_case(rita, bob, alice, allocated_on=date(2026, 3, 1))
    client.force_login(alice)
    html = client.get("/cases/").content.decode()
    # Allocated 1 February, no visit yet: overdue since 22 February. 1 March: due.
    assert f'href="{index_url(case)}">4 overdue<' in html
    assert f'href="{index_url(later)}">4 due<' in html
    client.force_login(erin)
    html = client.get("/cases/").content.decode()
    assert "questionnaires" not in html.lower()


@pytest.mark.parametrize("count", [2, 8])
def test_the_caseload_filter_and_a_fixed_number_of_queries(
    client: Client,
    rita: User,
    bob: User,
    alice: User,
    count: int,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    overdue = [make_case(rita, bob, alice) for _ in range(count // 2)]
    due = [make_case(rita, bob, alice, allocated_on=date(2026, 3, 1)) for _ in range(count // 2)]
    complete(due[0], alice, "dass21", TimePoint.BASELINE, on=date(2026, 3, 2))
    client.force_login(bob)
    with django_assert_num_queries(CASE_LIST_QUERIES):
        client.get("/cases/")
    with django_assert_num_queries(CASE_LIST_QUERIES + 1):  # the filter's cases and admins
        html = client.get("/cases/?questionnaires=overdue").content.decode()
    listed = set(re.findall(r'href="/cases/([0-9a-f-]{36})/"', html))
    assert listed == {str(c.public_id) for c in overdue}
    assert (
        f'href="{index_url(due[0])}">3 due<'
        in client.get("/cases/?questionnaires=due").content.decode()
    )


# -- the dashboard --------------------------------------------------------------------------


def test_the_dashboard_counts_questionnaires_and_links_to_the_cases(
    client: Client, case: Case, rita: User, bob: User, alice: User
) -> None:
    make_case(rita, bob, alice, allocated_on=date(2026, 3, 1))  # 4 due
    film(case, date(2026, 2, 5))  # 4 missed
    complete(case, alice, "dass21", TimePoint.BASELINE, on=date(2026, 2, 3))  # 3 missed
    client.force_login(bob)
    html = client.get("/dashboard/").content.decode()
    questionnaires = section(html, "Questionnaires")
    area = bob.area.public_id  # type: ignore[union-attr]
    for label, value, status in [
        ("Due", 4, "due"),
        ("Overdue", 0, "overdue"),
        ("Missed", 3, "missed"),
    ]:
        link = escape(f"/cases/?area={area}&questionnaires={status}")
        assert (
            f'>{label}</th><td class="govuk-table__cell govuk-table__cell--numeric"><a class="govuk-link" href="{link}">{value}</a>'
            in questionnaires
        )


# -- risk alerts ----------------------------------------------------------------------------


def risk(case: Case, by: User) -> Administration:
    """A PHQ-9 with item 9 above 0: a risk alert."""
    administration = start(case, by, "phq9", TimePoint.BASELINE)
    answers = dict.fromkeys(range(1, 9), 0) | {9: 1}
    return do_complete_administration(
        administration,
        completed_on=TODAY,
        answers=answers,
        expected_version=administration.version,
        acting_user=by,
    ).administration


def test_a_risk_alert_links_to_the_questionnaire_and_the_safeguarding_record(
    client: Client, case: Case, alice: User, bob: User
) -> None:
    administration = risk(case, alice)
    assert RiskFlag.objects.get(administration=administration).alert is not None
    safeguarding = reverse("safeguarding:index", kwargs={"case_id": case.public_id})
    client.force_login(bob)
    for url in ("/dashboard/", reverse("alerts:list")):
        html = client.get(url).content.decode()
        assert admin_url("detail", administration) in html, url
        assert safeguarding not in html, url
    do_raise_concern(
        case,
        raised_on=TODAY,
        what_happened="The parent said they felt unsafe.",
        children=[referred_child(case)],
        acting_user=alice,
    )
    for url in ("/dashboard/", reverse("alerts:list")):
        html = client.get(url).content.decode()
        assert admin_url("detail", administration) in html, url
        assert f'href="{safeguarding}">Safeguarding record' in html, url


@pytest.mark.parametrize("count", [1, 3])
def test_the_alert_list_stays_at_a_fixed_number_of_queries(
    client: Client,
    rita: User,
    bob: User,
    alice: User,
    count: int,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    for _ in range(count):
        risk(make_case(rita, bob, alice), alice)
    client.force_login(bob)
    # Session, user, second factor, the count, the page of alerts (with their questionnaire
    # and whether the case has a safeguarding record) and the audit row.
    with django_assert_num_queries(6):
        html = client.get(reverse("alerts:list")).content.decode()
    assert html.count("the questionnaire</span>") == count
