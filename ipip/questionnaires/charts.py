"""One scale's scores at each time point as a server-rendered SVG chart (pure; no database).

The x axis has a place for each time point (baseline, end, follow-up) whether or not it was
recorded, so charts of different scales line up; the y axis is the scale's whole range.
The scale's bands are shaded in alternating light grey and white, with a dashed line at
each boundary and the band's name beside the plot, so bands read without colour. Each
score is a round marker labelled with its value, joined by a solid line.

The chart is an image with a <title> and a <desc> (the scores, the range, which way is
better and the bands, in words); the table of scores beside it is its accessible
equivalent. As in `ipip.goals.charts`, the strict CSP forbids inline styles, so everything
is drawn with presentation attributes, and the same scores always give the same markup.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, Decimal
from typing import Final

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from ipip.core.dates import MONTHS, long_date
from ipip.questionnaires.instruments.base import Band, Direction
from ipip.questionnaires.results import direction_text, score_text

# The drawing, in SVG user units (the viewBox); CSS scales it to the column.
WIDTH: Final = 640
HEIGHT: Final = 320
LEFT: Final = 56  # room for the y axis labels
RIGHT: Final = 160  # room for the band names
TOP: Final = 36  # room for the "which way is better" line
BOTTOM: Final = 60  # room for the time points and their dates
PLOT_LEFT: Final = LEFT
PLOT_RIGHT: Final = WIDTH - RIGHT
PLOT_TOP: Final = TOP
PLOT_BOTTOM: Final = HEIGHT - BOTTOM
# A band narrower than this (in SVG units) is shaded but not named: the name would not fit.
MIN_BAND_LABEL_HEIGHT: Final = 14
# At most this many steps between y axis labels.
MAX_Y_STEPS: Final = 6
NICE_STEPS: Final = tuple(
    Decimal(s) for s in ("0.1", "0.2", "0.5", "1", "2", "5", "10", "20", "50", "100")
)

# GOV.UK colours: the line and markers have at least 3:1 contrast with both band fills.
TEXT: Final = "#0b0c0c"
SECONDARY_TEXT: Final = "#505a5f"
GRID: Final = "#b1b4b6"
BAND_FILL: Final = "#f3f2f1"  # light grey, every other band
BACKGROUND: Final = "#ffffff"
SCORE_COLOUR: Final = "#1d70b8"  # blue
FONT_SIZE: Final = 14
SMALL_FONT_SIZE: Final = 12


@dataclass(frozen=True)
class Slot:
    """A time point on the x axis: `on` is None when it was not recorded; `value` is None
    when it was not recorded or the score is incomplete."""

    label: str
    on: date | None
    value: Decimal | None

    @property
    def is_incomplete(self) -> bool:
        return self.on is not None and self.value is None


@dataclass(frozen=True)
class BandRegion:
    """A band as drawn: the part of the scale's range from `low` up to `high`."""

    label: str
    low: Decimal
    high: Decimal
    y_top: float
    y_bottom: float


def y_for(value: Decimal, minimum: Decimal, maximum: Decimal) -> float:
    """`maximum` at the top of the plot, `minimum` at the bottom; outside values are clamped."""
    value = min(max(value, minimum), maximum)
    share = float((value - minimum) / (maximum - minimum))
    return round(PLOT_BOTTOM - share * (PLOT_BOTTOM - PLOT_TOP), 1)


def x_for(index: int, count: int) -> float:
    """The middle of the `index`th of `count` equal places across the plot."""
    width = (PLOT_RIGHT - PLOT_LEFT) / count
    return round(PLOT_LEFT + (index + 0.5) * width, 1)


def y_ticks(minimum: Decimal, maximum: Decimal) -> tuple[Decimal, ...]:
    """Labels on the y axis: multiples of the smallest round step giving at most
    MAX_Y_STEPS steps, plus the ends of the range when no label is near them."""
    span = maximum - minimum
    step = next((s for s in NICE_STEPS if span / s <= MAX_Y_STEPS), NICE_STEPS[-1])
    first = (minimum / step).to_integral_value(rounding=ROUND_CEILING) * step
    ticks = []
    value = first
    while value <= maximum:
        ticks.append(value)
        value += step
    if ticks[0] - minimum >= step / 2:
        ticks.insert(0, minimum)
    if maximum - ticks[-1] >= step / 2:
        ticks.append(maximum)
    return tuple(ticks)


def band_regions(
    bands: Sequence[Band], minimum: Decimal, maximum: Decimal
) -> tuple[BandRegion, ...]:
    """Each band from its low up to the next band's low (the last up to the maximum),
    clipped to the scale's range. A score belongs to the last band whose low it reaches, so
    a boundary drawn at a band's low is exactly where scores change band."""
    ordered = sorted(bands, key=lambda b: b.low)
    regions = []
    for i, band in enumerate(ordered):
        low = max(band.low, minimum)
        high = min(ordered[i + 1].low, maximum) if i + 1 < len(ordered) else maximum
        if high <= low:
            continue
        regions.append(
            BandRegion(
                label=band.label,
                low=low,
                high=high,
                y_top=y_for(high, minimum, maximum),
                y_bottom=y_for(low, minimum, maximum),
            )
        )
    return tuple(regions)


def short_date(on: date) -> str:
    return f"{on.day} {MONTHS[on.month - 1][:3]} {on.year}"


def _band_words(band: Band) -> str:
    if band.high is None:
        return f"{band.label} {score_text(band.low)} or more"
    return f"{band.label} {score_text(band.low)} to {score_text(band.high)}"


def _slot_words(slot: Slot) -> str:
    if slot.on is None:
        return f"{slot.label}: not recorded"
    if slot.value is None:
        return f"{slot.label}: incomplete ({long_date(slot.on)})"
    return f"{slot.label}: {score_text(slot.value)} ({long_date(slot.on)})"


def describe(
    slots: Sequence[Slot],
    *,
    minimum: Decimal,
    maximum: Decimal,
    direction: Direction,
    bands: Sequence[Band],
    band_form: str = "",
) -> str:
    """The chart in words, for its <desc>."""
    parts = ["; ".join(_slot_words(slot) for slot in slots) + "."]
    parts.append(
        f"Scores from {score_text(minimum)} to {score_text(maximum)}. {direction_text(direction)}"
    )
    if bands:
        form = f" ({band_form} form)" if band_form else ""
        ordered = sorted(bands, key=lambda b: b.low)
        parts.append(f"Bands{form}: " + ", ".join(_band_words(b) for b in ordered) + ".")
    return " ".join(parts)


def _num(value: float) -> str:
    """Coordinates to one decimal place, without a trailing .0 (deterministic, compact)."""
    return f"{value:.1f}".removesuffix(".0")


def _bands(regions: Sequence[BandRegion]) -> list[SafeString]:
    parts = []
    for i, region in enumerate(regions):
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                _num(PLOT_LEFT),
                _num(region.y_top),
                _num(PLOT_RIGHT - PLOT_LEFT),
                _num(region.y_bottom - region.y_top),
                BAND_FILL if i % 2 == 0 else BACKGROUND,
            )
        )
        if i > 0:  # a boundary between two bands
            parts.append(
                format_html(
                    '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"'
                    ' stroke-dasharray="4 3"/>',
                    _num(PLOT_LEFT),
                    _num(region.y_bottom),
                    _num(PLOT_RIGHT + 4),
                    _num(region.y_bottom),
                    SECONDARY_TEXT,
                )
            )
        if region.y_bottom - region.y_top >= MIN_BAND_LABEL_HEIGHT:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" dominant-baseline="middle" fill="{}"'
                    ' font-size="{}">{}</text>',
                    _num(PLOT_RIGHT + 8),
                    _num((region.y_top + region.y_bottom) / 2),
                    TEXT,
                    SMALL_FONT_SIZE,
                    region.label,
                )
            )
    return parts


def _axes(
    slots: Sequence[Slot], minimum: Decimal, maximum: Decimal, direction: Direction
) -> list[SafeString]:
    parts = [
        format_html(
            '<text x="{}" y="16" fill="{}" font-size="{}">{}</text>',
            _num(PLOT_LEFT),
            TEXT,
            FONT_SIZE,
            direction_text(direction),
        ),
        format_html(
            '<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="{}"'
            ' stroke-width="1"/>',
            _num(PLOT_LEFT),
            _num(PLOT_TOP),
            _num(PLOT_RIGHT - PLOT_LEFT),
            _num(PLOT_BOTTOM - PLOT_TOP),
            TEXT,
        ),
    ]
    for tick in y_ticks(minimum, maximum):
        y = y_for(tick, minimum, maximum)
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>'
                '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle" fill="{}"'
                ' font-size="{}">{}</text>',
                _num(PLOT_LEFT - 6),
                _num(y),
                _num(PLOT_LEFT),
                _num(y),
                TEXT,
                _num(PLOT_LEFT - 10),
                _num(y),
                SECONDARY_TEXT,
                FONT_SIZE,
                score_text(tick),
            )
        )
    for i, slot in enumerate(slots):
        x = x_for(i, len(slots))
        if slot.on is None:
            under = "Not recorded"
        else:
            under = "Incomplete" if slot.value is None else short_date(slot.on)
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>'
                '<text x="{}" y="{}" text-anchor="middle" fill="{}" font-size="{}">{}</text>'
                '<text x="{}" y="{}" text-anchor="middle" fill="{}" font-size="{}">{}</text>',
                _num(x),
                _num(PLOT_BOTTOM),
                _num(x),
                _num(PLOT_BOTTOM + 6),
                TEXT,
                _num(x),
                _num(PLOT_BOTTOM + 24),
                TEXT,
                FONT_SIZE,
                slot.label,
                _num(x),
                _num(PLOT_BOTTOM + 44),
                SECONDARY_TEXT,
                SMALL_FONT_SIZE,
                under,
            )
        )
    return parts


def score_points(
    slots: Sequence[Slot], minimum: Decimal, maximum: Decimal
) -> tuple[tuple[float, float, Decimal], ...]:
    """(x, y, score) of each slot with a score, in slot order."""
    return tuple(
        (x_for(i, len(slots)), y_for(slot.value, minimum, maximum), slot.value)
        for i, slot in enumerate(slots)
        if slot.value is not None
    )


def _scores(slots: Sequence[Slot], minimum: Decimal, maximum: Decimal) -> list[SafeString]:
    points = score_points(slots, minimum, maximum)
    parts = []
    if len(points) > 1:
        parts.append(
            format_html(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="3"'
                ' stroke-linejoin="round"/>',
                " ".join(f"{_num(x)},{_num(y)}" for x, y, _ in points),
                SCORE_COLOUR,
            )
        )
    for x, y, value in points:
        # The label sits above the marker, or below it when the marker is near the top.
        label_y = y - 12 if y - PLOT_TOP >= 20 else y + 22
        parts.append(
            format_html(
                '<circle cx="{}" cy="{}" r="6" fill="{}" stroke="{}" stroke-width="2"/>'
                '<text x="{}" y="{}" text-anchor="middle" fill="{}" font-size="{}"'
                ' font-weight="bold">{}</text>',
                _num(x),
                _num(y),
                SCORE_COLOUR,
                BACKGROUND,
                _num(x),
                _num(label_y),
                TEXT,
                FONT_SIZE,
                score_text(value),
            )
        )
    return parts


def scale_chart_svg(
    slots: Sequence[Slot],
    *,
    minimum: Decimal,
    maximum: Decimal,
    direction: Direction,
    bands: Sequence[Band] = (),
    band_form: str = "",
    chart_id: str,
    title: str,
) -> SafeString:
    """The chart as inline SVG markup, or "" when no slot has a score.

    `chart_id` makes the ids of <title> and <desc> unique on the page; `title` names the
    chart. `bands` are the band set to shade (`band_form` names its age form, if any).
    """
    if not any(slot.value is not None for slot in slots):
        return SafeString("")
    if maximum <= minimum:
        raise ValueError("A scale's maximum must be above its minimum.")
    desc = describe(
        slots,
        minimum=minimum,
        maximum=maximum,
        direction=direction,
        bands=bands,
        band_form=band_form,
    )
    head = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="ipip-goal-chart ipip-scale-chart"'
        ' role="img" viewBox="0 0 {} {}" width="{}" height="{}" focusable="false"'
        ' aria-labelledby="{}-title {}-desc">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>'
        '<rect x="0" y="0" width="{}" height="{}" fill="{}"/>',
        WIDTH,
        HEIGHT,
        WIDTH,
        HEIGHT,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        desc,
        WIDTH,
        HEIGHT,
        BACKGROUND,
    )
    body = [
        head,
        *_bands(band_regions(bands, minimum, maximum)),
        *_axes(slots, minimum, maximum, direction),
        *_scores(slots, minimum, maximum),
        SafeString("</svg>"),
    ]
    return mark_safe("".join(body))  # noqa: S308  # every part comes from format_html
