"""Forms for the referral pages: parse and normalise, then build the action's input."""

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from ipip.accounts.models import AgencyType, Area, User
from ipip.cases.intake import AssessmentInput, CarerInput, ChildInput, FamilyInput, PlanInput
from ipip.cases.models import (
    ASSESSMENT_KINDS_BY_NATION,
    AssessmentKind,
    PlanCategory,
    Proceedings,
    Relationship,
    Tristate,
)
from ipip.core.forms import GovukDateField, VersionForm
from ipip.referrals.actions import ReferralInput
from ipip.referrals.models import Outcome

OTHER_AREA = "other"
NO_ASSESSMENT = ""


def _text(
    label: str, *, required: bool = True, max_length: int = 80, **kw: Any
) -> forms.CharField:
    # GOV.UK: the message names the field ("Enter the postcode"), never "This field is required".
    kw.setdefault("error_messages", {"required": f"Enter the {label[:1].lower()}{label[1:]}"})
    return forms.CharField(label=label, required=required, max_length=max_length, **kw)


class ChildFieldsMixin(forms.Form):
    """The facts the rules need about one child."""

    ever_on_plan = forms.ChoiceField(
        label="Has this child ever been the subject of a child protection plan?",
        choices=Tristate.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Say whether the child has ever been the subject of a child protection plan"
        },
    )
    plan_started_on = GovukDateField(
        label="Plan start date",
        required=False,
        help_text="If there was a plan. For example, 27 3 2021",
    )
    plan_ended_on = GovukDateField(label="Plan end date", required=False)
    plan_is_ongoing = forms.BooleanField(label="The plan is still in place", required=False)
    plan_category = forms.ChoiceField(
        label="Plan category",
        # A blank first option: an untouched row of the other-children form stays blank.
        choices=[
            ("", "Not known"),
            *[c for c in PlanCategory.choices if c[0] != PlanCategory.NOT_KNOWN],
        ],
        required=False,
    )
    care_proceedings = forms.ChoiceField(
        label="Are care proceedings under way for this child?",
        choices=Proceedings.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether care proceedings are under way for the child"},
    )

    def clean_plan(self) -> None:
        data = self.cleaned_data
        started, ended = data.get("plan_started_on"), data.get("plan_ended_on")
        if data.get("plan_is_ongoing") and ended:
            self.add_error(
                "plan_ended_on",
                "A plan that is still in place has no end date: remove the end date or untick 'still in place'",
            )
        if started and ended and ended < started:
            self.add_error(
                "plan_ended_on", "Plan end date must be the same as or after the start date"
            )
        has_plan = bool(started or ended or data.get("plan_is_ongoing"))
        if has_plan and data.get("ever_on_plan") == Tristate.NO:
            self.add_error(
                "ever_on_plan", "You gave a plan's dates: answer 'Yes' or remove the dates"
            )

    def plans(self) -> tuple[PlanInput, ...]:
        data = self.cleaned_data
        if not (
            data.get("plan_started_on") or data.get("plan_ended_on") or data.get("plan_is_ongoing")
        ):
            return ()
        return (
            PlanInput(
                started_on=data.get("plan_started_on"),
                ended_on=data.get("plan_ended_on"),
                is_ongoing=bool(data.get("plan_is_ongoing")),
                category=data.get("plan_category") or PlanCategory.NOT_KNOWN,
            ),
        )

    def child_input(self, prefix: str = "") -> ChildInput:
        data = self.cleaned_data
        return ChildInput(
            first_name=data[f"{prefix}first_name"],
            last_name=data[f"{prefix}last_name"],
            date_of_birth=data.get(f"{prefix}date_of_birth"),
            ever_on_plan=data["ever_on_plan"],
            care_proceedings=data["care_proceedings"],
            plans=self.plans(),
        )


class OtherChildForm(ChildFieldsMixin):
    first_name = _text("First name", required=False)
    last_name = _text("Last name", required=False)
    date_of_birth = GovukDateField(label="Date of birth", required=False)
    field_order = ["first_name", "last_name", "date_of_birth"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Rows left empty are ignored, so the radios are only required on a filled-in row.
        self.fields["ever_on_plan"].required = False
        self.fields["care_proceedings"].required = False

    def is_blank(self) -> bool:
        return not self.has_changed()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.has_changed():
            for name, message in (
                ("first_name", "Enter the other child's first name"),
                ("last_name", "Enter the other child's last name"),
                (
                    "ever_on_plan",
                    "Say whether the other child has ever been on a child protection plan",
                ),
                (
                    "care_proceedings",
                    "Say whether care proceedings are under way for the other child",
                ),
            ):
                if not data.get(name):
                    self.add_error(name, message)
            self.clean_plan()
        return data


OtherChildFormSet = forms.formset_factory(OtherChildForm, extra=3, max_num=8, validate_max=True)


class ReferralForm(ChildFieldsMixin):
    """One page: who refers, the family, the referred child, the assessment, the reason."""

    agency_type = forms.ChoiceField(
        label="Referring agency",
        choices=AgencyType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the referring agency"},
    )
    agency_name = _text("Name of the referring agency or team", max_length=120, required=False)
    received_on = GovukDateField(label="Date the referral was received")
    area = forms.ChoiceField(
        label="Area the family lives in",
        error_messages={"required": "Choose the area the family lives in"},
    )
    other_area_name = _text(
        "If another area, which", required=False, help_text="The town or local authority"
    )
    address_line_1 = _text("Address line 1", max_length=120)
    address_line_2 = _text("Address line 2 (optional)", max_length=120, required=False)
    town = _text("Town or city")
    postcode = _text("Postcode", max_length=10)
    carer_first_name = _text("Parent or carer's first name")
    carer_last_name = _text("Parent or carer's last name")
    carer_relationship = forms.ChoiceField(
        label="Relationship to the referred child",
        choices=Relationship.choices,
        error_messages={"required": "Choose the carer's relationship to the referred child"},
    )
    carer_phone = _text("Phone number (optional)", max_length=30, required=False)
    carer_email = forms.EmailField(label="Email address (optional)", required=False)
    first_name = _text("Child's first name")
    last_name = _text("Child's last name")
    date_of_birth = GovukDateField(
        label="Child's date of birth",
        required=False,
        help_text="For example, 27 3 2019. Leave blank only if not known: the decision will ask for it.",
    )
    assessment_kind = forms.ChoiceField(
        label="Early-help assessment (CAF or equivalent)", required=False
    )
    assessment_completed_on = GovukDateField(label="Date of the assessment", required=False)
    shows_neglect_concerns = forms.ChoiceField(
        label="Does the assessment show active concerns about neglectful parenting?",
        choices=Tristate.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    reason = forms.CharField(
        label="Reason for referral",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text="What are the concerns about the child's care? What help has been tried?",
        error_messages={"required": "Enter the reason for referral"},
    )

    # The order of the page, so the error summary lists problems in the order they appear.
    field_order = [
        "agency_type",
        "agency_name",
        "received_on",
        "area",
        "other_area_name",
        "address_line_1",
        "address_line_2",
        "town",
        "postcode",
        "carer_first_name",
        "carer_last_name",
        "carer_relationship",
        "carer_phone",
        "carer_email",
        "first_name",
        "last_name",
        "date_of_birth",
        "ever_on_plan",
        "plan_started_on",
        "plan_ended_on",
        "plan_is_ongoing",
        "plan_category",
        "care_proceedings",
        "assessment_kind",
        "assessment_completed_on",
        "shows_neglect_concerns",
        "reason",
    ]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        areas = Area.objects.filter(is_served=True).order_by("name")
        if user.is_centre_manager and user.area_id is not None:
            areas = areas.filter(pk=user.area_id)
        self.areas = {str(a.pk): a for a in areas}
        choices = [("", "Choose an area")] + [(str(a.pk), a.name) for a in areas]
        if not user.is_centre_manager:
            choices.append((OTHER_AREA, "Another area (not covered by the service)"))
        self._choice_field("area").choices = choices
        self._choice_field("assessment_kind").choices = [
            (NO_ASSESSMENT, "No assessment known"),
            *AssessmentKind.choices,
        ]
        if user.is_referrer:
            # A referrer's agency is on their account; the date is today's.
            for name in ("agency_type", "agency_name", "received_on"):
                del self.fields[name]

    def _choice_field(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        return field

    def clean_postcode(self) -> str:
        value = " ".join(self.cleaned_data["postcode"].split()).upper()
        if not 5 <= len(value.replace(" ", "")) <= 7:
            raise ValidationError("Enter a real postcode, like SW1A 1AA")
        return value

    def clean_received_on(self) -> date:
        value: date = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise ValidationError("Date the referral was received must be today or in the past")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        area = data.get("area")
        if area == OTHER_AREA and not data.get("other_area_name", "").strip():
            self.add_error("other_area_name", "Enter the area the family lives in")
        kind = data.get("assessment_kind")
        if kind and area in self.areas:
            nation = self.areas[area].nation
            if kind not in ASSESSMENT_KINDS_BY_NATION[nation]:
                self.add_error(
                    "assessment_kind",
                    f"{AssessmentKind(kind).label} is not used in {self.areas[area].get_nation_display()}: choose the assessment used there",
                )
        if not kind and (
            data.get("assessment_completed_on") or data.get("shows_neglect_concerns")
        ):
            self.add_error(
                "assessment_kind", "Choose the type of the assessment you gave details of"
            )
        self.clean_plan()
        return data

    def to_input(self, other_children: list[ChildInput]) -> ReferralInput:
        data = self.cleaned_data
        area = self.areas.get(data["area"])
        assessment = None
        if data.get("assessment_kind"):
            assessment = AssessmentInput(
                kind=data["assessment_kind"],
                completed_on=data.get("assessment_completed_on"),
                shows_neglect_concerns=data.get("shows_neglect_concerns") or Tristate.UNKNOWN,
            )
        family = FamilyInput(
            area_id=area.pk if area is not None else None,
            address_line_1=data["address_line_1"],
            address_line_2=data.get("address_line_2", ""),
            town=data["town"],
            postcode=data["postcode"],
            referred_child=self.child_input(),
            other_children=tuple(other_children),
            carers=(
                CarerInput(
                    first_name=data["carer_first_name"],
                    last_name=data["carer_last_name"],
                    relationship=data["carer_relationship"],
                    phone=data.get("carer_phone", ""),
                    email=data.get("carer_email", ""),
                ),
            ),
            assessment=assessment,
        )
        user = self.user
        return ReferralInput(
            received_on=data.get("received_on") or timezone.localdate(),
            agency_type=data.get("agency_type") or user.agency_type,
            agency_name=data.get("agency_name") or user.agency_name,
            reason=data["reason"],
            other_area_name=data.get("other_area_name", "") if area is None else "",
            family=family,
        )


class OverrideForm(VersionForm):
    outcome = forms.ChoiceField(
        label="New decision", choices=Outcome.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="Reason for the override",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="This is recorded, shown with the decision and audited.",
        error_messages={"required": "Enter the reason for overriding the decision"},
    )


class DeclineForm(VersionForm):
    reason = forms.CharField(
        label="Reason for declining",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="The referrer sees this reason.",
        error_messages={"required": "Enter the reason for declining the referral"},
    )


class DuplicateForm(VersionForm):
    choice = forms.ChoiceField(label="Is this the same family?", widget=forms.RadioSelect)

    def __init__(self, *args: Any, candidates: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["choice"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [*candidates, ("new", "No, this is a new family")]
        self.fields["choice"].error_messages["required"] = "Choose the family, or say it is new"


class ChildFactsForm(ChildFieldsMixin):
    """Answers to 'needs information' for one child of the family; a plan given is added."""

    date_of_birth = GovukDateField(label="Date of birth", required=False)
    field_order = ["date_of_birth"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan_started_on"].label = "Add a plan: start date"
        self.fields["plan_ended_on"].label = "Add a plan: end date"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.clean_plan()
        return data


class AssessmentFactsForm(forms.Form):
    assessment_kind = forms.ChoiceField(
        label="Add an early-help assessment",
        required=False,
        choices=[(NO_ASSESSMENT, "No new assessment"), *AssessmentKind.choices],
    )
    assessment_completed_on = GovukDateField(label="Date of the assessment", required=False)
    shows_neglect_concerns = forms.ChoiceField(
        label="Does it show active concerns about neglectful parenting?",
        choices=Tristate.choices,
        widget=forms.RadioSelect,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # Details given without a type would be dropped without a word: say so instead.
        if not data.get("assessment_kind") and (
            data.get("assessment_completed_on") or data.get("shows_neglect_concerns")
        ):
            self.add_error(
                "assessment_kind", "Choose the type of the assessment you gave details of"
            )
        return data

    def assessment(self) -> AssessmentInput | None:
        data = self.cleaned_data
        if not data.get("assessment_kind"):
            return None
        return AssessmentInput(
            kind=data["assessment_kind"],
            completed_on=data.get("assessment_completed_on"),
            shows_neglect_concerns=data.get("shows_neglect_concerns") or Tristate.UNKNOWN,
        )
