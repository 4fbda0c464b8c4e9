from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from ipip.accounts.models import User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.core.testing.builders import child_input, referral_input
from ipip.referrals.actions import do_receive_referral

URL = "/audit/"


def test_administrator_sees_who_did_what(client: Client, adam: User, rita: User) -> None:
    # A name no persona or page text shares (a random Faker name was once "Adam", the
    # administrator's own first name, shown in the header).
    child = child_input(born=date(2020, 1, 5), first_name="Zebedee", last_name="Quillfeather")
    referral = do_receive_referral(referral_input(child=child), acting_user=rita)
    client.force_login(adam)
    html = client.get(URL).content.decode()
    assert "rita@example.org" in html
    assert "Referral received" in html
    # The log holds ids, not names.
    assert escape(referral.referred_child.first_name) not in html
    assert escape(referral.referred_child.last_name) not in html
    assert AuditEvent.objects.filter(action=Action.AUDIT_LOG_VIEWED, actor=adam).exists()


def test_filters_by_person_family_and_action(
    client: Client, adam: User, rita: User, ross: User
) -> None:
    first = do_receive_referral(referral_input(), acting_user=rita)
    do_receive_referral(referral_input(), acting_user=ross)
    client.force_login(adam)
    by_ross = client.get(URL, {"actor": "ross@example.org"}).context["page_obj"]
    assert {e.actor for e in by_ross.object_list} == {ross}
    family = client.get(URL, {"family": first.family.pseudonym.lower()}).context["page_obj"]
    assert {e.family_public_id for e in family.object_list} == {first.family.public_id}
    created = client.get(URL, {"action": Action.REFERRAL_CREATED}).context["page_obj"]
    assert created.paginator.count == 2
    nobody = client.get(URL, {"family": "F-NOSUCH"}).context["page_obj"]
    assert nobody.paginator.count == 0


def test_bad_filter_is_named(client: Client, adam: User) -> None:
    client.force_login(adam)
    html = client.get(URL, {"actor": "not-an-email"}).content.decode()
    assert "Enter a valid email address" in html


@pytest.mark.parametrize("persona", ["alice", "bob", "lena", "erin", "rita"])
def test_only_administrators(client: Client, persona: str, request: pytest.FixtureRequest) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 404


def test_fixed_query_count(
    client: Client,
    adam: User,
    rita: User,
    django_assert_num_queries: Callable[..., object],
) -> None:
    client.force_login(adam)
    for _ in range(2):
        do_receive_referral(referral_input(), acting_user=rita)
    client.get(URL)  # warm the session
    with django_assert_num_queries(6):  # type: ignore[attr-defined]
        client.get(URL)
    for _ in range(10):
        do_receive_referral(referral_input(), acting_user=rita)
    with django_assert_num_queries(6):  # type: ignore[attr-defined]
        client.get(URL)


def test_url_name() -> None:
    assert reverse("audit-log") == URL
