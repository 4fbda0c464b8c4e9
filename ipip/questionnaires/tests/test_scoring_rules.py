"""The shared scoring rules on a small made-up instrument: reverse keys (8 - x on a 1-7
item, as the Parenting Scale would need; 2 - x on a 0-2 item), mean scales, prorating a
mean, rounding halves up, and banding a score that falls between published whole-number
bands. No instrument in the library reverses an item today (the Parenting Scale is entered
as scores), so these rules are tested here."""

from decimal import Decimal

from ipip.questionnaires.instruments.base import (
    Band,
    BandSet,
    Direction,
    Instrument,
    Item,
    LicenceMode,
    Method,
    ResponseOption,
    Scale,
)
from ipip.questionnaires.instruments.dass21 import DASS21
from ipip.questionnaires.instruments.scoring import (
    band_for,
    keyed_value,
    round_half_up_whole,
    score_items,
)

SEVEN_POINT = tuple(ResponseOption(v, str(v)) for v in range(1, 8))
THREE_POINT = tuple(ResponseOption(v, str(v)) for v in range(3))

MADE_UP = Instrument(
    code="made_up",
    name="Made-up scale",
    version="1",
    licence=LicenceMode.ITEMS,
    licence_note="Test only.",
    about="Test only.",
    sources=("Test only: not a published instrument.",),
    options=SEVEN_POINT,
    item_options={5: THREE_POINT},
    items=(
        Item(1, "made_up.1"),
        Item(2, "made_up.2", reverse=True),
        Item(3, "made_up.3"),
        Item(4, "made_up.4", reverse=True),
        Item(5, "made_up.5", reverse=True),
    ),
    scales=(
        Scale(
            code="mean",
            name="Mean",
            minimum=Decimal(1),
            maximum=Decimal(7),
            direction=Direction.LOWER_IS_BETTER,
            items=(1, 2, 3, 4),
            method=Method.MEAN,
            max_missing=1,
        ),
    ),
)


def test_a_reversed_1_to_7_item_is_8_minus_the_answer() -> None:
    assert [keyed_value(MADE_UP, 2, raw) for raw in range(1, 8)] == [7, 6, 5, 4, 3, 2, 1]
    assert [keyed_value(MADE_UP, 1, raw) for raw in range(1, 8)] == [1, 2, 3, 4, 5, 6, 7]


def test_a_reversed_0_to_2_item_is_2_minus_the_answer() -> None:
    assert [keyed_value(MADE_UP, 5, raw) for raw in (0, 1, 2)] == [2, 1, 0]


def test_a_mean_scale_is_the_mean_of_the_keyed_items() -> None:
    # 2 + (8 - 3) + 6 + (8 - 7) = 2 + 5 + 6 + 1 = 14; 14 / 4 = 3.50
    result = score_items(MADE_UP, {1: 2, 2: 3, 3: 6, 4: 7}).scale("mean")
    assert result.value == Decimal("3.50")
    assert not result.prorated


def test_a_mean_with_one_item_missing_is_the_mean_of_the_rest_to_two_places() -> None:
    # 2 + (8 - 3) + 7 = 14 from 3 items; 14 / 3 = 4.666... -> 4.67
    result = score_items(MADE_UP, {1: 2, 2: 3, 3: 7}).scale("mean")
    assert result.value == Decimal("4.67")
    assert (result.answered, result.missing, result.prorated) == (3, 1, True)
    # two missing: incomplete
    assert score_items(MADE_UP, {1: 2, 2: 3}).scale("mean").value is None


def test_nothing_answered_is_incomplete_whatever_the_limit() -> None:
    assert score_items(MADE_UP, {}).scale("mean").value is None


def test_halves_round_up_never_to_even() -> None:
    assert [round_half_up_whole(Decimal(x)) for x in ("0.5", "1.5", "2.5", "2.49", "12.5")] == [
        Decimal(1),
        Decimal(2),
        Decimal(3),
        Decimal(2),
        Decimal(13),
    ]


def test_a_score_between_whole_number_bands_stays_in_the_lower_band() -> None:
    # DASS-21 depression: moderate 14-20, severe 21-27; 20.5 is still moderate
    depression = DASS21.scale("depression")
    assert (
        band_for(depression, Decimal("20.5"), None)[0]
        == band_for(depression, Decimal(20), None)[0]
    )
    banded, form = band_for(depression, Decimal(21), None)
    assert banded is not None and banded.code == "severe"
    assert form == ""


def test_a_scale_without_bands_has_no_band() -> None:
    assert band_for(MADE_UP.scale("mean"), Decimal(4), None) == (None, "")


def test_band_sets_for_an_age_need_an_age() -> None:
    aged = BandSet(bands=(Band("x", "X", Decimal(0), Decimal(1)),), min_age_months=24)
    assert not aged.applies_to(None)
    assert aged.applies_to(24) and not aged.applies_to(23)
    assert BandSet(bands=()).applies_to(None)
