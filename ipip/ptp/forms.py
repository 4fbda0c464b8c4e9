"""Forms for the session plan and for recording or correcting a session."""

from typing import Any

from django import forms

from ipip.core.forms import GovukDateField, GovukForm, VersionForm
from ipip.ptp.actions import SessionInput
from ipip.ptp.models import ContentLevel, HomeworkReview
from ipip.ptp.modules import MODULE_CHOICES
from ipip.ptp.rules import (
    ENHANCED_SESSIONS,
    MINUTES_ERROR,
    PATHWAYS_SESSIONS,
    PLANNED_SESSIONS_ERROR,
    PLANNED_SESSIONS_MAX,
    PLANNED_SESSIONS_MIN,
    SESSION_MINUTES_MAX,
    SESSION_MINUTES_MIN,
)

_NUMBER = forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"})


def _note(label: str) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


def _modules_field(label: str, required_message: str) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=MODULE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": required_message,
            "invalid_choice": "Choose only modules from the list",
        },
    )


class PlanForm(GovukForm):
    planned_sessions = forms.IntegerField(
        label="How many sessions are planned?",
        help_text=(
            f"Pathways is usually {PATHWAYS_SESSIONS[0]} to {PATHWAYS_SESSIONS[1]} sessions, "
            f"Enhanced {ENHANCED_SESSIONS[0]} to {ENHANCED_SESSIONS[1]}. "
            f"Enter a number from {PLANNED_SESSIONS_MIN} to {PLANNED_SESSIONS_MAX}."
        ),
        min_value=PLANNED_SESSIONS_MIN,
        max_value=PLANNED_SESSIONS_MAX,
        error_messages={
            "required": "Enter the number of planned sessions",
            "invalid": "Number of planned sessions must be a whole number, like 4",
            "min_value": PLANNED_SESSIONS_ERROR,
            "max_value": PLANNED_SESSIONS_ERROR,
        },
        widget=_NUMBER,
    )
    planned_modules = _modules_field(
        "Which modules are planned?", "Select at least one module to plan"
    )
    starts_on = GovukDateField(label="Date the sessions start")
    note = _note("Note (optional)")
    # The plan's version when the page was shown; 0 when the case had no plan yet.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class SessionForm(GovukForm):
    held_on = GovukDateField(label="Date of the session", past_only=True)
    minutes = forms.IntegerField(
        label="Length of the session, in minutes",
        help_text=f"From {SESSION_MINUTES_MIN} to {SESSION_MINUTES_MAX} minutes",
        min_value=SESSION_MINUTES_MIN,
        max_value=SESSION_MINUTES_MAX,
        error_messages={
            "required": "Enter the length of the session, in minutes",
            "invalid": "Length of the session must be a whole number of minutes, like 75",
            "min_value": MINUTES_ERROR,
            "max_value": MINUTES_ERROR,
        },
        widget=_NUMBER,
    )
    content_level = forms.ChoiceField(
        label="Which level's content did the session use?",
        choices=ContentLevel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select which level's content the session used"},
    )
    modules = _modules_field(
        "Which modules did the session cover?",
        "Select at least one module covered in the session",
    )
    homework_review = forms.ChoiceField(
        label="How did the homework set at the last session go?",
        choices=HomeworkReview.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the homework set at the last session went"},
    )
    homework_review_note = _note("About the homework (optional)")
    homework_set = _note("Homework set at this session (optional)")
    note = _note("Note (optional)")

    def to_input(self) -> SessionInput:
        """The session as typed, after `is_valid()`."""
        data: dict[str, Any] = self.cleaned_data
        return SessionInput(
            held_on=data["held_on"],
            minutes=data["minutes"],
            content_level=ContentLevel(data["content_level"]),
            modules=list(data["modules"]),
            homework_review=HomeworkReview(data["homework_review"]),
            homework_set=data["homework_set"],
            homework_review_note=data["homework_review_note"],
            note=data["note"],
        )


class CorrectSessionForm(SessionForm, VersionForm):
    pass
