from typing import Any

from django import forms

from ipip.accounts.models import Area, Role, User
from ipip.cases.models import Approach, CaseStatus, ClosureReason
from ipip.core.forms import GovukForm, VersionForm
from ipip.dashboard.fidelity import Flag
from ipip.questionnaires.schedule import COUNTED


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
    flag = forms.ChoiceField(
        choices=[("", "Any"), *((f.value, f.label) for f in Flag)],
        required=False,
        label="Fidelity flag",
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    closure_reason = forms.ChoiceField(
        choices=[("", "Any reason"), *ClosureReason.choices],
        required=False,
        label="Closed because",
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    questionnaires = forms.ChoiceField(
        choices=[("", "Any"), *((s.value, s.label) for s in COUNTED)],
        required=False,
        label="Questionnaires",
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    # From the dashboard's caseload links; not a visible filter.
    practitioner = forms.UUIDField(required=False, widget=forms.HiddenInput)


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
    reason = forms.CharField(
        label="Reason for reallocating",
        help_text="Kept in the case's allocation history.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter the reason for reallocating the case"},
    )

    def __init__(
        self,
        *args: Any,
        area_id: int,
        choose_approach: bool = True,
        reallocating: bool = False,
        **kwargs: Any,
    ) -> None:
        """`choose_approach` False: trial mode, or a trial case (the approach is not chosen).
        `reallocating`: the case is allocated already, so a reason is asked for."""
        super().__init__(*args, **kwargs)
        field = self.fields["practitioner"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(
            role=Role.PRACTITIONER, area_id=area_id, is_active=True
        ).order_by("last_name", "first_name")
        if not choose_approach:
            del self.fields["approach"]
        if not reallocating:
            del self.fields["reason"]


class CloseForm(GovukForm, VersionForm):
    reason = forms.ChoiceField(
        label="Reason for closing",
        choices=ClosureReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the reason for closing the case"},
    )
    note = forms.CharField(
        label="Closing summary",
        help_text=(
            "What the work with the family achieved, why it is ending, and any follow-up. "
            "Only staff who see the family's details can read it."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        error_messages={"required": "Enter a closing summary"},
    )
