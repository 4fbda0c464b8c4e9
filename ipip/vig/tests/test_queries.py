"""Reading VIG: the clips a withdrawal of consent says must be deleted, the index rows."""

import pytest
from pytest_django import DjangoAssertNumQueries

from ipip.accounts.models import User
from ipip.cases.models import Case
from ipip.consent.models import ConsentDecision, Purpose
from ipip.vig.actions import do_remove_clip
from ipip.vig.queries import clips_to_delete, cycle_rows, filming_rows
from ipip.vig.tests.helpers import TODAY, add_clip, consent, film, review, start

pytestmark = pytest.mark.django_db


def test_no_clips_to_delete_while_consent_stands(case: Case, alice: User) -> None:
    filming = film(start(case, alice), alice)
    add_clip(filming, alice)
    assert clips_to_delete(case) == 0


@pytest.mark.parametrize("purpose", [Purpose.FILMING, Purpose.CLIP_RETENTION])
def test_withdrawing_either_consent_flags_the_clips_not_removed(
    case: Case, alice: User, purpose: Purpose
) -> None:
    if purpose == Purpose.CLIP_RETENTION:
        consent(case, purpose, alice)
    filming = film(start(case, alice), alice)
    first = add_clip(filming, alice)
    add_clip(filming, alice, start_s="200", end_s="230")
    add_clip(filming, alice, start_s="300", end_s="330")
    do_remove_clip(first, acting_user=alice)
    consent(case, purpose, alice, on=TODAY, decision=ConsentDecision.WITHDRAWN)
    assert clips_to_delete(case) == 2


def test_consent_given_again_clears_the_flag(case: Case, alice: User) -> None:
    add_clip(film(start(case, alice), alice), alice)
    consent(case, Purpose.FILMING, alice, on=TODAY, decision=ConsentDecision.WITHDRAWN)
    consent(case, Purpose.FILMING, alice, on=TODAY)
    assert clips_to_delete(case) == 0


def test_another_familys_clips_do_not_count(case: Case, other_case: Case, alice: User) -> None:
    add_clip(film(start(case, alice), alice), alice)
    consent(other_case, Purpose.FILMING, alice)
    consent(other_case, Purpose.FILMING, alice, on=TODAY, decision=ConsentDecision.WITHDRAWN)
    assert clips_to_delete(other_case) == 0


def test_cycle_rows_count_clips_not_removed_and_filming(
    case: Case, alice: User, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    first = start(case, alice)
    filming = film(first, alice)
    add_clip(filming, alice)
    do_remove_clip(add_clip(filming, alice, start_s="200", end_s="210"), acting_user=alice)
    film(first, alice)  # a second filming, no clips: counted once, not doubled
    review(first, alice)
    start(case, alice, on=TODAY)
    with django_assert_num_queries(1):
        rows = cycle_rows(case)
    assert [(r.cycle.number, r.has_filming, r.clip_count) for r in rows] == [
        (1, True, 1),
        (2, False, 0),
    ]


def test_filming_rows_hide_removed_clips_and_count_them(case: Case, alice: User) -> None:
    cycle = start(case, alice)
    filming = film(cycle, alice)
    late = add_clip(filming, alice, start_s="300", end_s="320")
    early = add_clip(filming, alice, start_s="10", end_s="20")
    do_remove_clip(add_clip(filming, alice, start_s="100", end_s="120"), acting_user=alice)
    [row] = filming_rows(cycle)
    assert row.filming == filming
    assert row.clips == [early, late]
    assert row.removed_clips == 1
