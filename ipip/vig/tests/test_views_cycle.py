"""One cycle's page: question, goals, filmings with their clips, review; audited; fixed queries."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from pytest_django import DjangoAssertNumQueries

from ipip.accounts.models import User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.cases import actions as case_actions
from ipip.cases.models import Case, ClosureReason
from ipip.vig.actions import do_remove_clip
from ipip.vig.models import VigCycle
from ipip.vig.tests.helpers import add_clip, film, goal, review, start

pytestmark = pytest.mark.django_db

# Session, user, second-factor check, the case, the cycle with its review (one join), its
# goals, the filmings, who was filmed (carers, children) and the clips (three prefetches),
# and the audit row: the same for 1 filming with 1 clip or 5 filmings with 5 clips each.
CYCLE_QUERIES = 11


def cycle_url(cycle: VigCycle) -> str:
    return reverse(
        "vig:cycle", kwargs={"case_id": cycle.case.public_id, "cycle_id": cycle.public_id}
    )


def test_cycle_page_shows_each_step(client: Client, case: Case, alice: User) -> None:
    calmer = goal(case, alice, "Calmer bedtimes")
    cycle = start(case, alice, question="How do I help him settle?", goals=(calmer,))
    filming = film(cycle, alice, activity="reading a story", length=615)
    add_clip(
        filming,
        alice,
        start_s="65",
        end_s="100.5",
        principles=("attentive", "guiding"),
        elements=("looking_interested", "scaffolding"),
        note="She waited for his answer.",
    )
    review(cycle, alice)
    carer, child = case.family.carers.get(), case.family.children.get()
    client.force_login(alice)
    html = client.get(cycle_url(cycle)).content.decode()
    assert '<h1 class="govuk-heading-xl">Cycle 1</h1>' in html
    assert "How do I help him settle?" in html
    assert "Calmer bedtimes" in html
    assert "Filmed 27 March 2026: reading a story" in html
    assert "10:15" in html
    assert escape(f"{carer.first_name} {carer.last_name}") in html
    assert escape(f"{child.first_name} {child.last_name}") in html
    assert "1:05–1:40.5" in html
    assert '<strong class="govuk-tag govuk-tag--turquoise">Being attentive</strong>' in html
    assert '<strong class="govuk-tag govuk-tag--turquoise">Guiding</strong>' in html
    assert "Looking interested, with a friendly posture" in html
    assert "Scaffolding" in html
    assert "She waited for his answer." in html
    assert escape("I waited for him and he showed me his drawing.") in html
    assert "Lovely turn-taking." in html
    assert "Completed 1 April 2026" in html
    # Complete: no new filming or review, but clips may still be added and removed.
    assert (
        reverse("vig:filming", kwargs={"case_id": case.public_id, "cycle_id": cycle.public_id})
        not in html
    )
    assert "Record the shared review" not in html
    assert (
        reverse("vig:clip", kwargs={"case_id": case.public_id, "filming_id": filming.public_id})
        in html
    )


def test_an_open_cycle_offers_filming_then_review(client: Client, case: Case, alice: User) -> None:
    cycle = start(case, alice)
    client.force_login(alice)
    html = client.get(cycle_url(cycle)).content.decode()
    assert "No filming recorded yet." in html
    assert "Record a filming" in html
    assert "Record the shared review" not in html  # a review needs a filming
    film(cycle, alice)
    html = client.get(cycle_url(cycle)).content.decode()
    assert "Record another filming" in html
    assert "Record the shared review" in html
    assert "No clips chosen yet." in html


def test_removed_clips_are_not_shown_as_chosen(client: Client, case: Case, alice: User) -> None:
    filming = film(start(case, alice), alice)
    kept = add_clip(filming, alice, start_s="10", end_s="20")
    gone = add_clip(filming, alice, start_s="300", end_s="320")
    do_remove_clip(gone, acting_user=alice)
    client.force_login(alice)
    html = client.get(cycle_url(filming.cycle)).content.decode()
    assert kept.time_range in html
    assert gone.time_range not in html
    assert "1 clip removed." in html
    assert (
        reverse("vig:remove-clip", kwargs={"case_id": case.public_id, "clip_id": kept.public_id})
        in html
    )


def test_a_closed_case_shows_the_cycle_with_remove_only(
    client: Client, case: Case, alice: User, bob: User
) -> None:
    clip = add_clip(film(start(case, alice), alice), alice)
    case_actions.do_close_case(case, reason=ClosureReason.WITHDREW, note="Left.", acting_user=bob)
    client.force_login(bob)
    html = client.get(cycle_url(clip.filming.cycle)).content.decode()
    assert "Add a clip" not in html
    assert "Record another filming" not in html
    assert ">Change<" not in html
    assert (
        reverse("vig:remove-clip", kwargs={"case_id": case.public_id, "clip_id": clip.public_id})
        in html
    )


def test_a_cycle_of_another_case_is_404(
    client: Client, case: Case, other_case: Case, alice: User
) -> None:
    cycle = start(case, alice)
    client.force_login(alice)
    wrong = reverse(
        "vig:cycle", kwargs={"case_id": other_case.public_id, "cycle_id": cycle.public_id}
    )
    assert client.get(wrong).status_code == 404


def test_cycle_view_is_audited_with_the_ids_shown(client: Client, case: Case, lena: User) -> None:
    filming = film(start(case, lena), lena)
    clip = add_clip(filming, lena)
    client.force_login(lena)
    client.get(cycle_url(filming.cycle))
    event = AuditEvent.objects.get(action=Action.VIG_VIEWED)
    assert event.subject_public_id == filming.cycle.public_id
    assert event.data == {
        "cycle_id": str(filming.cycle.public_id),
        "filming_ids": [str(filming.public_id)],
        "clip_ids": [str(clip.public_id)],
    }


@pytest.mark.parametrize("count", [1, 5])
def test_cycle_query_count_does_not_grow_with_filmings_and_clips(
    client: Client,
    case: Case,
    alice: User,
    count: int,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    goals = tuple(goal(case, alice, f"Goal {n}") for n in range(count))
    cycle = start(case, alice, goals=goals)
    for _ in range(count):
        filming = film(cycle, alice)
        for n in range(count):
            add_clip(filming, alice, start_s=str(10 * n), end_s=str(10 * n + 5))
    review(cycle, alice)
    client.force_login(alice)
    with django_assert_num_queries(CYCLE_QUERIES):
        response = client.get(cycle_url(cycle))
    html = response.content.decode()
    assert len(re.findall(r"govuk-summary-card__title\"", html)) == count
    assert html.count("govuk-tag--turquoise") == count * count
