"""The six principles of attuned interaction and guidance, and their observable elements.

VIG practitioners choose clips of "better than usual" moments by these principles
(Kennedy, Landor & Todd 2011, "Video Interaction Guidance", the framework AVIGuk teaches).
They build on each other, from being attentive up to deepening discussion. Pure: no Django.

Codes are stable: they are stored on clips (`Clip.principles`, `Clip.elements`) and read by
the fidelity reports, so a label may be reworded but a code is never changed or reused.

Sources checked when this catalogue was written:
- The six principles and their order are confirmed by public pages citing Kennedy, Landor &
  Todd (2011): an educational psychology service page reproducing AVIGuk's "building blocks"
  graphic (being attentive, encouraging initiatives, receiving initiatives, attuned
  interactions, guiding/scaffolding, deepening discussion) and the AVIGuk e-journal
  "Attuned Interactions".
- UNVERIFIED: the observable elements under each principle. They follow the project's domain
  brief (domain.md §2, marked "verify vs Kennedy et al. p.28") and the commonly published
  AVIGuk table of the principles, but no public copy of that table (Kennedy et al. p.28)
  could be read to confirm each element's wording or its place. Check them against the book
  or AVIGuk before the fidelity reports rely on element-level counts; until then only add
  elements (new codes), never rename a code.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from ipip.core.errors import DomainError


@dataclass(frozen=True)
class Element:
    code: str
    label: str


@dataclass(frozen=True)
class Principle:
    code: str
    label: str
    elements: tuple[Element, ...]

    @property
    def element_codes(self) -> tuple[str, ...]:
        return tuple(e.code for e in self.elements)


def _p(code: str, label: str, *elements: tuple[str, str]) -> Principle:
    return Principle(code, label, tuple(Element(c, text) for c, text in elements))


PRINCIPLES: Final[tuple[Principle, ...]] = (
    _p(
        "attentive",
        "Being attentive",
        ("looking_interested", "Looking interested, with a friendly posture"),
        ("giving_time_and_space", "Giving time and space for the other"),
        ("wondering", "Wondering about what the other is doing, thinking or feeling"),
        ("enjoying_watching", "Enjoying watching the other"),
    ),
    _p(
        "encouraging_initiatives",
        "Encouraging initiatives",
        ("waiting", "Waiting"),
        ("listening_actively", "Listening actively"),
        ("warm_intonation", "Showing warmth through intonation"),
        ("naming_positively", "Naming positively what you see, think or feel"),
        ("saying_what_you_do", "Saying what you are doing"),
        ("looking_for_initiatives", "Looking for and noticing initiatives"),
    ),
    _p(
        "receiving_initiatives",
        "Receiving initiatives",
        ("showing_heard", "Showing you have heard and noticed the other's initiative"),
        ("receiving_with_body", "Receiving with body language"),
        ("friendly_playful", "Being friendly or playful as fits the moment"),
        ("returning_eye_contact", "Returning eye contact, smiling or nodding in response"),
        ("receiving_with_words", "Receiving what the other says or does with words"),
        ("using_their_words", "Repeating or using the other's words"),
    ),
    _p(
        "attuned_interactions",
        "Developing attuned interactions",
        ("receive_then_respond", "Receiving and then responding"),
        ("checking_understanding", "Checking the other understands you"),
        ("waiting_for_turn", "Waiting attentively for your turn"),
        ("having_fun", "Having fun together"),
        ("further_turns", "Giving a second and further turns on the same topic"),
        ("short_turns", "Giving and taking short turns"),
        ("contributing_equally", "Contributing equally to the interaction"),
        ("cooperating", "Cooperating and helping each other"),
    ),
    _p(
        "guiding",
        "Guiding",
        ("scaffolding", "Scaffolding"),
        ("extending", "Extending and building on the other's response"),
        ("adjusting_support", "Judging how much support is needed and adjusting it"),
        ("giving_information", "Giving information when needed"),
        ("providing_help", "Providing help when needed"),
        ("offering_choices", "Offering choices the other can understand"),
        ("making_suggestions", "Making suggestions the other can follow"),
    ),
    _p(
        "deepening_discussion",
        "Deepening discussion",
        ("supporting_goal_setting", "Supporting goal-setting"),
        ("sharing_views", "Sharing viewpoints"),
        ("joint_problem_solving", "Discussing and solving problems together"),
        ("naming_differences", "Naming differences of opinion"),
        ("investigating_intentions", "Investigating the intentions behind words"),
        ("reaching_shared_understanding", "Reaching new shared understandings"),
        ("managing_conflict", "Managing conflict and repairing the relationship"),
    ),
)

BY_CODE: Final[Mapping[str, Principle]] = {p.code: p for p in PRINCIPLES}
# Element code -> the code of the principle it belongs to (element codes are unique).
PRINCIPLE_OF_ELEMENT: Final[Mapping[str, str]] = {
    e.code: p.code for p in PRINCIPLES for e in p.elements
}
ELEMENT_LABELS: Final[Mapping[str, str]] = {
    e.code: e.label for p in PRINCIPLES for e in p.elements
}


class InvalidSelection(DomainError):
    """A clip's principles or elements are not a valid choice from the catalogue."""


def principle_label(code: str) -> str:
    return BY_CODE[code].label


def element_label(code: str) -> str:
    return ELEMENT_LABELS[code]


def check_selection(
    principles: Iterable[str], elements: Iterable[str]
) -> tuple[list[str], list[str]]:
    """The principles and elements chosen for a clip, deduplicated in catalogue order.

    Raises InvalidSelection (a DomainError, message fit to show) when no principle is
    chosen, a code is unknown, or an element is not under one of the chosen principles.
    """
    chosen = set(principles)
    picked = set(elements)
    if not chosen:
        raise InvalidSelection("Select at least one principle of attuned interaction.")
    unknown = sorted(chosen - BY_CODE.keys()) + sorted(picked - PRINCIPLE_OF_ELEMENT.keys())
    if unknown:
        raise InvalidSelection(f"Unknown principle or element: {', '.join(unknown)}.")
    orphans = sorted(
        {PRINCIPLE_OF_ELEMENT[e] for e in picked if PRINCIPLE_OF_ELEMENT[e] not in chosen},
        key=list(BY_CODE).index,
    )
    if orphans:
        names = ", ".join(f"'{principle_label(code)}'" for code in orphans)
        raise InvalidSelection(
            f"Elements were chosen under {names}: select that principle too, "
            "or untick its elements."
        )
    return (
        [p.code for p in PRINCIPLES if p.code in chosen],
        [e.code for p in PRINCIPLES for e in p.elements if e.code in picked],
    )
