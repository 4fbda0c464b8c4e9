"""The instrument library: each instrument defined once, next to its scoring.

Sources and the decisions taken where they were silent: docs/adr/0008.
"""

from ipip.questionnaires.instruments.base import Instrument
from ipip.questionnaires.instruments.dass21 import DASS21
from ipip.questionnaires.instruments.gad7 import GAD7
from ipip.questionnaires.instruments.gcp2 import GCP2
from ipip.questionnaires.instruments.k10 import K10
from ipip.questionnaires.instruments.parenting_scale import PARENTING_SCALE
from ipip.questionnaires.instruments.pcri import PCRI
from ipip.questionnaires.instruments.phq9 import PHQ9
from ipip.questionnaires.instruments.sdq import SDQ
from ipip.questionnaires.instruments.swemwbs import SWEMWBS
from ipip.questionnaires.instruments.wemwbs import WEMWBS

INSTRUMENTS: tuple[Instrument, ...] = (
    SDQ,
    PARENTING_SCALE,
    PCRI,
    DASS21,
    PHQ9,
    GAD7,
    K10,
    WEMWBS,
    SWEMWBS,
    GCP2,
)
REGISTRY: dict[str, Instrument] = {instrument.code: instrument for instrument in INSTRUMENTS}


def get_instrument(code: str) -> Instrument:
    """The instrument with this code; KeyError if there is none."""
    return REGISTRY[code]
