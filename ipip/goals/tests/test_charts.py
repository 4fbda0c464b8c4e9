"""The goal chart: geometry (pure), and the SVG it draws (accessible, CSP-safe, stable)."""

import itertools
import re
from datetime import date, timedelta

import pytest

from ipip.goals import charts
from ipip.goals.charts import (
    PLOT_BOTTOM,
    PLOT_LEFT,
    PLOT_RIGHT,
    PLOT_TOP,
    RatingPoint,
    chart_geometry,
    describe,
    goal_chart_svg,
    x_for,
    y_for,
)

MIDDLE_X = (PLOT_LEFT + PLOT_RIGHT) / 2


def p(on: date, now: int, hoped: int) -> RatingPoint:
    return RatingPoint(on=on, now=now, hoped=hoped)


def test_ratings_at_1_and_10_sit_on_the_bottom_and_top_of_the_plot() -> None:
    assert y_for(1) == PLOT_BOTTOM
    assert y_for(10) == PLOT_TOP
    step = (PLOT_BOTTOM - PLOT_TOP) / 9
    for value in range(1, 11):
        assert y_for(value) == pytest.approx(PLOT_BOTTOM - (value - 1) * step, abs=0.05)


def test_first_and_last_dates_span_the_plot_and_others_fall_in_proportion() -> None:
    first, last = date(2026, 1, 1), date(2026, 1, 11)
    assert x_for(first, first, last) == PLOT_LEFT
    assert x_for(last, first, last) == PLOT_RIGHT
    assert x_for(date(2026, 1, 6), first, last) == pytest.approx(MIDDLE_X)
    assert x_for(date(2026, 1, 2), first, last) == pytest.approx(
        PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) / 10, abs=0.05
    )


def test_geometry_maps_each_rating_to_its_point() -> None:
    points = [
        p(date(2026, 1, 1), 1, 10),
        p(date(2026, 1, 6), 5, 9),
        p(date(2026, 1, 11), 10, 10),
    ]
    geometry = chart_geometry(points)
    left, right, top, bottom = (float(v) for v in (PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM))
    assert geometry.now == ((left, bottom), (MIDDLE_X, y_for(5)), (right, top))
    assert geometry.hoped == ((left, top), (MIDDLE_X, y_for(9)), (right, top))
    assert [t.value for t in geometry.y_ticks] == list(range(1, 11))
    assert [t.x for t in geometry.x_ticks] == [PLOT_LEFT, MIDDLE_X, PLOT_RIGHT]


def test_one_date_only_sits_in_the_middle() -> None:
    geometry = chart_geometry([p(date(2026, 2, 2), 3, 8)])
    assert geometry.now == ((MIDDLE_X, y_for(3)),)
    assert geometry.hoped == ((MIDDLE_X, y_for(8)),)
    assert [(t.x, t.label) for t in geometry.x_ticks] == [(MIDDLE_X, "2 Feb 2026")]


def test_two_ratings_on_one_day_keep_their_order_and_share_a_tick() -> None:
    day = date(2026, 2, 2)
    geometry = chart_geometry([p(day, 3, 8), p(day, 4, 8), p(day + timedelta(days=7), 6, 9)])
    assert [y for _, y in geometry.now] == [y_for(3), y_for(4), y_for(6)]
    assert geometry.now[0][0] == geometry.now[1][0] == PLOT_LEFT
    assert len(geometry.x_ticks) == 2


def test_unsorted_ratings_are_drawn_in_date_order() -> None:
    geometry = chart_geometry([p(date(2026, 3, 1), 7, 9), p(date(2026, 2, 1), 2, 8)])
    assert geometry.now == ((PLOT_LEFT, y_for(2)), (PLOT_RIGHT, y_for(7)))


def test_date_labels_never_crowd_each_other() -> None:
    start = date(2026, 1, 1)
    dates = [
        start,
        start + timedelta(days=1),
        start + timedelta(days=45),
        start + timedelta(days=89),
        start + timedelta(days=90),
    ]
    geometry = chart_geometry([p(d, 5, 8) for d in dates])
    labelled = [t.x for t in geometry.x_ticks if t.label]
    assert geometry.x_ticks[0].label == "1 Jan 2026"
    assert geometry.x_ticks[-1].label == "1 Apr 2026"
    assert len(geometry.x_ticks) == 5  # every date is ticked
    assert labelled == [PLOT_LEFT, x_for(dates[2], start, dates[-1]), PLOT_RIGHT]
    assert all(b - a >= charts.MIN_LABEL_GAP for a, b in itertools.pairwise(labelled))


def test_an_empty_chart_is_nothing() -> None:
    assert goal_chart_svg([], chart_id="c", title="t") == ""
    with pytest.raises(ValueError, match="at least one rating"):
        chart_geometry([])
    assert describe([]) == "No ratings yet."


def test_svg_is_an_accessible_image_with_a_title_and_a_description() -> None:
    svg = goal_chart_svg(
        [p(date(2026, 2, 2), 3, 8), p(date(2026, 3, 2), 6, 9)],
        chart_id="chart-1",
        title="Ratings over time, Goal 1: <Play> & read",
    )
    assert svg.startswith("<svg ")
    assert svg.endswith("</svg>")
    assert 'role="img"' in svg
    assert 'aria-labelledby="chart-1-title chart-1-desc"' in svg
    assert (
        '<title id="chart-1-title">Ratings over time, Goal 1: &lt;Play&gt; &amp; read</title>'
        in svg
    )
    assert (
        '<desc id="chart-1-desc">2 ratings from 2 February 2026 to 2 March 2026, on a scale of '
        "1 to 10. Now went from 3 to 6; hoped for went from 8 to 9.</desc>"
    ) in svg


def test_svg_draws_now_solid_and_hoped_dashed_with_markers() -> None:
    svg = goal_chart_svg(
        [p(date(2026, 2, 2), 3, 8), p(date(2026, 3, 2), 6, 9)], chart_id="c", title="t"
    )
    lines = re.findall(r"<polyline [^>]*>", svg)
    assert len(lines) == 2
    hoped, now = lines
    assert f'stroke="{charts.NOW_COLOUR}"' in now
    assert "stroke-dasharray" not in now
    assert f'points="{PLOT_LEFT},{y_for(3):g} {PLOT_RIGHT},{y_for(6):g}"' in now
    assert f'stroke="{charts.HOPED_COLOUR}"' in hoped
    assert 'stroke-dasharray="8 5"' in hoped
    assert len(re.findall(r"<circle ", svg)) == 3  # two markers and the legend's
    assert svg.count(f'stroke="{charts.HOPED_COLOUR}" stroke-width="2"') == 3  # squares


def test_one_rating_draws_markers_and_no_line() -> None:
    svg = goal_chart_svg([p(date(2026, 2, 2), 3, 8)], chart_id="c", title="t")
    assert "<polyline" not in svg
    assert f'<circle cx="{MIDDLE_X:g}" cy="{y_for(3):g}" r="5"' in svg
    assert "1 rating, on 2 February 2026: now 3, hoped for 8" in svg


def test_svg_is_csp_safe_and_deterministic() -> None:
    points = [p(date(2026, 2, 2) + timedelta(days=i * 9), 1 + i, 10 - i % 3) for i in range(8)]
    svg = goal_chart_svg(points, chart_id="c", title="t")
    assert "style" not in svg
    assert "<script" not in svg
    assert not re.search(r"\son[a-z]+=", svg)  # no event handler attributes
    assert svg == goal_chart_svg(list(points), chart_id="c", title="t")
    for label in range(1, 11):
        assert f">{label}</text>" in svg
