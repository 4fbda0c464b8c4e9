"""`generate_delivery`: fake delivery records that keep every rule the actions keep."""

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from io import StringIO
from itertools import pairwise
from typing import Any
from uuid import UUID

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Count, Max, Min
from django.utils import timezone
from pytest_django.fixtures import Settings

from ipip.accounts.models import Role, User
from ipip.allocation.models import AllocationRecord, Capacity
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.cases.management.commands.generate_families import SERVICE_MONTHS, add_months
from ipip.cases.models import Approach, Carer, Case, CaseStatus, Child
from ipip.consent.models import ConsentDecision, ConsentRecord, Purpose
from ipip.consent.queries import consent_state
from ipip.consent.rules import State
from ipip.dashboard.queries import fidelity_report
from ipip.goals.models import RATING_MAX, RATING_MIN, Goal, GoalRating, Occasion
from ipip.ptp.models import HomeworkReview, PtpSession, SessionModule, SessionPlan
from ipip.ptp.rules import PLANNED_SESSIONS_MAX, PLANNED_SESSIONS_MIN
from ipip.safeguarding.models import (
    ENDS_ELIGIBILITY,
    Alert,
    Concern,
    ConcernStatus,
    Escalation,
    EscalationOutcome,
)
from ipip.vig.models import Clip, Filming, SharedReview, VigCycle
from ipip.vig.principles import check_selection
from ipip.vig.rules import FILM_MAX_SECONDS
from ipip.visits.models import PLANNED_MINUTES_MAX, PLANNED_MINUTES_MIN, Visit, VisitOutcome

pytestmark = pytest.mark.django_db

# Enough families for a dozen or more open cases; the service period ends today, as the demo's.
FAMILIES = 300
SEED = 1
DELIVERED = (CaseStatus.ALLOCATED, CaseStatus.ACTIVE, CaseStatus.CLOSED)
DELIVERY_MODELS: tuple[Any, ...] = (
    AllocationRecord, ConsentRecord, Visit, Goal, GoalRating, VigCycle, Filming, Clip,
    SharedReview, SessionPlan, PtpSession, SessionModule, Concern, Escalation, Alert, Capacity,
)  # fmt: skip


def families(count: int = FAMILIES, seed: int = SEED) -> None:
    start = add_months(timezone.localdate(), -SERVICE_MONTHS)
    call_command(
        "generate_families",
        str(count),
        "--seed",
        str(seed),
        "--start",
        start.isoformat(),
        stdout=StringIO(),
    )


def deliver(seed: int = SEED, *extra: str) -> str:
    out = StringIO()
    call_command("generate_delivery", "--seed", str(seed), *extra, stdout=out)
    return out.getvalue()


@pytest.fixture
def delivered() -> str:
    # A national lead: she sets the capacities and sees the alerts where no manager is on record.
    User.objects.create(email="lead@example.com", role=Role.NATIONAL_LEAD)
    families()
    return deliver()


def delivered_cases() -> Iterator[Case]:
    return iter(
        Case.objects.filter(status__in=DELIVERED, allocated_at__isnull=False).order_by("pk")
    )


def counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in DELIVERY_MODELS}


def today() -> date:
    return timezone.localdate()


# --- What is written ---------------------------------------------------------------------


def test_every_allocated_case_has_its_history_and_visits(delivered: str) -> None:
    assert "rows a second" in delivered
    for case in delivered_cases():
        history = list(AllocationRecord.objects.filter(case=case).order_by("allocated_at"))
        assert history, case
        assert history[0].allocated_at == case.allocated_at
        assert history[-1].practitioner_id == case.allocated_to_id
        assert all(r.approach == case.approach for r in history)
        for before, after in pairwise(history):
            assert before.ended_at == after.allocated_at and after.reason
        if case.status == CaseStatus.CLOSED:
            assert history[-1].ended_at == case.closed_at
        else:
            assert history[-1].ended_at is None
        assert Visit.objects.filter(case=case).exists()
    accepted = Case.objects.filter(status=CaseStatus.ACCEPTED)
    assert not Visit.objects.filter(case__in=accepted).exists()
    assert not AllocationRecord.objects.filter(case__in=accepted).exists()


def test_every_kind_of_record_is_written(delivered: str) -> None:
    for model in DELIVERY_MODELS:
        assert model.objects.exists(), model
    outcomes = set(Visit.objects.values_list("outcome", flat=True))
    assert outcomes == {"", *VisitOutcome.values}
    assert (
        Clip.objects.filter(removed_at__isnull=False).exists()
        or ConsentRecord.objects.filter(decision=ConsentDecision.WITHDRAWN).exists()
    )


def test_visits_keep_their_rules(delivered: str) -> None:
    now = timezone.now()
    visits = Visit.objects.select_related("case").prefetch_related(
        "present_carers", "present_children"
    )
    planned_ahead = 0
    for visit in visits:
        case = visit.case
        assert PLANNED_MINUTES_MIN <= visit.planned_minutes <= PLANNED_MINUTES_MAX
        assert case.allocated_at is not None and visit.scheduled_at > case.allocated_at
        present: list[Carer | Child] = [*visit.present_carers.all(), *visit.present_children.all()]
        assert all(p.family_id == case.family_id for p in present)
        if visit.outcome == VisitOutcome.TOOK_PLACE:
            assert visit.actual_minutes and present
        else:
            assert visit.actual_minutes is None and not present
        if visit.outcome:
            assert visit.scheduled_at <= now and visit.recorded_at is not None
            assert visit.recorded_at <= now and visit.recorded_by_id is not None
            assert visit.version == 2
        else:
            assert case.status != CaseStatus.CLOSED  # a closed case has nothing planned
            if visit.scheduled_at > now:
                assert visit.scheduled_at.date() <= today() + timedelta(days=15)
                planned_ahead += 1
        if case.closed_at is not None:
            assert visit.scheduled_at < case.closed_at
    assert planned_ahead


def test_consent_keeps_its_rules(delivered: str) -> None:
    by_case: dict[tuple[int, str], list[ConsentRecord]] = defaultdict(list)
    for consent in ConsentRecord.objects.select_related("case", "given_by").order_by(
        "decided_on", "id"
    ):
        by_case[(consent.case_id, consent.purpose)].append(consent)
        assert consent.given_by.family_id == consent.case.family_id
        assert consent.decided_on <= today()
        if consent.case.closed_at is not None:
            assert consent.decided_on <= timezone.localdate(consent.case.closed_at)
    for decisions in by_case.values():
        # Given first, then alternating: never given twice, never withdrawn before given.
        expected = [ConsentDecision.GIVEN, ConsentDecision.WITHDRAWN] * len(decisions)
        assert [d.decision for d in decisions] == expected[: len(decisions)]
    purposes = {purpose for _, purpose in by_case}
    assert purposes == set(Purpose.values)
    # Most families give consent to the service; a few are not asked about research.
    active = Case.objects.filter(status=CaseStatus.ACTIVE)
    assert ConsentRecord.objects.filter(case__in=active, purpose=Purpose.SERVICE).exists()


def test_vig_keeps_its_rules(delivered: str) -> None:
    cycles = VigCycle.objects.select_related("case").order_by("case_id", "number")
    assert cycles.exists()
    previous: VigCycle | None = None
    for cycle in cycles:
        case = cycle.case
        assert case.approach == Approach.VIG
        if previous is not None and previous.case_id == case.pk:
            assert cycle.number == previous.number + 1
            assert previous.completed_on is not None and cycle.started_on >= previous.completed_on
        else:
            assert cycle.number == 1
        assert cycle.started_on <= today()
        filmings = list(cycle.filmings.all())
        review = SharedReview.objects.filter(cycle=cycle).first()
        assert (review is not None) == cycle.is_complete
        if review is not None:
            assert review.reviewed_on == cycle.completed_on
            assert filmings and review.reviewed_on >= max(f.filmed_on for f in filmings)
            assert review.parent_reflections and review.celebrated
        goals = list(cycle.goals.all())
        assert all(g.case_id == case.pk and g.set_on <= cycle.started_on for g in goals)
        previous = cycle


def test_filmings_and_clips_keep_their_rules(delivered: str) -> None:
    filmings = Filming.objects.select_related("cycle__case").prefetch_related(
        "filmed_carers", "filmed_children", "clips"
    )
    assert filmings.exists()
    for filming in filmings:
        case = filming.cycle.case
        assert filming.cycle.started_on <= filming.filmed_on <= today()
        assert 1 <= filming.length_seconds <= FILM_MAX_SECONDS
        assert 7 * 60 < filming.length_seconds < 15 * 60  # about ten minutes
        assert consent_state(case, filming.filmed_on)[Purpose.FILMING] == State.GIVEN
        carers, children = list(filming.filmed_carers.all()), list(filming.filmed_children.all())
        assert carers and children
        assert all(p.family_id == case.family_id for p in carers)
        assert all(p.family_id == case.family_id for p in children)
        clips = list(filming.clips.all())
        assert not clips or 2 <= len(clips) <= 4
        if clips:
            state = consent_state(case, filming.filmed_on)
            assert state[Purpose.CLIP_RETENTION] != State.WITHDRAWN
        for clip in clips:
            assert 0 <= clip.start_seconds < clip.end_seconds <= filming.length_seconds
            assert check_selection(clip.principles, clip.elements) == (
                clip.principles,
                clip.elements,
            )
            if clip.removed_at is not None:
                assert clip.removed_by_id is not None
                gone = consent_state(case, timezone.localdate(clip.removed_at))
                assert State.WITHDRAWN in (gone[Purpose.FILMING], gone[Purpose.CLIP_RETENTION])


def test_ptp_keeps_its_rules(delivered: str) -> None:
    plans = SessionPlan.objects.select_related("case")
    assert plans.exists()
    for plan in plans:
        assert plan.case.approach == Approach.PTP
        assert PLANNED_SESSIONS_MIN <= plan.planned_sessions <= PLANNED_SESSIONS_MAX
        plan.check_modules()
        sessions = list(PtpSession.objects.filter(case=plan.case).order_by("number"))
        assert len(sessions) <= plan.planned_sessions
        assert [s.number for s in sessions] == list(range(1, len(sessions) + 1))
        dates = [s.held_on for s in sessions]
        assert dates == sorted(dates) and all(d <= today() for d in dates)
        assert not sessions or sessions[0].held_on >= plan.starts_on
        if sessions:
            assert sessions[0].homework_review == HomeworkReview.NONE_SET
    assert not PtpSession.objects.exclude(case__approach=Approach.PTP).exists()
    assert not PtpSession.objects.filter(minutes__lt=60).exists()
    assert not PtpSession.objects.filter(minutes__gt=90).exists()
    assert not PtpSession.objects.annotate(n=Count("modules_covered")).filter(n=0).exists()
    modules = set(SessionModule.objects.values_list("module", flat=True))
    assert len(modules) == 5


def test_goals_and_ratings_keep_their_rules(delivered: str) -> None:
    per_case = Goal.objects.values("case").annotate(n=Count("pk"))
    assert {row["n"] for row in per_case} <= {1, 2, 3}
    sources: dict[str, dict[UUID, date | None]] = {
        Occasion.VIG_REVIEW: dict(
            VigCycle.objects.filter(completed_on__isnull=False).values_list(
                "public_id", "completed_on"
            )
        ),
        Occasion.PTP_SESSION: dict(PtpSession.objects.values_list("public_id", "held_on")),
    }
    first_now, last_now = [], []
    for goal in Goal.objects.prefetch_related("ratings"):
        ratings = sorted(goal.ratings.all(), key=lambda r: (r.rated_on, r.pk))
        assert ratings[0].occasion == Occasion.SET and ratings[0].rated_on == goal.set_on
        for rating in ratings:
            assert RATING_MIN <= rating.now <= RATING_MAX
            assert RATING_MIN <= rating.hoped <= RATING_MAX
            assert rating.rated_on >= goal.set_on and rating.rated_on <= today()
            if rating.occasion in sources:
                assert rating.source_public_id is not None
                assert sources[rating.occasion][rating.source_public_id] == rating.rated_on
            else:
                assert rating.source_public_id is None
        if len(ratings) > 1:
            first_now.append(ratings[0].now)
            last_now.append(ratings[-1].now)
    assert sum(last_now) / len(last_now) > sum(first_now) / len(first_now) + 1  # progress


def test_safeguarding_keeps_its_rules(delivered: str) -> None:
    concerns = Concern.objects.select_related("case").prefetch_related("children", "escalations")
    assert concerns.exists()
    for concern in concerns:
        case = concern.case
        assert concern.raised_on <= today()
        assert concern.children.exists()
        assert all(c.family_id == case.family_id for c in concern.children.all())
        escalations = list(concern.escalations.all())
        assert (concern.status == ConcernStatus.ESCALATED) == bool(escalations)
        for escalation in escalations:
            assert escalation.escalated_on >= concern.raised_on
            if escalation.outcome_on is not None:
                assert escalation.outcome_on <= today()
            if escalation.outcome in ENDS_ELIGIBILITY:
                assert case.status == CaseStatus.CLOSED  # the outcome ended the case
    assert Escalation.objects.exclude(outcome=EscalationOutcome.AWAITING).exists()
    managers = set(
        User.objects.filter(role__in=[Role.CENTRE_MANAGER, Role.NATIONAL_LEAD]).values_list(
            "pk", flat=True
        )
    )
    for alert in Alert.objects.select_related("case"):
        assert alert.area_id == alert.case.area_id
        assert alert.raised_at <= timezone.now()
        if alert.acknowledged_by_id is not None:
            assert alert.acknowledged_by_id in managers
            assert alert.acknowledged_at is not None and alert.acknowledged_at > alert.raised_at


def test_some_but_not_all_open_cases_are_flagged(delivered: str) -> None:
    report = fidelity_report(Case.objects.all(), timezone.now())
    assert report.area.open_cases >= 5
    assert 0 < report.area.flagged_cases < report.area.open_cases
    assert report.area.flagged_cases <= report.area.open_cases / 2  # some, not most


# --- How it runs --------------------------------------------------------------------------


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """The generated records by content (ids and public ids are not compared)."""
    shapes: dict[str, tuple[Any, tuple[str, ...]]] = {
        "allocations": (AllocationRecord, ("case", "practitioner", "allocated_at", "ended_at")),
        "consents": (ConsentRecord, ("case", "purpose", "decision", "decided_on", "given_by")),
        "visits": (Visit, ("case", "scheduled_at", "outcome", "actual_minutes")),
        "goals": (Goal, ("case", "text", "set_on", "status")),
        "ratings": (GoalRating, ("goal__case", "goal__text", "rated_on", "now", "hoped")),
        "cycles": (VigCycle, ("case", "number", "started_on", "completed_on")),
        "filmings": (Filming, ("cycle__case", "cycle__number", "filmed_on", "length_seconds")),
        "clips": (Clip, ("filming__cycle__case", "start_seconds", "end_seconds", "principles")),
        "sessions": (PtpSession, ("case", "number", "held_on", "minutes", "homework_review")),
        "modules": (SessionModule, ("session__case", "session__number", "module")),
        "concerns": (Concern, ("case", "raised_on", "status", "closed_on")),
        "escalations": (Escalation, ("concern__case", "escalated_on", "outcome", "outcome_on")),
        "alerts": (Alert, ("case", "kind", "raised_at", "acknowledged_at")),
    }
    return {
        name: sorted(model.objects.values_list(*fields), key=repr)
        for name, (model, fields) in shapes.items()
    }


def run_and_roll_back(*extra: str) -> dict[str, list[tuple[Any, ...]]]:
    with transaction.atomic():
        deliver(SEED, *extra)
        found = snapshot()
        transaction.set_rollback(True)
    return found


def test_the_same_seed_gives_the_same_records_whatever_the_chunk_size() -> None:
    families()
    first = run_and_roll_back()
    assert not Visit.objects.exists()
    again = run_and_roll_back("--chunk-size", "7")
    assert first == again
    assert first["visits"]
    other = run_and_roll_back()
    assert other == first
    with transaction.atomic():
        deliver(SEED + 1)
        assert snapshot()["visits"] != first["visits"]
        transaction.set_rollback(True)


def test_running_again_adds_nothing(delivered: str) -> None:
    before = counts()
    events = AuditEvent.objects.count()
    out = deliver(SEED)
    assert counts() == before
    assert AuditEvent.objects.count() == events
    assert "for 0 cases" in out


def test_records_one_summary_event_and_no_other(delivered: str) -> None:
    events = AuditEvent.objects.filter(action=Action.DATA_GENERATED).order_by("pk")
    assert events.count() == 2  # the families, then the delivery
    summary = events.last()
    assert summary is not None and summary.actor is None
    assert isinstance(summary.data, dict)
    assert summary.data["seed"] == SEED
    assert summary.data["delivery_cases"] == len(list(delivered_cases()))
    assert summary.data["delivery_rows"] > 0
    assert not AuditEvent.objects.exclude(action=Action.DATA_GENERATED).exists()


def test_leaves_alone_a_case_that_has_delivery_records() -> None:
    families()
    case = Case.objects.filter(status=CaseStatus.ACTIVE).order_by("pk").first()
    assert case is not None
    visit = Visit.objects.create(case=case, scheduled_at=timezone.now(), planned_minutes=60)
    deliver()
    assert list(Visit.objects.filter(case=case)) == [visit]
    assert not ConsentRecord.objects.filter(case=case).exists()
    assert Visit.objects.exclude(case=case).exists()


def test_dates_never_pass_today_except_planned_visits(delivered: str) -> None:
    latest = [
        ConsentRecord.objects.aggregate(d=Max("decided_on"))["d"],
        Goal.objects.aggregate(d=Max("set_on"))["d"],
        GoalRating.objects.aggregate(d=Max("rated_on"))["d"],
        VigCycle.objects.aggregate(d=Max("completed_on"))["d"],
        Filming.objects.aggregate(d=Max("filmed_on"))["d"],
        PtpSession.objects.aggregate(d=Max("held_on"))["d"],
        Concern.objects.aggregate(d=Max("raised_on"))["d"],
    ]
    assert all(d is not None and d <= today() for d in latest)
    recorded = Visit.objects.exclude(outcome="").aggregate(d=Max("scheduled_at"))["d"]
    assert recorded is not None and recorded <= timezone.now()
    first = Visit.objects.aggregate(d=Min("scheduled_at"))["d"]
    assert first is not None


def test_works_where_inserts_return_no_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    # SQLite before 3.35 returns no ids from a bulk insert: they are read back by public_id.
    families(count=80)
    monkeypatch.setattr(type(connection.features), "can_return_rows_from_bulk_insert", False)
    deliver()
    assert GoalRating.objects.exists()
    assert not Goal.objects.annotate(n=Count("ratings")).filter(n=0).exists()
    for visit in Visit.objects.filter(outcome=VisitOutcome.TOOK_PLACE)[:50]:
        assert visit.present_carers.exists() or visit.present_children.exists()


def test_refuses_outside_the_demo_tests_and_debug(settings: Settings) -> None:
    settings.DEBUG = settings.IPIP_DEMO = settings.TESTING = False
    with pytest.raises(CommandError, match="IPIP_DEMO"):
        deliver()


def test_refuses_a_chunk_size_below_one() -> None:
    with pytest.raises(CommandError, match="chunk size"):
        deliver(SEED, "--chunk-size", "0")


def test_seed_demo_data_generates_delivery(settings: Settings) -> None:
    settings.IPIP_DEMO = True
    call_command("seed_demo_data", "--families", "60", stdout=StringIO())
    assert Visit.objects.exists() and ConsentRecord.objects.exists()
    rows = counts()
    call_command("seed_demo_data", "--families", "60", stdout=StringIO())
    assert counts() == rows
