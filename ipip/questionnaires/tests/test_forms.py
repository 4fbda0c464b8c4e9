"""The entry forms: item pages, parsing radios and score boxes, placing an action's
AnswerError by its fields, the start form's child, and the complete and correct forms."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from django import forms as django_forms

from ipip.accounts.models import User
from ipip.cases.models import Case, Child
from ipip.questionnaires import forms
from ipip.questionnaires.instruments import REGISTRY, wordings
from ipip.questionnaires.instruments.base import Instrument, Item, LicenceMode
from ipip.questionnaires.tests.test_actions import KIDSCORE, case, child_of, hull_case, kidscore

__all__ = ["case", "hull_case", "kidscore"]  # fixtures shared with the action tests

PHQ9 = REGISTRY["phq9"]


def _with_items(count: int) -> Instrument:
    return replace(PHQ9, items=tuple(Item(n, f"x.{n}") for n in range(1, count + 1)))


@pytest.mark.parametrize(
    ("count", "sizes"),
    [(1, [1]), (7, [7]), (8, [4, 4]), (9, [5, 4]), (14, [7, 7]), (21, [7, 7, 7]), (30, [6] * 5)],
)
def test_items_are_split_evenly_into_pages_of_about_seven(count: int, sizes: list[int]) -> None:
    pages = forms.item_pages(_with_items(count))
    assert [len(page) for page in pages] == sizes
    assert [item.number for page in pages for item in page] == list(range(1, count + 1))


def test_a_scores_only_instrument_has_no_item_pages() -> None:
    assert forms.item_pages(KIDSCORE) == []


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("12.00"), "12"),
        (Decimal("10"), "10"),
        (Decimal("3.50"), "3.5"),
        (Decimal("0"), "0"),
    ],
)
def test_number_text_drops_trailing_zeros(value: Decimal, text: str) -> None:
    assert forms.number_text(value) == text


def test_an_item_without_wording_is_read_from_the_paper_form(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(wordings, "wording", lambda key: None)
    assert forms.item_label(PHQ9.item(3)) == "Item 3 (read it from the paper form)"


def test_an_item_with_wording_shows_it(monkeypatch: pytest.MonkeyPatch) -> None:
    shown = {"phq9.3": "Trouble sleeping"}
    monkeypatch.setattr(wordings, "wording", shown.get)
    assert forms.item_label(PHQ9.item(3)) == "3. Trouble sleeping"
    assert forms.item_label(PHQ9.item(4)) == "Item 4 (read it from the paper form)"


def _answers_form(data: dict[str, str] | None) -> forms.EntryForm:
    return forms.EntryForm(data, instrument=PHQ9, items=PHQ9.items[:3])


def test_answers_form_parses_radios_and_blanks() -> None:
    form = _answers_form({"version": "2", "item_1": "3", "item_2": "0"})
    assert form.is_valid(), form.errors
    assert form.answers() == {1: 3, 2: 0, 3: None}
    assert form.entered() is None
    assert [f.name for f in form.item_fields()] == ["item_1", "item_2", "item_3"]
    field = form.fields["item_1"]
    assert isinstance(field, django_forms.ChoiceField)
    assert isinstance(field.widget, django_forms.RadioSelect)
    assert field.choices == [(str(o.value), o.label) for o in PHQ9.options]


def test_answers_form_refuses_a_value_that_is_not_an_answer() -> None:
    form = _answers_form({"version": "2", "item_2": "7"})
    assert not form.is_valid()
    assert form.errors["item_2"] == ["Item 2: choose one of the answers"]


def test_answers_form_needs_the_version() -> None:
    form = _answers_form({"item_1": "1"})
    assert not form.is_valid()
    assert "version" in form.errors


def test_scores_form_has_a_numeric_box_per_entered_scale() -> None:
    form = forms.EntryForm(
        {"version": "1", "scale_emotional": " 4 ", "scale_warmth": "2.5"}, instrument=KIDSCORE
    )
    assert form.is_valid(), form.errors
    assert form.answers() is None
    assert form.entered() == {"emotional": "4", "conduct": "", "impact": "", "warmth": "2.5"}
    # The total is made from the others: no box for it.
    assert "scale_total" not in form.fields
    emotional = form.fields["scale_emotional"]
    assert emotional.widget.attrs["inputmode"] == "numeric"
    assert emotional.help_text == "Enter a whole number from 0 to 10."
    warmth = form.fields["scale_warmth"]
    assert warmth.widget.attrs["inputmode"] == "decimal"
    assert warmth.help_text == "Enter a number from 1 to 4, up to 2 decimal places."
    assert "Leave it blank" in form.fields["scale_impact"].help_text


def test_answer_errors_go_by_their_fields() -> None:
    form = _answers_form({"version": "2"})
    assert form.is_valid()
    elsewhere = forms.place_answer_errors(
        form,
        {
            "item_2": "Item 2 is not answered.",
            "item_8": "Item 8 is not answered.",
            "instrument": "Answer at least one item.",
        },
    )
    assert form.errors["item_2"] == ["Item 2 is not answered."]
    assert form.non_field_errors() == ["Answer at least one item."]
    assert elsewhere == {"item_8": "Item 8 is not answered."}


def test_complete_form_needs_a_date_and_names_the_missing_box() -> None:
    form = forms.CompleteForm({"version": "3"}, instrument=PHQ9)
    assert not form.is_valid()
    assert form.errors["completed_on"] == ["Enter the date completed"]
    assert form.fields["missing_confirmed"].label == forms.MISSING_ITEMS_LABEL
    scores = forms.CompleteForm(None, instrument=KIDSCORE)
    assert scores.fields["missing_confirmed"].label == forms.MISSING_SCORES_LABEL


def test_complete_form_parses_the_date_and_confirmation() -> None:
    data = {
        "version": "3",
        "completed_on_0": "12",
        "completed_on_1": "3",
        "completed_on_2": "2026",
        "missing_confirmed": "on",
    }
    form = forms.CompleteForm(data, instrument=PHQ9)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["completed_on"] == date(2026, 3, 12)
    assert form.cleaned_data["missing_confirmed"] is True


def test_correct_form_shows_every_item_prefilled_and_needs_a_reason() -> None:
    initial = forms.correct_initial(
        answers={"1": 2, "9": 0}, entered={}, completed_on=date(2026, 3, 1), version=4
    )
    unbound = forms.CorrectForm(initial=initial, instrument=PHQ9)
    assert len(unbound.item_fields()) == 9
    assert unbound["item_1"].value() == "2"
    assert unbound["item_9"].value() == "0"
    assert unbound["version"].value() == 4
    form = forms.CorrectForm({"version": "4", "reason": "  "}, instrument=PHQ9)
    assert not form.is_valid()
    assert form.errors["reason"] == ["Say why the answers are being corrected"]


def test_correct_form_for_scores_only_has_the_score_boxes() -> None:
    form = forms.CorrectForm(
        initial=forms.correct_initial(
            answers={}, entered={"emotional": "4"}, completed_on=date(2026, 3, 1), version=2
        ),
        instrument=KIDSCORE,
    )
    assert form.item_fields() == []
    assert form["scale_emotional"].value() == "4"


@pytest.mark.django_db
def test_start_form_lists_the_library_and_drops_a_child_for_a_parent_questionnaire(
    case: Case, alice: User, kidscore: Instrument
) -> None:
    children = Child.objects.filter(family_id=case.family_id)
    child = child_of(case)
    form = forms.StartForm(
        {"instrument": "phq9", "time_point": "baseline", "child": str(child.public_id)},
        children=children,
    )
    choices = dict(form.fields["instrument"].choices)  # type: ignore[attr-defined]  # a ChoiceField
    assert choices["phq9"] == "PHQ-9"
    assert choices["kidscore"] == "Kid score (enter the scores from the paper form)"
    assert form.is_valid(), form.errors
    assert form.cleaned_data["child"] is None
    assert not form.shows_child()


@pytest.mark.django_db
def test_start_form_keeps_the_child_for_a_questionnaire_about_a_child(
    case: Case, alice: User, kidscore: Instrument
) -> None:
    child = child_of(case)
    form = forms.StartForm(
        {"instrument": "kidscore", "time_point": "end", "child": str(child.public_id)},
        children=Child.objects.filter(family_id=case.family_id),
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["child"] == child
    assert form.shows_child()


@pytest.mark.django_db
def test_start_form_refuses_a_child_of_another_family(
    case: Case, hull_case: Case, alice: User, kidscore: Instrument
) -> None:
    form = forms.StartForm(
        {
            "instrument": "kidscore",
            "time_point": "end",
            "child": str(child_of(hull_case).public_id),
        },
        children=Child.objects.filter(family_id=case.family_id),
    )
    assert not form.is_valid()
    assert form.errors["child"] == ["Select a child of this family"]


@pytest.mark.django_db
def test_start_form_needs_an_instrument_and_a_time_point(case: Case, alice: User) -> None:
    form = forms.StartForm(
        {"instrument": "nope"}, children=Child.objects.filter(family_id=case.family_id)
    )
    assert not form.is_valid()
    assert form.errors["instrument"] == ["Select one of the questionnaires listed"]
    assert form.errors["time_point"] == ["Select the time point"]


def test_the_library_has_items_or_scales_to_enter() -> None:
    # Every instrument in the library can be entered on these pages.
    for instrument in REGISTRY.values():
        if instrument.licence == LicenceMode.ITEMS:
            assert forms.item_pages(instrument), instrument.code
        else:
            assert forms.entered_scales(instrument), instrument.code
