from typing import Any

from django import forms
from django.db.models import Q

from ipip.accounts.models import AgencyType, Area, Role
from ipip.accounts.rules import account_problems


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="What is the token for?",
        max_length=80,
        help_text="For example, 'Case system import'. You will see the token once.",
        error_messages={"required": "Enter what the token is for"},
    )


class AreaChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]  # not generic at run time
    def label_from_instance(self, obj: Area) -> str:
        return obj.name


class UserDetailsForm(forms.Form):
    """What an administrator sets on an account. The rules for each role are checked here
    for the page (all errors at once) and again by the action, which is authoritative."""

    first_name = forms.CharField(
        label="First name",
        max_length=150,
        error_messages={"required": "Enter their first name"},
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=150,
        error_messages={"required": "Enter their last name"},
    )
    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a role", "invalid_choice": "Choose a role"},
    )
    area = AreaChoiceField(
        label="Area",
        queryset=Area.objects.none(),
        required=False,
        to_field_name="public_id",
        empty_label="No area",
        help_text="Only for practitioners and centre managers.",
        error_messages={"invalid_choice": "Choose one of the areas the service runs in"},
    )
    agency_type = forms.ChoiceField(
        label="Agency type",
        choices=[("", "No agency"), *AgencyType.choices],
        required=False,
        help_text="Only for referrers.",
        error_messages={"invalid_choice": "Choose one of the agency types"},
    )
    agency_name = forms.CharField(
        label="Agency name",
        max_length=120,
        required=False,
        help_text="Only for referrers. For example, 'Sheffield health visiting team'.",
    )

    def __init__(self, *args: Any, current_area: Area | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["area"]
        assert isinstance(field, forms.ModelChoiceField)
        # Served areas, and the person's own area even if it is no longer served.
        served = Q(is_served=True)
        field.queryset = Area.objects.filter(
            served | Q(pk=current_area.pk) if current_area else served
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "role" not in data:
            return data
        problems = account_problems(
            role=Role(data["role"]),
            has_area=data.get("area") is not None,
            agency_type=data.get("agency_type", ""),
            agency_name=data.get("agency_name", ""),
        )
        for field, message in problems.items():
            if field not in self.errors:
                self.add_error(field, message)
        return data


class CreateUserForm(UserDetailsForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="They sign in with it, and the password reset is sent to it.",
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    field_order = ("email", "first_name", "last_name", "role", "area")


class EditUserForm(UserDetailsForm):
    is_active = forms.BooleanField(
        label="Active: they can sign in",
        required=False,
        help_text="Untick to remove their access. Accounts are never deleted.",
    )


class UserFilterForm(forms.Form):
    role = forms.ChoiceField(
        label="Role",
        choices=[("", "Any role"), *Role.choices],
        required=False,
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    area = AreaChoiceField(
        label="Area",
        queryset=Area.objects.all(),
        required=False,
        to_field_name="public_id",
        empty_label="Any area",
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    active = forms.ChoiceField(
        label="Status",
        choices=[("", "Active or not"), ("yes", "Active"), ("no", "Deactivated")],
        required=False,
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
