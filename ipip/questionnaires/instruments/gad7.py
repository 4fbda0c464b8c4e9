"""GAD-7: Generalized Anxiety Disorder 7-item scale (Spitzer, Kroenke, Williams & Löwe
2006). Items stored: same family and terms as the PHQ-9 (Pfizer; no permission needed to
reproduce, translate, display or distribute).

Scoring: seven items 0-3 over the last two weeks, summed (0-21). Bands 0-4 minimal, 5-9
mild, 10-14 moderate, 15-21 severe: scores of 5, 10 and 15 are the published cut points
(Spitzer et al. 2006; several independent copies). Clinical cut-off 10, the cut point that
optimised sensitivity (89%) and specificity (82%) in Spitzer et al. 2006. (NHS Talking
Therapies uses 8 for caseness; ipip follows the instrument's authors.)

Missing items: no rule published by the authors was found. ipip's rule, as for the PHQ-9:
at most one item missing, the sum prorated (sum x 7/6) and rounded to a whole number,
halves up; two or more missing: incomplete.

Reliable change: alpha .89 and SD 3.5 from the German general-population standardisation
(Löwe et al. 2008, N = 5,030; SD 3.5 for women, 3.2 for men; one study). The larger (women's)
SD is used: most respondents in this service are mothers, and it is the more conservative.
"""

from decimal import Decimal

from ipip.questionnaires.instruments.base import (
    Band,
    BandSet,
    Cutoff,
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
    "Spitzer RL, Kroenke K, Williams JBW, Löwe B. A brief measure for assessing generalized "
    "anxiety disorder: the GAD-7. Arch Intern Med 2006;166:1092-1097."
)
NORMS = (
    "Löwe B et al. Validation and standardization of the Generalized Anxiety Disorder "
    "Screener (GAD-7) in the general population. Med Care 2008;46(3):266-274."
)

GAD7 = Instrument(
    code="gad7",
    name="GAD-7",
    version="1",
    licence=LicenceMode.ITEMS,
    licence_note="Free public resource (Pfizer): no permission needed to reproduce or display.",
    about="The parent, about themselves, over the last 2 weeks.",
    sources=(SOURCE, NORMS),
    options=(
        ResponseOption(0, "Not at all"),
        ResponseOption(1, "Several days"),
        ResponseOption(2, "More than half the days"),
        ResponseOption(3, "Nearly every day"),
    ),
    items=tuple(Item(n, f"gad7.{n}") for n in range(1, 8)),
    scales=(
        Scale(
            code="total",
            name="Anxiety severity",
            minimum=Decimal(0),
            maximum=Decimal(21),
            direction=Direction.LOWER_IS_BETTER,
            items=tuple(range(1, 8)),
            max_missing=1,
            rounding=Rounding.WHOLE_HALF_UP,
            band_sets=(
                BandSet(
                    bands=(
                        Band("minimal", "Minimal", Decimal(0), Decimal(4)),
                        Band("mild", "Mild", Decimal(5), Decimal(9)),
                        Band("moderate", "Moderate", Decimal(10), Decimal(14)),
                        Band("severe", "Severe", Decimal(15), Decimal(21)),
                    ),
                    source=SOURCE,
                ),
            ),
            reliable_change=ReliableChangeParams(
                sd=Decimal("3.5"),
                reliability=Decimal("0.89"),
                reliability_kind="internal consistency (alpha)",
                source=NORMS + " (alpha .89; SD 3.5, women).",
            ),
            cutoff=Cutoff(Decimal(10), "Spitzer et al. 2006: a score of 10 or more."),
        ),
    ),
)
