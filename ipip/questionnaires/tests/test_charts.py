"""The scale chart: geometry (pure), and the SVG it draws (well-formed, accessible, CSP-safe,
points where the scores are, bands from the scale's band set)."""

import re
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import pytest

from ipip.questionnaires import charts
from ipip.questionnaires.charts import (
    PLOT_BOTTOM,
    PLOT_LEFT,
    PLOT_RIGHT,
    PLOT_TOP,
    Slot,
    band_regions,
    describe,
    scale_chart_svg,
    x_for,
    y_for,
    y_ticks,
)
from ipip.questionnaires.instruments.base import Band, Direction
from ipip.questionnaires.instruments.phq9 import PHQ9
from ipip.questionnaires.results import score_text

SVG = "{http://www.w3.org/2000/svg}"
PHQ9_BANDS = PHQ9.scale("total").band_sets[0].bands
THIRD = (PLOT_RIGHT - PLOT_LEFT) / 3

D = Decimal  # short, for the many numbers below


def slots(
    baseline: D | None, end: D | None = None, follow_up: D | None = None, *, end_on: bool = True
) -> list[Slot]:
    return [
        Slot("Baseline", date(2025, 9, 15), baseline),
        Slot("End", date(2026, 1, 15) if end_on else None, end),
        Slot("Follow-up", date(2026, 3, 1) if follow_up is not None else None, follow_up),
    ]


def phq9_svg(points: list[Slot], chart_id: str = "c") -> str:
    return scale_chart_svg(
        points,
        minimum=D(0),
        maximum=D(27),
        direction=Direction.LOWER_IS_BETTER,
        bands=PHQ9_BANDS,
        chart_id=chart_id,
        title="PHQ-9, depression severity: score at each time point",
    )


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # noqa: S314  # our own markup, parsed to check it is well-formed
    assert root.tag == f"{SVG}svg"
    return root


def test_the_ends_of_the_range_sit_on_the_bottom_and_top_of_the_plot() -> None:
    assert y_for(D(0), D(0), D(27)) == PLOT_BOTTOM
    assert y_for(D(27), D(0), D(27)) == PLOT_TOP
    # 9 of 27 is a third of the way up: 260 - 224 / 3 = 185.33 -> 185.3
    assert y_for(D(9), D(0), D(27)) == pytest.approx(
        PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) / 3, abs=0.05
    )
    # A range that does not start at 0 (WEMWBS 14-70): 42 is half way.
    assert y_for(D(42), D(14), D(70)) == (PLOT_BOTTOM + PLOT_TOP) / 2
    # Out-of-range values are held at the edge.
    assert y_for(D(-1), D(0), D(27)) == PLOT_BOTTOM


def test_time_points_sit_in_the_middle_of_three_equal_places() -> None:
    assert x_for(0, 3) == pytest.approx(PLOT_LEFT + THIRD / 2, abs=0.05)
    assert x_for(1, 3) == (PLOT_LEFT + PLOT_RIGHT) / 2
    assert x_for(2, 3) == pytest.approx(PLOT_RIGHT - THIRD / 2, abs=0.05)


@pytest.mark.parametrize(
    ("minimum", "maximum", "ticks"),
    [
        (D(0), D(27), ["0", "5", "10", "15", "20", "25"]),  # 27 is too close to 25 to label
        (D(0), D(10), ["0", "2", "4", "6", "8", "10"]),
        (D(14), D(70), ["14", "20", "30", "40", "50", "60", "70"]),
        (D(1), D(7), ["1", "2", "3", "4", "5", "6", "7"]),
        (D(0), D(42), ["0", "10", "20", "30", "40"]),  # 42 is 2 from 40: too close to label
    ],
)
def test_y_axis_labels_use_round_steps(minimum: D, maximum: D, ticks: list[str]) -> None:
    assert [score_text(t) for t in y_ticks(minimum, maximum)] == ticks


def test_bands_run_from_their_low_to_the_next_bands_low() -> None:
    regions = band_regions(PHQ9_BANDS, D(0), D(27))
    assert [(r.label, r.low, r.high) for r in regions] == [
        ("Minimal", D(0), D(5)),
        ("Mild", D(5), D(10)),
        ("Moderate", D(10), D(15)),
        ("Moderately severe", D(15), D(20)),
        ("Severe", D(20), D(27)),
    ]
    assert regions[0].y_bottom == PLOT_BOTTOM
    assert regions[-1].y_top == PLOT_TOP
    assert regions[1].y_bottom == regions[0].y_top == y_for(D(5), D(0), D(27))


def test_bands_are_clipped_to_the_range_and_open_bands_reach_the_top() -> None:
    bands = [
        Band("a", "Abnormal", D(4), None),
        Band("n", "Normal", D(-5), D(3)),
        Band("z", "Off the scale", D(12), None),
    ]
    regions = band_regions(bands, D(0), D(10))
    assert [(r.label, r.low, r.high) for r in regions] == [
        ("Normal", D(0), D(4)),
        ("Abnormal", D(4), D(10)),
    ]


def test_svg_is_well_formed_and_an_accessible_image() -> None:
    svg = phq9_svg(slots(D(15), D(6), D(11)), chart_id="chart-phq9-total")
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-phq9-total-title chart-phq9-total-desc"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None
    assert desc is not None
    assert title.get("id") == "chart-phq9-total-title"
    assert title.text == "PHQ-9, depression severity: score at each time point"
    assert desc.get("id") == "chart-phq9-total-desc"
    assert desc.text == (
        "Baseline: 15 (15 September 2025); End: 6 (15 January 2026); Follow-up: 11 "
        "(1 March 2026). Scores from 0 to 27. Lower scores are better. Bands: Minimal 0 to 4, "
        "Mild 5 to 9, Moderate 10 to 14, Moderately severe 15 to 19, Severe 20 to 27."
    )


def test_points_are_where_the_scores_are() -> None:
    root = parse(phq9_svg(slots(D(15), D(6), D(11))))
    circles = root.findall(f"{SVG}circle")
    assert [(float(c.get("cx", "")), float(c.get("cy", ""))) for c in circles] == [
        (x_for(0, 3), y_for(D(15), D(0), D(27))),
        (x_for(1, 3), y_for(D(6), D(0), D(27))),
        (x_for(2, 3), y_for(D(11), D(0), D(27))),
    ]
    [line] = root.findall(f"{SVG}polyline")
    coords = [tuple(float(n) for n in p.split(",")) for p in line.get("points", "").split()]
    assert coords == [(float(c.get("cx", "")), float(c.get("cy", ""))) for c in circles]
    labels = [t.text for t in root.findall(f"{SVG}text") if t.get("font-weight") == "bold"]
    assert labels == ["15", "6", "11"]


def test_bands_are_shaded_with_their_names_and_boundaries() -> None:
    root = parse(phq9_svg(slots(D(15))))
    texts = [t.text for t in root.findall(f"{SVG}text")]
    for label in ("Minimal", "Mild", "Moderate", "Moderately severe", "Severe"):
        assert label in texts
    shaded = [r for r in root.findall(f"{SVG}rect") if r.get("fill") == charts.BAND_FILL]
    assert len(shaded) == 3  # every other one of five bands
    boundaries = [ln for ln in root.findall(f"{SVG}line") if ln.get("stroke-dasharray")]
    # A dashed line at each band's low except the first: 5, 10, 15, 20.
    assert sorted(float(ln.get("y1", "")) for ln in boundaries) == sorted(
        y_for(D(v), D(0), D(27)) for v in (5, 10, 15, 20)
    )


def test_direction_and_time_points_are_written_on_the_chart() -> None:
    root = parse(phq9_svg(slots(D(15), None, None, end_on=False)))
    texts = [t.text for t in root.findall(f"{SVG}text")]
    assert "Lower scores are better." in texts
    assert [t for t in texts if t in {"Baseline", "End", "Follow-up"}] == [
        "Baseline",
        "End",
        "Follow-up",
    ]
    assert "15 Sep 2025" in texts
    assert texts.count("Not recorded") == 2
    assert len(root.findall(f"{SVG}circle")) == 1
    assert root.findall(f"{SVG}polyline") == []  # one point: no line


def test_an_incomplete_score_has_no_point_and_says_so() -> None:
    root = parse(phq9_svg(slots(D(15), None, D(11))))
    texts = [t.text for t in root.findall(f"{SVG}text")]
    assert "Incomplete" in texts
    assert [float(c.get("cx", "")) for c in root.findall(f"{SVG}circle")] == [
        x_for(0, 3),
        x_for(2, 3),
    ]
    desc = root.find(f"{SVG}desc")
    assert desc is not None
    assert "End: incomplete (15 January 2026)" in (desc.text or "")


def test_higher_is_better_scales_say_so() -> None:
    svg = scale_chart_svg(
        slots(D(40), D(50)),
        minimum=D(14),
        maximum=D(70),
        direction=Direction.HIGHER_IS_BETTER,
        chart_id="w",
        title="WEMWBS",
    )
    root = parse(svg)
    assert "Higher scores are better." in [t.text for t in root.findall(f"{SVG}text")]
    assert not [r for r in root.findall(f"{SVG}rect") if r.get("fill") == charts.BAND_FILL]


def test_an_age_form_is_named_in_the_description() -> None:
    text = describe(
        slots(D(5)),
        minimum=D(0),
        maximum=D(10),
        direction=Direction.LOWER_IS_BETTER,
        bands=[Band("n", "Close to average", D(0), D(3)), Band("h", "High", D(4), None)],
        band_form="4-17",
    )
    assert text.endswith("Bands (4-17 form): Close to average 0 to 3, High 4 or more.")


def test_no_scores_no_chart() -> None:
    assert phq9_svg([Slot("Baseline", date(2025, 9, 15), None)]) == ""


def test_svg_escapes_text_is_csp_safe_and_deterministic() -> None:
    points = slots(D("13.5"), D(6), D(11))
    svg = scale_chart_svg(
        points,
        minimum=D(0),
        maximum=D(27),
        direction=Direction.LOWER_IS_BETTER,
        bands=PHQ9_BANDS,
        chart_id="c",
        title="<Mum> & Dad",
    )
    assert '<title id="c-title">&lt;Mum&gt; &amp; Dad</title>' in svg
    assert ">13.50</text>" in svg
    assert "style" not in svg
    assert "<script" not in svg
    assert not re.search(r"\son[a-z]+=", svg)
    again = scale_chart_svg(
        list(points),
        minimum=D(0),
        maximum=D(27),
        direction=Direction.LOWER_IS_BETTER,
        bands=PHQ9_BANDS,
        chart_id="c",
        title="<Mum> & Dad",
    )
    assert svg == again
