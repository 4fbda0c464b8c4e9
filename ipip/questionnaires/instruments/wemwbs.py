"""WEMWBS: Warwick-Edinburgh Mental Wellbeing Scale, 14 items (Tennant et al. 2007). Items
stored. Free for non-commercial use once registered with Warwick Medical School; the
service must register before using it. ipip does not show the item wording (see
wordings.py): the practitioner reads it from the registered paper form.

Scoring: 14 positively worded items over the last 2 weeks, each 1 (none of the time) to 5
(all of the time), summed (14-70); none reversed (Warwick "Collect, score, analyse and
interpret WEMWBS" page; Tennant et al. 2007). Higher is better.

Bands: none. The "cut points" some users quote were not verified.

Missing items: no published rule was found (the user guide's scoring advice could not be
read). ipip's rule: at most one item missing; the sum is prorated (sum x 14/13) and rounded
to a whole number, halves up; two or more missing: incomplete.

Reliable change: none. Tennant et al. report alpha .91 and a one-week retest, but no adult
population SD was verified.
"""

from decimal import Decimal

from ipip.questionnaires.instruments.base import (
    Direction,
    Instrument,
    Item,
    LicenceMode,
    ResponseOption,
    Rounding,
    Scale,
)

SOURCE = (
    "Tennant R et al. The Warwick-Edinburgh Mental Well-being Scale (WEMWBS): development "
    "and UK validation. Health Qual Life Outcomes 2007;5:63."
)
SCORING = (
    "Warwick Medical School: Collect, score, analyse and interpret WEMWBS "
    "(warwick.ac.uk/fac/sci/med/research/platform/wemwbs/using/howto)."
)

OPTIONS = (
    ResponseOption(1, "None of the time"),
    ResponseOption(2, "Rarely"),
    ResponseOption(3, "Some of the time"),
    ResponseOption(4, "Often"),
    ResponseOption(5, "All of the time"),
)

WEMWBS = Instrument(
    code="wemwbs",
    name="WEMWBS",
    version="1",
    licence=LicenceMode.ITEMS,
    licence_note=(
        "Free for non-commercial use after registering with Warwick Medical School; wording "
        "not shown on screen."
    ),
    about="The parent, about themselves, over the last 2 weeks.",
    sources=(SOURCE, SCORING),
    options=OPTIONS,
    items=tuple(Item(n, f"wemwbs.{n}") for n in range(1, 15)),
    scales=(
        Scale(
            code="total",
            name="Mental wellbeing",
            minimum=Decimal(14),
            maximum=Decimal(70),
            direction=Direction.HIGHER_IS_BETTER,
            items=tuple(range(1, 15)),
            max_missing=1,
            rounding=Rounding.WHOLE_HALF_UP,
        ),
    ),
)
