from django import forms

from ipip.audit.events import Action


class AuditFilterForm(forms.Form):
    actor = forms.EmailField(
        label="Who (email address)",
        required=False,
        widget=forms.EmailInput(attrs={"class": "govuk-input govuk-input--width-20"}),
    )
    family = forms.CharField(
        label="Family (pseudonym)",
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
    )
    action = forms.ChoiceField(
        label="What",
        required=False,
        choices=[("", "Any action"), *Action.choices],
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
