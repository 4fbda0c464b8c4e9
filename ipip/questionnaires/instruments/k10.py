"""K10: Kessler Psychological Distress Scale (Kessler et al. 2002). Items stored: free to
use with citation of Kessler et al. (NSW Health, MH-OAT copyright page).

Scoring: ten items over the last 4 weeks, each 1 (none of the time) to 5 (all of the time),
summed (10-50); no item is reversed. Bands 10-15 low, 16-21 moderate, 22-29 high, 30-50
very high (Australian Bureau of Statistics, Information Paper 4817.0.55.001, Table E; the
same bands in domain.md [28][55] and public scoring code). A total in the very high band
is a risk flag (issue 4 §5).

Missing items: the Australian Primary Mental Health Care Minimum Data Set (PMHC-MDS
specification, K10+ score, from 1 November 2021, citing AMHOCN): with one item missing the
total is round(sum of the nine / 9 x 10); with more than one missing it is not scored.
ipip rounds halves up.

Reliable change: SD 8.74 (PMHC national K10+ standard deviations, 2025) and alpha .91
(published value as quoted with the Neami reliable-change function; the Neami intake data
gave .92). Several sources put the SD at 8.7-9.2 (keys.md §3.1). No clinical cut-off is
used: the sources give population bands, not a cut-off for clinically significant change.
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
    "Kessler RC et al. Short screening scales to monitor population prevalences and trends "
    "in non-specific psychological distress. Psychol Med 2002;32:959-976."
)
BANDS = (
    "Australian Bureau of Statistics. Information Paper: Use of the Kessler Psychological "
    "Distress Scale in ABS Health Surveys, 4817.0.55.001, Table E."
)
MISSING = (
    "PMHC-MDS specification, K10+ score (github.com/logicly-au/pmhc-mds-spec, "
    "table/collection-occasion/k10p/score.rst): one missing item prorated, more invalid."
)
RC = (
    "SD 8.74: PMHC national K10+ outcome-measure standard deviations (2025); alpha .91 as "
    "quoted with the Neami K10 reliable-change function (a public R package)."
)

K10 = Instrument(
    code="k10",
    name="K10",
    version="1",
    licence=LicenceMode.ITEMS,
    licence_note="Free to use with citation of Kessler et al. 2002.",
    about="The parent, about themselves, over the last 4 weeks.",
    sources=(SOURCE, BANDS, MISSING, RC),
    options=(
        ResponseOption(1, "None of the time"),
        ResponseOption(2, "A little of the time"),
        ResponseOption(3, "Some of the time"),
        ResponseOption(4, "Most of the time"),
        ResponseOption(5, "All of the time"),
    ),
    items=tuple(Item(n, f"k10.{n}") for n in range(1, 11)),
    scales=(
        Scale(
            code="total",
            name="Psychological distress",
            minimum=Decimal(10),
            maximum=Decimal(50),
            direction=Direction.LOWER_IS_BETTER,
            items=tuple(range(1, 11)),
            max_missing=1,
            rounding=Rounding.WHOLE_HALF_UP,
            band_sets=(
                BandSet(
                    bands=(
                        Band("low", "Low", Decimal(10), Decimal(15)),
                        Band("moderate", "Moderate", Decimal(16), Decimal(21)),
                        Band("high", "High", Decimal(22), Decimal(29)),
                        Band("very_high", "Very high", Decimal(30), Decimal(50)),
                    ),
                    source=BANDS,
                ),
            ),
            reliable_change=ReliableChangeParams(
                sd=Decimal("8.74"),
                reliability=Decimal("0.91"),
                reliability_kind="internal consistency (alpha)",
                source=RC,
            ),
            risk_bands=frozenset({"very_high"}),
        ),
    ),
)
