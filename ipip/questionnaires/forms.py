"""Forms for entering questionnaires: start one, answer its items page by page (or type in
the scale scores of a scores-only instrument), complete it, and correct it.

The forms only parse what was typed: the rules (which answers are allowed, a score's range,
the date, what may be missing) are the actions'. An `AnswerError` from an action is put
back next to the field it names with `place_answer_errors`.
"""

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from math import ceil
from typing import Any

from django import forms
from django.db.models import QuerySet

from ipip.cases.models import Child
from ipip.core.forms import GovukDateField, GovukForm, VersionForm
from ipip.questionnaires.instruments import REGISTRY, wordings
from ipip.questionnaires.instruments.base import Instrument, Item, LicenceMode, Scale
from ipip.questionnaires.models import TimePoint

# About seven radios a page: short enough to read out to a parent on a tablet without
# scrolling far, and pages split evenly (PHQ-9: 5 + 4, DASS-21: 7 + 7 + 7).
ITEMS_PER_PAGE = 7

MISSING_ITEMS_LABEL = "The parent chose not to answer the items left blank"
MISSING_SCORES_LABEL = "The scores left blank were not given"


def item_pages(instrument: Instrument) -> list[tuple[Item, ...]]:
    """The instrument's items in pages of about `ITEMS_PER_PAGE`, split evenly."""
    items = instrument.items
    if not items:
        return []
    count = ceil(len(items) / ITEMS_PER_PAGE)
    size = ceil(len(items) / count)
    return [items[start : start + size] for start in range(0, len(items), size)]


def item_wording(item: Item) -> str | None:
    """The item's wording when its licence lets ipip show it, else None (read it from the
    paper form)."""
    return wordings.wording(item.wording_key)


def item_label(item: Item) -> str:
    wording = item_wording(item)
    if wording is None:
        return f"Item {item.number} (read it from the paper form)"
    return f"{item.number}. {wording}"


def number_text(value: Decimal) -> str:
    """12.00 -> "12", 3.50 -> "3.5": a score as a person would write it."""
    return format(value.normalize(), "f")


def scale_hint(scale: Scale) -> str:
    low, high = number_text(scale.minimum), number_text(scale.maximum)
    kind = "a whole number" if scale.decimal_places == 0 else "a number"
    places = f", up to {scale.decimal_places} decimal places" if scale.decimal_places else ""
    optional = " Leave it blank if it was not given." if scale.optional else ""
    return f"Enter {kind} from {low} to {high}{places}.{optional}"


def entered_scales(instrument: Instrument) -> tuple[Scale, ...]:
    """The scales typed in for a scores-only instrument (not those made from others)."""
    return tuple(scale for scale in instrument.scales if not scale.sum_of_scales)


def _item_field(instrument: Instrument, item: Item) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=item_label(item),
        required=False,
        choices=[(str(o.value), o.label) for o in instrument.options_for(item.number)],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": f"Item {item.number}: choose one of the answers"},
    )


def _scale_field(scale: Scale) -> forms.CharField:
    return forms.CharField(
        label=scale.name,
        required=False,
        max_length=12,
        help_text=scale_hint(scale),
        # A text box with a numeric keyboard, as GOV.UK advises, not type="number".
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric" if scale.decimal_places == 0 else "decimal",
                "autocomplete": "off",
                "spellcheck": "false",
                "class": "govuk-input--width-4",
            }
        ),
    )


class EntryForm(GovukForm, VersionForm):
    """Radios for some items (items stored), or a box per scale (scores only), with the
    hidden version the action checks. A blank item or box is sent as None / "", which
    clears anything saved for it."""

    def __init__(
        self,
        *args: Any,
        instrument: Instrument,
        items: Sequence[Item] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.items = tuple(items)
        self.scales = (
            entered_scales(instrument) if instrument.licence == LicenceMode.SCORES_ONLY else ()
        )
        for item in self.items:
            self.fields[f"item_{item.number}"] = _item_field(instrument, item)
        for scale in self.scales:
            self.fields[f"scale_{scale.code}"] = _scale_field(scale)

    def item_fields(self) -> list[forms.BoundField]:
        return [self[f"item_{item.number}"] for item in self.items]

    def scale_fields(self) -> list[forms.BoundField]:
        return [self[f"scale_{scale.code}"] for scale in self.scales]

    def answers(self) -> dict[int, int | None] | None:
        """Item number -> raw value (None: blank), after `is_valid()`; None if scores only."""
        if not self.items:
            return None
        values = {item.number: self.cleaned_data.get(f"item_{item.number}") for item in self.items}
        return {number: int(raw) if raw else None for number, raw in values.items()}

    def entered(self) -> dict[str, str] | None:
        """Scale code -> text typed (blank: ""), after `is_valid()`; None if items stored."""
        if not self.scales:
            return None
        return {
            scale.code: (self.cleaned_data.get(f"scale_{scale.code}") or "").strip()
            for scale in self.scales
        }


def place_answer_errors(form: forms.Form, errors: Mapping[str, str]) -> dict[str, str]:
    """Put each of an AnswerError's messages next to the field it names ("item_3",
    "scale_total", "completed_on", "reason", "child"); any other message ("instrument")
    goes above the form. Item and score messages naming no field of this form (an item
    on another page, on the check-your-answers page) are returned, for the page to show
    by that item's row."""
    elsewhere = {}
    for key, message in errors.items():
        if key in form.fields:
            form.add_error(key, message)
        elif key.startswith(("item_", "scale_")):
            elsewhere[key] = message
        else:
            form.add_error(None, message)
    return elsewhere


def initial_answers(saved: Mapping[str, int]) -> dict[str, str]:
    """Form initial values from saved answers {"3": 2} -> {"item_3": "2"}."""
    return {f"item_{number}": str(raw) for number, raw in saved.items()}


def initial_scores(saved: Mapping[str, str]) -> dict[str, str]:
    return {f"scale_{code}": text for code, text in saved.items()}


class ChildChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]  # not generic at run time
    def label_from_instance(self, obj: Child) -> str:
        return f"{obj.first_name} {obj.last_name}"


class StartForm(GovukForm):
    """Which questionnaire, at which time point, and (for one about a child) which child."""

    instrument = forms.ChoiceField(
        label="Questionnaire",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the questionnaire",
            "invalid_choice": "Select one of the questionnaires listed",
        },
    )
    time_point = forms.ChoiceField(
        label="Time point",
        choices=TimePoint.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the time point",
            "invalid_choice": "Select baseline, end or follow-up",
        },
    )
    child = ChildChoiceField(
        label="Which child is it about?",
        help_text="Only for a questionnaire about one child, such as the SDQ.",
        queryset=Child.objects.none(),
        to_field_name="public_id",
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select a child of this family"},
    )

    def __init__(self, *args: Any, children: QuerySet[Child], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instrument = self.fields["instrument"]
        assert isinstance(instrument, forms.ChoiceField)
        instrument.choices = [
            (
                i.code,
                i.name
                if i.licence == LicenceMode.ITEMS
                else f"{i.name} (enter the scores from the paper form)",
            )
            for i in REGISTRY.values()
        ]
        child = self.fields["child"]
        assert isinstance(child, forms.ModelChoiceField)
        child.queryset = children

    def shows_child(self) -> bool:
        """Ask for the child unless the questionnaire chosen is not about a child, or none
        of the library is."""
        chosen = REGISTRY.get(str(self["instrument"].value() or ""))
        if chosen is not None:
            return chosen.about_child
        return any(i.about_child for i in REGISTRY.values())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = REGISTRY.get(data.get("instrument") or "")
        # Radios cannot be unticked: a child chosen before switching to a questionnaire
        # about the parent is dropped, not refused.
        if chosen is not None and not chosen.about_child:
            data["child"] = None
        return data


class CompleteForm(GovukForm, VersionForm):
    completed_on = GovukDateField(
        label="Date completed", help_text="The day the parent answered. For example, 27 3 2026"
    )
    missing_confirmed = forms.BooleanField(label=MISSING_ITEMS_LABEL, required=False)

    def __init__(self, *args: Any, instrument: Instrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if instrument.licence == LicenceMode.SCORES_ONLY:
            self.fields["missing_confirmed"].label = MISSING_SCORES_LABEL


class CorrectForm(EntryForm):
    """Every item (or score) on one page, pre-filled from the completed version, with the
    reason for the correction and the date completed."""

    reason = forms.CharField(
        label="Why are the answers being corrected?",
        help_text="For example, item 4 was entered as 'Several days' but the parent said "
        "'Nearly every day'. No names.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the answers are being corrected"},
    )
    completed_on = GovukDateField(
        label="Date completed", help_text="The day the parent answered. For example, 27 3 2026"
    )
    missing_confirmed = forms.BooleanField(label=MISSING_ITEMS_LABEL, required=False)

    def __init__(self, *args: Any, instrument: Instrument, **kwargs: Any) -> None:
        super().__init__(*args, instrument=instrument, items=instrument.items, **kwargs)
        if instrument.licence == LicenceMode.SCORES_ONLY:
            self.fields["missing_confirmed"].label = MISSING_SCORES_LABEL


def correct_initial(
    *, answers: Mapping[str, int], entered: Mapping[str, str], completed_on: date, version: int
) -> dict[str, object]:
    return {
        **initial_answers(answers),
        **initial_scores(entered),
        "completed_on": completed_on,
        "version": version,
    }
