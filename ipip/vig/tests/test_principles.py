"""The catalogue of principles and elements, and the check of a clip's choice. No database."""

import pytest

from ipip.core.errors import DomainError
from ipip.vig.principles import (
    BY_CODE,
    PRINCIPLE_OF_ELEMENT,
    PRINCIPLES,
    InvalidSelection,
    check_selection,
    element_label,
    principle_label,
)

CODES = (
    "attentive",
    "encouraging_initiatives",
    "receiving_initiatives",
    "attuned_interactions",
    "guiding",
    "deepening_discussion",
)


def test_six_principles_in_the_building_block_order() -> None:
    assert tuple(p.code for p in PRINCIPLES) == CODES
    assert principle_label("attentive") == "Being attentive"
    assert principle_label("attuned_interactions") == "Developing attuned interactions"


def test_every_principle_has_elements_and_element_codes_are_unique() -> None:
    codes = [e.code for p in PRINCIPLES for e in p.elements]
    assert len(codes) == len(set(codes))
    assert all(p.elements for p in PRINCIPLES)
    assert PRINCIPLE_OF_ELEMENT["scaffolding"] == "guiding"
    assert element_label("waiting") == "Waiting"
    assert BY_CODE["guiding"].element_codes[0] == "scaffolding"


def test_check_selection_dedupes_and_sorts_in_catalogue_order() -> None:
    principles, elements = check_selection(
        ["guiding", "attentive", "guiding"], ["scaffolding", "wondering", "looking_interested"]
    )
    assert principles == ["attentive", "guiding"]
    assert elements == ["looking_interested", "wondering", "scaffolding"]


def test_elements_are_optional() -> None:
    assert check_selection(["deepening_discussion"], []) == (["deepening_discussion"], [])


@pytest.mark.parametrize(
    ("principles", "elements", "message"),
    [
        ([], [], "Select at least one principle of attuned interaction."),
        ([], ["waiting"], "Select at least one principle of attuned interaction."),
        (["kindness"], [], "Unknown principle or element: kindness."),
        (["attentive"], ["hugging"], "Unknown principle or element: hugging."),
        (
            ["attentive"],
            ["looking_interested", "scaffolding"],
            "Elements were chosen under 'Guiding': select that principle too, "
            "or untick its elements.",
        ),
        (
            ["guiding"],
            ["waiting", "wondering"],
            "Elements were chosen under 'Being attentive', 'Encouraging initiatives'",
        ),
    ],
)
def test_invalid_selections_are_refused_with_a_reason(
    principles: list[str], elements: list[str], message: str
) -> None:
    with pytest.raises(InvalidSelection, match=message.replace("(", r"\(")) as err:
        check_selection(principles, elements)
    assert isinstance(err.value, DomainError)
