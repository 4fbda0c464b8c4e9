"""Building a family's results: rows per time point, reliable change against hand
calculation, corrections replacing what they correct, incomplete scores left out of change,
and SDQ per child. The helpers at the top are shared by the results page's other tests."""

import dataclasses
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import uuid4

import pytest
import time_machine

from ipip.accounts.models import User
from ipip.cases.models import Case, Child
from ipip.core.testing import builders
from ipip.core.testing.clock import frozen_at
from ipip.questionnaires.actions import (
    do_complete_administration,
    do_correct_administration,
    do_start_administration,
)
from ipip.questionnaires.instruments import REGISTRY
from ipip.questionnaires.instruments.base import (
    Band,
    BandSet,
    Cutoff,
    Direction,
    Instrument,
    LicenceMode,
    ReliableChangeParams,
    Scale,
)
from ipip.questionnaires.models import Administration, AdministrationStatus, TimePoint
from ipip.questionnaires.reliable_change import Change
from ipip.questionnaires.results import (
    NO_PARAMS,
    ChildRef,
    CompletedAdministration,
    RecordedScore,
    build_results,
    completed_administrations,
    family_results,
    score_text,
    two_places,
)

NOW = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)
OPENED = datetime(2025, 9, 1, 9, 0, tzinfo=UTC)
BASELINE_ON = date(2025, 9, 15)
END_ON = date(2026, 1, 15)
FOLLOW_UP_ON = date(2026, 3, 1)
ON = {TimePoint.BASELINE: BASELINE_ON, TimePoint.END: END_ON, TimePoint.FOLLOW_UP: FOLLOW_UP_ON}

frozen = frozen_at(NOW)

D = Decimal  # short, for the many numbers below


# -- helpers shared with test_views_results and test_access_results --------------------


def results_case(rita: User, bob: User, alice: User, *, others: tuple[date, ...] = ()) -> Case:
    """A case allocated to alice, opened on 1 September 2025 (so questionnaires can be
    dated from then on), for a family whose referred child is 6 and whose other children
    were born on `others`."""
    referral = builders.referral_input(
        received_on=OPENED.date(),
        others=tuple(builders.child_input(born=born) for born in others),
    )
    with time_machine.travel(OPENED, tick=False):
        return builders.allocated_case(rita, bob, alice, referral=referral)


def phq9_answers(total: int) -> dict[int, int | None]:
    """PHQ-9 answers adding up to `total` (0-24) with item 9 at 0, so no risk alert."""
    answers: dict[int, int | None] = {}
    left = total
    for number in range(1, 9):
        answers[number] = min(3, left)
        left -= answers[number] or 0
    assert left == 0
    answers[9] = 0
    return answers


def complete(
    case: Case,
    user: User,
    time_point: TimePoint,
    *,
    instrument_code: str = "phq9",
    answers: Mapping[int, int | None] | None = None,
    entered: Mapping[str, str | None] | None = None,
    child: Child | None = None,
    on: date | None = None,
) -> Administration:
    """Start and complete an administration through the actions, as the pages do."""
    administration = do_start_administration(
        case,
        instrument_code=instrument_code,
        time_point=time_point,
        child=child,
        acting_user=user,
    )
    return do_complete_administration(
        administration,
        completed_on=on or ON[time_point],
        answers=answers,
        entered=entered,
        missing_confirmed=True,
        expected_version=administration.version,
        acting_user=user,
    ).administration


def complete_phq9(case: Case, user: User, time_point: TimePoint, total: int) -> Administration:
    return complete(case, user, time_point, answers=phq9_answers(total))


@pytest.fixture
def case(rita: User, bob: User, alice: User) -> Case:
    return results_case(rita, bob, alice)


# -- display rounding --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (D("2.905"), "2.91"),  # half up, where round-half-even would give 2.90
        (D("2.675"), "2.68"),  # a float would give 2.67
        (D("-3.094849"), "-3.09"),
        (D("-2.545584"), "-2.55"),
        (D("5"), "5.00"),
    ],
)
def test_two_places_rounds_half_up(value: D, text: str) -> None:
    assert two_places(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(D("12.00"), "12"), (D("13.5"), "13.50"), (D("3.265"), "3.27"), (D("0"), "0")],
)
def test_scores_show_whole_numbers_plainly_and_others_to_two_places(value: D, text: str) -> None:
    assert score_text(value) == text


# -- the pure builder, on a made-up instrument with easy numbers ---------------------------

# Lower is better, SD 10, r .75, clinical range 20 or more.
#   SEM    = 10 x sqrt(1 - .75) = 10 x .5 = 5
#   S_diff = sqrt(2) x 5        = 7.0710678...  -> "7.07"
#   1.96 x S_diff               = 13.859292...  -> "13.86"
DOWN = Scale(
    code="down",
    name="Difficulties",
    minimum=D(0),
    maximum=D(60),
    direction=Direction.LOWER_IS_BETTER,
    band_sets=(
        BandSet(bands=(Band("low", "Low", D(0), D(19)), Band("high", "High", D(20), None))),
    ),
    reliable_change=ReliableChangeParams(
        sd=D(10), reliability=D("0.75"), reliability_kind="test-retest", source="Made up"
    ),
    cutoff=Cutoff(D(20), "Made-up cut-off"),
)
# Higher is better, SD 4, r .91, clinical range 42 or less.
#   SEM    = 4 x sqrt(1 - .91) = 4 x .3 = 1.2
#   S_diff = sqrt(2) x 1.2     = 1.6970562...  -> "1.70"
#   1.96 x S_diff              = 3.3262302...  -> "3.33"
UP = Scale(
    code="up",
    name="Wellbeing",
    minimum=D(14),
    maximum=D(70),
    direction=Direction.HIGHER_IS_BETTER,
    reliable_change=ReliableChangeParams(
        sd=D(4), reliability=D("0.91"), reliability_kind="test-retest", source="Made up too"
    ),
    cutoff=Cutoff(D(42), "Made-up cut-off"),
)
# No published reliability or SD.
BARE = Scale(
    code="bare",
    name="Other",
    minimum=D(0),
    maximum=D(10),
    direction=Direction.LOWER_IS_BETTER,
)
TOY = Instrument(
    code="toy",
    name="Toy",
    version="1",
    licence=LicenceMode.SCORES_ONLY,
    licence_note="",
    about="",
    sources=(),
    scales=(DOWN, UP, BARE),
)
TOYS = {"toy": TOY}


def administration(
    time_point: TimePoint,
    values: Mapping[str, D | None],
    *,
    number: int = 1,
    child: ChildRef | None = None,
    instrument_code: str = "toy",
) -> CompletedAdministration:
    return CompletedAdministration(
        public_id=uuid4(),
        instrument_code=instrument_code,
        time_point=time_point,
        completed_on=ON[time_point],
        number=number,
        child=child,
        scores={
            code: RecordedScore(code, value, note="" if value is not None else "Not given.")
            for code, value in values.items()
        },
    )


def test_reliable_improvement_that_leaves_the_clinical_range_is_recovery() -> None:
    [toy] = build_results(
        [
            administration(TimePoint.BASELINE, {"down": D(30), "up": D(40)}),
            administration(TimePoint.END, {"down": D(12), "up": D(45)}),
        ],
        instruments=TOYS,
    )
    down, up, bare = toy.scales
    assert [row.value for row in down.rows] == [D(30), D(12)]
    [change] = down.comparisons
    # RCI = (12 - 30) / 7.0710678 = -2.5455844 -> "-2.55": beyond 1.96, and lower is better.
    assert change.rci_text == "-2.55"
    assert change.change.rci == pytest.approx(D("-2.5455844"), abs=D("1e-7"))
    assert change.change.change == Change.RELIABLE_IMPROVEMENT
    assert change.verdict == "Reliable improvement"
    assert change.difference_text == "-18"
    assert change.label == "Baseline to end"
    # 30 is in the clinical range (20 or more), 12 is not: recovered.
    assert change.change.clinically_significant is True
    assert change.clinical_text.startswith("Yes: recovered")
    assert (down.sem_text, down.s_diff_text, down.minimum_reliable_change_text) == (
        "5.00",
        "7.07",
        "13.86",
    )
    assert down.cutoff_text == "20 or more"
    assert down.direction_text == "Lower scores are better."
    # Higher is better: RCI = (45 - 40) / 1.6970563 = 2.9462783 -> "2.95", an improvement;
    # 40 is in the clinical range (42 or less), 45 is not.
    [up_change] = up.comparisons
    assert up_change.rci_text == "2.95"
    assert up_change.change.change == Change.RELIABLE_IMPROVEMENT
    assert up_change.difference_text == "+5"
    assert up_change.change.clinically_significant is True
    assert (up.sem_text, up.s_diff_text, up.minimum_reliable_change_text) == (
        "1.20",
        "1.70",
        "3.33",
    )
    assert up.cutoff_text == "42 or less"
    assert up.direction_text == "Higher scores are better."
    # No parameters: no change, and the page says why.
    assert bare.comparisons == ()
    assert bare.change_note == NO_PARAMS
    assert bare.sem_text == ""


@pytest.mark.parametrize(
    ("pre", "post", "rci", "verdict", "clinical"),
    [
        # (22 - 30) / 7.0710678 = -1.1313708: within 1.96.
        (30, 22, "-1.13", Change.NO_RELIABLE_CHANGE, "No: no reliable improvement"),
        # (25 - 10) / 7.0710678 = +2.1213203: beyond 1.96 the wrong way.
        (10, 25, "2.12", Change.RELIABLE_DETERIORATION, "No: the first score was already"),
        # (25 - 45) / 7.0710678 = -2.8284271: reliable, but 25 is still 20 or more.
        (45, 25, "-2.83", Change.RELIABLE_IMPROVEMENT, "No: still in the clinical range"),
        # (0 - 15) / 7.0710678 = -2.1213203: reliable, but 15 was never clinical.
        (15, 0, "-2.12", Change.RELIABLE_IMPROVEMENT, "No: the first score was already"),
    ],
)
def test_reliable_change_verdicts_against_hand_calculation(
    pre: int, post: int, rci: str, verdict: Change, clinical: str
) -> None:
    [toy] = build_results(
        [
            administration(TimePoint.BASELINE, {"down": D(pre)}),
            administration(TimePoint.FOLLOW_UP, {"down": D(post)}),
        ],
        instruments=TOYS,
    )
    [change] = toy.scales[0].comparisons
    assert change.label == "Baseline to follow-up"
    assert change.rci_text == rci
    assert change.change.change == verdict
    assert change.clinical_text.startswith(clinical)


def test_change_is_from_baseline_to_end_and_to_follow_up_only() -> None:
    [toy] = build_results(
        [
            administration(TimePoint.FOLLOW_UP, {"down": D(12)}),
            administration(TimePoint.BASELINE, {"down": D(30)}),
            administration(TimePoint.END, {"down": D(20)}),
        ],
        instruments=TOYS,
    )
    down = toy.scales[0]
    assert [row.time_point for row in down.rows] == [
        TimePoint.BASELINE,
        TimePoint.END,
        TimePoint.FOLLOW_UP,
    ]
    assert [(c.pre.value, c.post.value) for c in down.comparisons] == [
        (D(30), D(20)),
        (D(30), D(12)),
    ]
    assert down.change_note == ""


def test_incomplete_scores_are_shown_but_left_out_of_change() -> None:
    [toy] = build_results(
        [
            administration(TimePoint.BASELINE, {"down": D(30), "up": None}),
            administration(TimePoint.END, {"down": None, "up": D(50)}),
            administration(TimePoint.FOLLOW_UP, {"down": D(12), "up": D(52)}),
        ],
        instruments=TOYS,
    )
    down, up, _ = toy.scales
    assert [row.value_text for row in down.rows] == ["30", "Incomplete", "12"]
    assert down.rows[1].is_incomplete
    assert [c.post.time_point for c in down.comparisons] == [TimePoint.FOLLOW_UP]
    # No complete baseline: nothing to compare with.
    assert up.comparisons == ()
    assert up.change_note.startswith("Reliable change needs a complete baseline score")
    assert up.sem_text == "1.20"  # the parameters are still shown


def test_the_latest_version_of_a_time_point_is_used() -> None:
    [toy] = build_results(
        [
            administration(TimePoint.BASELINE, {"down": D(40)}, number=1),
            administration(TimePoint.BASELINE, {"down": D(30)}, number=2),
            administration(TimePoint.END, {"down": D(12)}),
        ],
        instruments=TOYS,
    )
    down = toy.scales[0]
    assert [(row.value, row.is_correction) for row in down.rows] == [
        (D(30), True),
        (D(12), False),
    ]


def test_notes_say_how_a_score_was_made_and_whether_it_is_a_correction() -> None:
    recorded = CompletedAdministration(
        public_id=uuid4(),
        instrument_code="toy",
        time_point=TimePoint.BASELINE,
        completed_on=BASELINE_ON,
        number=3,
        scores={"down": RecordedScore("down", D(12), prorated=True)},
    )
    [toy] = build_results([recorded], instruments=TOYS)
    down, up, _ = toy.scales
    assert down.rows[0].notes_text == "Prorated. Corrected (version 3)."
    # A scale the administration has no row for (e.g. added to the definition later).
    assert (up.rows[0].value_text, up.rows[0].notes_text) == (
        "Incomplete",
        "Not scored. Corrected (version 3).",
    )


def test_instruments_about_a_child_are_grouped_per_child() -> None:
    zoe, adam = ChildRef(uuid4(), "Zoe Example"), ChildRef(uuid4(), "Adam Example")
    results = build_results(
        [
            administration(TimePoint.BASELINE, {"down": D(30)}, child=zoe),
            administration(TimePoint.BASELINE, {"down": D(25)}, child=adam),
            administration(TimePoint.END, {"down": D(10)}, child=zoe),
        ],
        instruments=TOYS,
    )
    assert [(r.heading, len(r.administrations)) for r in results] == [
        ("Toy about Adam Example", 1),
        ("Toy about Zoe Example", 2),
    ]
    assert results[1].scales[0].comparisons[0].rci_text == "-2.83"  # (10 - 30) / 7.0710678
    assert results[0].anchor != results[1].anchor


def test_an_optional_score_never_given_is_left_out() -> None:
    impact = dataclasses.replace(BARE, code="impact", name="Impact", optional=True)
    toy = dataclasses.replace(TOY, scales=(DOWN, impact))
    [never] = build_results(
        [administration(TimePoint.BASELINE, {"down": D(3), "impact": None})],
        instruments={"toy": toy},
    )
    assert [s.scale.code for s in never.scales] == ["down"]
    [once] = build_results(
        [
            administration(TimePoint.BASELINE, {"down": D(3), "impact": None}),
            administration(TimePoint.END, {"down": D(3), "impact": D(2)}),
        ],
        instruments={"toy": toy},
    )
    assert [[r.value_text for r in s.rows] for s in once.scales] == [
        ["3", "3"],
        ["Incomplete", "2"],
    ]


def test_unknown_instruments_are_left_out() -> None:
    assert (
        build_results(
            [administration(TimePoint.BASELINE, {"down": D(1)}, instrument_code="gone")],
            instruments=TOYS,
        )
        == []
    )


# -- from the database ---------------------------------------------------------------------

# PHQ-9 (its definition): SD 6.2, r .89 (alpha), clinical range 10 or more.
#   SEM    = 6.2 x sqrt(1 - .89) = 6.2 x 0.3316625 = 2.0563074  -> "2.06"
#   S_diff = sqrt(2) x 2.0563074                   = 2.9080578  -> "2.91"
#   1.96 x S_diff                                  = 5.6997932  -> "5.70"


def test_phq9_results_from_completed_administrations(case: Case, alice: User) -> None:
    complete_phq9(case, alice, TimePoint.BASELINE, 15)
    complete_phq9(case, alice, TimePoint.END, 6)
    complete_phq9(case, alice, TimePoint.FOLLOW_UP, 11)
    [phq9] = family_results(case)
    assert phq9.instrument is REGISTRY["phq9"]
    [total] = phq9.scales
    assert [(r.value, r.band_label, r.completed_on) for r in total.rows] == [
        (D(15), "Moderately severe", BASELINE_ON),
        (D(6), "Mild", END_ON),
        (D(11), "Moderate", FOLLOW_UP_ON),
    ]
    assert (total.sem_text, total.s_diff_text, total.minimum_reliable_change_text) == (
        "2.06",
        "2.91",
        "5.70",
    )
    end, follow_up = total.comparisons
    # (6 - 15) / 2.9080578 = -3.0948491: reliable improvement; 15 clinical, 6 not: recovered.
    assert end.rci_text == "-3.09"
    assert end.change.change == Change.RELIABLE_IMPROVEMENT
    assert end.change.clinically_significant is True
    # (11 - 15) / 2.9080578 = -1.3754885: no reliable change.
    assert follow_up.rci_text == "-1.38"
    assert follow_up.change.change == Change.NO_RELIABLE_CHANGE
    assert follow_up.change.clinically_significant is False


def test_in_progress_administrations_are_not_results(case: Case, alice: User) -> None:
    do_start_administration(
        case, instrument_code="phq9", time_point=TimePoint.BASELINE, acting_user=alice
    )
    assert completed_administrations(case) == []
    assert family_results(case) == []


def test_a_correction_replaces_the_version_it_corrects(case: Case, alice: User) -> None:
    first = complete_phq9(case, alice, TimePoint.BASELINE, 20)
    complete_phq9(case, alice, TimePoint.END, 6)
    do_correct_administration(
        first,
        reason="Two answers were typed on the wrong line",
        completed_on=BASELINE_ON,
        answers={1: 0, 2: 0, 3: 1},  # 20 was 3+3+3+3+3+3+2+0; now 0+0+1+3+3+3+2+0 = 12
        expected_version=first.version,
        acting_user=alice,
    )
    first.refresh_from_db()
    assert first.status == AdministrationStatus.SUPERSEDED
    assert [a.number for a in completed_administrations(case)] == [1, 2]  # end, correction
    [phq9] = family_results(case)
    [total] = phq9.scales
    assert [(r.value, r.number) for r in total.rows] == [(D(12), 2), (D(6), 1)]
    assert first.public_id not in {r.administration_id for r in total.rows}
    # (6 - 12) / 2.9080578 = -2.0632327: reliable, from the corrected 12 (not 20).
    assert total.comparisons[0].rci_text == "-2.06"


def test_an_incomplete_phq9_is_shown_and_left_out_of_change(case: Case, alice: User) -> None:
    complete_phq9(case, alice, TimePoint.BASELINE, 15)
    answers = phq9_answers(6)
    answers[7] = answers[8] = None  # PHQ-9 allows one missing item, not two
    complete(case, alice, TimePoint.END, answers=answers)
    [phq9] = family_results(case)
    [total] = phq9.scales
    assert [r.value_text for r in total.rows] == ["15", "Incomplete"]
    assert total.rows[1].note == "2 items missing; at most 1 may be missing."
    assert total.comparisons == ()
    assert total.change_note.startswith("Reliable change needs")


def test_a_prorated_phq9_says_so_and_counts(case: Case, alice: User) -> None:
    complete_phq9(case, alice, TimePoint.BASELINE, 15)
    answers = phq9_answers(6)
    answers[8] = None  # one missing: 6 x 9 / 8 = 6.75, rounded half up to 7
    complete(case, alice, TimePoint.END, answers=answers)
    [phq9] = family_results(case)
    [total] = phq9.scales
    end = total.rows[1]
    assert (end.value_text, end.prorated) == ("7", True)
    assert end.note == "Prorated from 8 of 9 items."
    # (7 - 15) / 2.9080578 = -2.7509770: reliable improvement, and 7 is below 10.
    [change] = total.comparisons
    assert change.rci_text == "-2.75"
    assert change.change.clinically_significant is True


# -- SDQ: per child, with the age form that chose the bands -------------------------------

# SDQ total difficulties (its definition): SD 6.26, r .62 (retest), no cut-off.
#   SEM    = 6.26 x sqrt(1 - .62) = 6.26 x 0.6164414 = 3.8589232  -> "3.86"
#   S_diff = sqrt(2) x 3.8589232                     = 5.4573415  -> "5.46"
#   1.96 x S_diff                                    = 10.6963893 -> "10.70"
YOUNGER_BORN = date(2021, 12, 1)  # 45 months at baseline (2-4 form), 49 at end (4-17 form)


def sdq_entered(emotional: int, conduct: int, hyperactivity: int, peer: int) -> dict[str, str]:
    return {
        "emotional": str(emotional),
        "conduct": str(conduct),
        "hyperactivity": str(hyperactivity),
        "peer": str(peer),
        "prosocial": "7",
    }


def complete_sdq(
    case: Case, user: User, time_point: TimePoint, child: Child, entered: dict[str, str]
) -> Administration:
    return complete(case, user, time_point, instrument_code="sdq", entered=entered, child=child)


def children(case: Case) -> tuple[Child, Child]:
    """The family's older (referred, 6) and younger child."""
    older, younger = case.family.children.order_by("date_of_birth")
    return older, younger


def test_sdq_results_are_per_child_with_the_age_form_used(
    rita: User, bob: User, alice: User
) -> None:
    case = results_case(rita, bob, alice, others=(YOUNGER_BORN,))
    older, younger = children(case)
    complete_sdq(case, alice, TimePoint.BASELINE, older, sdq_entered(6, 5, 7, 2))  # 20
    complete_sdq(case, alice, TimePoint.END, older, sdq_entered(2, 2, 3, 1))  # 8
    complete_sdq(case, alice, TimePoint.BASELINE, younger, sdq_entered(5, 4, 6, 2))  # 17
    complete_sdq(case, alice, TimePoint.END, younger, sdq_entered(5, 3, 6, 2))  # 16
    results = {r.child.public_id: r for r in family_results(case) if r.child is not None}
    assert len(results) == 2
    older_sdq, younger_sdq = results[older.public_id], results[younger.public_id]
    assert older_sdq.heading == f"SDQ about {older.first_name} {older.last_name}"
    older_total = older_sdq.scales[4]
    assert older_total.scale.code == "total"
    assert [(r.value, r.band_label, r.form) for r in older_total.rows] == [
        (D(20), "Abnormal", "4-17"),
        (D(8), "Normal", "4-17"),
    ]
    assert (older_total.sem_text, older_total.s_diff_text) == ("3.86", "5.46")
    assert older_total.minimum_reliable_change_text == "10.70"
    # (8 - 20) / 5.4573415 = -2.1988728: reliable improvement; no cut-off, so no clinical.
    [change] = older_total.comparisons
    assert change.rci_text == "-2.20"
    assert change.change.change == Change.RELIABLE_IMPROVEMENT
    assert change.change.clinically_significant is None
    assert change.clinical_text == ""
    # The younger child turned 4 between baseline and end: 17 is abnormal on the 2-4 form
    # (16 or more), 16 borderline on the 4-17 form (14-16).
    younger_total = younger_sdq.scales[4]
    assert [(r.value, r.band_label, r.form, r.form_text) for r in younger_total.rows] == [
        (D(17), "Abnormal", "2-4", "2-4 form (child aged 3 years 9 months)"),
        (D(16), "Borderline", "4-17", "4-17 form (child aged 4 years 1 month)"),
    ]
    band_set = younger_total.chart_band_set
    assert band_set is not None
    assert band_set.form == "4-17"  # the chart shades the latest score's form
    # (16 - 17) / 5.4573415 = -0.1832394: no reliable change.
    assert younger_total.comparisons[0].rci_text == "-0.18"
    assert younger_total.comparisons[0].verdict == "No reliable change"
    # Scales without parameters say so.
    assert older_sdq.scales[0].change_note == NO_PARAMS


# -- Parenting Scale: scores only, means to two places --------------------------------------

# Parenting Scale total (its definition): SD 0.6, r .84 (retest), no cut-off.
#   SEM    = 0.6 x sqrt(1 - .84) = 0.6 x 0.4 = 0.24       -> "0.24"
#   S_diff = sqrt(2) x 0.24                  = 0.3394113  -> "0.34"
#   1.96 x S_diff                            = 0.6652461  -> "0.67"


def parenting_entered(total: str) -> dict[str, str]:
    return {"laxness": "3.27", "over_reactivity": "4.1", "verbosity": "3.5", "total": total}


def test_parenting_scale_means_and_reliable_change(case: Case, alice: User) -> None:
    complete(
        case,
        alice,
        TimePoint.BASELINE,
        instrument_code="parenting_scale",
        entered=parenting_entered("3.50"),
    )
    complete(
        case,
        alice,
        TimePoint.END,
        instrument_code="parenting_scale",
        entered=parenting_entered("2.8"),
    )
    [parenting] = family_results(case)
    laxness, over_reactivity, _, total = parenting.scales
    assert [r.value_text for r in laxness.rows] == ["3.27", "3.27"]
    assert over_reactivity.rows[0].value_text == "4.10"
    assert laxness.change_note == NO_PARAMS
    assert (total.sem_text, total.s_diff_text, total.minimum_reliable_change_text) == (
        "0.24",
        "0.34",
        "0.67",
    )
    # (2.80 - 3.50) / 0.3394113 = -2.0624231: reliable improvement.
    [change] = total.comparisons
    assert change.difference_text == "-0.70"
    assert change.rci_text == "-2.06"
    assert change.verdict == "Reliable improvement"
