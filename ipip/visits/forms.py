"""Forms for scheduling a visit and recording its outcome."""

import re
from datetime import datetime, time
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from ipip.cases.models import Carer, Child
from ipip.core.forms import GovukDateField, GovukForm, VersionForm
from ipip.visits.models import (
    ACTUAL_MINUTES_MAX,
    PLANNED_MINUTES_MAX,
    PLANNED_MINUTES_MIN,
    VisitOutcome,
)

# 14:30, 9:05 or 09.05 (the 24-hour clock, as GOV.UK writes times in forms).
_TIME = re.compile(r"^(?P<hour>[01]?\d|2[0-3])[:.](?P<minute>[0-5]\d)$")


class TimeField(forms.CharField):
    """A time of day typed as HH:MM; cleans to `datetime.time`."""

    def to_python(self, value: Any) -> time | None:  # type: ignore[override]  # a time, not a str
        text = str(super().to_python(value)).strip()
        if not text:
            return None
        match = _TIME.match(text)
        if match is None:
            raise forms.ValidationError(
                "Enter the time in the 24-hour clock, like 14:30", code="invalid"
            )
        return time(int(match["hour"]), int(match["minute"]))


class ScheduleVisitForm(GovukForm):
    date = GovukDateField(label="Date of the visit", error_name="Date of the visit")
    time = TimeField(
        label="Time",
        help_text="Use the 24-hour clock, for example 14:30",
        error_messages={"required": "Enter the time of the visit"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "autocomplete": "off"}),
    )
    planned_minutes = forms.IntegerField(
        label="Planned length, in minutes",
        initial=60,
        min_value=PLANNED_MINUTES_MIN,
        max_value=PLANNED_MINUTES_MAX,
        error_messages={
            "required": "Enter the planned length of the visit, in minutes",
            "invalid": "Planned length must be a whole number of minutes, like 60",
            "min_value": f"Planned length must be at least {PLANNED_MINUTES_MIN} minutes",
            "max_value": f"Planned length must be {PLANNED_MINUTES_MAX} minutes or less",
        },
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
    )

    def scheduled_at(self) -> datetime:
        """The date and time typed, in the service's time zone (Europe/London)."""
        return timezone.make_aware(
            datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"])
        )


class PersonChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]  # not generic at run time
    def label_from_instance(self, obj: Carer | Child) -> str:
        return f"{obj.first_name} {obj.last_name}"


class RecordVisitForm(GovukForm, VersionForm):
    outcome = forms.ChoiceField(
        label="What happened?",
        choices=VisitOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what happened at the visit"},
    )
    actual_minutes = forms.IntegerField(
        label="How long did the visit last, in minutes?",
        help_text="Only if the visit took place",
        required=False,
        min_value=1,
        max_value=ACTUAL_MINUTES_MAX,
        error_messages={
            "invalid": "Length of the visit must be a whole number of minutes, like 60",
            "min_value": "Length of the visit must be at least 1 minute",
            "max_value": f"Length of the visit must be {ACTUAL_MINUTES_MAX} minutes or less",
        },
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
    )
    present_carers = PersonChoiceField(
        label="Which parents or carers were present?",
        queryset=Carer.objects.none(),
        required=False,
        to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
    )
    present_children = PersonChoiceField(
        label="Which children were present?",
        queryset=Child.objects.none(),
        required=False,
        to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(
        self,
        *args: Any,
        carers: QuerySet[Carer],
        children: QuerySet[Child],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in (("present_carers", carers), ("present_children", children)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = queryset

    def clean(self) -> dict[str, Any]:
        """A visit that took place needs its length and who was there; others neither."""
        data = super().clean() or {}
        if data.get("outcome") == VisitOutcome.TOOK_PLACE:
            if data.get("actual_minutes") is None and "actual_minutes" not in self.errors:
                self.add_error("actual_minutes", "Enter how long the visit lasted, in minutes")
            if not data.get("present_carers") and not data.get("present_children"):
                self.add_error("present_carers", "Select who was present at the visit")
        elif data.get("outcome"):
            # Typed before the outcome was changed: not part of a visit that did not happen.
            data["actual_minutes"] = None
            data["present_carers"] = []
            data["present_children"] = []
            self.errors.pop("actual_minutes", None)
        return data
