"""PCRI: Parent-Child Relationship Inventory (Gerard 1994). Scores only: commercial
(Western Psychological Services, qualification level C). The practitioner scores the
AutoScore form (or WPS's scoring software) and types in the seven scale scores.

Entered: the seven content scales' T-scores, whole numbers, as the PCRI profile gives them
(the manual converts raw scores to T-scores and percentiles, with separate norms for
mothers and fathers). T-scores, not raw scores, because the scales have different numbers
of items (raw ranges differ and were not verified), T-scores put every scale on one
metric (mean 50, SD 10) and already apply the mother/father norms. ipip refuses T-scores
outside 10-90 (4 SD either side of the mean): a bound chosen by ipip to catch typing
errors, not a published range.

Scales (seven, no total; high = positive parenting) [2+: WPS product page, the PCRI manual
introduction, Encyclopedia of Psychology and Law]: Parental Support, Satisfaction with
Parenting, Involvement, Communication, Limit Setting, Autonomy, Role Orientation. The two
validity indicators (social desirability, inconsistency) are not entered. Designed for
parents of children aged 3 to 15, so it is answered about one child of that age.

No bands: the manual's interpretive ranges were not verified.

Reliable change: SD 10 (the T-score metric) and the one-week retest reported in the manual
(as cited in the Encyclopedia of Psychology and Law): .68 (Communication) to .93 (Limit
Setting). Those two scales use their own values; the other five use .68, the lowest
reported, as a conservative value because their own were not found.
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
    "Gerard AB. Parent-Child Relationship Inventory (PCRI) manual. Los Angeles: Western "
    "Psychological Services; 1994."
)
RETEST = (
    "One-week retest .68 (Communication) to .93 (Limit Setting), PCRI manual as cited in the "
    "Encyclopedia of Psychology and Law; SD 10 is the T-score metric."
)


def _scale(code: str, name: str, reliability: str, kind: str) -> Scale:
    return Scale(
        code=code,
        name=name,
        minimum=Decimal(10),
        maximum=Decimal(90),
        direction=Direction.HIGHER_IS_BETTER,
        reliable_change=ReliableChangeParams(
            sd=Decimal(10), reliability=Decimal(reliability), reliability_kind=kind, source=RETEST
        ),
        note="T-score.",
    )


OWN = "test-retest (1 week)"
LOWEST = "test-retest (1 week; lowest reported for any PCRI scale)"

PCRI = Instrument(
    code="pcri",
    name="PCRI",
    version="1",
    licence=LicenceMode.SCORES_ONLY,
    licence_note=(
        "Commercial (WPS, level C). Score the form with the WPS AutoScore sheet or software and "
        "enter the seven T-scores."
    ),
    about="A parent, about their relationship with one child aged 3 to 15.",
    sources=(SOURCE, RETEST),
    about_child=True,
    child_age_months=(36, 192),
    scales=(
        _scale("support", "Parental support", "0.68", LOWEST),
        _scale("satisfaction", "Satisfaction with parenting", "0.68", LOWEST),
        _scale("involvement", "Involvement", "0.68", LOWEST),
        _scale("communication", "Communication", "0.68", OWN),
        _scale("limit_setting", "Limit setting", "0.93", OWN),
        _scale("autonomy", "Autonomy", "0.68", LOWEST),
        _scale("role_orientation", "Role orientation", "0.68", LOWEST),
    ),
)
