"""DASS-21: Depression Anxiety Stress Scales, short form (Lovibond & Lovibond 1995). Items
stored: public domain; it may be copied and used electronically if unmodified and not sold
(DASS website and FAQ, University of New South Wales).

Scoring: 21 items 0-3 over the past week; three 7-item subscales, none reversed:
- depression 3, 5, 10, 13, 16, 17, 21;
- anxiety 2, 4, 7, 9, 15, 19, 20;
- stress 1, 6, 8, 11, 12, 14, 18.
Each subscale is summed and multiplied by 2, to compare with the 42-item DASS norms. Keys
agree across the DASS scoring template and several independent copies (domain.md [38],
psytoolkit and calculator pages, public scoring scripts); the item content matches the
subscale (e.g. anxiety items are autonomic arousal).

Severity bands on the x2 score (Lovibond & Lovibond 1995, as reproduced by several
sources: domain.md [39][40], world.rugby appendix, psyctest): depression 0-9 normal, 10-13
mild, 14-20 moderate, 21-27 severe, 28+ extremely severe; anxiety 0-7, 8-9, 10-14, 15-19,
20+; stress 0-14, 15-18, 19-25, 26-33, 34+. A depression score in the extremely severe band
is a risk flag (issue 4 §5).

Missing items: the DASS FAQ has a question on missing scores but its answer could not be
read here. ipip's rule: at most one of a subscale's seven items may be missing; its sum is
then prorated (sum x 7/6), rounded to a whole number (halves up) and doubled, so the score
stays even like every unprorated DASS-21 score. Two or more missing: incomplete.

Reliable change: SD of the doubled scores in the UK normative sample (Henry & Crawford
2005, N = 1,794: depression 7.74, anxiety 5.90; one source) and the lower end of the 2-week
retest range reported for the DASS (Antony et al. 1998, as cited: depression .71-.81,
anxiety .74-.81). Stress has none: the sources disagree on its normative SD (keys.md §3.1).
No published clinical cut-off, so no clinically significant change.
"""

from decimal import Decimal

from ipip.questionnaires.instruments.base import (
    Band,
    BandSet,
    Direction,
    Instrument,
    Item,
    LicenceMode,
    ReliableChangeParams,
    ResponseOption,
    Rounding,
    Scale,
)

SOURCE = (
    "Lovibond SH, Lovibond PF. Manual for the Depression Anxiety Stress Scales. 2nd ed. "
    "Sydney: Psychology Foundation; 1995."
)
NORMS = (
    "Henry JD, Crawford JR. The short-form version of the Depression Anxiety Stress Scales "
    "(DASS-21). Br J Clin Psychol 2005;44:227-239 (doubled SDs, as given in a public norms "
    "file; one source)."
)
RETEST = (
    "Antony MM et al. Psychometric properties of the 42-item and 21-item versions of the "
    "DASS. Psychol Assess 1998;10:176-181 (2-week retest, as cited; lower end of the range)."
)

DEPRESSION = (3, 5, 10, 13, 16, 17, 21)
ANXIETY = (2, 4, 7, 9, 15, 19, 20)
STRESS = (1, 6, 8, 11, 12, 14, 18)


def _bands(mild: int, moderate: int, severe: int, extreme: int) -> BandSet:
    """Bands from the first score of each band above normal (x2 scores, 0-42)."""
    return BandSet(
        bands=(
            Band("normal", "Normal", Decimal(0), Decimal(mild - 1)),
            Band("mild", "Mild", Decimal(mild), Decimal(moderate - 1)),
            Band("moderate", "Moderate", Decimal(moderate), Decimal(severe - 1)),
            Band("severe", "Severe", Decimal(severe), Decimal(extreme - 1)),
            Band("extremely_severe", "Extremely severe", Decimal(extreme), Decimal(42)),
        ),
        source=SOURCE + " Severity labels for x2 scores.",
    )


def _subscale(
    code: str,
    name: str,
    items: tuple[int, ...],
    bands: BandSet,
    reliable_change: ReliableChangeParams | None,
    risk_bands: frozenset[str] = frozenset(),
) -> Scale:
    return Scale(
        code=code,
        name=name,
        minimum=Decimal(0),
        maximum=Decimal(42),
        direction=Direction.LOWER_IS_BETTER,
        items=items,
        multiplier=2,
        max_missing=1,
        rounding=Rounding.WHOLE_HALF_UP,
        band_sets=(bands,),
        reliable_change=reliable_change,
        risk_bands=risk_bands,
    )


DASS21 = Instrument(
    code="dass21",
    name="DASS-21",
    version="1",
    licence=LicenceMode.ITEMS,
    licence_note=(
        "Public domain (University of New South Wales): may be used on screen if unmodified "
        "and not sold; cite the DASS website."
    ),
    about="The parent, about themselves, over the past week.",
    sources=(SOURCE, NORMS, RETEST),
    options=(
        ResponseOption(0, "Did not apply to me at all"),
        ResponseOption(1, "Applied to me to some degree, or some of the time"),
        ResponseOption(2, "Applied to me to a considerable degree or a good part of time"),
        ResponseOption(3, "Applied to me very much or most of the time"),
    ),
    items=tuple(Item(n, f"dass21.{n}") for n in range(1, 22)),
    scales=(
        _subscale(
            "depression",
            "Depression",
            DEPRESSION,
            _bands(10, 14, 21, 28),
            ReliableChangeParams(
                sd=Decimal("7.74"),
                reliability=Decimal("0.71"),
                reliability_kind="test-retest (2 weeks)",
                source=f"SD: {NORMS} r: {RETEST}",
            ),
            risk_bands=frozenset({"extremely_severe"}),
        ),
        _subscale(
            "anxiety",
            "Anxiety",
            ANXIETY,
            _bands(8, 10, 15, 20),
            ReliableChangeParams(
                sd=Decimal("5.90"),
                reliability=Decimal("0.74"),
                reliability_kind="test-retest (2 weeks)",
                source=f"SD: {NORMS} r: {RETEST}",
            ),
        ),
        _subscale("stress", "Stress", STRESS, _bands(15, 19, 26, 34), None),
    ),
)
