"""Forms for the VIG pages: a cycle, a filming, a clip, the shared review."""

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet

from ipip.cases.models import Carer, Child
from ipip.core.forms import GovukDateField, GovukForm, VersionForm
from ipip.goals.models import Goal
from ipip.vig.principles import PRINCIPLES
from ipip.vig.rules import FILM_MAX_SECONDS, format_clock, parse_clock

TEXT_MAX = 5000


class ClockField(forms.CharField):
    """A time in a film typed as minutes:seconds (1:05, or 1:05.5); cleans to Decimal seconds.

    `whole`: only whole seconds (the length of a film).
    """

    def __init__(self, *, error_name: str, whole: bool = False, **kwargs: Any) -> None:
        self.error_name = error_name
        self.whole = whole
        kwargs.setdefault("error_messages", {"required": f"Enter the {error_name.lower()}"})
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"class": "govuk-input--width-5", "autocomplete": "off"}),
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # a Decimal, not a str
        text = str(super().to_python(value)).strip()
        if not text:
            return None
        seconds = parse_clock(text)
        if seconds is None:
            raise forms.ValidationError(
                f"{self.error_name} must be minutes and seconds, like 1:05", code="invalid"
            )
        if self.whole and seconds != int(seconds):
            raise forms.ValidationError(
                f"{self.error_name} must be in whole seconds, like 10:30", code="whole"
            )
        return seconds


class GoalChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]  # not generic at run time
    def label_from_instance(self, obj: Goal) -> str:
        return obj.text


class PersonChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]  # not generic at run time
    def label_from_instance(self, obj: Carer | Child) -> str:
        return f"{obj.first_name} {obj.last_name}"


def _text(label: str, *, required_message: str | None = None, rows: int = 4) -> forms.CharField:
    name = label.removesuffix(" (optional)")
    messages = {"max_length": f"{name} must be {TEXT_MAX} characters or fewer"}
    if required_message is not None:
        messages["required"] = required_message
    return forms.CharField(
        label=label,
        required=required_message is not None,
        max_length=TEXT_MAX,
        error_messages=messages,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _set_queryset(form: forms.Form, name: str, queryset: QuerySet[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelMultipleChoiceField)
    field.queryset = queryset


class CycleForm(GovukForm):
    """The helping question and the parent's goals for the cycle."""

    helping_question = _text(
        "Helping question",
        required_message="Enter the helping question",
        rows=3,
    )
    goals = GoalChoiceField(
        label="The parent's goals for this cycle",
        queryset=Goal.objects.none(),
        required=False,
        to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, goals: QuerySet[Goal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "goals", goals)


class StartCycleForm(CycleForm):
    started_on = GovukDateField(label="Date the cycle started", past_only=True)

    field_order = ["helping_question", "started_on", "goals"]


class EditCycleForm(CycleForm, VersionForm):
    pass


class FilmingForm(GovukForm):
    filmed_on = GovukDateField(label="Date of filming", past_only=True)
    activity = forms.CharField(
        label="Activity filmed",
        help_text="For example, play, reading or a mealtime",
        max_length=200,
        error_messages={
            "required": "Enter the activity that was filmed",
            "max_length": "Activity filmed must be 200 characters or fewer",
        },
    )
    length = ClockField(
        label="Length of the film",
        help_text="In minutes and seconds, for example 10:30",
        error_name="Length of the film",
        whole=True,
    )
    filmed_carers = PersonChoiceField(
        label="Which parents or carers were filmed?",
        queryset=Carer.objects.none(),
        to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the parent or carer who was filmed"},
    )
    filmed_children = PersonChoiceField(
        label="Which children were filmed?",
        queryset=Child.objects.none(),
        to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the child who was filmed"},
    )
    note = _text("Note (optional)")

    def __init__(
        self, *args: Any, carers: QuerySet[Carer], children: QuerySet[Child], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "filmed_carers", carers)
        _set_queryset(self, "filmed_children", children)

    def clean_length(self) -> Decimal:
        length: Decimal = self.cleaned_data["length"]
        if not 1 <= length <= FILM_MAX_SECONDS:
            raise forms.ValidationError(
                f"Length of the film must be from 0:01 to {format_clock(FILM_MAX_SECONDS)}"
            )
        return length


def _elements_name(principle_code: str) -> str:
    return f"elements_{principle_code}"


class ClipForm(GovukForm):
    """A clip's time range, its principles, and the elements seen under each principle.

    Elements are one checkbox group per principle, so each group can be checked on its own:
    ticking elements under a principle that is not selected is an error naming it.
    """

    start = ClockField(
        label="Start of the clip",
        help_text="Minutes and seconds into the film, for example 1:05",
        error_name="Start of the clip",
    )
    end = ClockField(
        label="End of the clip",
        help_text="Minutes and seconds into the film, for example 1:40",
        error_name="End of the clip",
    )
    principles = forms.MultipleChoiceField(
        label="Principles of attuned interaction shown",
        choices=[(p.code, p.label) for p in PRINCIPLES],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one principle of attuned interaction"},
    )
    note = _text("Note (optional)", rows=3)

    def __init__(self, *args: Any, film_length: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.film_length = film_length
        for p in PRINCIPLES:
            self.fields[_elements_name(p.code)] = forms.MultipleChoiceField(
                label=p.label,
                choices=[(e.code, e.label) for e in p.elements],
                required=False,
                widget=forms.CheckboxSelectMultiple(attrs={"small": True}),
            )
        self.order_fields(
            ["start", "end", "principles", *(_elements_name(p.code) for p in PRINCIPLES)]
        )

    def element_fields(self) -> list[forms.BoundField]:
        return [self[_elements_name(p.code)] for p in PRINCIPLES]

    def elements(self) -> list[str]:
        """Every element ticked, after `is_valid()`."""
        return [
            code for p in PRINCIPLES for code in self.cleaned_data.get(_elements_name(p.code), [])
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start is not None and end is not None:
            if end <= start:
                self.add_error("end", "End of the clip must be after its start")
            elif end > self.film_length:
                self.add_error(
                    "end",
                    f"End of the clip must be within the film, which is "
                    f"{format_clock(self.film_length)} long",
                )
        chosen = set(data.get("principles") or [])
        for p in PRINCIPLES:
            name = _elements_name(p.code)
            if data.get(name) and p.code not in chosen and "principles" not in self.errors:
                self.add_error(name, f"Select '{p.label}' as a principle, or untick its elements")
        return data


class ReviewForm(GovukForm, VersionForm):
    reviewed_on = GovukDateField(label="Date of the shared review", past_only=True)
    parent_reflections = _text(
        "The parent's reflections",
        required_message="Enter the parent's reflections",
    )
    celebrated = _text("What was celebrated", required_message="Enter what was celebrated")
    next_goals = _text("Next goals (optional)", rows=3)
