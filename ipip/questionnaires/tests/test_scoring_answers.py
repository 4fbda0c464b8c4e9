"""Answers typed in item by item: an unknown item or a value that is not one of the item's
options is refused, naming the item; missing answers are allowed (scoring decides)."""

import pytest

from ipip.questionnaires.instruments import INSTRUMENTS
from ipip.questionnaires.instruments.base import Instrument, LicenceMode
from ipip.questionnaires.instruments.dass21 import DASS21
from ipip.questionnaires.instruments.phq9 import PHQ9
from ipip.questionnaires.instruments.scoring import AnswerError, validate_answers
from ipip.questionnaires.instruments.wemwbs import WEMWBS


def errors(answers: dict[int, int | None], instrument: Instrument = PHQ9) -> dict[str, str]:
    with pytest.raises(AnswerError) as raised:
        validate_answers(instrument, answers)
    return raised.value.errors


def test_an_unknown_item_is_refused() -> None:
    assert errors({10: 1}) == {"item_10": "PHQ-9 has no item 10."}
    assert errors({0: 1}) == {"item_0": "PHQ-9 has no item 0."}


def test_a_value_that_is_not_an_option_is_refused() -> None:
    assert errors({1: 4}) == {
        "item_1": "Item 1: 4 is not an answer to this item; choose one of 0, 1, 2, 3."
    }
    assert errors({22: 0, 21: 3, 20: -1}, instrument=DASS21) == {
        "item_22": "DASS-21 has no item 22.",
        "item_20": "Item 20: -1 is not an answer to this item; choose one of 0, 1, 2, 3.",
    }
    assert errors({14: 0}, instrument=WEMWBS) == {
        "item_14": "Item 14: 0 is not an answer to this item; choose one of 1, 2, 3, 4, 5."
    }


def test_missing_answers_are_allowed() -> None:
    validate_answers(PHQ9, {1: None, 2: 3})


@pytest.mark.parametrize(
    "instrument",
    [i for i in INSTRUMENTS if i.licence == LicenceMode.ITEMS],
    ids=lambda instrument: instrument.code,
)
def test_every_option_of_every_item_is_accepted(instrument: Instrument) -> None:
    for item in instrument.items:
        for option in instrument.options_for(item.number):
            validate_answers(instrument, {item.number: option.value})
