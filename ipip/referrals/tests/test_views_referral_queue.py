"""The referral queue: who sees what, filters, order, pages, a fixed number of queries, audit."""

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from pytest_django import DjangoAssertNumQueries, Settings

from ipip.accounts.models import User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.cases.intake import AssessmentInput
from ipip.core.testing.builders import child_input, referral_input
from ipip.referrals import actions
from ipip.referrals.models import Referral

pytestmark = pytest.mark.django_db

QUEUE = "/referrals/"
# Session, user, second-factor check, count, one page of referrals with their child, area,
# decision and family (one join), and the audit insert: the same for 3 referrals or 30.
QUEUE_QUERIES = 6

REFERRAL_LINK = re.compile(r'href="/referrals/([0-9a-f-]{36})/"')


def refer(
    by: User,
    *,
    received_on: date = date(2026, 3, 12),
    area: str = "Sheffield",
    age_days: int = 6 * 366,
    n: int = 0,
) -> Referral:
    """A referral received on `received_on`; the child's date of birth is unique per `n`."""
    child = child_input(born=received_on - timedelta(days=age_days + n))
    return actions.do_receive_referral(
        referral_input(area=area, received_on=received_on, child=child), acting_user=by
    )


def listed(client: Client, query: str = "") -> list[str]:
    response = client.get(QUEUE + query)
    assert response.status_code == 200
    return REFERRAL_LINK.findall(response.content.decode())


def ids(*referrals: Referral) -> list[str]:
    return [str(r.public_id) for r in referrals]


def test_manager_sees_only_their_areas_referrals(client: Client, rita: User, bob: User) -> None:
    mine = refer(rita, area="Sheffield")
    refer(rita, area="Hull", n=1)
    client.force_login(bob)
    assert listed(client) == ids(mine)


def test_national_lead_sees_every_area(client: Client, rita: User, lena: User) -> None:
    sheffield = refer(rita, area="Sheffield", received_on=date(2026, 3, 1))
    hull = refer(rita, area="Hull", received_on=date(2026, 3, 2), n=1)
    client.force_login(lena)
    assert listed(client) == ids(sheffield, hull)


def test_referrer_sees_only_their_own(client: Client, rita: User, ross: User) -> None:
    ritas = refer(rita)
    refer(ross, n=1)
    client.force_login(rita)
    response = client.get(QUEUE)
    assert "My referrals" in response.content.decode()
    assert listed(client) == ids(ritas)


def test_practitioner_has_no_queue(client: Client, alice: User) -> None:
    client.force_login(alice)
    assert client.get(QUEUE).status_code == 404


def test_open_queue_is_oldest_first(client: Client, rita: User, bob: User) -> None:
    middle = refer(rita, received_on=date(2026, 3, 10))
    newest = refer(rita, received_on=date(2026, 3, 12), n=1)
    oldest = refer(rita, received_on=date(2026, 3, 1), n=2)
    client.force_login(bob)
    assert listed(client) == ids(oldest, middle, newest)


def test_filter_by_state(client: Client, rita: User, bob: User) -> None:
    waiting = refer(rita, received_on=date(2026, 3, 1))
    accepted = refer(rita, received_on=date(2026, 3, 2), n=1)
    declined = refer(rita, received_on=date(2026, 3, 3), n=2)
    actions.do_accept_referral(accepted, acting_user=bob)
    actions.do_decline_referral(declined, reason="Moved away", acting_user=bob)
    client.force_login(bob)
    assert listed(client) == ids(waiting)
    assert listed(client, "?state=open") == ids(waiting)
    assert listed(client, "?state=accepted") == ids(accepted)
    assert listed(client, "?state=declined") == ids(declined)
    assert set(listed(client, "?state=all")) == set(ids(waiting, accepted, declined))


def test_filter_by_outcome(client: Client, rita: User, bob: User) -> None:
    eligible = refer(rita, received_on=date(2026, 3, 1))
    too_young = refer(rita, received_on=date(2026, 3, 2), age_days=365)
    no_date = actions.do_receive_referral(
        referral_input(
            received_on=date(2026, 3, 3),
            child=child_input(born=date(2020, 1, 1)),
            assessment=AssessmentInput(
                kind="eha", completed_on=None, shows_neglect_concerns="yes"
            ),
        ),
        acting_user=rita,
    )
    client.force_login(bob)
    assert listed(client, "?outcome=eligible") == ids(eligible)
    assert listed(client, "?outcome=not_eligible") == ids(too_young)
    assert listed(client, "?outcome=needs_information") == ids(no_date)
    assert listed(client, "?outcome=nonsense") == ids(eligible, too_young, no_date)
    html = client.get(QUEUE + "?outcome=not_eligible").content.decode()
    assert '<option value="not_eligible" selected>' in html


def test_pages_keep_the_filters(client: Client, rita: User, bob: User, settings: Settings) -> None:
    settings.IPIP_PAGE_SIZE = 2
    referrals = [refer(rita, received_on=date(2026, 3, 1 + i), n=i) for i in range(5)]
    client.force_login(bob)
    first = client.get(QUEUE + "?state=open&outcome=eligible").content.decode()
    assert REFERRAL_LINK.findall(first) == ids(*referrals[:2])
    assert "5 referrals" in first
    assert 'href="?state=open&amp;outcome=eligible&amp;page=2"' in first
    assert listed(client, "?state=open&outcome=eligible&page=2") == ids(*referrals[2:4])
    assert listed(client, "?state=open&outcome=eligible&page=3") == ids(referrals[4])
    assert listed(client, "?state=open&outcome=eligible&page=99") == ids(referrals[4])


@pytest.mark.parametrize("count", [3, 30])
def test_query_count_does_not_grow_with_referrals(
    client: Client,
    rita: User,
    bob: User,
    count: int,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    for i in range(count):
        refer(rita, received_on=date(2026, 1, 1) + timedelta(days=i), n=i)
    client.force_login(bob)
    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(QUEUE + "?state=all")
    assert response.status_code == 200
    assert len(REFERRAL_LINK.findall(response.content.decode())) == min(count, 25)


def test_viewing_the_queue_is_audited(client: Client, rita: User, bob: User) -> None:
    referral = refer(rita)
    client.force_login(bob)
    client.get(QUEUE + "?state=open&outcome=eligible")
    event = AuditEvent.objects.get(action=Action.REFERRAL_LIST_VIEWED)
    assert event.actor == bob
    assert event.ip_address == "127.0.0.1"
    assert event.data == {
        "state": "open",
        "outcome": "eligible",
        "page": 1,
        "referral_ids": [str(referral.public_id)],
    }


def test_queue_links_to_the_detail(client: Client, rita: User, bob: User) -> None:
    referral = refer(rita)
    client.force_login(bob)
    html = client.get(QUEUE).content.decode()
    assert reverse("referrals:detail", args=[referral.public_id]) in html
    assert escape(referral.referred_child.first_name) in html
    assert "Sheffield" in html
