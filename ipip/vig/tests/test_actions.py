"""VIG actions: the state after each call and the audit row it writes."""

from datetime import date
from decimal import Decimal

import pytest

from ipip.accounts.models import User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.cases.models import Case
from ipip.core.errors import ConcurrentEdit
from ipip.goals.actions import Rating
from ipip.goals.models import GoalRating, Occasion
from ipip.vig.actions import do_change_cycle, do_remove_clip
from ipip.vig.models import Clip, SharedReview, VigCycle
from ipip.vig.tests.helpers import (
    FILMED_ON,
    NOW,
    REVIEWED_ON,
    STARTED_ON,
    add_clip,
    film,
    goal,
    last_event,
    review,
    start,
)

pytestmark = pytest.mark.django_db


def test_start_cycle_numbers_it_and_audits(case: Case, alice: User) -> None:
    calmer = goal(case, alice)
    cycle = start(case, alice, question="  How do I help him settle?  ", goals=(calmer,))
    cycle.refresh_from_db()
    assert (cycle.case, cycle.number, cycle.started_on) == (case, 1, STARTED_ON)
    assert cycle.helping_question == "How do I help him settle?"
    assert list(cycle.goals.all()) == [calmer]
    assert cycle.completed_on is None
    assert (cycle.version, cycle.created_by) == (1, alice)
    event = last_event()
    assert (event.action, event.actor, event.family_public_id) == (
        Action.VIG_CYCLE_STARTED,
        alice,
        case.family.public_id,
    )
    assert event.subject_public_id == cycle.public_id
    assert event.data == {
        "cycle_id": str(cycle.public_id),
        "number": 1,
        "goal_ids": [str(calmer.public_id)],
    }
    assert "settle" not in str(event.data)


@pytest.mark.parametrize("who", ["bob", "lena"])
def test_managers_and_the_lead_may_start_a_cycle(
    case: Case, who: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(who)
    assert start(case, user).created_by == user


def test_the_next_cycle_takes_the_next_number(case: Case, alice: User) -> None:
    first = start(case, alice)
    film(first, alice)
    review(first, alice)
    second = start(case, alice, on=REVIEWED_ON)
    assert second.number == 2
    assert last_event().data["number"] == 2


def test_change_cycle_updates_question_and_goals_and_audits(case: Case, alice: User) -> None:
    old, new = goal(case, alice, "Calmer bedtimes"), goal(case, alice, "Play together")
    cycle = start(case, alice, goals=(old,))
    changed = do_change_cycle(
        cycle,
        helping_question="How can we play together?",
        goals=[new],
        acting_user=alice,
        expected_version=1,
    )
    changed.refresh_from_db()
    assert changed.helping_question == "How can we play together?"
    assert list(changed.goals.all()) == [new]
    assert changed.version == 2
    event = last_event()
    assert event.action == Action.VIG_CYCLE_CHANGED
    assert event.data == {"cycle_id": str(cycle.public_id), "goal_ids": [str(new.public_id)]}


def test_change_cycle_from_a_stale_page_is_refused(case: Case, alice: User) -> None:
    cycle = start(case, alice)
    do_change_cycle(cycle, helping_question="Second", goals=[], acting_user=alice)
    with pytest.raises(ConcurrentEdit):
        do_change_cycle(
            cycle, helping_question="Third", goals=[], acting_user=alice, expected_version=1
        )
    cycle.refresh_from_db()
    assert cycle.helping_question == "Second"


def test_record_filming_saves_who_was_filmed_and_audits(case: Case, alice: User) -> None:
    cycle = start(case, alice)
    filming = film(cycle, alice, length=615, activity="  reading  ")
    filming.refresh_from_db()
    carer, child = case.family.carers.get(), case.family.children.get()
    assert (filming.cycle, filming.filmed_on, filming.length_seconds) == (cycle, FILMED_ON, 615)
    assert filming.activity == "reading"
    assert filming.length == "10:15"
    assert list(filming.filmed_carers.all()) == [carer]
    assert list(filming.filmed_children.all()) == [child]
    event = last_event()
    assert event.action == Action.VIG_FILMING_RECORDED
    assert event.subject_public_id == filming.public_id
    assert event.data == {
        "cycle_id": str(cycle.public_id),
        "filming_id": str(filming.public_id),
        "length_seconds": 615,
        "carer_ids": [str(carer.public_id)],
        "child_ids": [str(child.public_id)],
    }


def test_a_second_filming_is_allowed_in_a_cycle(case: Case, alice: User) -> None:
    cycle = start(case, alice)
    film(cycle, alice)
    film(cycle, alice, on=date(2026, 3, 28))
    assert cycle.filmings.count() == 2


def test_add_clip_stores_codes_in_catalogue_order_and_audits(case: Case, alice: User) -> None:
    filming = film(start(case, alice), alice)
    clip = add_clip(
        filming,
        alice,
        start_s="65.5",
        end_s="100",
        principles=("guiding", "attentive"),
        elements=("scaffolding", "looking_interested"),
        note=" He waited for her. ",
    )
    clip.refresh_from_db()
    assert (clip.start_seconds, clip.end_seconds) == (Decimal("65.5"), Decimal("100"))
    assert clip.principles == ["attentive", "guiding"]
    assert clip.elements == ["looking_interested", "scaffolding"]
    assert clip.note == "He waited for her."
    assert clip.time_range == "1:05.5–1:40"
    assert clip.principle_rows == [
        ("Being attentive", ["Looking interested, with a friendly posture"]),
        ("Guiding", ["Scaffolding"]),
    ]
    event = last_event()
    assert event.action == Action.VIG_CLIP_ADDED
    assert event.data == {
        "clip_id": str(clip.public_id),
        "filming_id": str(filming.public_id),
        "cycle_id": str(filming.cycle.public_id),
        "principles": ["attentive", "guiding"],
        "elements": ["looking_interested", "scaffolding"],
    }


def test_a_clip_may_run_to_the_end_of_the_film(case: Case, alice: User) -> None:
    filming = film(start(case, alice), alice, length=600)
    assert add_clip(filming, alice, start_s="590", end_s="600").end_seconds == 600


def test_remove_clip_records_who_and_when_and_keeps_the_row(case: Case, bob: User) -> None:
    clip = add_clip(film(start(case, bob), bob), bob)
    removed = do_remove_clip(clip, acting_user=bob, expected_version=1)
    removed.refresh_from_db()
    assert (removed.removed_at, removed.removed_by, removed.version) == (NOW, bob, 2)
    assert Clip.objects.count() == 1
    assert not Clip.objects.chosen().exists()
    event = last_event()
    assert event.action == Action.VIG_CLIP_REMOVED
    assert event.data == {
        "clip_id": str(clip.public_id),
        "filming_id": str(clip.filming.public_id),
        "consent_withdrawn": False,
    }


def test_record_review_completes_the_cycle_rates_goals_and_audits(case: Case, alice: User) -> None:
    calmer = goal(case, alice)
    cycle = start(case, alice, goals=(calmer,))
    film(cycle, alice)
    shared = review(cycle, alice, ratings={calmer: Rating(now=5, hoped=9)})
    shared.refresh_from_db()
    cycle.refresh_from_db()
    assert cycle.completed_on == REVIEWED_ON
    assert cycle.version == 2
    assert shared.cycle == cycle
    assert shared.parent_reflections.startswith("I waited")
    assert (shared.celebrated, shared.next_goals) == ("Lovely turn-taking.", "More waiting.")
    rating = GoalRating.objects.get(occasion=Occasion.VIG_REVIEW)
    assert (rating.goal, rating.now, rating.hoped, rating.rated_on) == (calmer, 5, 9, REVIEWED_ON)
    assert rating.source_public_id == cycle.public_id
    recorded = AuditEvent.objects.get(action=Action.VIG_REVIEW_RECORDED)
    assert recorded.subject_public_id == shared.public_id
    assert recorded.data == {
        "cycle_id": str(cycle.public_id),
        "review_id": str(shared.public_id),
        "goals_rated": 1,
    }
    rated = last_event()
    assert rated.action == Action.GOALS_RATED
    assert rated.data["source_id"] == str(cycle.public_id)


def test_review_without_ratings_writes_no_goals_event(case: Case, alice: User) -> None:
    cycle = start(case, alice)
    film(cycle, alice)
    review(cycle, alice)
    assert last_event().action == Action.VIG_REVIEW_RECORDED
    assert not AuditEvent.objects.filter(action=Action.GOALS_RATED).exists()


def test_a_review_is_never_edited(case: Case, alice: User) -> None:
    cycle = start(case, alice)
    film(cycle, alice)
    shared = review(cycle, alice)
    shared.celebrated = "Changed"
    with pytest.raises(Exception, match="never edited"):
        shared.save()
    assert SharedReview.objects.get().celebrated == "Lovely turn-taking."
    assert VigCycle.objects.get().is_complete
