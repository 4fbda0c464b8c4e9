from typing import Any

from django import forms

from ipip.cases.models import Carer
from ipip.consent.models import ConsentDecision, Purpose
from ipip.core.forms import GovukDateField, GovukForm


class CarerChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]  # not generic at run time
    def label_from_instance(self, obj: Carer) -> str:
        return f"{obj.first_name} {obj.last_name} ({obj.get_relationship_display().lower()})"


class ConsentForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    purpose = forms.ChoiceField(
        label="What is the consent for?",
        choices=Purpose.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the consent is for"},
    )
    decision = forms.ChoiceField(
        label="Was consent given or withdrawn?",
        choices=ConsentDecision.choices,
        widget=forms.RadioSelect(attrs={"inline": True}),
        error_messages={"required": "Choose whether consent was given or withdrawn"},
    )
    decided_on = GovukDateField(
        label="Date of the decision",
        help_text="For example, 27 3 2026",
        past_only=True,
    )
    given_by = CarerChoiceField(
        label="Who gave or withdrew it?",
        queryset=Carer.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Choose the parent or carer who made the decision",
            "invalid_choice": "Choose a parent or carer of this family",
        },
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, family_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["given_by"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Carer.objects.filter(family_id=family_id).order_by("id")
