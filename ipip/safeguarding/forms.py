"""Forms for raising a concern, escalating it and recording the outcome."""

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet

from ipip.cases.models import Child
from ipip.core.forms import GovukDateField, GovukForm, VersionForm
from ipip.safeguarding.models import Agency, EscalationOutcome


class ChildChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]  # not generic at run time
    def label_from_instance(self, obj: Child) -> str:
        return f"{obj.first_name} {obj.last_name}"


class RaiseConcernForm(GovukForm):
    raised_on = GovukDateField(
        label="Date the concern was raised",
        help_text="The day you saw or heard it, or were told about it. For example, 27 3 2026",
        past_only=True,
    )
    children = ChildChoiceField(
        label="Which children is the concern about?",
        queryset=Child.objects.none(),
        to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select the children the concern is about",
            "invalid_choice": "Select only children of this family",
        },
    )
    what_happened = forms.CharField(
        label="What was seen or heard",
        help_text="Facts first: what, when, where and who said it, in their words if you can.",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Enter what was seen or heard"},
    )

    def __init__(self, *args: Any, children: QuerySet[Child], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["children"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = children


class EscalateForm(GovukForm, VersionForm):
    escalated_on = GovukDateField(label="Date of the escalation", past_only=True)
    agency = forms.ChoiceField(
        label="Which agency was contacted?",
        choices=Agency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the agency contacted"},
    )
    agency_name = forms.CharField(
        label="Name of the team or agency (optional unless 'Other agency')",
        help_text="For example, Sheffield MASH. No names of people.",
        required=False,
        max_length=120,
    )
    reason = forms.CharField(
        label="Reason for the escalation",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter the reason for the escalation"},
    )

    def __init__(self, *args: Any, raised_on: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["escalated_on"]
        assert isinstance(field, GovukDateField)
        field.min_value = raised_on  # not before the concern

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("agency") == Agency.OTHER and not data.get("agency_name"):
            self.add_error("agency_name", "Enter the name of the agency contacted")
        return data


OUTCOME_CHOICES = [
    (value, label)
    for value, label in EscalationOutcome.choices
    if value != EscalationOutcome.AWAITING
]


class OutcomeForm(GovukForm, VersionForm):
    outcome = forms.ChoiceField(
        label="What did the agency decide?",
        choices=OUTCOME_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome of the escalation"},
    )
    outcome_on = GovukDateField(label="Date of the outcome", past_only=True)

    def __init__(self, *args: Any, escalated_on: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["outcome_on"]
        assert isinstance(field, GovukDateField)
        field.min_value = escalated_on  # not before the escalation
