from typing import Any

from django import forms

from ipip.accounts.models import Area, Role, User
from ipip.cases.models import Approach, CaseStatus, ClosureReason
from ipip.core.forms import VersionForm


class CaseFilterForm(forms.Form):
    area = forms.ModelChoiceField(
        queryset=Area.objects.filter(is_served=True),
        required=False,
        empty_label="All areas",
        to_field_name="public_id",
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    status = forms.ChoiceField(
        choices=[("", "Any status"), *CaseStatus.choices],
        required=False,
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    approach = forms.ChoiceField(
        choices=[("", "Any approach"), *Approach.choices],
        required=False,
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )


class PractitionerChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]  # not generic at run time
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


class AllocateForm(VersionForm):
    practitioner = PractitionerChoiceField(
        queryset=User.objects.none(),
        label="Practitioner",
        empty_label="Choose a practitioner",
        error_messages={
            "required": "Choose a practitioner",
            "invalid_choice": "Choose a practitioner of this area",
        },
    )
    approach = forms.ChoiceField(
        label="Approach",
        choices=Approach.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the approach: VIG or Pathways Triple P"},
    )

    def __init__(self, *args: Any, area_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["practitioner"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(
            role=Role.PRACTITIONER, area_id=area_id, is_active=True
        ).order_by("last_name", "first_name")


class CloseForm(VersionForm):
    reason = forms.ChoiceField(
        label="Reason for closing",
        choices=ClosureReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the reason for closing the case"},
    )
    note = forms.CharField(
        label="Closing summary",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": "Enter a closing summary"},
    )
