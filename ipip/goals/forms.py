"""Goal forms. `GoalRatingsForm` is embedded in the VIG review and PTP session pages."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms

from ipip.core.forms import GovukDateField, GovukForm, VersionForm
from ipip.goals.actions import Rating
from ipip.goals.models import RATING_MAX, RATING_MIN, Goal, GoalStatus

_RANGE = f"from {RATING_MIN} to {RATING_MAX}"


def _rating_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=RATING_MIN,
        max_value=RATING_MAX,
        error_messages={
            "invalid": f"{label} must be a whole number {_RANGE}",
            "min_value": f"{label} must be {_RANGE}",
            "max_value": f"{label} must be {_RANGE}",
        },
        # GOV.UK asks for a text box with a numeric keyboard, not type="number": browsers
        # send an empty value for letters typed in a number box, so a typo would be
        # silently taken as "skip this goal" instead of shown as an error.
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


@dataclass(frozen=True)
class GoalFields:
    """One goal's pair of fields, for the template."""

    goal: Goal
    now: forms.BoundField
    hoped: forms.BoundField


class GoalRatingsForm(GovukForm):
    """A 'now' and a 'hoped for' box (1-10) for each active goal.

    Leave both blank to skip a goal; one without the other is an error naming the goal.
    Use a `prefix` (e.g. "goals") when embedding it in another page's form.
    """

    def __init__(
        self, *args: Any, goals: Iterable[Goal], require_one: bool = False, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.goals = list(goals)
        self.require_one = require_one
        for n, goal in enumerate(self.goals, start=1):
            self.fields[f"now_{goal.pk}"] = _rating_field(f"Goal {n}, now")
            self.fields[f"hoped_{goal.pk}"] = _rating_field(f"Goal {n}, hoped for")

    def rows(self) -> list[GoalFields]:
        return [
            GoalFields(goal=g, now=self[f"now_{g.pk}"], hoped=self[f"hoped_{g.pk}"])
            for g in self.goals
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for n, goal in enumerate(self.goals, start=1):
            now, hoped = data.get(f"now_{goal.pk}"), data.get(f"hoped_{goal.pk}")
            if f"now_{goal.pk}" in self.errors or f"hoped_{goal.pk}" in self.errors:
                continue
            if now is None and hoped is not None:
                self.add_error(f"now_{goal.pk}", f"Enter where the parent is now on goal {n}")
            if hoped is None and now is not None:
                self.add_error(f"hoped_{goal.pk}", f"Enter what the parent hopes for on goal {n}")
        if self.require_one and not self.errors and not self.ratings():
            raise forms.ValidationError("Rate at least one goal")
        return data

    def ratings(self) -> dict[Goal, Rating]:
        """The goals rated, after `is_valid()`."""
        out = {}
        for goal in self.goals:
            now = self.cleaned_data.get(f"now_{goal.pk}")
            hoped = self.cleaned_data.get(f"hoped_{goal.pk}")
            if now is not None and hoped is not None:
                out[goal] = Rating(now=now, hoped=hoped)
        return out


class SetGoalForm(GovukForm):
    text = forms.CharField(
        label="The goal, in the parent's own words",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": "Enter the goal in the parent's own words"},
    )
    set_on = GovukDateField(label="Date set", past_only=True)
    now = _rating_field("Where the parent is now")
    hoped = _rating_field("Where the parent hopes to be")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, what in (("now", "where the parent is now"), ("hoped", "what they hope for")):
            if name not in self.errors and data.get(name) is None:
                self.add_error(name, f"Enter {what}, {_RANGE}")
        return data


class ReviewDateForm(GovukForm):
    """The date of a review of the goals on its own (the goals page's "Rate the goals")."""

    rated_on = GovukDateField(label="Date of the review", past_only=True)


class GoalStatusForm(GovukForm, VersionForm):
    """Mark a goal achieved or no longer a goal (or being worked on again)."""

    status = forms.ChoiceField(
        label="What is the goal now?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what the goal is now",
            "invalid_choice": "Select what the goal is now",
        },
    )

    def __init__(self, *args: Any, current: GoalStatus, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["status"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(s.value, s.label) for s in GoalStatus if s != current]
