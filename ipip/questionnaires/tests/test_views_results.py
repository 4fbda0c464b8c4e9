"""The results page: scores, bands, charts, reliable change with its parameters and their
sources, corrections, incomplete scores, the empty state, the audit row, and a fixed number
of queries whatever the number of administrations."""

import dataclasses
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
from ipip.core.testing.clock import frozen_at
from ipip.questionnaires.actions import do_correct_administration
from ipip.questionnaires.instruments import REGISTRY
from ipip.questionnaires.instruments.phq9 import PHQ9
from ipip.questionnaires.models import Administration, TimePoint
from ipip.questionnaires.results import NO_PARAMS
from ipip.questionnaires.tests.test_results import (
    BASELINE_ON,
    NOW,
    YOUNGER_BORN,
    children,
    complete,
    complete_phq9,
    complete_sdq,
    parenting_entered,
    phq9_answers,
    results_case,
    sdq_entered,
)

pytestmark = pytest.mark.django_db

frozen = frozen_at(NOW)

# Session, user, second-factor check, the case (one join), the completed administrations
# (with their child), their scores (one prefetch) and the audit row.
RESULTS_QUERIES = 7

TOTAL = PHQ9.scale("total")


@pytest.fixture
def case(rita: User, bob: User, alice: User) -> Case:
    return results_case(rita, bob, alice)


def results_url(case: Case) -> str:
    return reverse("questionnaires:results", kwargs={"case_id": case.public_id})


def detail_url(administration: Administration) -> str:
    return reverse(
        "questionnaires:detail", args=[administration.case.public_id, administration.public_id]
    )


def page(client: Client, case: Case, user: User) -> str:
    client.force_login(user)
    response = client.get(results_url(case))
    assert response.status_code == 200
    return response.content.decode()


def cells(html: str) -> list[str]:
    """The text of every table cell and row header, in order, tags removed."""
    found = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", html, flags=re.DOTALL)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in found]


def test_results_show_scores_bands_and_reliable_change_with_their_parameters(
    client: Client, case: Case, alice: User
) -> None:
    baseline = complete_phq9(case, alice, TimePoint.BASELINE, 15)
    end = complete_phq9(case, alice, TimePoint.END, 6)
    follow_up = complete_phq9(case, alice, TimePoint.FOLLOW_UP, 11)
    html = page(client, case, alice)
    assert '<h1 class="govuk-heading-xl">Questionnaire results</h1>' in html
    assert "Depression severity" in html
    assert "Lower scores are better." in html
    found = cells(html)
    # The scores table: time point, date, score, band, notes, link.
    start = found.index("Baseline")
    assert found[start : start + 4] == ["Baseline", "15 September 2025", "15", "Moderately severe"]
    start = found.index("End")
    assert found[start : start + 4] == ["End", "15 January 2026", "6", "Mild"]
    start = found.index("Follow-up")
    assert found[start : start + 4] == ["Follow-up", "1 March 2026", "11", "Moderate"]
    for administration in (baseline, end, follow_up):
        assert f'href="{detail_url(administration)}"' in html
    # The parameters and where they come from: SD 6.2, r .89 (alpha).
    params = TOTAL.reliable_change
    cutoff = TOTAL.cutoff
    assert params is not None
    assert cutoff is not None
    assert '<dd class="govuk-summary-list__value">6.2</dd>' in html
    assert "0.89, internal consistency (alpha)" in html
    assert escape(params.source) in html
    assert escape(cutoff.source) in html
    assert "10 or more is in the clinical range" in html
    # SEM = 6.2 x sqrt(.11) = 2.0563 -> 2.06; S_diff = 2.9081 -> 2.91; 1.96 x S_diff -> 5.70.
    for shown in ("2.06", "2.91", "5.70"):
        assert f'<dd class="govuk-summary-list__value">{shown}</dd>' in html
    # Reliable change rows: to end (6 - 15) / 2.9081 = -3.09; to follow-up (11 - 15) / 2.9081
    # = -1.38.
    start = found.index("From baseline to")
    rows = found[start + 6 :]
    assert rows[:6] == [
        "End",
        "15 to 6",
        "-9",
        "-3.09",
        "Reliable improvement",
        "Yes: recovered (reliable improvement from the clinical to the functional range)",
    ]
    assert rows[6:12] == [
        "Follow-up",
        "15 to 11",
        "-4",
        "-1.38",
        "No reliable change",
        "No: no reliable improvement",
    ]
    # One chart, an image with a title and description.
    assert html.count('role="img"') == 1
    assert "PHQ-9, depression severity: score at each time point</title>" in html


def test_viewing_results_is_audited_with_instrument_codes_only(
    client: Client, case: Case, alice: User
) -> None:
    complete_phq9(case, alice, TimePoint.BASELINE, 15)
    page(client, case, alice)
    event = AuditEvent.objects.get(action=Action.QUESTIONNAIRE_RESULTS_VIEWED)
    assert event.actor == alice
    assert event.subject_type == "Case"
    assert event.subject_public_id == case.public_id
    assert event.family_public_id == case.family.public_id
    assert event.data == {"instruments": ["phq9"]}


def test_a_family_with_nothing_completed_sees_a_clear_empty_state(
    client: Client, case: Case, alice: User
) -> None:
    html = page(client, case, alice)
    assert "No questionnaires have been completed for this family yet." in html
    index = reverse("questionnaires:index", kwargs={"case_id": case.public_id})
    assert f'href="{index}"' in html
    assert 'role="img"' not in html
    event = AuditEvent.objects.get(action=Action.QUESTIONNAIRE_RESULTS_VIEWED)
    assert event.data == {"instruments": []}


def test_a_correction_is_shown_instead_of_what_it_corrects(
    client: Client, case: Case, alice: User
) -> None:
    first = complete_phq9(case, alice, TimePoint.BASELINE, 20)
    complete_phq9(case, alice, TimePoint.END, 6)
    correction = do_correct_administration(
        first,
        reason="Answers typed on the wrong line",
        completed_on=BASELINE_ON,
        answers={1: 0, 2: 0, 3: 1},  # 20 becomes 12
        expected_version=first.version,
        acting_user=alice,
    ).administration
    html = page(client, case, alice)
    found = cells(html)
    start = found.index("Baseline")
    assert found[start : start + 5] == [
        "Baseline",
        "15 September 2025",
        "12",
        "Moderate",
        "Corrected (version 2).",
    ]
    assert f'href="{detail_url(correction)}"' in html
    assert f'href="{detail_url(first)}"' not in html
    # (6 - 12) / 2.9081 = -2.06, from the corrected score.
    assert "12 to 6" in found
    assert "20 to 6" not in found
    assert "-2.06" in found


def test_incomplete_scores_show_as_incomplete_and_are_not_compared(
    client: Client, case: Case, alice: User
) -> None:
    complete_phq9(case, alice, TimePoint.BASELINE, 15)
    answers = phq9_answers(6)
    answers[7] = answers[8] = None
    complete(case, alice, TimePoint.END, answers=answers)
    html = page(client, case, alice)
    found = cells(html)
    start = found.index("End")
    assert found[start : start + 5] == [
        "End",
        "15 January 2026",
        "Incomplete",
        "",
        "2 items missing; at most 1 may be missing.",
    ]
    assert "From baseline to" not in found
    assert "Reliable change needs a complete baseline score" in html


def test_prorated_scores_say_so(client: Client, case: Case, alice: User) -> None:
    answers = phq9_answers(6)
    answers[8] = None
    complete(case, alice, TimePoint.BASELINE, answers=answers)
    found = cells(page(client, case, alice))
    start = found.index("Baseline")
    assert found[start + 2 : start + 5] == ["7", "Mild", "Prorated from 8 of 9 items."]


def test_a_scale_without_published_parameters_says_change_is_not_calculated(
    client: Client, case: Case, alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    complete_phq9(case, alice, TimePoint.BASELINE, 15)
    complete_phq9(case, alice, TimePoint.END, 6)
    bare = dataclasses.replace(
        PHQ9, scales=(dataclasses.replace(TOTAL, reliable_change=None, cutoff=None),)
    )
    monkeypatch.setitem(REGISTRY, "phq9", bare)
    html = page(client, case, alice)
    assert escape(NO_PARAMS) in html
    assert "From baseline to" not in cells(html)
    assert "Standard deviation (SD)" not in html


def dass21_answers(value: int) -> dict[int, int | None]:
    return dict.fromkeys(range(1, 22), value)


@pytest.mark.parametrize("several", [False, True], ids=["one", "several"])
def test_results_take_a_fixed_number_of_queries(
    rita: User,
    bob: User,
    client: Client,
    alice: User,
    several: bool,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    case = results_case(rita, bob, alice, others=(YOUNGER_BORN,))
    first = complete_phq9(case, alice, TimePoint.BASELINE, 15)
    if several:
        complete_phq9(case, alice, TimePoint.END, 6)
        complete_phq9(case, alice, TimePoint.FOLLOW_UP, 11)
        do_correct_administration(
            first,
            reason="Typing error",
            completed_on=BASELINE_ON,
            answers={1: 1},
            expected_version=first.version,
            acting_user=alice,
        )
        for child in children(case):
            complete_sdq(case, alice, TimePoint.BASELINE, child, sdq_entered(5, 4, 6, 2))
            complete_sdq(case, alice, TimePoint.END, child, sdq_entered(2, 2, 3, 1))
        for time_point, value in ((TimePoint.BASELINE, 1), (TimePoint.END, 0)):
            complete(
                case, alice, time_point, instrument_code="dass21", answers=dass21_answers(value)
            )
            complete(
                case,
                alice,
                time_point,
                instrument_code="parenting_scale",
                entered=parenting_entered("3.5"),
            )
    expected = 11 if several else 1
    assert Administration.objects.filter(status="completed").count() == expected
    client.force_login(alice)
    with django_assert_num_queries(RESULTS_QUERIES):
        response = client.get(results_url(case))
    assert response.status_code == 200
    # A chart per scale with a score: PHQ-9 1; and SDQ 6 of 7 (impact is not given) for
    # each of 2 children, DASS-21 3 and Parenting Scale 4.
    charts = 1 + (6 * 2 + 3 + 4 if several else 0)
    assert response.content.decode().count('role="img"') == charts


def test_sdq_is_shown_per_child_with_the_age_form_used(
    rita: User, bob: User, client: Client, alice: User
) -> None:
    case = results_case(rita, bob, alice, others=(YOUNGER_BORN,))
    older, younger = children(case)
    complete_sdq(case, alice, TimePoint.BASELINE, older, sdq_entered(6, 5, 7, 2))
    complete_sdq(case, alice, TimePoint.BASELINE, younger, sdq_entered(5, 4, 6, 2))
    complete_sdq(case, alice, TimePoint.END, younger, sdq_entered(5, 3, 6, 2))
    html = page(client, case, alice)
    for child in (older, younger):
        assert escape(f"SDQ about {child.first_name} {child.last_name}") in html
    assert "Bands used" in html
    found = cells(html)
    assert "4-17 form (child aged 6 years 0 months)" in found
    assert "2-4 form (child aged 3 years 9 months)" in found
    assert "4-17 form (child aged 4 years 1 month)" in found
    # The younger child's total: 17 abnormal (2-4 form), then 16 borderline (4-17 form);
    # (16 - 17) / 5.4573 = -0.18, no reliable change.
    assert "17 to 16" in found
    assert "-0.18" in found
    assert "Scored on paper or the owner's tool" in html
    event = AuditEvent.objects.get(action=Action.QUESTIONNAIRE_RESULTS_VIEWED)
    assert event.data == {"instruments": ["sdq"]}


def test_instruments_are_audited_by_code_once_each(
    client: Client, case: Case, alice: User
) -> None:
    complete_phq9(case, alice, TimePoint.BASELINE, 15)
    complete(
        case,
        alice,
        TimePoint.BASELINE,
        instrument_code="parenting_scale",
        entered=parenting_entered("3.5"),
    )
    complete(
        case,
        alice,
        TimePoint.END,
        instrument_code="parenting_scale",
        entered=parenting_entered("2.8"),
    )
    html = page(client, case, alice)
    # Parenting Scale comes before PHQ-9, as in the instrument library.
    assert html.index("Parenting Scale") < html.index("PHQ-9")
    assert "-2.06" in cells(html)  # (2.80 - 3.50) / 0.3394 for the total
    event = AuditEvent.objects.get(action=Action.QUESTIONNAIRE_RESULTS_VIEWED)
    assert event.data == {"instruments": ["parenting_scale", "phq9"]}
