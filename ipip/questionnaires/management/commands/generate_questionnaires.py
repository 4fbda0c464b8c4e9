"""`manage.py generate_questionnaires`: synthetic questionnaires for the cases already on record.

For every allocated, active or closed case that has no questionnaire yet, it writes what the
service would have recorded at the time points that have come, as `schedule` sets them out:
baseline for most cases, end for cases that closed after the intervention started, and
follow-up for some of those whose follow-up window has opened. Each time point is done on one
day (the instruments due at it, for the referred child where an instrument is about a child);
some are left undone (so due, overdue or missed), some started and not finished. A few cases
also have a PHQ-9 added by hand at baseline (and at end).

Answers follow a severity drawn per case: items-stored instruments get an answer per item,
scores-only instruments get valid entered scores in range (the SDQ only for a child with a
date of birth and of the instrument's ages on the day, banded by the age form). Most families
improve from baseline to end. Every score is made by the real scoring functions
(`score_items`, `score_entered` after `parse_entered`), never by hand, and each risk the
scoring finds gets its `RiskFlag` and a safeguarding `Alert` (PHQ-9 item 9 above 0 is rare).

Conventions of `generate_delivery`: each case draws from its own random stream (the seed and
the case's id), so the same seed gives the same records whatever the chunk size; a case with
any administration is skipped, so a second run adds nothing; rows are written with the
multi-row INSERTs of `generate_families` (`Table`), one transaction per chunk of cases, and
one DATA_GENERATED audit summary at the end instead of an event per record.
"""

import time as clock
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from random import Random
from typing import Any, Final

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from ipip.cases.management.commands.generate_delivery import (
    ALERT_OPEN_DAYS,
    CaseRecordsCommand,
    Service,
    base_row,
    between,
    localday,
    read_service,
)
from ipip.cases.management.commands.generate_families import Row, Table, at, days
from ipip.cases.models import Case, CaseStatus, ClosureReason
from ipip.core.dates import whole_months_between
from ipip.questionnaires.instruments.base import Direction, Instrument, LicenceMode, Scale
from ipip.questionnaires.instruments.phq9 import PHQ9
from ipip.questionnaires.instruments.scoring import (
    Scored,
    parse_entered,
    score_entered,
    score_items,
)
from ipip.questionnaires.models import (
    Administration,
    AdministrationStatus,
    RiskFlag,
    ScaleScore,
)
from ipip.questionnaires.queries import load_plan, schedule_annotations
from ipip.questionnaires.schedule import (
    CaseDates,
    ChildFacts,
    Plan,
    Point,
    Window,
    case_schedule,
)
from ipip.safeguarding.models import Alert, AlertKind

DEFAULT_CHUNK: Final = 2000
DELIVERED: Final = (CaseStatus.ALLOCATED, CaseStatus.ACTIVE, CaseStatus.CLOSED)

# How often a time point's questionnaires are done at all, by time point and (end and
# follow-up) by why the case closed: families who completed engage most.
BASELINE_DONE: Final = 0.88
END_DONE: Final[Mapping[str, float]] = {
    ClosureReason.COMPLETED: 0.85,
    ClosureReason.ESCALATED: 0.4,
    ClosureReason.NO_LONGER_ELIGIBLE: 0.4,
    ClosureReason.WITHDREW: 0.25,
    ClosureReason.DISENGAGED: 0.2,
    ClosureReason.MOVED_AWAY: 0.2,
}
FOLLOW_UP_DONE: Final = 0.5  # of completed cases; half that for the others
ON_TIME: Final = 0.85  # share done by the due date (the rest late, within the window)
# On the day, each instrument: completed, started and left in progress, or not given.
LEFT_IN_PROGRESS: Final = 0.03
NOT_GIVEN: Final = 0.04
# Not done yet but the window is open: started some of the time.
STARTED_EARLY: Final = 0.25
# Items-stored: one item left unanswered (the parent chose not to), or two in one scale.
ONE_MISSING: Final = 0.04
TWO_MISSING: Final = 0.01
# A risk item (PHQ-9 item 9) answered above its threshold: rare.
RISK_ITEM: Final = 0.03
AD_HOC_PHQ9: Final = 0.08  # cases with a PHQ-9 added by hand at baseline
AD_HOC_PHQ9_AT_END: Final = 0.6  # of those, also at end

# Scores-only instruments: each scale's typical score for a family doing well (severity 0)
# and for one struggling most (severity 1), and the spread around it, on the scale's own
# metric. Scales not listed go from the good end of the range to the bad end.
PROFILES: Final[Mapping[str, Mapping[str, tuple[float, float, float]]]] = {
    "sdq": {
        "emotional": (1, 8, 1.3),
        "conduct": (0.5, 7, 1.3),
        "hyperactivity": (2, 9, 1.3),
        "peer": (0.5, 6.5, 1.2),
        "prosocial": (9, 4, 1.3),
        "impact": (0, 6, 1.2),
    },
    "pcri": dict.fromkeys(
        (
            "support",
            "satisfaction",
            "involvement",
            "communication",
            "limit_setting",
            "autonomy",
            "role_orientation",
        ),
        (58, 30, 6),
    ),
    "parenting_scale": {
        "laxness": (2.0, 4.8, 0.4),
        "over_reactivity": (2.0, 5.0, 0.4),
        "verbosity": (2.6, 5.2, 0.4),
    },
}
# Scores that are (close to) the mean of others: the Parenting Scale total is the mean of
# all 30 items, so it sits among its subscales.
DERIVED: Final[Mapping[str, Mapping[str, tuple[str, ...]]]] = {
    "parenting_scale": {"total": ("laxness", "over_reactivity", "verbosity")},
}
OPTIONAL_GIVEN: Final = 0.6  # the SDQ impact supplement is given this often


# --- What one chunk of cases writes -------------------------------------------------------


@dataclass(frozen=True)
class CaseInfo:
    pk: int
    area_id: int
    practitioner: int
    closure_reason: str
    dates: CaseDates


@dataclass
class Chunk:
    """Rows for one chunk of cases; scores and flags hold the index of their administration
    (and flags of their alert) in this chunk until the writer has the ids."""

    administrations: list[Row] = field(default_factory=list)
    scores: list[tuple[int, Row]] = field(default_factory=list)
    alerts: list[Row] = field(default_factory=list)
    flags: list[tuple[int, int, Row]] = field(default_factory=list)


@dataclass(frozen=True)
class Severity:
    """How much a family is struggling at a time point, 0 (doing well) to 1, for the parent
    (their own questionnaires) and the child (questionnaires about the child)."""

    parent: float
    child: float

    def about(self, instrument: Instrument) -> float:
        return self.child if instrument.about_child else self.parent


def _clamp(value: float, low: float = 0.0, high: float = 1.0) -> float:
    return max(low, min(high, value))


class CaseQuestionnaires:
    """Plays one case's time points forward, appending its rows to the chunk."""

    def __init__(
        self, *, seed: int, case: CaseInfo, plan: Plan, service: Service, out: Chunk
    ) -> None:
        # Its own stream, apart from generate_delivery's for the same case.
        self.rng = Random(f"questionnaires:{seed}:{case.pk}")  # noqa: S311  # fake data
        self.case = case
        self.plan = plan
        self.service = service
        self.out = out

    def build(self) -> None:
        dates, today = self.case.dates, self.service.today
        if dates.allocated_on is None or dates.allocated_on > today:
            return  # allocated ahead of today: nothing can have been done yet
        schedule = case_schedule(dates, plan=self.plan, done=(), today=today)
        severities = self._severities()
        ad_hoc = self.rng.random() < AD_HOC_PHQ9
        for tp in schedule.time_points:
            if tp.window is None:
                continue
            day = self._planned_day(tp.point, tp.window)
            severity = severities[tp.point]
            scheduled = {entry.instrument.code for entry in tp.entries}
            for entry in tp.entries:
                self._instrument(
                    entry.instrument, entry.child_id, tp.point, tp.window, day, severity
                )
            if (
                ad_hoc
                and PHQ9.code not in scheduled
                and day is not None
                and day <= today
                and (
                    tp.point == Point.BASELINE
                    or (tp.point == Point.END and self.rng.random() < AD_HOC_PHQ9_AT_END)
                )
            ):
                self._complete(PHQ9, None, tp.point, day, severity)

    # When --------------------------------------------------------------------------------

    def _planned_day(self, point: Point, window: Window) -> date | None:
        """The day this time point's questionnaires are done (perhaps after today, so not
        done yet), or None: not done at all (due, overdue or missed, as the dates fall)."""
        rng, closed_on = self.rng, self.case.dates.closed_on
        opens, due, closes = window.opens_on, window.due_on, window.closes_on
        if opens is None:
            return None  # follow-up of an open case: its dates are not known yet
        if point == Point.BASELINE:
            if rng.random() >= BASELINE_DONE:
                return None
            last_on_time = due if due is not None else opens + days(21)
            latest = closes if closes is not None else last_on_time + days(30)
            if rng.random() < ON_TIME or latest <= last_on_time:
                return between(rng, opens, last_on_time)
            return between(rng, last_on_time + days(1), latest)
        if closed_on is None:
            return None  # the end of an open case: not yet (due or overdue as the dates fall)
        if point == Point.END:
            if rng.random() >= END_DONE.get(self.case.closure_reason, 0.3):
                return None
            if rng.random() < ON_TIME:  # at the last visits, up to the day it closed
                return between(rng, max(opens, closed_on - days(14)), closed_on)
            assert closes is not None
            return between(rng, closed_on + days(1), closes)
        completed = self.case.closure_reason == ClosureReason.COMPLETED
        if rng.random() >= FOLLOW_UP_DONE * (1 if completed else 0.5):
            return None
        assert due is not None and closes is not None
        if rng.random() < ON_TIME:
            return between(rng, opens, due)
        return between(rng, due + days(1), closes)

    # How much the family struggles ------------------------------------------------------

    def _severities(self) -> dict[Point, Severity]:
        """Baseline drawn per family; most improve by the end, and keep it at follow-up.
        Families that left early improve less."""
        rng = self.rng
        completed = self.case.closure_reason in ("", ClosureReason.COMPLETED)

        def change() -> float:
            roll = rng.random()
            if not completed:
                return rng.uniform(0.7, 1.1)
            if roll < 0.8:
                return rng.uniform(0.4, 0.9)
            return rng.uniform(0.9, 1.05) if roll < 0.95 else rng.uniform(1.05, 1.3)

        parent = rng.betavariate(2, 4.2)
        child = rng.betavariate(2.2, 3)
        end = Severity(_clamp(parent * change()), _clamp(child * change()))
        drift = rng.uniform(0.85, 1.15)
        return {
            Point.BASELINE: Severity(parent, child),
            Point.END: end,
            Point.FOLLOW_UP: Severity(_clamp(end.parent * drift), _clamp(end.child * drift)),
        }

    # One instrument ---------------------------------------------------------------------

    def _instrument(
        self,
        instrument: Instrument,
        child_id: int | None,
        point: Point,
        window: Window,
        day: date | None,
        severity: Severity,
    ) -> None:
        rng, today = self.rng, self.service.today
        if child_id is not None:
            child = self.case.dates.referred_child
            if child is None or child.date_of_birth is None:
                return  # the child's date of birth chooses the bands: it cannot be started
        if day is None:
            return
        if day > today:
            # Not done yet; with the window open, sometimes started already.
            opened = window.opens_on is not None and window.opens_on <= today
            if opened and rng.random() < STARTED_EARLY:
                self._in_progress(instrument, child_id, point, severity)
            return
        if child_id is not None and self._age(instrument, day) is None:
            return  # past the instrument's ages by the day: not given
        roll = rng.random()
        if roll < NOT_GIVEN:
            return
        if roll < NOT_GIVEN + LEFT_IN_PROGRESS:
            self._in_progress(instrument, child_id, point, severity)
            return
        self._complete(instrument, child_id, point, day, severity)

    def _age(self, instrument: Instrument, on: date) -> int | None:
        """The referred child's age in months on `on`, if within the instrument's ages."""
        child = self.case.dates.referred_child
        assert child is not None and child.date_of_birth is not None
        age = whole_months_between(child.date_of_birth, on)
        ages = instrument.child_age_months
        if ages is not None and not ages[0] <= age < ages[1]:
            return None
        return age

    def _administration(
        self, instrument: Instrument, child_id: int | None, point: Point, **values: object
    ) -> int:
        by = self.case.practitioner
        index = len(self.out.administrations)
        self.out.administrations.append(
            base_row(by)
            | {
                "case_id": self.case.pk,
                "child_id": child_id,
                "instrument_code": instrument.code,
                "instrument_version": instrument.version,
                "time_point": point.value,
                "administered_by_id": by,
                "number": 1,
                "supersedes_id": None,
                "correction_reason": "",
                "answers": {},
                "entered": {},
                "completed_on": None,
                "child_age_months": None,
            }
            | values
        )
        return index

    def _in_progress(
        self, instrument: Instrument, child_id: int | None, point: Point, severity: Severity
    ) -> None:
        """Started and saved part-way: the first few answers or scores."""
        answers, entered = self._answers(instrument, severity.about(instrument))
        if answers:
            kept = self.rng.randint(1, max(1, len(answers) - 1))
            answers = dict(list(answers.items())[:kept])
        if entered:
            kept = self.rng.randint(1, max(1, len(entered) - 1))
            entered = dict(list(entered.items())[:kept])
        self._administration(
            instrument,
            child_id,
            point,
            status=AdministrationStatus.IN_PROGRESS,
            answers=answers,
            entered=entered,
            version=2,  # started, then saved once
        )

    def _complete(
        self,
        instrument: Instrument,
        child_id: int | None,
        point: Point,
        day: date,
        severity: Severity,
    ) -> None:
        age = self._age(instrument, day) if child_id is not None else None
        answers, entered = self._answers(instrument, severity.about(instrument))
        scored = self._score(instrument, answers, entered, age)
        index = self._administration(
            instrument,
            child_id,
            point,
            status=AdministrationStatus.COMPLETED,
            answers=answers,
            entered=entered,
            completed_on=day,
            child_age_months=age,
            version=2,  # started, then completed
        )
        by = self.case.practitioner
        for result in scored.scales:
            self.out.scores.append(
                (
                    index,
                    base_row(by)
                    | {
                        "scale_code": result.code,
                        "value": result.value,
                        "band_code": result.band.code if result.band else "",
                        "band_label": result.band.label if result.band else "",
                        "form": result.form,
                        "answered": result.answered,
                        "missing": result.missing,
                        "prorated": result.prorated,
                        "note": result.note[:200],
                    },
                )
            )
        for risk in scored.risks:
            alert = self._alert(f"Risk on a questionnaire: {risk.message}"[:300], day)
            self.out.flags.append(
                (index, alert, base_row(by) | {"code": risk.code, "message": risk.message[:300]})
            )

    @staticmethod
    def _score(
        instrument: Instrument,
        answers: Mapping[str, int],
        entered: Mapping[str, str],
        age: int | None,
    ) -> Scored:
        """As `do_complete_administration` scores what it stored."""
        if instrument.licence == LicenceMode.ITEMS:
            return score_items(
                instrument, {int(n): raw for n, raw in answers.items()}, age_months=age
            )
        values = {code: Decimal(text) for code, text in entered.items()}
        return score_entered(instrument, values, age_months=age)

    def _alert(self, message: str, on: date) -> int:
        """The alert to the practitioner and the area's managers; seen if it is old."""
        rng, service = self.rng, self.service
        raised_at = min(at(rng, on), service.now)
        by = self.case.practitioner
        row = base_row(by) | {
            "area_id": self.case.area_id,
            "case_id": self.case.pk,
            "kind": AlertKind.QUESTIONNAIRE_RISK,
            "message": message,
            "raised_at": raised_at,
            "for_user_id": by,
            "acknowledged_at": None,
            "acknowledged_by_id": None,
        }
        manager = service.manager_of(self.case.area_id)
        if manager is not None and raised_at < service.now - days(ALERT_OPEN_DAYS):
            row |= {
                "acknowledged_at": raised_at + timedelta(hours=rng.randint(1, 72)),
                "acknowledged_by_id": rng.choice((manager, by)),
            }
        self.out.alerts.append(row)
        return len(self.out.alerts) - 1

    # Answers ----------------------------------------------------------------------------

    def _answers(
        self, instrument: Instrument, severity: float
    ) -> tuple[dict[str, int], dict[str, str]]:
        """(answers, entered) as the actions store them: item number (text) -> raw value,
        or scale code -> the score's text."""
        if instrument.licence == LicenceMode.ITEMS:
            return self._item_answers(instrument, severity), {}
        return {}, self._entered(instrument, severity)

    def _item_answers(self, instrument: Instrument, severity: float) -> dict[str, int]:
        rng = self.rng
        direction = {
            number: scale.direction
            for scale in reversed(instrument.scales)
            for number in scale.items
        }
        answers: dict[str, int] = {}
        for item in instrument.items:
            values = sorted(option.value for option in instrument.options_for(item.number))
            low, high = values[0], values[-1]
            if item.risk_above is not None:
                above = [v for v in values if v > item.risk_above]
                raw = rng.choice(above[:2]) if above and rng.random() < RISK_ITEM else low
                answers[str(item.number)] = raw
                continue
            bad = (
                direction.get(item.number, Direction.LOWER_IS_BETTER) == Direction.LOWER_IS_BETTER
            )
            share = severity if bad else 1 - severity
            target = low + share * (high - low) + rng.gauss(0, 0.25 * (high - low))
            keyed = min(values, key=lambda v: abs(v - target))
            raw = low + high - keyed if item.reverse else keyed
            answers[str(item.number)] = raw
        roll = rng.random()
        scales = [s for s in instrument.scales if s.items and s.conversion is None]
        if scales and roll < ONE_MISSING + TWO_MISSING:
            scale = rng.choice(scales)
            dropped = 2 if roll < TWO_MISSING and len(scale.items) > 2 else 1
            for number in rng.sample(scale.items, dropped):
                if instrument.item(number).risk_above is None:
                    answers.pop(str(number), None)
        return answers

    def _entered(self, instrument: Instrument, severity: float) -> dict[str, str]:
        rng = self.rng
        profile = PROFILES.get(instrument.code, {})
        derived = DERIVED.get(instrument.code, {})
        values: dict[str, Decimal] = {}
        for scale in instrument.scales:
            if scale.sum_of_scales or scale.code in derived:
                continue
            if scale.optional and rng.random() >= OPTIONAL_GIVEN:
                continue
            well, unwell, spread = profile.get(scale.code) or _range_profile(scale)
            values[scale.code] = _fit(
                scale, well + severity * (unwell - well) + rng.gauss(0, spread)
            )
        for code, parts in derived.items():
            scale = instrument.scale(code)
            mean = sum(float(values[p]) for p in parts) / len(parts)
            values[code] = _fit(scale, mean + rng.gauss(0, 0.1))
        # Typed in as the practitioner would, and checked as the form checks them.
        texts = {code: f"{value:f}" for code, value in values.items()}
        return {code: str(value) for code, value in parse_entered(instrument, texts).items()}


def _range_profile(scale: Scale) -> tuple[float, float, float]:
    low, high = float(scale.minimum), float(scale.maximum)
    good, bad = (low, high) if scale.direction == Direction.LOWER_IS_BETTER else (high, low)
    return good, bad, 0.1 * (high - low)


def _fit(scale: Scale, value: float) -> Decimal:
    """Within the scale's range, to its decimal places."""
    step = Decimal(1).scaleb(-scale.decimal_places)
    found = Decimal(str(_clamp(value, float(scale.minimum), float(scale.maximum))))
    return max(scale.minimum, min(scale.maximum, found.quantize(step)))


# --- Reading the cases and writing a chunk ----------------------------------------------


def pending_cases() -> QuerySet[Case]:
    """Allocated, active or closed cases with an allocation and no questionnaire yet."""
    return Case.objects.filter(
        status__in=DELIVERED, allocated_at__isnull=False, allocated_to__isnull=False
    ).filter(~Exists(Administration.objects.filter(case=OuterRef("pk"))))


def read_cases(after: int, size: int) -> list[CaseInfo]:
    facts = schedule_annotations()
    rows = (
        pending_cases()
        .filter(pk__gt=after)
        .annotate(
            # Named one by one, so the type checker knows the values below.
            q_first_filmed_on=facts["q_first_filmed_on"],
            q_first_session_on=facts["q_first_session_on"],
            q_child_id=facts["q_child_id"],
            q_child_born=facts["q_child_born"],
        )
        .order_by("pk")
        .values_list(
            "pk",
            "area_id",
            "allocated_to_id",
            "closure_reason",
            "allocated_at",
            "closed_at",
            "q_first_filmed_on",
            "q_first_session_on",
            "q_child_id",
            "q_child_born",
        )[:size]
    )
    found = []
    for pk, area, held_by, reason, allocated, closed, filmed, session, child, born in rows:
        assert allocated is not None  # filtered on it
        started = [d for d in (filmed, session) if d is not None]
        dates = CaseDates(
            allocated_on=localday(allocated),
            first_intervention_on=min(started) if started else None,
            closed_on=localday(closed) if closed is not None else None,
            referred_child=ChildFacts(child, born) if child is not None else None,
        )
        found.append(CaseInfo(pk, area, held_by, reason, dates))
    return found


class QuestionnaireWriter:
    """Writes a chunk: administrations, then their scores, alerts and risk flags."""

    def __init__(self, *, now: datetime) -> None:
        self.t: dict[Any, Table] = {
            m: Table(m, now=now) for m in (Administration, ScaleScore, Alert, RiskFlag)
        }
        self.rows: Counter[str] = Counter()

    def _insert(self, model: Any, rows: Sequence[Row], *, returning: bool = False) -> list[int]:
        self.rows[model._meta.label] += len(rows)
        return self.t[model].insert(rows, returning=returning)

    def write(self, out: Chunk) -> None:
        administrations = self._insert(Administration, out.administrations, returning=True)
        self._insert(
            ScaleScore,
            [row | {"administration_id": administrations[i]} for i, row in out.scores],
        )
        alerts = self._insert(Alert, out.alerts, returning=True)
        self._insert(
            RiskFlag,
            [
                row | {"administration_id": administrations[i], "alert_id": alerts[a]}
                for i, a, row in out.flags
            ],
        )


# --- The command -------------------------------------------------------------------------


class Command(CaseRecordsCommand):
    help = (
        "Generate synthetic questionnaires (administrations, scale scores, risk alerts) for "
        "allocated, active and closed cases that have none yet (fake data)."
    )
    command_name = "generate_questionnaires"
    records = "questionnaires"
    audit_key = "questionnaire"

    def _generate(self, *, seed: int, size: int) -> tuple[int, int]:
        now = timezone.now()
        service = read_service(now)
        plan = load_plan()
        total = pending_cases().count()
        writer = QuestionnaireWriter(now=now)
        done = read = 0  # cases given questionnaires, cases read
        after = 0
        began = clock.perf_counter()
        while cases := read_cases(after, size):
            out = Chunk()
            for case in cases:
                before = len(out.administrations)
                CaseQuestionnaires(
                    seed=seed, case=case, plan=plan, service=service, out=out
                ).build()
                done += len(out.administrations) > before
            with transaction.atomic():
                writer.write(out)
            after = cases[-1].pk
            read += len(cases)
            elapsed = clock.perf_counter() - began
            rows = sum(writer.rows.values())
            self.stdout.write(
                f"{read:,} of {total:,} cases, {rows:,} rows, {elapsed:.1f} s, "
                f"{rows / max(elapsed, 1e-6):,.0f} rows a second"
            )
        rows = sum(writer.rows.values())
        if rows:
            self.stdout.write(
                "Rows: " + ", ".join(f"{k} {n:,}" for k, n in sorted(writer.rows.items()) if n)
            )
        return done, rows
