"""The time points page: the windows, and which questionnaires are due at each time point."""

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms

from ipip.core.forms import GovukForm
from ipip.questionnaires.instruments import INSTRUMENTS
from ipip.questionnaires.schedule import Point, Windows

_NUMBER = forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"})

# (name, label, hint, lowest, highest): each window, in the order of the page.
WINDOW_FIELDS: tuple[tuple[str, str, str, int, int], ...] = (
    (
        "baseline_due_days",
        "Baseline is due this many days after allocation",
        "Or by the first intervention visit, if that is sooner. Overdue the day after.",
        1,
        90,
    ),
    (
        "baseline_grace_days",
        "Baseline is missed this many days after the first intervention visit",
        "After that, answers no longer show where the family started.",
        0,
        60,
    ),
    (
        "end_opens_after_days",
        "End opens this many days after allocation",
        "Or at closure, if that is sooner. Overdue the day after closure.",
        0,
        365,
    ),
    (
        "end_window_after_days",
        "End is missed this many days after closure",
        "",
        0,
        180,
    ),
    (
        "follow_up_months",
        "Follow-up is due this many months after closure",
        "",
        1,
        24,
    ),
    (
        "follow_up_window_days",
        "Follow-up can be done this many days either side of its due date",
        "Overdue the day after the due date, missed when this many days have passed.",
        0,
        180,
    ),
)


def _number_field(label: str, hint: str, low: int, high: int) -> forms.IntegerField:
    what = label[0].lower() + label[1:]
    ranged = f"Enter a whole number from {low} to {high}: {what}"
    return forms.IntegerField(
        label=label,
        help_text=f"{hint} From {low} to {high}.".strip(),
        min_value=low,
        max_value=high,
        widget=_NUMBER,
        error_messages={
            "required": f"Enter a number: {what}",
            "invalid": ranged,
            "min_value": ranged,
            "max_value": ranged,
        },
    )


def instrument_choices(stored: Sequence[str]) -> list[tuple[str, str]]:
    """Every instrument of the library, then any stored code it does not have (yet)."""
    known = [
        (i.code, f"{i.name}{' (about a child)' if i.about_child else ''}") for i in INSTRUMENTS
    ]
    codes = {code for code, _label in known}
    return known + [
        (code, f"{code} (not in the questionnaire library)")
        for code in sorted(set(stored) - codes)
    ]


class ScheduleForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, stored: Mapping[Point, Sequence[str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label, hint, low, high in WINDOW_FIELDS:
            self.fields[name] = _number_field(label, hint, low, high)
        for point in Point:
            self.fields[point.value] = forms.MultipleChoiceField(
                label=f"Due at {point.label.lower()}",
                choices=instrument_choices(stored.get(point, ())),
                required=False,
                widget=forms.CheckboxSelectMultiple,
                error_messages={"invalid_choice": "Choose only questionnaires from the list"},
            )

    def windows(self) -> Windows:
        return Windows(**{name: self.cleaned_data[name] for name, *_rest in WINDOW_FIELDS})

    def instruments(self) -> dict[Point, list[str]]:
        return {point: list(self.cleaned_data[point.value]) for point in Point}
