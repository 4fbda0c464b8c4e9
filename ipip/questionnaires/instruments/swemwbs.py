"""SWEMWBS: Short Warwick-Edinburgh Mental Wellbeing Scale, 7 items (Stewart-Brown et al.
2009). Items stored; licence and wording as for WEMWBS (registration; wording not shown).

Its seven items are WEMWBS items 1, 2, 3, 6, 7, 9 and 11 (optimistic, useful, relaxed,
dealing with problems, thinking clearly, close to other people, making up my own mind),
numbered 1-7 on the short form; each 1-5 over the last 2 weeks, none reversed.

Scoring: the raw sum (7-35) must be converted to the Rasch-based metric score with the
official Warwick conversion table ("it is important that it is scored correctly": Warwick
scoring guidance). The table below is keys.md §3.2: the Warwick table, cross-checked with
five public implementations (four give 26.02 for a raw 29; one gives 25.99). The conversion
needs all seven items: with any missing the score is incomplete.

No bands and no reliable-change parameters: neither was verified (HSE norms give means of
23.7/23.2 but the SD was not read).
"""

from decimal import Decimal

from ipip.questionnaires.instruments.base import (
    Direction,
    Instrument,
    Item,
    LicenceMode,
    Scale,
)
from ipip.questionnaires.instruments.wemwbs import OPTIONS

SOURCE = (
    "Stewart-Brown S et al. Internal construct validity of the Warwick-Edinburgh Mental "
    "Well-being Scale (WEMWBS): a Rasch analysis. Health Qual Life Outcomes 2009;7:15."
)
TABLE = (
    "Warwick Medical School: SWEMWBS raw score to metric score conversion table "
    "(cross-checked with five public implementations)."
)

# Raw sum of the seven items -> metric score.
METRIC: dict[int, Decimal] = {
    7: Decimal("7.00"),
    8: Decimal("9.51"),
    9: Decimal("11.25"),
    10: Decimal("12.40"),
    11: Decimal("13.33"),
    12: Decimal("14.08"),
    13: Decimal("14.75"),
    14: Decimal("15.32"),
    15: Decimal("15.84"),
    16: Decimal("16.36"),
    17: Decimal("16.88"),
    18: Decimal("17.43"),
    19: Decimal("17.98"),
    20: Decimal("18.59"),
    21: Decimal("19.25"),
    22: Decimal("19.98"),
    23: Decimal("20.73"),
    24: Decimal("21.54"),
    25: Decimal("22.35"),
    26: Decimal("23.21"),
    27: Decimal("24.11"),
    28: Decimal("25.03"),
    29: Decimal("26.02"),
    30: Decimal("27.03"),
    31: Decimal("28.13"),
    32: Decimal("29.31"),
    33: Decimal("30.70"),
    34: Decimal("32.55"),
    35: Decimal("35.00"),
}

SWEMWBS = Instrument(
    code="swemwbs",
    name="SWEMWBS",
    version="1",
    licence=LicenceMode.ITEMS,
    licence_note=(
        "Free for non-commercial use after registering with Warwick Medical School; wording "
        "not shown on screen."
    ),
    about="The parent, about themselves, over the last 2 weeks.",
    sources=(SOURCE, TABLE),
    options=OPTIONS,
    items=tuple(Item(n, f"swemwbs.{n}") for n in range(1, 8)),
    scales=(
        Scale(
            code="total",
            name="Mental wellbeing (metric score)",
            minimum=Decimal("7.00"),
            maximum=Decimal("35.00"),
            direction=Direction.HIGHER_IS_BETTER,
            items=tuple(range(1, 8)),
            conversion=METRIC,
            note="Raw sum converted with the Warwick metric table; needs all 7 items.",
        ),
    ),
)
