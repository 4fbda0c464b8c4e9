"""A family's questionnaire results: each scale's scores across the time points, with its
bands, and reliable change from baseline (Jacobson & Truax 1991, see `reliable_change`).

Numbers come from the `ScaleScore` rows written when each administration was completed
(never re-scored here); scales, directions, bands, cut-offs and reliable-change parameters
come from the instrument definitions. Only completed administrations count: a superseded
one (replaced by a correction) is ignored and the correction's numbers are shown instead.
An incomplete score (too many items missing, or not given) is shown but left out of change.

`completed_administrations` reads the database (two queries, whatever the number of
administrations); `build_results` is pure. Arithmetic is in Decimal; numbers are rounded
only for display, half up to 2 places.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from uuid import UUID

from django.db.models import Prefetch

from ipip.cases.models import Case
from ipip.questionnaires.instruments import REGISTRY
from ipip.questionnaires.instruments.base import (
    BandSet,
    Cutoff,
    Direction,
    Instrument,
    ReliableChangeParams,
    Scale,
)
from ipip.questionnaires.models import (
    Administration,
    AdministrationStatus,
    ScaleScore,
    TimePoint,
)
from ipip.questionnaires.reliable_change import (
    Change,
    ReliableChange,
    in_clinical_range,
    reliable_change,
)

TWO_PLACES = Decimal("0.01")
# The order of the time points on the page and the chart.
TIME_POINTS: tuple[TimePoint, ...] = (TimePoint.BASELINE, TimePoint.END, TimePoint.FOLLOW_UP)
# Reliable change is measured from baseline to each later time point.
COMPARISONS: tuple[tuple[TimePoint, TimePoint], ...] = (
    (TimePoint.BASELINE, TimePoint.END),
    (TimePoint.BASELINE, TimePoint.FOLLOW_UP),
)
NO_PARAMS = "Reliable change not calculated: no published reliability and SD."


def two_places(value: Decimal) -> str:
    """A number for display, half up to 2 places: 2.905 -> "2.91", -3.0949 -> "-3.09"."""
    return str(value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP))


def score_text(value: Decimal) -> str:
    """A score for display: a whole number as such ("12"), otherwise half up to 2 places
    ("13.50", "3.27")."""
    rounded = value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    if rounded == rounded.to_integral_value():
        return str(rounded.to_integral_value())
    return str(rounded)


def direction_text(direction: Direction) -> str:
    if direction == Direction.LOWER_IS_BETTER:
        return "Lower scores are better."
    return "Higher scores are better."


# -- inputs: what was recorded ---------------------------------------------------------


@dataclass(frozen=True)
class ChildRef:
    public_id: UUID
    name: str


@dataclass(frozen=True)
class RecordedScore:
    """One `ScaleScore` row, as stored when the administration was completed."""

    scale_code: str
    value: Decimal | None
    band_label: str = ""
    form: str = ""
    prorated: bool = False
    note: str = ""


@dataclass(frozen=True)
class CompletedAdministration:
    """A completed (current) administration with its scale scores."""

    public_id: UUID
    instrument_code: str
    time_point: TimePoint
    completed_on: date
    scores: Mapping[str, RecordedScore]
    number: int = 1  # above 1: a correction
    child: ChildRef | None = None
    child_age_months: int | None = None


def completed_administrations(case: Case) -> list[CompletedAdministration]:
    """The case's completed administrations (superseded ones left out) with their scores.

    Two queries whatever their number: the administrations (with the child) and the scores.
    """
    administrations = (
        Administration.objects.filter(case=case, status=AdministrationStatus.COMPLETED)
        .select_related("child")
        .prefetch_related(Prefetch("scores", queryset=ScaleScore.objects.order_by("id")))
        .order_by("id")
    )
    return [_completed(a) for a in administrations]


def _completed(administration: Administration) -> CompletedAdministration:
    assert administration.completed_on is not None  # a constraint: completed has a date
    child = administration.child
    return CompletedAdministration(
        public_id=administration.public_id,
        instrument_code=administration.instrument_code,
        time_point=TimePoint(administration.time_point),
        completed_on=administration.completed_on,
        number=administration.number,
        child=None
        if child is None
        else ChildRef(public_id=child.public_id, name=f"{child.first_name} {child.last_name}"),
        child_age_months=administration.child_age_months,
        scores={
            s.scale_code: RecordedScore(
                scale_code=s.scale_code,
                value=s.value,
                band_label=s.band_label,
                form=s.form,
                prorated=s.prorated,
                note=s.note,
            )
            for s in administration.scores.all()
        },
    )


# -- outputs: what the page shows ------------------------------------------------------


@dataclass(frozen=True)
class ScoreRow:
    """A scale's score at one time point: one row of its table and one point of its chart."""

    time_point: TimePoint
    administration_id: UUID
    completed_on: date
    value: Decimal | None  # None: incomplete (or not given), left out of change
    band_label: str
    form: str  # the age form whose bands were used (SDQ), "" when there is one set
    prorated: bool
    note: str
    number: int  # above 1: a corrected version
    child_age_months: int | None

    @property
    def time_point_label(self) -> str:
        return TimePoint(self.time_point).label

    @property
    def is_incomplete(self) -> bool:
        return self.value is None

    @property
    def value_text(self) -> str:
        return "Incomplete" if self.value is None else score_text(self.value)

    @property
    def is_correction(self) -> bool:
        return self.number > 1

    @property
    def notes_text(self) -> str:
        """How the score was made or why there is none, and whether it is a correction."""
        notes = [self.note or ("Prorated." if self.prorated else "")]
        if self.is_correction:
            notes.append(f"Corrected (version {self.number}).")
        return " ".join(note for note in notes if note)

    @property
    def form_text(self) -> str:
        """The age form whose bands were used, and the child's age that chose it."""
        parts = [f"{self.form} form"] if self.form else []
        if self.child_age_months is not None:
            years, months = divmod(self.child_age_months, 12)
            month_word = "month" if months == 1 else "months"
            parts.append(f"(child aged {years} years {months} {month_word})")
        return " ".join(parts)


@dataclass(frozen=True)
class Comparison:
    """Reliable change from one time point to a later one."""

    pre: ScoreRow
    post: ScoreRow
    change: ReliableChange

    @property
    def label(self) -> str:
        return f"{self.pre.time_point_label} to {self.post.time_point_label.lower()}"

    @property
    def difference_text(self) -> str:
        difference = self.change.post - self.change.pre
        text = score_text(difference)
        return f"+{text}" if difference > 0 else text

    @property
    def rci_text(self) -> str:
        return two_places(self.change.rci)

    @property
    def verdict(self) -> str:
        return self.change.label

    @property
    def tag_colour(self) -> str:
        """The GOV.UK tag modifier for the verdict (the words carry it; colour only adds)."""
        return {
            Change.RELIABLE_IMPROVEMENT: "govuk-tag--green",
            Change.RELIABLE_DETERIORATION: "govuk-tag--red",
        }.get(self.change.change, "govuk-tag--grey")

    @property
    def clinical_text(self) -> str:
        """Clinically significant change: "recovered" is reliable improvement that moves
        from the clinical range to the functional range. "" when the scale has no cut-off."""
        rc = self.change
        if rc.cutoff is None:
            return ""
        if rc.clinically_significant:
            return (
                "Yes: recovered (reliable improvement from the clinical to the functional range)"
            )
        if not in_clinical_range(rc.pre, rc.cutoff, rc.direction):
            reason = "the first score was already in the functional range"
        elif rc.change != Change.RELIABLE_IMPROVEMENT:
            reason = "no reliable improvement"
        else:
            reason = "still in the clinical range"
        return f"No: {reason}"


@dataclass(frozen=True)
class ScaleResults:
    scale: Scale
    rows: tuple[ScoreRow, ...]  # in time point order, only the time points recorded
    comparisons: tuple[Comparison, ...]
    # Why reliable change is not shown, when it is not ("" when it is).
    change_note: str

    @property
    def params(self) -> ReliableChangeParams | None:
        return self.scale.reliable_change

    @property
    def cutoff(self) -> Cutoff | None:
        return self.scale.cutoff

    @property
    def direction_text(self) -> str:
        return direction_text(self.scale.direction)

    @property
    def has_bands(self) -> bool:
        return bool(self.scale.band_sets)

    @property
    def range_text(self) -> str:
        return f"Scores from {score_text(self.scale.minimum)} to {score_text(self.scale.maximum)}."

    @property
    def _stats(self) -> ReliableChange | None:
        """SEM, S_diff and the minimum reliable change depend on the parameters alone; take
        them from `reliable_change` so the formulas live in one place."""
        params = self.scale.reliable_change
        if params is None:
            return None
        return reliable_change(Decimal(0), Decimal(0), params, self.scale.direction)

    @property
    def sem_text(self) -> str:
        stats = self._stats
        return "" if stats is None else two_places(stats.sem)

    @property
    def s_diff_text(self) -> str:
        stats = self._stats
        return "" if stats is None else two_places(stats.s_diff)

    @property
    def minimum_reliable_change_text(self) -> str:
        stats = self._stats
        return "" if stats is None else two_places(stats.minimum_reliable_change)

    @property
    def cutoff_text(self) -> str:
        """Where the clinical range starts: "10 or more" (lower is better), "4 or less"."""
        if self.scale.cutoff is None:
            return ""
        more = "more" if self.scale.direction == Direction.LOWER_IS_BETTER else "less"
        return f"{score_text(self.scale.cutoff.value)} or {more}"

    @property
    def chart_band_set(self) -> BandSet | None:
        """The bands to draw: those of the latest score's age form (SDQ) or the only set."""
        forms = [row.form for row in self.rows if row.form]
        if forms:
            for band_set in self.scale.band_sets:
                if band_set.form == forms[-1]:
                    return band_set
        ages = [row.child_age_months for row in self.rows if row.child_age_months is not None]
        return self.scale.bands_for(ages[-1] if ages else None)


@dataclass(frozen=True)
class InstrumentResults:
    """One instrument's results (for an instrument about a child, one child's)."""

    instrument: Instrument
    child: ChildRef | None
    administrations: tuple[CompletedAdministration, ...]  # in time point order
    scales: tuple[ScaleResults, ...]

    @property
    def anchor(self) -> str:
        suffix = f"-{self.child.public_id}" if self.child else ""
        return f"results-{self.instrument.code}{suffix}"

    @property
    def heading(self) -> str:
        if self.child is None:
            return self.instrument.name
        return f"{self.instrument.name} about {self.child.name}"

    @property
    def shows_form(self) -> bool:
        return self.instrument.about_child


def _row(administration: CompletedAdministration, scale: Scale) -> ScoreRow:
    recorded = administration.scores.get(scale.code)
    if recorded is None:
        recorded = RecordedScore(scale.code, None, note="Not scored.")
    return ScoreRow(
        time_point=administration.time_point,
        administration_id=administration.public_id,
        completed_on=administration.completed_on,
        value=recorded.value,
        band_label=recorded.band_label,
        form=recorded.form,
        prorated=recorded.prorated,
        note=recorded.note,
        number=administration.number,
        child_age_months=administration.child_age_months,
    )


def _comparisons(scale: Scale, rows: Sequence[ScoreRow]) -> tuple[tuple[Comparison, ...], str]:
    """Reliable change from baseline to end and to follow-up where both scores exist."""
    params = scale.reliable_change
    if params is None:
        return (), NO_PARAMS
    by_time_point = {row.time_point: row for row in rows}
    comparisons = []
    for first, second in COMPARISONS:
        pre, post = by_time_point.get(first), by_time_point.get(second)
        if pre is None or post is None or pre.value is None or post.value is None:
            continue
        change = reliable_change(pre.value, post.value, params, scale.direction, scale.cutoff)
        comparisons.append(Comparison(pre=pre, post=post, change=change))
    if comparisons:
        return tuple(comparisons), ""
    return (), (
        "Reliable change needs a complete baseline score and a complete end or follow-up score."
    )


def _scale_results(
    scale: Scale, administrations: Sequence[CompletedAdministration]
) -> ScaleResults:
    rows = tuple(_row(a, scale) for a in administrations)
    comparisons, note = _comparisons(scale, rows)
    return ScaleResults(scale=scale, rows=rows, comparisons=comparisons, change_note=note)


def _shown(scale: ScaleResults) -> bool:
    """An optional score never given (SDQ impact without the back page) is left out."""
    return not scale.scale.optional or any(row.value is not None for row in scale.rows)


def _current(
    administrations: Iterable[CompletedAdministration],
) -> dict[tuple[str, UUID | None, TimePoint], CompletedAdministration]:
    """One administration per instrument, child and time point: the latest version (the
    database allows only one current one; this keeps the builder right on any input)."""
    current: dict[tuple[str, UUID | None, TimePoint], CompletedAdministration] = {}
    for a in administrations:
        key = (a.instrument_code, a.child.public_id if a.child else None, a.time_point)
        if key not in current or a.number > current[key].number:
            current[key] = a
    return current


def build_results(
    administrations: Iterable[CompletedAdministration],
    *,
    instruments: Mapping[str, Instrument] = REGISTRY,
) -> list[InstrumentResults]:
    """Group completed administrations by instrument (and child), in the order of the
    instrument library, and build each scale's rows and reliable change. Administrations
    of an instrument no longer in the library are left out."""
    groups: dict[tuple[str, UUID | None], list[CompletedAdministration]] = {}
    children: dict[UUID, ChildRef] = {}
    for (code, child_id, _), a in _current(administrations).items():
        if code not in instruments:
            continue
        groups.setdefault((code, child_id), []).append(a)
        if a.child is not None:
            children[a.child.public_id] = a.child
    order = {code: i for i, code in enumerate(instruments)}
    results = []
    for code, child_id in sorted(
        groups, key=lambda k: (order[k[0]], children[k[1]].name if k[1] else "", str(k[1]))
    ):
        instrument = instruments[code]
        ordered = sorted(groups[(code, child_id)], key=lambda a: TIME_POINTS.index(a.time_point))
        results.append(
            InstrumentResults(
                instrument=instrument,
                child=children[child_id] if child_id else None,
                administrations=tuple(ordered),
                scales=tuple(
                    scale
                    for scale in (_scale_results(s, ordered) for s in instrument.scales)
                    if _shown(scale)
                ),
            )
        )
    return results


def family_results(case: Case) -> list[InstrumentResults]:
    """The results page's data for a case (two queries)."""
    return build_results(completed_administrations(case))
