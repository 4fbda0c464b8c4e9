"""Scoring: turn answers (items stored) or entered scale scores (scores only) into scale
scores, bands and risk flags. Pure functions of an `Instrument` definition; no ORM.

Rules, for every instrument alike:
- An item's keyed value is its raw value, or (lowest + highest option − raw) when the item
  is reverse-keyed (SDQ 2−x, Parenting Scale 8−x).
- A scale with more missing items than its `max_missing` is incomplete (no score). With
  fewer, a SUM scale is prorated: keyed sum × items / answered, rounded as the scale says,
  then multiplied (DASS-21 ×2). A MEAN scale is the mean of the answered items.
- A scale with a conversion table (SWEMWBS metric) needs every item.
- A score is banded by the band set for the child's age at completion (SDQ forms); the
  band is the last whose low the score reaches.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation

from ipip.questionnaires.instruments.base import (
    Band,
    Instrument,
    LicenceMode,
    Method,
    Rounding,
    Scale,
)

TWO_PLACES = Decimal("0.01")
# A number as a person types it: digits, optionally a decimal point and more digits (no
# exponent, no NaN or Infinity, which Decimal() would accept).
PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?", re.ASCII)


class AnswerError(ValueError):
    """Answers or entered scores that cannot be saved. `errors` maps a field ("item_3",
    "scale_total") to a message that names the problem."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = dict(errors)


@dataclass(frozen=True)
class ScaleResult:
    code: str
    value: Decimal | None  # None: incomplete (too many items missing, or not entered)
    answered: int
    missing: int
    prorated: bool
    band: Band | None
    form: str  # the age form whose bands were used ("" if one set only)
    note: str = ""  # why there is no score, or how it was made

    @property
    def complete(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Risk:
    """A risk flag. `code` is stable ("item_9", "band_total_very_high"); `message` is fixed
    text naming the instrument and what was found, never a name."""

    code: str
    message: str


@dataclass(frozen=True)
class Scored:
    instrument_code: str
    instrument_version: str
    scales: tuple[ScaleResult, ...]
    risks: tuple[Risk, ...]

    def scale(self, code: str) -> ScaleResult:
        for result in self.scales:
            if result.code == code:
                return result
        raise KeyError(code)


def round_half_up_whole(value: Decimal) -> Decimal:
    """floor(x + 0.5): halves round up (never Python's round-half-to-even)."""
    return (value + Decimal("0.5")).to_integral_value(rounding=ROUND_FLOOR)


def _round(value: Decimal, rounding: Rounding) -> Decimal:
    if rounding == Rounding.WHOLE_HALF_UP:
        return round_half_up_whole(value)
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def band_for(scale: Scale, value: Decimal, age_months: int | None) -> tuple[Band | None, str]:
    band_set = scale.bands_for(age_months)
    if band_set is None:
        return None, ""
    found = None
    for band in sorted(band_set.bands, key=lambda b: b.low):
        if value >= band.low:
            found = band
    return found, band_set.form


def keyed_value(instrument: Instrument, number: int, raw: int) -> int:
    item = instrument.item(number)
    if not item.reverse:
        return raw
    values = [option.value for option in instrument.options_for(number)]
    return min(values) + max(values) - raw


def validate_answers(instrument: Instrument, answers: Mapping[int, int | None]) -> None:
    """Refuse an unknown item or a value that is not one of the item's options. Missing
    (None or absent) answers are allowed: scoring decides what they mean."""
    if instrument.licence != LicenceMode.ITEMS:
        raise AnswerError({"instrument": f"{instrument.name} is scored on paper: enter scores."})
    errors: dict[str, str] = {}
    numbers = {item.number for item in instrument.items}
    for number, raw in answers.items():
        if number not in numbers:
            errors[f"item_{number}"] = f"{instrument.name} has no item {number}."
            continue
        if raw is None:
            continue
        allowed = [option.value for option in instrument.options_for(number)]
        if raw not in allowed:
            errors[f"item_{number}"] = (
                f"Item {number}: {raw} is not an answer to this item; "
                f"choose one of {', '.join(str(v) for v in allowed)}."
            )
    if errors:
        raise AnswerError(errors)


def _score_items_scale(
    instrument: Instrument, scale: Scale, answers: Mapping[int, int | None]
) -> tuple[Decimal | None, int, int, bool, str]:
    keyed = [
        keyed_value(instrument, n, raw) for n in scale.items if (raw := answers.get(n)) is not None
    ]
    answered = len(keyed)
    missing = len(scale.items) - answered
    if scale.conversion is not None:
        if missing:
            return None, answered, missing, False, "Every item is needed for this score."
        return scale.conversion[sum(keyed)], answered, missing, False, ""
    if missing > scale.max_missing:
        allowed = (
            "no item may be missing"
            if scale.max_missing == 0
            else f"at most {scale.max_missing} may be missing"
        )
        return None, answered, missing, False, f"{missing} items missing; {allowed}."
    if answered == 0:
        return None, 0, missing, False, "No items answered."
    total = Decimal(sum(keyed))
    if scale.method == Method.MEAN:
        value = _round(total / answered, Rounding.NONE)
        return value, answered, missing, bool(missing), ""
    prorated = bool(missing)
    if prorated:
        total = _round(total * len(scale.items) / answered, scale.rounding)
    return total * scale.multiplier, answered, missing, prorated, ""


def score_items(
    instrument: Instrument, answers: Mapping[int, int | None], *, age_months: int | None = None
) -> Scored:
    """Score an items-stored instrument. `answers` maps item number to raw value (None or
    absent = not answered). Raises AnswerError for an unknown item or value."""
    validate_answers(instrument, answers)
    results: dict[str, ScaleResult] = {}
    for scale in instrument.scales:
        if scale.sum_of_scales:
            continue
        value, answered, missing, prorated, note = _score_items_scale(instrument, scale, answers)
        band, form = band_for(scale, value, age_months) if value is not None else (None, "")
        if prorated:
            note = f"Prorated from {answered} of {len(scale.items)} items."
        results[scale.code] = ScaleResult(
            scale.code, value, answered, missing, prorated, band, form, note
        )
    _add_sums(instrument, results, age_months)
    risks = list(_band_risks(instrument, results))
    for item in instrument.items:
        raw = answers.get(item.number)
        if item.risk_above is not None and raw is not None and raw > item.risk_above:
            risks.insert(
                0,
                Risk(
                    f"item_{item.number}",
                    f"{instrument.name} item {item.number} answered {raw} (above "
                    f"{item.risk_above}).",
                ),
            )
    ordered = tuple(results[s.code] for s in instrument.scales)
    return Scored(instrument.code, instrument.version, ordered, tuple(risks))


def _add_sums(
    instrument: Instrument, results: dict[str, ScaleResult], age_months: int | None
) -> None:
    for scale in instrument.scales:
        if not scale.sum_of_scales:
            continue
        parts = [results[code] for code in scale.sum_of_scales]
        if any(part.value is None for part in parts):
            results[scale.code] = ScaleResult(
                scale.code, None, 0, 0, False, None, "", "A scale it is made from is missing."
            )
            continue
        value = sum((part.value for part in parts if part.value is not None), Decimal(0))
        band, form = band_for(scale, value, age_months)
        results[scale.code] = ScaleResult(
            scale.code, value, 0, 0, any(p.prorated for p in parts), band, form, ""
        )


def _band_risks(instrument: Instrument, results: Mapping[str, ScaleResult]) -> list[Risk]:
    risks = []
    for scale in instrument.scales:
        band = results[scale.code].band
        if band is not None and band.code in scale.risk_bands:
            risks.append(
                Risk(
                    f"band_{scale.code}_{band.code}",
                    f"{instrument.name} {scale.name.lower()} score in the "
                    f"{band.label.lower()} band.",
                )
            )
    return risks


def plain(value: Decimal) -> Decimal:
    """The value without trailing zeros and never in exponent form: "10.0" is 10 (not
    Decimal.normalize()'s 1E+1), "3.50" is 3.5."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1)) + 0  # + 0 turns -0 into 0
    return value.normalize()


def parse_entered(instrument: Instrument, entered: Mapping[str, str | None]) -> dict[str, Decimal]:
    """Check scores typed in for a scores-only instrument: each a number within its scale's
    range, with no more decimal places than the scale allows. Blank = not given. Raises
    AnswerError naming each scale that is wrong."""
    if instrument.licence != LicenceMode.SCORES_ONLY:
        raise AnswerError({"instrument": f"{instrument.name} is entered item by item."})
    errors: dict[str, str] = {}
    values: dict[str, Decimal] = {}
    codes = {scale.code for scale in instrument.scales if not scale.sum_of_scales}
    for code in entered:
        if code not in codes:
            errors[f"scale_{code}"] = f"{instrument.name} has no score called {code}."
    for scale in instrument.scales:
        if scale.sum_of_scales:
            continue
        text = (entered.get(scale.code) or "").strip()
        if not text:
            continue
        if not PLAIN_NUMBER.fullmatch(text):
            errors[f"scale_{scale.code}"] = f"{scale.name}: enter a number."
            continue
        try:
            value = plain(Decimal(text))
        except InvalidOperation:  # pragma: no cover - PLAIN_NUMBER admits only decimals
            errors[f"scale_{scale.code}"] = f"{scale.name}: enter a number."
            continue
        # Trailing zeros do not count: "12.0" is a whole number, "3.450" has two places.
        exponent = value.as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        if places > scale.decimal_places:
            errors[f"scale_{scale.code}"] = (
                f"{scale.name}: enter a whole number."
                if scale.decimal_places == 0
                else f"{scale.name}: use at most {scale.decimal_places} decimal places."
            )
            continue
        if not scale.minimum <= value <= scale.maximum:
            errors[f"scale_{scale.code}"] = (
                f"{scale.name} must be from {scale.minimum} to {scale.maximum}."
            )
            continue
        values[scale.code] = value
    if errors:
        raise AnswerError(errors)
    return values


def score_entered(
    instrument: Instrument, entered: Mapping[str, Decimal], *, age_months: int | None = None
) -> Scored:
    """Band scores entered for a scores-only instrument (already checked by
    `parse_entered`); a sum-of-scales score (SDQ total difficulties) is computed from them."""
    results: dict[str, ScaleResult] = {}
    for scale in instrument.scales:
        if scale.sum_of_scales:
            continue
        value = entered.get(scale.code)
        if value is None:
            results[scale.code] = ScaleResult(
                scale.code, None, 0, 0, False, None, "", "Not given."
            )
            continue
        band, form = band_for(scale, value, age_months)
        results[scale.code] = ScaleResult(scale.code, value, 0, 0, False, band, form, "")
    _add_sums(instrument, results, age_months)
    ordered = tuple(results[s.code] for s in instrument.scales)
    return Scored(
        instrument.code, instrument.version, ordered, tuple(_band_risks(instrument, results))
    )
