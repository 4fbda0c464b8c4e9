"""Parenting Scale (Arnold, O'Leary, Wolff & Acker 1993). Scores only, by ipip's decision:
the instrument itself is freely available, but its item keys could not be verified against
a primary source (issue 4 §1: "verify the item keys against a primary source; if you
cannot, make it scores-only").

What was and was not verified (details in docs/adr/0008):
- 30 items, 7-point, keyed so 7 = the ineffective end; scale scores are means [2+].
- Which items are reversed: items 1-16 from the anchors on two copies of the form [2+];
  items 17-30 only from one public implementation [one source].
- Which items make Laxness, Over-reactivity and Verbosity: one secondary source (the
  Fischer & Corcoran compendium entry) with partial support (subscale sizes 11/10/7 and
  three over-reactivity items). Arnold et al. 1993, Table 1 could not be read.
- Missing-item rule: none published.
So the practitioner scores the form with the Triple P scoring sheet (or the Triple P
scoring tool) and types in the three subscale means and the total mean (mean of all 30
keyed items), each 1.00-7.00 with up to two decimal places. Lower is better.

Bands and cut-offs: none. The "clinical cut-offs" in circulation (e.g. laxness 3.6,
over-reactivity 4.0) were not found in a checkable source.

Reliable change (total only): r = .84, the total score's retest reliability [2+: CoFaM-Study
protocol; CEBC], and SD 0.6, the non-clinic mothers' total SD in Arnold et al. 1993 (as
given in the Fischer & Corcoran entry; one source). Subscale retest values were not found,
so the subscales have none. Verbosity has weak internal consistency [2+]; read it with care.
"""

from decimal import Decimal

from ipip.questionnaires.instruments.base import (
    Direction,
    Instrument,
    LicenceMode,
    ReliableChangeParams,
    Scale,
)

SOURCE = (
    "Arnold DS, O'Leary SG, Wolff LS, Acker MM. The Parenting Scale: a measure of "
    "dysfunctional parenting in discipline situations. Psychol Assess 1993;5:137-144."
)
RC = (
    "r .84: total retest (CoFaM-Study protocol, paperkb.org; CEBC 'adequate'); SD 0.6: "
    "non-clinic mothers' total SD, Arnold et al. 1993 as given in Fischer & Corcoran."
)


def _mean_scale(code: str, name: str, rc: ReliableChangeParams | None = None) -> Scale:
    return Scale(
        code=code,
        name=name,
        minimum=Decimal(1),
        maximum=Decimal(7),
        direction=Direction.LOWER_IS_BETTER,
        decimal_places=2,
        reliable_change=rc,
        note="Mean of the keyed items, 1 (effective) to 7 (ineffective).",
    )


PARENTING_SCALE = Instrument(
    code="parenting_scale",
    name="Parenting Scale",
    version="1",
    licence=LicenceMode.SCORES_ONLY,
    licence_note=(
        "Freely available, but entered as scores: its item keys could not be verified against "
        "a primary source. Score the form with the Triple P scoring sheet and enter the means."
    ),
    about="The parent, about their discipline style over the past 2 months.",
    sources=(SOURCE, RC),
    scales=(
        _mean_scale("laxness", "Laxness"),
        _mean_scale("over_reactivity", "Over-reactivity"),
        _mean_scale("verbosity", "Verbosity"),
        _mean_scale(
            "total",
            "Total",
            ReliableChangeParams(
                sd=Decimal("0.6"),
                reliability=Decimal("0.84"),
                reliability_kind="test-retest",
                source=RC,
            ),
        ),
    ),
)
