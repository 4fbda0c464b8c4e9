"""`generate_questionnaires`: fake questionnaires that the scoring functions score to what is
stored, at the time points the schedule has opened, and counted the same case by case as the
schedule counts them."""

from collections import Counter, defaultdict
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone
from pytest_django.fixtures import Settings

from ipip.accounts.models import Role, User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.cases.management.commands.generate_families import SERVICE_MONTHS, add_months
from ipip.cases.models import Case, CaseStatus
from ipip.core.dates import whole_months_between
from ipip.questionnaires.instruments import get_instrument
from ipip.questionnaires.instruments.base import LicenceMode
from ipip.questionnaires.instruments.scoring import (
    Scored,
    parse_entered,
    score_entered,
    score_items,
    validate_answers,
)
from ipip.questionnaires.models import (
    Administration,
    AdministrationStatus,
    RiskFlag,
    ScaleScore,
    TimePoint,
)
from ipip.questionnaires.queries import (
    case_dates,
    case_ids_with,
    counts_in_play,
    in_play,
    load_plan,
    schedule_annotations,
    schedules_for,
)
from ipip.questionnaires.schedule import COUNTED, Counts, Point, windows_for
from ipip.questionnaires.tests.test_queries import default_schedule
from ipip.referrals.models import Referral
from ipip.safeguarding.models import Alert, AlertKind

pytestmark = pytest.mark.django_db

schedule = default_schedule()

FAMILIES = 300
SEED = 1
MODELS: tuple[Any, ...] = (Administration, ScaleScore, RiskFlag, Alert)


def families(count: int = FAMILIES) -> None:
    start = add_months(timezone.localdate(), -SERVICE_MONTHS)
    call_command(
        "generate_families", str(count), "--seed", str(SEED), "--start", start.isoformat(),
        stdout=StringIO(),
    )  # fmt: skip
    call_command("generate_delivery", "--seed", str(SEED), stdout=StringIO())


def generate(seed: int = SEED, *extra: str) -> str:
    out = StringIO()
    call_command("generate_questionnaires", "--seed", str(seed), *extra, stdout=out)
    return out.getvalue()


@pytest.fixture
def generated() -> str:
    # A national lead: she sees the alerts where no manager is on record.
    User.objects.create(email="lead@example.com", role=Role.NATIONAL_LEAD)
    families()
    return generate()


def today() -> date:
    return timezone.localdate()


def completed() -> list[Administration]:
    return list(
        Administration.objects.filter(status=AdministrationStatus.COMPLETED)
        .select_related("case", "child")
        .prefetch_related("scores", "risk_flags__alert")
        .order_by("pk")
    )


def rescore(administration: Administration) -> Scored:
    instrument = get_instrument(administration.instrument_code)
    age = administration.child_age_months
    if instrument.licence == LicenceMode.ITEMS:
        answers = {int(n): raw for n, raw in administration.answers.items()}
        return score_items(instrument, answers, age_months=age)
    values = {code: Decimal(text) for code, text in administration.entered.items()}
    return score_entered(instrument, values, age_months=age)


# --- What is written ---------------------------------------------------------------------


def test_scores_and_risks_are_what_the_scoring_functions_give(generated: str) -> None:
    assert "rows a second" in generated
    found = completed()
    assert len(found) > 300
    for administration in found:
        scored = rescore(administration)
        stored = {s.scale_code: s for s in administration.scores.all()}
        assert list(stored) == [r.code for r in scored.scales]
        for result in scored.scales:
            row = stored[result.code]
            assert row.value == result.value, (administration.pk, result.code)
            assert row.band_code == (result.band.code if result.band else "")
            assert row.band_label == (result.band.label if result.band else "")
            assert (row.form, row.prorated) == (result.form, result.prorated)
            assert (row.answered, row.missing) == (result.answered, result.missing)
        flags = list(administration.risk_flags.all())
        assert sorted(f.code for f in flags) == sorted(r.code for r in scored.risks)
        for flag in flags:
            alert = flag.alert
            assert alert is not None and alert.kind == AlertKind.QUESTIONNAIRE_RISK
            assert alert.case_id == administration.case_id
            assert alert.area_id == administration.case.area_id
            assert alert.for_user_id == administration.case.allocated_to_id
            assert flag.message in alert.message
    # Nothing scored for a questionnaire still in progress.
    assert not ScaleScore.objects.exclude(
        administration__status=AdministrationStatus.COMPLETED
    ).exists()
    assert not RiskFlag.objects.exclude(
        administration__status=AdministrationStatus.COMPLETED
    ).exists()
    assert Alert.objects.filter(kind=AlertKind.QUESTIONNAIRE_RISK).count() == (
        RiskFlag.objects.count()
    )


def test_answers_are_valid_and_a_childs_bands_follow_its_age(generated: str) -> None:
    referred = dict(Referral.objects.values_list("case_id", "referred_child_id"))
    forms: Counter[str] = Counter()
    for administration in Administration.objects.select_related("child").order_by("pk"):
        instrument = get_instrument(administration.instrument_code)
        assert administration.instrument_version == instrument.version
        if instrument.licence == LicenceMode.ITEMS:
            assert not administration.entered
            validate_answers(instrument, {int(n): v for n, v in administration.answers.items()})
        else:
            assert not administration.answers
            values = parse_entered(instrument, administration.entered)  # raises if not valid
            assert {k: str(v) for k, v in values.items()} == administration.entered
        child = administration.child
        if not instrument.about_child:
            assert child is None and administration.child_age_months is None
            continue
        assert child is not None and child.date_of_birth is not None
        assert child.pk == referred[administration.case_id]
        if administration.status != AdministrationStatus.COMPLETED:
            continue
        assert administration.completed_on is not None
        age = whole_months_between(child.date_of_birth, administration.completed_on)
        assert administration.child_age_months == age
        assert instrument.child_age_months is not None
        low, high = instrument.child_age_months
        assert low <= age < high
        if instrument.code == "sdq":
            form = administration.scores.get(scale_code="total").form
            assert form == ("2-4" if age < 48 else "4-17")
            forms[form] += 1
    assert forms["4-17"] > 0


def test_time_points_keep_their_windows(generated: str) -> None:
    plan = load_plan()
    scheduled = {point.value: {i.code for i in plan.instruments[point]} for point in Point}
    cases = {
        c.pk: c
        for c in Case.objects.annotate(**schedule_annotations()).filter(
            administrations__isnull=False
        )
    }
    by_point: Counter[str] = Counter()
    for administration in Administration.objects.order_by("pk"):
        case = cases[administration.case_id]
        assert case.status in (CaseStatus.ALLOCATED, CaseStatus.ACTIVE, CaseStatus.CLOSED)
        code, point = administration.instrument_code, administration.time_point
        assert code in scheduled[point] or (code == "phq9" and point != TimePoint.FOLLOW_UP)
        window = windows_for(case_dates(case), plan.windows)[Point(point)]
        assert window is not None and window.opens_on is not None, administration.pk
        if point != TimePoint.BASELINE:
            # No end nor follow-up for a case still open.
            assert case.closed_at is not None
        on = administration.completed_on
        if on is None:
            continue
        by_point[point] += 1
        assert on <= today()
        assert on >= window.opens_on
        assert window.closes_on is None or on <= window.closes_on
        if point == TimePoint.END:
            assert on >= timezone.localdate(case.closed_at) - timedelta(days=14)
    assert by_point[TimePoint.BASELINE] > by_point[TimePoint.END] > by_point[TimePoint.FOLLOW_UP]
    assert by_point[TimePoint.FOLLOW_UP] > 0


def test_scores_spread_over_the_bands_and_mostly_improve(generated: str) -> None:
    bands = defaultdict(set)
    for code, scale, band in ScaleScore.objects.values_list(
        "administration__instrument_code", "scale_code", "band_code"
    ):
        bands[(code, scale)].add(band)
    assert {"normal", "borderline", "abnormal"} <= bands[("sdq", "total")]
    assert {"normal", "mild", "moderate", "severe"} <= bands[("dass21", "depression")]
    # SDQ total difficulties from baseline to end, per case.
    totals: dict[tuple[int, str], Decimal | None] = {}
    for case_id, point, value in ScaleScore.objects.filter(
        administration__instrument_code="sdq", scale_code="total", value__isnull=False
    ).values_list("administration__case_id", "administration__time_point", "value"):
        totals[(case_id, point)] = value
    pairs = [
        (before, after)
        for (case_id, point), before in totals.items()
        if point == "baseline"
        and before is not None
        and (after := totals.get((case_id, "end"))) is not None
    ]
    assert len(pairs) > 20
    improved = sum(after < before for before, after in pairs)
    assert improved > len(pairs) / 2
    assert improved < len(pairs)  # not every family


def test_some_are_in_progress_or_missed_and_few_raise_a_risk(generated: str) -> None:
    assert Administration.objects.filter(status=AdministrationStatus.IN_PROGRESS).exists()
    counts = counts_in_play(Case.objects.all(), plan=load_plan(), today=today())
    assert counts.missed > 0 and counts.due > 0
    given = Administration.objects.filter(status=AdministrationStatus.COMPLETED)
    assert 0 < RiskFlag.objects.count() < given.count() / 10
    phq9 = given.filter(instrument_code="phq9")
    assert phq9.exists()
    item_9 = [a.answers.get("9", 0) for a in phq9]
    assert sum(raw > 0 for raw in item_9) <= max(2, len(item_9) // 5)
    # Prorated scores from an item or two the parent left out.
    assert ScaleScore.objects.filter(prorated=True).exists()


# --- The counts, without building the schedule, match the schedule ------------------------


@pytest.mark.parametrize("days_on", [0, 45, 200])
def test_counts_match_the_schedule_case_by_case(generated: str, days_on: int) -> None:
    """The dashboard's counts and the case list's filter judge the cases in one query without
    building each schedule; on the generated cases they agree with `case_schedule`."""
    on = today() + timedelta(days=days_on)
    plan = load_plan()
    cases = list(Case.objects.annotate(**schedule_annotations()).order_by("pk"))
    schedules = schedules_for(cases, plan=plan, today=on)
    expected = {
        case.pk: schedules[case.pk].counts
        for case in cases
        if in_play(case_dates(case), plan=plan, today=on)
    }
    total = sum(expected.values(), Counts())
    assert total.total > 0
    assert counts_in_play(Case.objects.all(), plan=plan, today=on) == total
    for status in COUNTED:
        wanted = {pk for pk, counts in expected.items() if counts.of(status)}
        assert set(case_ids_with(Case.objects.all(), status, plan=plan, today=on)) == wanted


# --- Runs --------------------------------------------------------------------------------


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    return {
        "administrations": list(
            Administration.objects.order_by("case_id", "time_point", "instrument_code").values_list(
                "case_id", "child_id", "instrument_code", "time_point", "status", "answers",
                "entered", "completed_on", "child_age_months", "administered_by_id",
            )
        ),
        "scores": list(
            ScaleScore.objects.order_by(
                "administration__case_id", "administration__time_point",
                "administration__instrument_code", "scale_code",
            ).values_list("scale_code", "value", "band_code", "form", "prorated")
        ),
        "flags": list(
            RiskFlag.objects.order_by("administration__case_id", "code").values_list(
                "administration__case_id", "code", "alert__raised_at", "alert__acknowledged_at"
            )
        ),
    }  # fmt: skip


def run_and_roll_back(seed: int = SEED, *extra: str) -> dict[str, list[tuple[Any, ...]]]:
    with transaction.atomic():
        generate(seed, *extra)
        found = snapshot()
        transaction.set_rollback(True)
    return found


def test_the_same_seed_gives_the_same_records_whatever_the_chunk_size() -> None:
    families(120)
    first = run_and_roll_back()
    assert first["administrations"] and first["scores"]
    assert not Administration.objects.exists()
    assert run_and_roll_back(SEED, "--chunk-size", "7") == first
    assert run_and_roll_back(SEED + 1)["administrations"] != first["administrations"]


def test_running_again_adds_nothing(generated: str) -> None:
    before = {m._meta.label: m.objects.count() for m in MODELS}
    events = AuditEvent.objects.count()
    out = generate(SEED)
    assert {m._meta.label: m.objects.count() for m in MODELS} == before
    assert AuditEvent.objects.count() == events
    assert "for 0 cases" in out


def test_records_one_summary_event_and_no_other(generated: str) -> None:
    events = AuditEvent.objects.filter(action=Action.DATA_GENERATED).order_by("pk")
    assert events.count() == 3  # the families, the delivery, then the questionnaires
    summary = events.last()
    assert summary is not None and summary.actor is None
    assert isinstance(summary.data, dict)
    assert summary.data["seed"] == SEED
    given = Administration.objects.values("case").distinct().count()
    assert summary.data["questionnaire_cases"] == given
    rows = sum(m.objects.count() for m in MODELS)
    rows -= Alert.objects.exclude(kind=AlertKind.QUESTIONNAIRE_RISK).count()
    assert summary.data["questionnaire_rows"] == rows
    assert not AuditEvent.objects.exclude(action=Action.DATA_GENERATED).exists()


def test_leaves_alone_a_case_that_has_a_questionnaire() -> None:
    families(120)
    case = Case.objects.filter(status=CaseStatus.ACTIVE).order_by("pk").first()
    assert case is not None and case.allocated_to is not None
    started = Administration.objects.create(
        case=case,
        instrument_code="phq9",
        instrument_version="1",
        time_point=TimePoint.BASELINE,
        administered_by=case.allocated_to,
    )
    generate()
    assert list(Administration.objects.filter(case=case)) == [started]
    assert Administration.objects.exclude(case=case).exists()


def test_nothing_for_a_case_not_allocated(generated: str) -> None:
    waiting = Case.objects.filter(allocated_at__isnull=True)
    assert waiting.exists()
    assert not Administration.objects.filter(case__in=waiting).exists()
    assert not Administration.objects.filter(
        child__date_of_birth=None, child__isnull=False
    ).exists()


def test_refuses_outside_the_demo_tests_and_debug(settings: Settings) -> None:
    settings.DEBUG = settings.IPIP_DEMO = settings.TESTING = False
    with pytest.raises(CommandError, match="IPIP_DEMO"):
        generate()


def test_refuses_a_chunk_size_below_one() -> None:
    with pytest.raises(CommandError, match="chunk size"):
        generate(SEED, "--chunk-size", "0")


def test_seed_demo_data_generates_questionnaires(settings: Settings) -> None:
    settings.IPIP_DEMO = True
    call_command("seed_demo_data", "--families", "60", stdout=StringIO())
    assert ScaleScore.objects.exists()
    rows = {m._meta.label: m.objects.count() for m in MODELS}
    call_command("seed_demo_data", "--families", "60", stdout=StringIO())
    assert {m._meta.label: m.objects.count() for m in MODELS} == rows
