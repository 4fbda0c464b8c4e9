"""The fidelity counts gathered in SQL, judged by the rules, rolled up."""

from datetime import timedelta

import pytest

from ipip.accounts.models import User
from ipip.cases.models import Approach, Case, CaseStatus, ClosureReason
from ipip.dashboard.fidelity import Flag
from ipip.dashboard.queries import case_ids_flagged, facts_of, fidelity_report, with_fidelity
from ipip.dashboard.tests.conftest import NOW, MakeCase, add_cycles, add_sessions, add_visits
from ipip.visits.models import VisitOutcome

pytestmark = pytest.mark.django_db

TP, AWAY, FAM, SVC = (
    VisitOutcome.TOOK_PLACE,
    VisitOutcome.NO_ONE_HOME,
    VisitOutcome.CANCELLED_BY_FAMILY,
    VisitOutcome.CANCELLED_BY_SERVICE,
)


def annotated(case: Case) -> Case:
    return with_fidelity(Case.objects.filter(pk=case.pk)).get()


def test_counts_come_from_the_records(make_case: MakeCase) -> None:
    vig = make_case(Approach.VIG, days_ago=70)
    add_cycles(vig, completed=2, open_=1)
    add_visits(vig, [TP, TP, AWAY, FAM, SVC])
    ptp = make_case(Approach.PTP, days_ago=70)
    add_sessions(ptp, [["anger", "mood"], ["mood", "stress"]])

    vig_facts = facts_of(annotated(vig), NOW)
    assert vig_facts is not None
    assert (vig_facts.days_allocated, vig_facts.vig_cycles_completed) == (70, 2)
    # Missed: no one at home and cancelled by the family, not by the service.
    assert (vig_facts.visits_recorded, vig_facts.visits_took_place, vig_facts.visits_missed) == (
        5,
        2,
        2,
    )
    ptp_facts = facts_of(annotated(ptp), NOW)
    assert ptp_facts is not None
    assert (ptp_facts.ptp_sessions, ptp_facts.ptp_modules_covered) == (2, 3)  # distinct modules


def test_an_unallocated_case_has_no_facts(make_case: MakeCase) -> None:
    case = make_case()
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.ACCEPTED, allocated_at=None, allocated_to=None, approach=""
    )
    assert facts_of(annotated(case), NOW) is None


def test_flagged_ids_and_the_rollup(make_case: MakeCase, bob: User, charlie: User) -> None:
    behind = make_case(Approach.VIG, days_ago=70)  # 2 expected by day 60, 1 done
    add_cycles(behind, completed=1)
    add_visits(behind, [TP])
    on_track = make_case(Approach.VIG, days_ago=70)
    add_cycles(on_track, completed=2)
    add_visits(on_track, [TP, TP, TP, AWAY])
    late = make_case(Approach.PTP, days_ago=100)
    add_sessions(late, [["anger"], ["mood"], ["stress"]])
    add_visits(late, [TP, AWAY, FAM, TP])  # 2 of 4 missed: over a quarter

    qs = Case.objects.all()
    assert set(case_ids_flagged(qs, Flag.UNDER_DOSE, NOW)) == {behind.pk}
    assert set(case_ids_flagged(qs, Flag.BEYOND_WINDOW, NOW)) == {late.pk}
    assert set(case_ids_flagged(qs, Flag.MODULES_NOT_COVERED, NOW)) == {late.pk}
    assert set(case_ids_flagged(qs, Flag.MISSED_VISITS, NOW)) == {late.pk}

    report = fidelity_report(qs, NOW)
    assert report.area.open_cases == 3
    assert report.area.flagged_cases == 2
    assert report.area.flags[Flag.UNDER_DOSE] == 1
    assert report.area.mean_days == 80.0
    assert report.area.mean_cycles == 1.5
    assert report.area.missed_percent == round(100 * 3 / 9)
    assert set(report.by_practitioner) == {behind.allocated_to_id}


def test_a_closed_case_is_judged_only_when_completed(make_case: MakeCase) -> None:
    completed = make_case(Approach.VIG, days_ago=80)
    add_cycles(completed, completed=2)
    withdrew = make_case(Approach.VIG, days_ago=80)
    for case, reason in ((completed, ClosureReason.COMPLETED), (withdrew, ClosureReason.WITHDREW)):
        Case.objects.filter(pk=case.pk).update(
            status=CaseStatus.CLOSED, closure_reason=reason, closed_at=NOW - timedelta(days=1)
        )
    assert case_ids_flagged(Case.objects.all(), Flag.UNDER_DOSE, NOW) == [completed.pk]
    assert fidelity_report(Case.objects.all(), NOW).area.open_cases == 0


def test_the_rollup_is_one_query(make_case: MakeCase, django_assert_num_queries: object) -> None:
    for days in (5, 40, 95):
        case = make_case(Approach.VIG, days_ago=days)
        add_cycles(case, completed=1)
    with django_assert_num_queries(1):  # type: ignore[operator]
        fidelity_report(Case.objects.all(), NOW)
