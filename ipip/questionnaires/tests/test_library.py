"""Structural checks of every instrument in the library: items numbered 1..n, scales made
of items that exist, bands covering each scale's range with no gap or overlap, every item
on a scale, licence mode consistent with what is stored, codes that fit the database, and
wording shown only where it may be."""

import importlib
import itertools
from decimal import Decimal

import pytest

from ipip.questionnaires.instruments import INSTRUMENTS, REGISTRY, get_instrument
from ipip.questionnaires.instruments.base import BandSet, Instrument, LicenceMode, Method, Scale
from ipip.questionnaires.instruments.wordings import SHOWN, WORDINGS, wording

ITEMS = [i for i in INSTRUMENTS if i.licence == LicenceMode.ITEMS]
SCORES = [i for i in INSTRUMENTS if i.licence == LicenceMode.SCORES_ONLY]
SCALES = [(i, s) for i in INSTRUMENTS for s in i.scales]
BANDED = [(i, s, b) for i, s in SCALES for b in s.band_sets]

# Items deliberately on no scale (none today; an instrument with such items lists them here).
OFF_SCALE: dict[str, set[int]] = {}


SCALE_IDS = [f"{i.code}.{s.code}" for i, s in SCALES]
BANDED_IDS = [f"{i.code}.{s.code}.{b.form or 'all'}" for i, s, b in BANDED]


def test_the_library_holds_the_instruments_issue_4_names() -> None:
    assert {i.code: i.licence for i in INSTRUMENTS} == {
        "dass21": LicenceMode.ITEMS,
        "phq9": LicenceMode.ITEMS,
        "gad7": LicenceMode.ITEMS,
        "k10": LicenceMode.ITEMS,
        "wemwbs": LicenceMode.ITEMS,
        "swemwbs": LicenceMode.ITEMS,
        # scores only: its item keys could not be verified against a primary source
        "parenting_scale": LicenceMode.SCORES_ONLY,
        "sdq": LicenceMode.SCORES_ONLY,
        "pcri": LicenceMode.SCORES_ONLY,
        "gcp2": LicenceMode.SCORES_ONLY,
    }
    assert len(REGISTRY) == len(INSTRUMENTS)
    assert all(get_instrument(i.code) is i for i in INSTRUMENTS)
    with pytest.raises(KeyError):
        get_instrument("psi")


@pytest.mark.parametrize("instrument", INSTRUMENTS, ids=lambda i: i.code)
def test_codes_fit_the_database_columns(instrument: Instrument) -> None:
    assert len(instrument.code) <= 20  # Administration.instrument_code
    assert len(instrument.version) <= 10
    for scale in instrument.scales:
        assert len(scale.code) <= 30  # ScaleScore.scale_code
        assert len(scale.note) <= 200
        for band_set in scale.band_sets:
            assert len(band_set.form) <= 20
            for band in band_set.bands:
                assert len(band.code) <= 30 and len(band.label) <= 60
                assert len(f"band_{scale.code}_{band.code}") <= 60  # RiskFlag.code


@pytest.mark.parametrize("instrument", INSTRUMENTS, ids=lambda i: i.code)
def test_each_instrument_cites_its_sources(instrument: Instrument) -> None:
    assert instrument.sources and all(len(source) > 20 for source in instrument.sources)
    assert instrument.licence_note and instrument.about
    module = importlib.import_module(f"ipip.questionnaires.instruments.{instrument.code}")
    assert module.__doc__ is not None and len(module.__doc__) > 400


@pytest.mark.parametrize("instrument", INSTRUMENTS, ids=lambda i: i.code)
def test_scale_codes_are_unique(instrument: Instrument) -> None:
    codes = [scale.code for scale in instrument.scales]
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize("instrument", ITEMS, ids=lambda i: i.code)
def test_items_are_numbered_1_to_n_with_unique_wording_keys(instrument: Instrument) -> None:
    numbers = [item.number for item in instrument.items]
    assert numbers == list(range(1, len(numbers) + 1))
    keys = [item.wording_key for item in instrument.items]
    assert keys == [f"{instrument.code}.{n}" for n in numbers]


@pytest.mark.parametrize("instrument", ITEMS, ids=lambda i: i.code)
def test_every_scale_is_made_of_items_that_exist_and_every_item_is_on_a_scale(
    instrument: Instrument,
) -> None:
    numbers = {item.number for item in instrument.items}
    on_scales: set[int] = set()
    for scale in instrument.scales:
        assert scale.items, f"{scale.code} has no items"
        assert len(scale.items) == len(set(scale.items))
        assert set(scale.items) <= numbers
        assert 0 <= scale.max_missing < len(scale.items)
        on_scales |= set(scale.items)
    assert numbers - on_scales == OFF_SCALE.get(instrument.code, set())


@pytest.mark.parametrize("instrument", ITEMS, ids=lambda i: i.code)
def test_items_have_whole_number_options_in_a_run(instrument: Instrument) -> None:
    for item in instrument.items:
        values = [option.value for option in instrument.options_for(item.number)]
        assert values == list(range(min(values), max(values) + 1))
        assert all(option.label for option in instrument.options_for(item.number))
        if item.risk_above is not None:
            assert min(values) <= item.risk_above < max(values)


@pytest.mark.parametrize("instrument", ITEMS, ids=lambda i: i.code)
def test_each_scale_range_is_what_its_items_can_make(instrument: Instrument) -> None:
    for scale in instrument.scales:
        lows = [min(o.value for o in instrument.options_for(n)) for n in scale.items]
        highs = [max(o.value for o in instrument.options_for(n)) for n in scale.items]
        if scale.conversion is not None:
            # a value for every raw sum the items can make, and nothing else
            assert set(scale.conversion) == set(range(sum(lows), sum(highs) + 1))
            assert min(scale.conversion.values()) == scale.minimum
            assert max(scale.conversion.values()) == scale.maximum
        elif scale.method == Method.SUM:
            assert scale.minimum == sum(lows) * scale.multiplier
            assert scale.maximum == sum(highs) * scale.multiplier
        else:
            assert (scale.minimum, scale.maximum) == (Decimal(min(lows)), Decimal(max(highs)))


@pytest.mark.parametrize("instrument", SCORES, ids=lambda i: i.code)
def test_scores_only_instruments_store_no_items(instrument: Instrument) -> None:
    assert instrument.items == ()
    assert instrument.options == ()
    assert not instrument.item_options
    for scale in instrument.scales:
        assert scale.items == ()
        assert scale.conversion is None
        assert scale.minimum < scale.maximum
    assert instrument.code not in SHOWN


@pytest.mark.parametrize(("instrument", "scale"), SCALES, ids=SCALE_IDS)
def test_sums_of_scales_are_made_of_other_scales(instrument: Instrument, scale: Scale) -> None:
    for code in scale.sum_of_scales:
        part = instrument.scale(code)
        assert not part.sum_of_scales
        assert part.direction == scale.direction
    if scale.sum_of_scales:
        parts = [instrument.scale(code) for code in scale.sum_of_scales]
        assert scale.minimum == sum((p.minimum for p in parts), Decimal(0))
        assert scale.maximum == sum((p.maximum for p in parts), Decimal(0))


@pytest.mark.parametrize(("instrument", "scale", "band_set"), BANDED, ids=BANDED_IDS)
def test_bands_cover_the_scale_range_with_no_gap_or_overlap(
    instrument: Instrument, scale: Scale, band_set: BandSet
) -> None:
    bands = sorted(band_set.bands, key=lambda band: band.low)
    assert bands[0].low == scale.minimum
    assert bands[-1].high == scale.maximum
    for band in bands:
        assert band.high is not None and band.low <= band.high
    for lower, upper in itertools.pairwise(bands):
        assert lower.high is not None
        # whole-number bands: the next starts one above where this one ends
        assert upper.low == lower.high + 1
    assert len({band.code for band in bands}) == len(bands)
    assert band_set.source


@pytest.mark.parametrize(("instrument", "scale"), SCALES, ids=SCALE_IDS)
def test_age_forms_cover_the_instrument_ages_without_overlap(
    instrument: Instrument, scale: Scale
) -> None:
    if not scale.band_sets:
        return
    if not instrument.about_child or instrument.child_age_months is None:
        assert len(scale.band_sets) == 1
        assert scale.band_sets[0].min_age_months is None
        assert scale.band_sets[0].max_age_months is None
        return
    low, high = instrument.child_age_months
    for age in range(low, high):
        assert sum(band_set.applies_to(age) for band_set in scale.band_sets) == 1, age
    assert scale.bands_for(low - 1) is None and scale.bands_for(high) is None


@pytest.mark.parametrize(("instrument", "scale"), SCALES, ids=SCALE_IDS)
def test_risk_bands_and_cut_offs_belong_to_the_scale(instrument: Instrument, scale: Scale) -> None:
    for band_set in scale.band_sets:
        assert scale.risk_bands <= {band.code for band in band_set.bands}
    if scale.risk_bands:
        assert scale.band_sets
    if scale.cutoff is not None:
        assert scale.minimum < scale.cutoff.value <= scale.maximum
        assert scale.cutoff.source


def test_the_risk_rules_of_issue_4_are_defined() -> None:
    assert [i.number for i in get_instrument("phq9").items if i.risk_above is not None] == [9]
    assert get_instrument("phq9").item(9).risk_above == 0
    assert get_instrument("k10").scale("total").risk_bands == {"very_high"}
    assert get_instrument("dass21").scale("depression").risk_bands == {"extremely_severe"}
    flagged = {(i.code, s.code) for i, s in SCALES if s.risk_bands} | {
        (i.code, f"item_{it.number}") for i in ITEMS for it in i.items if it.risk_above is not None
    }
    assert flagged == {("phq9", "item_9"), ("k10", "total"), ("dass21", "depression")}


def test_child_instruments_say_which_ages_they_are_for() -> None:
    about_child = {i.code: i.child_age_months for i in INSTRUMENTS if i.about_child}
    assert about_child == {"sdq": (24, 216), "pcri": (36, 192), "gcp2": None}
    assert all(i.child_age_months is None for i in INSTRUMENTS if not i.about_child)


def test_wording_is_only_for_shown_instruments_and_covers_their_items() -> None:
    assert {i.code for i in ITEMS} >= SHOWN
    assert not {"wemwbs", "swemwbs"} & SHOWN  # registration needed: not shown
    shown_keys = {item.wording_key for code in SHOWN for item in get_instrument(code).items}
    assert set(WORDINGS) == shown_keys
    assert all(text.strip() == text and len(text) > 3 for text in WORDINGS.values())


def test_wording_returns_the_text_or_none() -> None:
    assert wording("phq9.9") == (
        "Thoughts that you would be better off dead or of hurting yourself in some way"
    )
    assert wording("wemwbs.1") is None
    assert wording("sdq.1") is None
    assert wording("nonsense") is None
