"""The case list: filters, pages, who sees which cases, a fixed number of queries, pseudonyms."""

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries, Settings

from ipip.accounts.models import Area, Role, User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.cases import actions as case_actions
from ipip.cases.models import Approach, Case, ClosureReason
from ipip.core.testing.builders import child_input, referral_input
from ipip.core.testing.personas import make_user
from ipip.referrals import actions

pytestmark = pytest.mark.django_db

CASES = "/cases/"
# Session, user, second-factor check, the areas of the filter, count, one page of cases with
# their area, practitioner and family (one join), the questionnaire plan (settings and
# instruments), the page's questionnaires, and the audit insert: 3 cases or 30.
CASE_LIST_QUERIES = 10

CASE_LINK = re.compile(r'href="/cases/([0-9a-f-]{36})/"')


def open_case(
    referrer: User,
    manager: User,
    *,
    area: str = "Sheffield",
    n: int = 0,
    postcode: str | None = None,
    **names: str,
) -> Case:
    """An accepted referral's case; `n` makes the child's date of birth unique (no duplicates)."""
    child = child_input(born=date(2020, 1, 1) + timedelta(days=n), **names)
    referral = actions.do_receive_referral(
        referral_input(area=area, child=child, postcode=postcode), acting_user=referrer
    )
    return actions.do_accept_referral(referral, acting_user=manager)


def allocate(case: Case, to: User, by: User, approach: Approach = Approach.VIG) -> Case:
    return case_actions.do_allocate_case(case, practitioner=to, approach=approach, acting_user=by)


def listed(client: Client, query: str = "") -> list[str]:
    response = client.get(CASES + query)
    assert response.status_code == 200
    return CASE_LINK.findall(response.content.decode())


def ids(*cases: Case) -> list[str]:
    return [str(c.public_id) for c in cases]


def test_manager_sees_their_area_newest_first(
    client: Client, rita: User, bob: User, lena: User
) -> None:
    first = open_case(rita, bob, n=1)
    second = open_case(rita, bob, n=2)
    open_case(rita, lena, area="Hull", n=3)
    client.force_login(bob)
    assert listed(client) == ids(second, first)


def test_filters_by_area_status_and_approach(
    client: Client, rita: User, bob: User, lena: User, alice: User, charlie: User
) -> None:
    waiting = open_case(rita, bob, n=1)
    vig = allocate(open_case(rita, bob, n=2), alice, bob, Approach.VIG)
    ptp = allocate(open_case(rita, bob, n=3), alice, bob, Approach.PTP)
    hull = allocate(open_case(rita, lena, area="Hull", n=4), charlie, lena, Approach.VIG)
    closed = case_actions.do_close_case(
        open_case(rita, bob, n=5),
        reason=ClosureReason.WITHDREW,
        note="Family withdrew.",
        acting_user=bob,
    )
    sheffield = Area.objects.get(name="Sheffield")
    hull_area = Area.objects.get(name="Hull")
    client.force_login(lena)

    assert set(listed(client)) == set(ids(waiting, vig, ptp, hull, closed))
    assert set(listed(client, f"?area={sheffield.public_id}")) == set(
        ids(waiting, vig, ptp, closed)
    )
    assert listed(client, f"?area={hull_area.public_id}") == ids(hull)
    assert listed(client, "?status=accepted") == ids(waiting)
    assert listed(client, "?status=closed") == ids(closed)
    assert set(listed(client, "?status=allocated")) == set(ids(vig, ptp, hull))
    assert set(listed(client, "?approach=vig")) == set(ids(vig, hull))
    assert listed(client, "?approach=ptp") == ids(ptp)
    assert listed(client, f"?area={sheffield.public_id}&status=allocated&approach=vig") == ids(vig)
    html = client.get(CASES + "?status=closed").content.decode()
    assert '<option value="closed" selected>' in html
    assert "1 case<" in html


def test_an_unknown_filter_value_shows_everything(client: Client, rita: User, bob: User) -> None:
    case = open_case(rita, bob)
    client.force_login(bob)
    assert listed(client, "?status=nonsense") == ids(case)


def test_pages_keep_the_filters(client: Client, rita: User, bob: User, settings: Settings) -> None:
    settings.IPIP_PAGE_SIZE = 2
    cases = [open_case(rita, bob, n=i) for i in range(5)]
    newest_first = list(reversed(cases))
    client.force_login(bob)
    first = client.get(CASES + "?status=accepted").content.decode()
    assert CASE_LINK.findall(first) == ids(*newest_first[:2])
    assert "5 cases" in first
    assert 'href="?status=accepted&amp;page=2"' in first
    assert listed(client, "?status=accepted&page=2") == ids(*newest_first[2:4])
    assert listed(client, "?status=accepted&page=3") == ids(newest_first[4])


def test_practitioner_sees_only_cases_allocated_to_them(
    client: Client, rita: User, bob: User, alice: User
) -> None:
    hers = allocate(open_case(rita, bob, n=1), alice, bob)
    colleague = make_user("colleague@example.org", Role.PRACTITIONER, "Sheffield")
    allocate(open_case(rita, bob, n=2), colleague, bob)
    open_case(rita, bob, n=3)  # not allocated yet
    client.force_login(alice)
    assert listed(client) == ids(hers)


def test_referrers_have_no_case_list(client: Client, rita: User) -> None:
    client.force_login(rita)
    assert client.get(CASES).status_code == 404


@pytest.mark.parametrize("count", [3, 30])
def test_query_count_does_not_grow_with_cases(
    client: Client,
    rita: User,
    bob: User,
    alice: User,
    count: int,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    for i in range(count):
        case = open_case(rita, bob, n=i)
        if i % 2:
            allocate(case, alice, bob)
    client.force_login(bob)
    with django_assert_num_queries(CASE_LIST_QUERIES):
        response = client.get(CASES)
    assert response.status_code == 200
    assert len(CASE_LINK.findall(response.content.decode())) == min(count, 25)


def test_evaluator_sees_pseudonyms_only(
    client: Client, rita: User, bob: User, alice: User, erin: User
) -> None:
    case = allocate(
        open_case(rita, bob, postcode="S9 9ZQ", first_name="Zebedee", last_name="Quixwell"),
        alice,
        bob,
    )
    client.force_login(erin)
    html = client.get(CASES).content.decode()
    assert "You see pseudonymous identifiers only." in html
    assert case.family.pseudonym in html
    assert f"Practitioner {alice.pk}" in html
    assert alice.display_name not in html
    assert "Zebedee" not in html
    assert "Quixwell" not in html

    detail = client.get(f"/cases/{case.public_id}/").content.decode()
    assert "Zebedee" not in detail
    assert "Quixwell" not in detail
    assert "S9 9ZQ" not in detail
    assert case.family.address_line_1 not in detail
    assert "1 January 2020" not in detail  # the child's date of birth
    assert "The reasons are not shown" in detail  # the decision's reasons name the date of birth

    client.force_login(bob)
    assert alice.display_name in client.get(CASES).content.decode()
    named = client.get(f"/cases/{case.public_id}/").content.decode()
    assert "Zebedee Quixwell" in named
    assert "S9 9ZQ" in named
    assert "1 January 2020" in named


def test_viewing_the_list_is_audited(client: Client, rita: User, bob: User) -> None:
    case = open_case(rita, bob)
    client.force_login(bob)
    client.get(CASES + "?status=accepted")
    event = AuditEvent.objects.get(action=Action.CASE_LIST_VIEWED)
    assert event.actor == bob
    assert event.data == {
        "filters": {"status": "accepted"},
        "page": 1,
        "case_ids": [str(case.public_id)],
    }
