"""SDQ: Strengths and Difficulties Questionnaire, parent report, 2-4 and 4-17 forms
(Goodman 1997). Scores only: youthinmind holds the copyright and allows no electronic
version or scoring without its agreement (sdqinfo.org; PMHC-MDS SDQ page). The practitioner
scores the paper form with the official sheet and types in the scale scores; ipip keeps no
item answers.

Entered (whole numbers): emotional symptoms, conduct problems, hyperactivity/inattention,
peer problems and prosocial, each 0-10; impact 0-10 if the back page was used (optional).
Total difficulties = emotional + conduct + hyperactivity + peer (0-40), computed by ipip;
prosocial and impact are not in it. If any of the four is missing the total is missing
(the sdqinfo syntax adds the four scales plainly; keys.md §1.5).

Bands (UK, parent report, 3-band scheme), chosen by the child's age in months on the day
the form was completed: under 48 months the 2-4 form's bands, from 48 months the 4-17
form's. 4-17 bands [2+: PMHC-MDS scoring document; BMC Pediatrics 2023 Table 2;
domain.md [45]]. 2-4 bands [one source: BMC Pediatrics 2023 Table 2, citing the UK
2-4 cut-offs, which the official 2-4 scoring sheet calls provisional].

Left out, unverified: impact bands (from memory only); the newer 4-band scheme
(close to average / slightly raised / high / very high) for the parent form.

Reliable change (total difficulties only): SD 6.26, the PMHC national baseline SD for the
parent 4-10 form (2025; one source), and r = .62, the mean 4-6-month retest stability
reported for the SDQ's scores (N = 10,438; domain.md [47]), used for the total as a
conservative stand-in (a total is usually more stable than the mean of its scales).
No clinical cut-off for clinically significant change: the abnormal threshold differs
between the two forms (16 at 2-4, 17 at 4-17) and a Cutoff holds one value; the band shown
at each time point carries that information.
"""

from decimal import Decimal

from ipip.questionnaires.instruments.base import (
    Band,
    BandSet,
    Direction,
    Instrument,
    LicenceMode,
    ReliableChangeParams,
    Scale,
)

SOURCE = (
    "Goodman R. The Strengths and Difficulties Questionnaire: a research note. J Child "
    "Psychol Psychiatry 1997;38:581-586."
)
BANDS_4_17 = (
    "UK parent cut-offs, 4-17: PMHC-MDS Scoring the SDQ (2019); BMC Pediatrics 2023, "
    "doi:10.1186/s12887-023-03837-1, Table 2."
)
BANDS_2_4 = (
    "UK parent cut-offs, 2-4 (provisional; one source): BMC Pediatrics 2023, "
    "doi:10.1186/s12887-023-03837-1, Table 2."
)
RC = (
    "SD 6.26: PMHC national baseline SD, parent 4-10 form (2025); r .62: mean 4-6-month "
    "retest stability of the SDQ's scores (Goodman R. Psychometric properties of the SDQ. "
    "J Am Acad Child Adolesc Psychiatry 2001;40(11):1337-45; N = 10,438), used for the total."
)

# The 2-4 form applies below this age in months; the 4-17 form from it.
FORM_BOUNDARY_MONTHS = 48
MAX_AGE_MONTHS = 216  # 18th birthday


def _difficulty_bands(
    border_2_4: int, abnormal_2_4: int, border_4_17: int, abnormal_4_17: int, top: int
) -> tuple[BandSet, ...]:
    """Normal / borderline / abnormal for a difficulties scale (high = more difficulty),
    given the first borderline and first abnormal score of each form."""

    def band_set(border: int, abnormal: int, form: str, low: int, high: int) -> BandSet:
        return BandSet(
            bands=(
                Band("normal", "Normal", Decimal(0), Decimal(border - 1)),
                Band("borderline", "Borderline", Decimal(border), Decimal(abnormal - 1)),
                Band("abnormal", "Abnormal", Decimal(abnormal), Decimal(top)),
            ),
            form=form,
            min_age_months=low,
            max_age_months=high,
            source=BANDS_2_4 if form == "2-4" else BANDS_4_17,
        )

    return (
        band_set(border_2_4, abnormal_2_4, "2-4", 24, FORM_BOUNDARY_MONTHS),
        band_set(border_4_17, abnormal_4_17, "4-17", FORM_BOUNDARY_MONTHS, MAX_AGE_MONTHS),
    )


def _prosocial_bands() -> tuple[BandSet, ...]:
    """Prosocial: low is the concern. 2-4: abnormal 0-5, borderline 6, normal 7-10;
    4-17: abnormal 0-4, borderline 5, normal 6-10."""

    def band_set(abnormal_top: int, form: str, low: int, high: int) -> BandSet:
        return BandSet(
            bands=(
                Band("abnormal", "Abnormal", Decimal(0), Decimal(abnormal_top)),
                Band(
                    "borderline",
                    "Borderline",
                    Decimal(abnormal_top + 1),
                    Decimal(abnormal_top + 1),
                ),
                Band("normal", "Normal", Decimal(abnormal_top + 2), Decimal(10)),
            ),
            form=form,
            min_age_months=low,
            max_age_months=high,
            source=BANDS_2_4 if form == "2-4" else BANDS_4_17,
        )

    return (
        band_set(5, "2-4", 24, FORM_BOUNDARY_MONTHS),
        band_set(4, "4-17", FORM_BOUNDARY_MONTHS, MAX_AGE_MONTHS),
    )


def _difficulty(code: str, name: str, band_sets: tuple[BandSet, ...]) -> Scale:
    return Scale(
        code=code,
        name=name,
        minimum=Decimal(0),
        maximum=Decimal(10),
        direction=Direction.LOWER_IS_BETTER,
        band_sets=band_sets,
    )


DIFFICULTIES = ("emotional", "conduct", "hyperactivity", "peer")

SDQ = Instrument(
    code="sdq",
    name="SDQ",
    version="1",
    licence=LicenceMode.SCORES_ONLY,
    licence_note=(
        "youthinmind copyright: no electronic version or scoring without its agreement. "
        "Score the paper form with the official sheet and enter the scale scores."
    ),
    about=(
        "A parent, about one child: the 2-4 form under 4 years, the 4-17 form from 4. "
        "Last 6 months (baseline form) or last month (follow-up form)."
    ),
    sources=(SOURCE, BANDS_4_17, BANDS_2_4, RC),
    about_child=True,
    child_age_months=(24, MAX_AGE_MONTHS),
    scales=(
        _difficulty("emotional", "Emotional symptoms", _difficulty_bands(3, 4, 4, 5, 10)),
        _difficulty("conduct", "Conduct problems", _difficulty_bands(4, 5, 3, 4, 10)),
        _difficulty(
            "hyperactivity", "Hyperactivity/inattention", _difficulty_bands(6, 7, 6, 7, 10)
        ),
        _difficulty("peer", "Peer relationship problems", _difficulty_bands(3, 4, 3, 4, 10)),
        Scale(
            code="total",
            name="Total difficulties",
            minimum=Decimal(0),
            maximum=Decimal(40),
            direction=Direction.LOWER_IS_BETTER,
            sum_of_scales=DIFFICULTIES,
            band_sets=_difficulty_bands(13, 16, 14, 17, 40),
            reliable_change=ReliableChangeParams(
                sd=Decimal("6.26"),
                reliability=Decimal("0.62"),
                reliability_kind="test-retest (4-6 months)",
                source=RC,
            ),
            note="Emotional + conduct + hyperactivity + peer; missing if any is missing.",
        ),
        Scale(
            code="prosocial",
            name="Prosocial behaviour",
            minimum=Decimal(0),
            maximum=Decimal(10),
            direction=Direction.HIGHER_IS_BETTER,
            band_sets=_prosocial_bands(),
        ),
        Scale(
            code="impact",
            name="Impact",
            minimum=Decimal(0),
            maximum=Decimal(10),
            direction=Direction.LOWER_IS_BETTER,
            optional=True,
            note="Optional (back page). No bands: the impact bands could not be verified.",
        ),
    ),
)
