"""A case page that does not audit itself is audited by the middleware, once."""

import pytest
from django.test import Client
from django.urls import reverse

from ipip.accounts.models import User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.cases.models import Case
from ipip.core.testing.builders import allocated_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(rita: User, bob: User, alice: User) -> Case:
    return allocated_case(rita, bob, alice)


def test_a_form_page_of_a_case_is_audited(client: Client, case: Case, alice: User) -> None:
    client.force_login(alice)
    before = AuditEvent.objects.count()
    response = client.get(reverse("visits:schedule", kwargs={"case_id": case.public_id}))
    assert response.status_code == 200
    event = AuditEvent.objects.order_by("-id").first()
    assert AuditEvent.objects.count() == before + 1
    assert event is not None and event.action == Action.CASE_PAGE_VIEWED
    assert event.actor == alice
    assert event.family_public_id == case.family.public_id
    assert event.data == {"page": "visits:schedule", "case_id": str(case.public_id)}


def test_a_page_that_audits_itself_is_not_audited_twice(
    client: Client, case: Case, alice: User
) -> None:
    client.force_login(alice)
    before = AuditEvent.objects.count()
    client.get(reverse("cases:detail", args=[case.public_id]))
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.order_by("-id").first().action == Action.CASE_VIEWED  # type: ignore[union-attr]


def test_a_refused_page_is_not_audited_as_a_read(
    client: Client, case: Case, charlie: User
) -> None:
    client.force_login(charlie)
    before = AuditEvent.objects.count()
    assert (
        client.get(reverse("visits:schedule", kwargs={"case_id": case.public_id})).status_code
        == 404
    )
    assert AuditEvent.objects.count() == before
