"""How an instrument is defined: items, response options, scales, bands, the missing-item
rule, the direction of improvement, reliable-change parameters and the licence mode.

Pure Python: no ORM. Every number is a `Decimal` so a score is exactly what a hand
calculation gives. An instrument module (one per instrument, next to its scoring) builds
an `Instrument` from these parts and cites its sources.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class LicenceMode(StrEnum):
    """Items stored: ipip keeps each answer and scores it. Scores only: the instrument is
    licensed; the practitioner scores it on paper or the owner's tool and enters the scale
    scores, and ipip keeps no item answers."""

    ITEMS = "items"
    SCORES_ONLY = "scores"


class Direction(StrEnum):
    """Which way is improvement on a scale."""

    LOWER_IS_BETTER = "lower"
    HIGHER_IS_BETTER = "higher"


class Method(StrEnum):
    """How a scale score is made from its keyed item values."""

    SUM = "sum"  # sum of the keyed items, times `Scale.multiplier`
    MEAN = "mean"  # mean of the keyed items


class Rounding(StrEnum):
    """How a prorated (or mean) score is rounded."""

    NONE = "none"  # keep two decimal places (ROUND_HALF_UP)
    WHOLE_HALF_UP = "whole"  # to a whole number, halves up: floor(x + 0.5)


@dataclass(frozen=True)
class ResponseOption:
    value: int  # the raw value recorded for the answer (before reverse keying)
    label: str


@dataclass(frozen=True)
class Item:
    """One item. `wording_key` names its wording in `wordings`; the wording itself is
    stored only for instruments whose licence allows it (see `Instrument.licence`)."""

    number: int
    wording_key: str
    reverse: bool = False
    # A risk item alerts when its raw value is above this (e.g. PHQ-9 item 9 above 0).
    risk_above: int | None = None


@dataclass(frozen=True)
class Band:
    """A band of scores as published, `low` to `high` inclusive (`high` None = no upper
    limit). A score falls in the last band whose `low` it reaches, so a prorated score
    between two published whole-number bands (13.5 between 10–13 and 14–20) stays in the
    lower one until it reaches the next band's low."""

    code: str
    label: str
    low: Decimal
    high: Decimal | None


@dataclass(frozen=True)
class BandSet:
    """Bands for one age form. `min_age_months`/`max_age_months` bound the child's age at
    completion (inclusive min, exclusive max); None = no bound. Instruments about the
    parent have one band set with no bounds."""

    bands: tuple[Band, ...]
    form: str = ""
    min_age_months: int | None = None
    max_age_months: int | None = None
    source: str = ""

    def applies_to(self, age_months: int | None) -> bool:
        if self.min_age_months is None and self.max_age_months is None:
            return True
        if age_months is None:
            return False
        if self.min_age_months is not None and age_months < self.min_age_months:
            return False
        return self.max_age_months is None or age_months < self.max_age_months


@dataclass(frozen=True)
class ReliableChangeParams:
    """The SD and reliability used for reliable change (Jacobson & Truax 1991)."""

    sd: Decimal
    reliability: Decimal
    reliability_kind: str  # "test-retest" or "internal consistency (alpha)"
    source: str


@dataclass(frozen=True)
class Cutoff:
    """A clinical cut-off for clinically significant change. `value` is the first score of
    the clinical range: for a lower-is-better scale the clinical range is scores >= value,
    for a higher-is-better scale scores <= value. `source` names where it comes from."""

    value: Decimal
    source: str


@dataclass(frozen=True)
class Scale:
    """A subscale or total. `items` are item numbers (items-stored instruments); for a
    scores-only instrument `items` is empty and the score is entered within
    [`minimum`, `maximum`]."""

    code: str
    name: str
    minimum: Decimal
    maximum: Decimal
    direction: Direction
    items: tuple[int, ...] = ()
    method: Method = Method.SUM
    multiplier: int = 1
    # Prorate when at most this many items are missing; more missing = incomplete.
    max_missing: int = 0
    rounding: Rounding = Rounding.NONE
    # A conversion table from the raw sum to the reported score (e.g. SWEMWBS metric);
    # when given, every item must be answered.
    conversion: Mapping[int, Decimal] | None = None
    # Scores-only: entered scores are whole numbers unless this is set.
    decimal_places: int = 0
    band_sets: tuple[BandSet, ...] = ()
    reliable_change: ReliableChangeParams | None = None
    cutoff: Cutoff | None = None
    # Band codes that raise a risk alert (e.g. K10 very high).
    risk_bands: frozenset[str] = frozenset()
    # Made from other scales of the same administration (e.g. SDQ total difficulties, the
    # sum of four subscales); it is missing when any of them is missing.
    sum_of_scales: tuple[str, ...] = ()
    # Scores only: a score that may be left out on completion (e.g. SDQ impact).
    optional: bool = False
    note: str = ""

    def bands_for(self, age_months: int | None) -> BandSet | None:
        for band_set in self.band_sets:
            if band_set.applies_to(age_months):
                return band_set
        return None


@dataclass(frozen=True)
class Instrument:
    code: str  # stable, used in URLs and the database: "phq9"
    name: str
    version: str  # bump when a key or band changes; stored with each administration
    licence: LicenceMode
    licence_note: str
    about: str  # who answers, and the recall period
    sources: tuple[str, ...]
    scales: tuple[Scale, ...]
    items: tuple[Item, ...] = ()
    options: tuple[ResponseOption, ...] = ()
    # Per-item response options, where items differ (item number -> options).
    item_options: Mapping[int, tuple[ResponseOption, ...]] = field(default_factory=dict)
    about_child: bool = False  # answered about one child (e.g. SDQ), so bands use its age
    # For an instrument about a child: the ages it is for, in months (inclusive, exclusive).
    child_age_months: tuple[int, int] | None = None

    def options_for(self, number: int) -> tuple[ResponseOption, ...]:
        return self.item_options.get(number, self.options)

    def item(self, number: int) -> Item:
        for item in self.items:
            if item.number == number:
                return item
        raise KeyError(number)

    def scale(self, code: str) -> Scale:
        for scale in self.scales:
            if scale.code == code:
                return scale
        raise KeyError(code)
