from django import forms


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="What is the token for?",
        max_length=80,
        help_text="For example, 'Case system import'. You will see the token once.",
        error_messages={"required": "Enter what the token is for"},
    )
