"""PHQ-9: Patient Health Questionnaire, nine depression items (Kroenke, Spitzer & Williams
2001). Items stored: a free public resource (Pfizer; no permission needed to reproduce,
translate, display or distribute).

Scoring: nine items 0-3 over the last two weeks, summed (0-27). Severity bands 0-4 minimal,
5-9 mild, 10-14 moderate, 15-19 moderately severe, 20-27 severe (Kroenke et al. 2001;
the same bands in several independent copies of the scoring guide). Item 9 (thoughts of
being better off dead or of self-harm) above 0 is a risk item whatever the total.

Missing items: no rule from the authors was found. The only published rule found (Arrieta
et al. 2017, J Clin Psychol, doi:10.1002/jclp.22390, as implemented in the qscorer R
package) scores up to two missing items by the mean of the rest. ipip is stricter: at most
one item may be missing;
the sum is then prorated (sum x 9/8) and rounded to a whole number, halves up. With two or
more missing the total is incomplete. A missing item 9 raises no risk flag: the page asks
for every item, and the practitioner reads the form.

Reliable change: SD 6.2 from a primary-care sample (PMC6734346, Table 2; one source) and
alpha .89 (Kroenke et al. 2001). Clinical cut-off 10 (Kroenke et al. 2001; NHS Talking
Therapies caseness).
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
    "Kroenke K, Spitzer RL, Williams JBW. The PHQ-9: validity of a brief depression severity "
    "measure. J Gen Intern Med 2001;16:606-613."
)

PHQ9 = Instrument(
    code="phq9",
    name="PHQ-9",
    version="1",
    licence=LicenceMode.ITEMS,
    licence_note="Free public resource (Pfizer): no permission needed to reproduce or display.",
    about="The parent, about themselves, over the last 2 weeks.",
    sources=(
        SOURCE,
        "Missing items: Arrieta J et al. J Clin Psychol 2017, doi:10.1002/jclp.22390 (up to two); ipip "
        "allows one.",
        "SD 6.2: primary-care sample, https://pmc.ncbi.nlm.nih.gov/articles/PMC6734346 (Table 2).",
    ),
    options=(
        ResponseOption(0, "Not at all"),
        ResponseOption(1, "Several days"),
        ResponseOption(2, "More than half the days"),
        ResponseOption(3, "Nearly every day"),
    ),
    items=tuple(Item(n, f"phq9.{n}", risk_above=0 if n == 9 else None) for n in range(1, 10)),
    scales=(
        Scale(
            code="total",
            name="Depression severity",
            minimum=Decimal(0),
            maximum=Decimal(27),
            direction=Direction.LOWER_IS_BETTER,
            items=tuple(range(1, 10)),
            max_missing=1,
            rounding=Rounding.WHOLE_HALF_UP,
            band_sets=(
                BandSet(
                    bands=(
                        Band("minimal", "Minimal", Decimal(0), Decimal(4)),
                        Band("mild", "Mild", Decimal(5), Decimal(9)),
                        Band("moderate", "Moderate", Decimal(10), Decimal(14)),
                        Band("moderately_severe", "Moderately severe", Decimal(15), Decimal(19)),
                        Band("severe", "Severe", Decimal(20), Decimal(27)),
                    ),
                    source=SOURCE,
                ),
            ),
            reliable_change=ReliableChangeParams(
                sd=Decimal("6.2"),
                reliability=Decimal("0.89"),
                reliability_kind="internal consistency (alpha)",
                source=SOURCE + " (alpha .89); SD 6.2 from a primary-care sample "
                "(PMC6734346, Table 2).",
            ),
            cutoff=Cutoff(Decimal(10), "Kroenke et al. 2001: a score of 10 or more (caseness)."),
        ),
    ),
)
