from django import forms

from ipip.accounts.models import Area
from ipip.allocation.models import CAPACITY_MAX
from ipip.core.forms import GovukForm


class AreaFilterForm(forms.Form):
    """The national lead's choice of area on the allocation pages."""

    area = forms.ModelChoiceField(
        queryset=Area.objects.filter(is_served=True),
        required=False,
        empty_label="Choose an area",
        to_field_name="public_id",
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )


class CapacityForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
    max_open_cases = forms.IntegerField(
        label="Maximum number of open cases",
        help_text=f"A whole number from 0 to {CAPACITY_MAX}. Allocating beyond it is allowed, "
        "with a warning.",
        min_value=0,
        max_value=CAPACITY_MAX,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the maximum number of open cases",
            "invalid": "Maximum number of open cases must be a whole number",
            "min_value": f"Enter the maximum number of open cases, from 0 to {CAPACITY_MAX}",
            "max_value": f"Enter the maximum number of open cases, from 0 to {CAPACITY_MAX}",
        },
    )


class TrialModeForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    enabled = forms.ChoiceField(
        label="Does this area run as a trial?",
        help_text="In trial mode the approach of each newly allocated case is assigned at "
        "random, once the family's consent to research is recorded.",
        choices=[("yes", "Yes, assign the approach at random"), ("no", "No, managers choose")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether this area runs as a trial"},
    )
