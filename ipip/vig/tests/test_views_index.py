"""The VIG index: the cycles, the start button, the consent warning; audited; fixed queries."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from pytest_django import DjangoAssertNumQueries

from ipip.accounts.models import User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.cases.models import Case
from ipip.consent.models import ConsentDecision, Purpose
from ipip.vig.models import VigCycle
from ipip.vig.tests.helpers import REVIEWED_ON, TODAY, add_clip, consent, film, review, start

pytestmark = pytest.mark.django_db

# Session, user, second-factor check, the case (one join), the cycles with their filming and
# clip counts, the consent records, and the audit row: the same for 1 cycle or 5.
INDEX_QUERIES = 7


def index_url(case: Case) -> str:
    return reverse("vig:index", kwargs={"case_id": case.public_id})


def cycle_url(cycle: VigCycle) -> str:
    return reverse(
        "vig:cycle", kwargs={"case_id": cycle.case.public_id, "cycle_id": cycle.public_id}
    )


def test_empty_index_offers_cycle_1(client: Client, case: Case, alice: User) -> None:
    client.force_login(alice)
    html = client.get(index_url(case)).content.decode()
    assert "No VIG cycles yet." in html
    assert "Start cycle 1" in html
    assert reverse("vig:start", kwargs={"case_id": case.public_id}) in html
    assert f"Case, family {case.family.pseudonym}" in html


def test_index_lists_cycles_and_offers_the_next(client: Client, case: Case, alice: User) -> None:
    first = start(case, alice, question="How do I help him settle at bedtime?")
    filming = film(first, alice)
    add_clip(filming, alice)
    add_clip(filming, alice, start_s="200", end_s="230")
    review(first, alice)
    second = start(case, alice, on=REVIEWED_ON, question="Can we play together?")
    client.force_login(alice)
    html = client.get(index_url(case)).content.decode()
    assert cycle_url(first) in html
    assert cycle_url(second) in html
    assert "How do I help him settle at bedtime?" in html
    assert "Completed 1 April 2026" in html
    assert "In progress" in html
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">2</td>' in html
    assert "Not yet" in html  # the second cycle is not filmed
    assert "Start cycle" not in html  # cycle 2 is not complete


def test_index_offers_cycle_2_once_cycle_1_is_complete(
    client: Client, case: Case, alice: User
) -> None:
    first = start(case, alice)
    film(first, alice)
    review(first, alice)
    client.force_login(alice)
    assert "Start cycle 2" in client.get(index_url(case)).content.decode()


def test_index_warns_when_clips_must_be_deleted(client: Client, case: Case, alice: User) -> None:
    filming = film(start(case, alice), alice)
    add_clip(filming, alice)
    add_clip(filming, alice, start_s="200", end_s="230")
    client.force_login(alice)
    assert "must be deleted" not in client.get(index_url(case)).content.decode()
    consent(case, Purpose.FILMING, alice, on=TODAY, decision=ConsentDecision.WITHDRAWN)
    html = client.get(index_url(case)).content.decode()
    assert "govuk-warning-text" in html
    assert "2 clips of this family must be deleted" in html


def test_index_without_filming_consent_says_to_record_it(
    client: Client, bare_case: Case, alice: User
) -> None:
    client.force_login(alice)
    html = client.get(index_url(bare_case)).content.decode()
    assert "There is no consent to filming for this family today" in html
    assert reverse("consent:index", kwargs={"case_id": bare_case.public_id}) in html


def test_index_of_a_ptp_case_says_so_and_offers_nothing(
    client: Client, ptp_case: Case, alice: User
) -> None:
    client.force_login(alice)
    html = client.get(index_url(ptp_case)).content.decode()
    assert "does not receive Video Interaction Guidance" in html
    assert "Start cycle" not in html


def test_index_view_is_audited(client: Client, case: Case, bob: User) -> None:
    cycle = start(case, bob)
    client.force_login(bob)
    client.get(index_url(case))
    event = AuditEvent.objects.get(action=Action.VIG_VIEWED)
    assert (event.actor, event.family_public_id) == (bob, case.family.public_id)
    assert event.data == {"cycle_ids": [str(cycle.public_id)]}


@pytest.mark.parametrize("count", [1, 5])
def test_index_query_count_does_not_grow_with_cycles(
    client: Client,
    case: Case,
    alice: User,
    count: int,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    for n in range(count):
        cycle = start(case, alice, on=REVIEWED_ON)
        filming = film(cycle, alice, on=REVIEWED_ON)
        add_clip(filming, alice)
        add_clip(filming, alice, start_s="200", end_s="230")
        if n < count - 1:
            review(cycle, alice)
    consent(case, Purpose.FILMING, alice, on=TODAY, decision=ConsentDecision.WITHDRAWN)
    client.force_login(alice)
    with django_assert_num_queries(INDEX_QUERIES):
        response = client.get(index_url(case))
    html = response.content.decode()
    assert len(re.findall(r'<tr class="govuk-table__row">', html)) == count + 1  # one head
    assert escape(f"{2 * count} clip") in html
