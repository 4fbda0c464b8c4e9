"""The Pathways Triple P modules a session can cover: a pure catalogue (no Django).

Facts from /work/shared/docs/domain.md §3 (source numbers are that file's §7):
- Triple P has five levels of rising intensity [17].
- Pathways is Level 5: realistic expectations of the child (attributions), the parent's
  own behaviour including anger management, and managing misbehaviour [18]; its trial
  added attributional retraining and anger management to Triple P [20].
- Level 5 Enhanced adds practice sessions, coping skills, partner support [24].
- Level 3 Primary Care (or Level 4) is the prerequisite for Pathways [18].

Mood management and stress coping are not named as such in domain.md; they are in the
issue and in product.md, and are filed here under Level 5 as Enhanced "coping skills"
[24] (marked unverified). Domain.md does not say which Level 3 content covers children's
behaviour, so no module is tagged Level 3: each session records which level's content
was used (`PtpSession.content_level`) instead.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Final


class Level(StrEnum):
    """The Triple P level whose content a module or a session belongs to."""

    LEVEL_3 = "level_3"
    LEVEL_5 = "level_5"


LEVEL_LABELS: Final[dict[Level, str]] = {
    Level.LEVEL_3: "Level 3 (Primary Care)",
    Level.LEVEL_5: "Level 5 (Pathways and Enhanced)",
}


@dataclass(frozen=True)
class Module:
    code: str
    label: str
    level: Level
    # Where domain.md supports the module (its own source numbers), for the reader.
    basis: str


ATTRIBUTION: Final = "attribution"
ANGER: Final = "anger"
MOOD: Final = "mood"
STRESS: Final = "stress"
BEHAVIOUR: Final = "behaviour"

MODULES: Final[tuple[Module, ...]] = (
    Module(
        ATTRIBUTION,
        "Realistic expectations / attribution retraining",
        Level.LEVEL_5,
        "Pathways: realistic expectations of the child (attributions) [18][20]",
    ),
    Module(
        ANGER,
        "Anger management",
        Level.LEVEL_5,
        "Pathways: the parent's own behaviour, including anger management [18][20]",
    ),
    Module(
        MOOD,
        "Mood management",
        Level.LEVEL_5,
        "Enhanced: coping skills [24] (mood management not named in domain.md: unverified)",
    ),
    Module(
        STRESS,
        "Stress coping",
        Level.LEVEL_5,
        "Enhanced: coping skills [24]",
    ),
    Module(
        BEHAVIOUR,
        "Strategies for managing children's behaviour",
        Level.LEVEL_5,
        "Pathways: managing misbehaviour [18]",
    ),
)

BY_CODE: Final[dict[str, Module]] = {m.code: m for m in MODULES}
MODULE_CODES: Final[tuple[str, ...]] = tuple(m.code for m in MODULES)
MODULE_CHOICES: Final[list[tuple[str, str]]] = [(m.code, m.label) for m in MODULES]


def module_label(code: str) -> str:
    """The module's label, or the code itself if it is not in the catalogue."""
    module = BY_CODE.get(code)
    return module.label if module is not None else code


def unknown_codes(codes: object) -> list[str]:
    """The entries of `codes` that are not module codes (all of it, if it is not a list)."""
    if not isinstance(codes, list | tuple):
        return [repr(codes)]
    return [str(c) for c in codes if c not in BY_CODE]


def in_catalogue_order(codes: object) -> list[str]:
    """Known module codes, each once, in the catalogue's order."""
    chosen = set(codes) if isinstance(codes, list | tuple | set | frozenset) else set()
    return [code for code in MODULE_CODES if code in chosen]
