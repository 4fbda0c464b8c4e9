"""A goal's ratings over time as a server-rendered SVG line chart (pure; no database).

One chart per goal (small multiples): x is the date of each rating, y the rating from 1 to
10. "Now" is a solid blue line with round markers, "hoped for" a dashed purple line with
square markers, so the two differ by more than colour. The chart is an image with a
<title> and a <desc>; the table of ratings beside it is its accessible equivalent.

The strict CSP forbids inline styles, so everything is drawn with SVG presentation
attributes. The output is deterministic: the same ratings always give the same markup.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from ipip.core.dates import MONTHS, long_date
from ipip.goals.models import RATING_MAX, RATING_MIN

# The drawing, in SVG user units (the viewBox); CSS scales it to the column.
WIDTH: Final = 640
HEIGHT: Final = 300
LEFT: Final = 56  # room for the 1-10 labels, and half a date label
RIGHT: Final = 48  # room for half a date label (labels are centred on their tick)
TOP: Final = 40  # room for the legend
BOTTOM: Final = 44  # room for the dates
PLOT_LEFT: Final = LEFT
PLOT_RIGHT: Final = WIDTH - RIGHT
PLOT_TOP: Final = TOP
PLOT_BOTTOM: Final = HEIGHT - BOTTOM
# Dates closer than this on the x axis are ticked but not all labelled, so labels (about
# 80 units wide at FONT_SIZE) never overlap.
MIN_LABEL_GAP: Final = 96

# GOV.UK colours: each line and marker has at least 3:1 contrast with the white background.
TEXT: Final = "#0b0c0c"  # GOV.UK black
SECONDARY_TEXT: Final = "#505a5f"  # dark grey
GRID: Final = "#b1b4b6"  # mid grey (gridlines are decoration; the labels carry the values)
NOW_COLOUR: Final = "#1d70b8"  # blue
HOPED_COLOUR: Final = "#4c2c92"  # purple
BACKGROUND: Final = "#ffffff"
FONT_SIZE: Final = 14


@dataclass(frozen=True)
class RatingPoint:
    """One rating: its date and the two values."""

    on: date
    now: int
    hoped: int


@dataclass(frozen=True)
class XTick:
    on: date
    x: float
    label: str  # "" when too close to a labelled neighbour


@dataclass(frozen=True)
class YTick:
    value: int
    y: float


@dataclass(frozen=True)
class ChartGeometry:
    """Where everything goes, in SVG units. Ratings keep their order (date, then when made)."""

    now: tuple[tuple[float, float], ...]
    hoped: tuple[tuple[float, float], ...]
    x_ticks: tuple[XTick, ...]
    y_ticks: tuple[YTick, ...]


def y_for(value: int) -> float:
    """RATING_MAX at the top of the plot, RATING_MIN at the bottom."""
    step = (PLOT_BOTTOM - PLOT_TOP) / (RATING_MAX - RATING_MIN)
    return round(PLOT_BOTTOM - (value - RATING_MIN) * step, 1)


def x_for(on: date, first: date, last: date) -> float:
    """The date's place between the first and last dates; a single date sits in the middle."""
    if last == first:
        return round((PLOT_LEFT + PLOT_RIGHT) / 2, 1)
    share = (on - first).days / (last - first).days
    return round(PLOT_LEFT + share * (PLOT_RIGHT - PLOT_LEFT), 1)


def short_date(on: date) -> str:
    """12 Mar 2026: short enough for the axis."""
    return f"{on.day} {MONTHS[on.month - 1][:3]} {on.year}"


def _x_ticks(dates: Sequence[date]) -> tuple[XTick, ...]:
    """A tick at each date rated; labels on the first and last, and on those between that
    leave room (at least MIN_LABEL_GAP from the labels either side)."""
    first, last = dates[0], dates[-1]
    positions = [(on, x_for(on, first, last)) for on in dates]
    last_x = positions[-1][1]
    ticks = []
    labelled_x: float | None = None
    for i, (on, x) in enumerate(positions):
        is_end = i in (0, len(positions) - 1)
        fits = (labelled_x is None or x - labelled_x >= MIN_LABEL_GAP) and (
            last_x - x >= MIN_LABEL_GAP
        )
        label = short_date(on) if is_end or fits else ""
        if label:
            labelled_x = x
        ticks.append(XTick(on=on, x=x, label=label))
    return tuple(ticks)


def chart_geometry(points: Sequence[RatingPoint]) -> ChartGeometry:
    """Map ratings to SVG coordinates. `points` must not be empty."""
    if not points:
        raise ValueError("A chart needs at least one rating.")
    first = min(p.on for p in points)
    last = max(p.on for p in points)
    ordered = sorted(points, key=lambda p: p.on)  # stable: same-day ratings keep their order
    dates = sorted({p.on for p in points})
    return ChartGeometry(
        now=tuple((x_for(p.on, first, last), y_for(p.now)) for p in ordered),
        hoped=tuple((x_for(p.on, first, last), y_for(p.hoped)) for p in ordered),
        x_ticks=_x_ticks(dates),
        y_ticks=tuple(YTick(value=v, y=y_for(v)) for v in range(RATING_MIN, RATING_MAX + 1)),
    )


def describe(points: Sequence[RatingPoint]) -> str:
    """The chart in words, for its <desc>: the span, and where each line starts and ends."""
    if not points:
        return "No ratings yet."
    ordered = sorted(points, key=lambda p: p.on)
    start, end = ordered[0], ordered[-1]
    count = "1 rating" if len(ordered) == 1 else f"{len(ordered)} ratings"
    if len(ordered) == 1:
        return (
            f"{count}, on {long_date(start.on)}: now {start.now}, hoped for {start.hoped}, "
            f"on a scale of {RATING_MIN} to {RATING_MAX}."
        )
    return (
        f"{count} from {long_date(start.on)} to {long_date(end.on)}, on a scale of "
        f"{RATING_MIN} to {RATING_MAX}. Now went from {start.now} to {end.now}; "
        f"hoped for went from {start.hoped} to {end.hoped}."
    )


def _num(value: float) -> str:
    """Coordinates to one decimal place, without a trailing .0 (deterministic, compact)."""
    text = f"{value:.1f}"
    return text.removesuffix(".0")


def _points_attr(coords: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{_num(x)},{_num(y)}" for x, y in coords)


def _grid(geometry: ChartGeometry) -> list[SafeString]:
    parts = []
    for tick in geometry.y_ticks:
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>'
                '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle" fill="{}"'
                ' font-size="{}">{}</text>',
                _num(PLOT_LEFT),
                _num(tick.y),
                _num(PLOT_RIGHT),
                _num(tick.y),
                TEXT if tick.value in (RATING_MIN, RATING_MAX) else GRID,
                _num(PLOT_LEFT - 10),
                _num(tick.y),
                SECONDARY_TEXT,
                FONT_SIZE,
                tick.value,
            )
        )
    for xt in geometry.x_ticks:
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>',
                _num(xt.x),
                _num(PLOT_BOTTOM),
                _num(xt.x),
                _num(PLOT_BOTTOM + 6),
                TEXT,
            )
        )
        if xt.label:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" fill="{}" font-size="{}">{}</text>',
                    _num(xt.x),
                    _num(PLOT_BOTTOM + 26),
                    SECONDARY_TEXT,
                    FONT_SIZE,
                    xt.label,
                )
            )
    return parts


def _legend() -> SafeString:
    return format_html(
        '<g transform="translate({} 16)">'
        '<line x1="0" y1="0" x2="28" y2="0" stroke="{}" stroke-width="3"/>'
        '<circle cx="14" cy="0" r="5" fill="{}"/>'
        '<text x="36" y="0" dominant-baseline="middle" fill="{}" font-size="{}">Now</text>'
        '<line x1="96" y1="0" x2="124" y2="0" stroke="{}" stroke-width="3"'
        ' stroke-dasharray="8 5"/>'
        '<rect x="105" y="-5" width="10" height="10" fill="{}" stroke="{}" stroke-width="2"/>'
        '<text x="132" y="0" dominant-baseline="middle" fill="{}" font-size="{}">'
        "Hoped for</text></g>",
        _num(PLOT_LEFT),
        NOW_COLOUR,
        NOW_COLOUR,
        TEXT,
        FONT_SIZE,
        HOPED_COLOUR,
        BACKGROUND,
        HOPED_COLOUR,
        TEXT,
        FONT_SIZE,
    )


def _series(geometry: ChartGeometry) -> list[SafeString]:
    parts = []
    if len(geometry.hoped) > 1:
        parts.append(
            format_html(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="3"'
                ' stroke-dasharray="8 5" stroke-linejoin="round"/>',
                _points_attr(geometry.hoped),
                HOPED_COLOUR,
            )
        )
    if len(geometry.now) > 1:
        parts.append(
            format_html(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="3"'
                ' stroke-linejoin="round"/>',
                _points_attr(geometry.now),
                NOW_COLOUR,
            )
        )
    for x, y in geometry.hoped:
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="10" height="10" fill="{}" stroke="{}"'
                ' stroke-width="2"/>',
                _num(x - 5),
                _num(y - 5),
                BACKGROUND,
                HOPED_COLOUR,
            )
        )
    for x, y in geometry.now:
        parts.append(
            format_html('<circle cx="{}" cy="{}" r="5" fill="{}"/>', _num(x), _num(y), NOW_COLOUR)
        )
    return parts


def goal_chart_svg(points: Sequence[RatingPoint], *, chart_id: str, title: str) -> SafeString:
    """The chart as inline SVG markup, or "" when there are no ratings.

    `chart_id` makes the ids of <title> and <desc> unique on the page (e.g. the goal's
    public id). `title` names the chart; the <desc> says what it shows in words.
    """
    if not points:
        return SafeString("")
    geometry = chart_geometry(points)
    head = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="ipip-goal-chart" role="img"'
        ' viewBox="0 0 {} {}" width="{}" height="{}" focusable="false"'
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
        describe(points),
        WIDTH,
        HEIGHT,
        BACKGROUND,
    )
    body = [head, _legend(), *_grid(geometry), *_series(geometry), SafeString("</svg>")]
    return mark_safe("".join(body))  # noqa: S308  # every part comes from format_html
