"""GCP2: Graded Care Profile 2 (NSPCC, from Srivastava & Polnay's Graded Care Profile).
Scores only: NSPCC licence, trained and licensed practitioners only; the tool and its
guidance must not be shared with untrained staff. The trained practitioner completes the
GCP2 and types in the four area grades.

Areas (based on Maslow's hierarchy of needs) [2+: Thurrock and Wirral safeguarding
partnerships' GCP2 pages; North Lincolnshire's FAQ]: physical care; care of safety;
emotional care (love and belonging); developmental care (care of esteem). Each area is
graded 1 (best) to 5 (worst), a whole number; lower is better. No total: the areas are a
profile. The GCP2 measures the care given to an individual child, so it is recorded about
one child.

No bands (the grades are the scale), no reliable-change parameters and no cut-off: none is
published for GCP2 area grades.
"""

from decimal import Decimal

from ipip.questionnaires.instruments.base import Direction, Instrument, LicenceMode, Scale

SOURCE = (
    "NSPCC. Graded Care Profile 2 (GCP2). learning.nspcc.org.uk; area names as given by "
    "Thurrock LSCP and Wirral Safeguarding Children Partnership GCP2 pages."
)


def _area(code: str, name: str) -> Scale:
    return Scale(
        code=code,
        name=name,
        minimum=Decimal(1),
        maximum=Decimal(5),
        direction=Direction.LOWER_IS_BETTER,
        note="Grade 1 (best) to 5 (worst).",
    )


GCP2 = Instrument(
    code="gcp2",
    name="Graded Care Profile 2",
    version="1",
    licence=LicenceMode.SCORES_ONLY,
    licence_note=(
        "NSPCC licence: licensed, trained practitioners only. Complete the GCP2 and enter the "
        "four area grades."
    ),
    about="A trained practitioner, about the care one child receives now.",
    sources=(SOURCE,),
    about_child=True,
    scales=(
        _area("physical", "Physical care"),
        _area("safety", "Care of safety"),
        _area("emotional", "Emotional care (love and belonging)"),
        _area("developmental", "Developmental care (care of esteem)"),
    ),
)
