"""The API's request and response shapes, the referral checks the page's form makes, and
the questionnaire shapes (the instrument library, a case's questionnaires).

Input schemas forbid unknown fields, so a misspelt field is a 422 naming it rather than
a fact silently dropped. Field-level checks raise `PydanticCustomError("value_error")`
so their errors look exactly like the cross-field checks in `referral_errors`:
`{"type": "value_error", "loc": [...], "msg": "..."}`.
"""

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Final
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils import timezone
from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict, StrictInt, StringConstraints
from pydantic_core import PydanticCustomError

from ipip.accounts.models import AgencyType, Area, User
from ipip.cases.intake import AssessmentInput, CarerInput, ChildInput, FamilyInput, PlanInput
from ipip.cases.models import (
    ASSESSMENT_KINDS_BY_NATION,
    AssessmentKind,
    Proceedings,
    Relationship,
    Tristate,
)
from ipip.eligibility.rules import Result
from ipip.questionnaires.instruments import REGISTRY, wordings
from ipip.questionnaires.instruments.base import Instrument, LicenceMode
from ipip.questionnaires.models import Administration, AdministrationStatus, TimePoint
from ipip.referrals.actions import ReferralInput
from ipip.referrals.models import DuplicateStatus, Outcome, Referral, ReferralStatus

# The same limits as the page (ReferralForm and its formset of other children).
MAX_OTHER_CHILDREN: Final = 8
MAX_CARERS: Final = 8
MAX_PLANS: Final = 10

type Loc = tuple[str | int, ...]
type FieldError = dict[str, Any]


def field_error(loc: Loc, msg: str) -> FieldError:
    """One error in the shape ninja gives schema errors, for a field of the request body."""
    return {"type": "value_error", "loc": ["body", "payload", *loc], "msg": msg}


def _value_error(msg: str) -> PydanticCustomError:
    return PydanticCustomError("value_error", msg)


def _postcode(value: str) -> str:
    normalised = " ".join(value.split()).upper()
    if not 5 <= len(normalised.replace(" ", "")) <= 7:
        raise _value_error("Enter a real postcode, like SW1A 1AA")
    return normalised


def _email(value: str) -> str:
    if value:
        try:
            validate_email(value)
        except DjangoValidationError:
            raise _value_error("Enter an email address like name@example.com") from None
    return value


def _not_future(value: date) -> date:
    if value > timezone.localdate():
        raise _value_error("Date the referral was received must be today or in the past")
    return value


def _text(max_length: int, *, required: bool = True) -> Any:  # an Annotated metadata object
    # Django's CharField strips whitespace too, so "   " counts as missing on both paths.
    return StringConstraints(
        strip_whitespace=True, min_length=1 if required else 0, max_length=max_length
    )


Name = Annotated[str, _text(80)]
OptionalText = Annotated[str, _text(120, required=False)]


class _Input(Schema):
    model_config = ConfigDict(extra="forbid")


class AddressIn(_Input):
    line_1: Annotated[str, _text(120)]
    line_2: OptionalText = ""
    town: Name
    postcode: Annotated[str, _text(10), AfterValidator(_postcode)]


class CarerIn(_Input):
    first_name: Name
    last_name: Name
    relationship: Relationship
    phone: Annotated[str, _text(30, required=False)] = ""
    email: Annotated[str, _text(254, required=False), AfterValidator(_email)] = ""


class PlanIn(_Input):
    """A child protection plan, as far as the referrer knows it."""

    started_on: date | None = None
    ended_on: date | None = None
    is_ongoing: bool = False


class ChildIn(_Input):
    first_name: Name
    last_name: Name
    date_of_birth: date | None = Field(
        None, description="Leave null only if not known: the decision will ask for it."
    )
    ever_on_plan: Tristate = Field(
        description="Has the child ever been the subject of a child protection plan?"
    )
    plans: list[PlanIn] = Field(default_factory=list, max_length=MAX_PLANS)
    care_proceedings: Proceedings


class AssessmentIn(_Input):
    """The CAF or the equivalent early-help assessment used in the family's nation."""

    kind: AssessmentKind
    completed_on: date | None = None
    shows_neglect_concerns: Tristate = Tristate.UNKNOWN


class ReferralIn(_Input):
    received_on: Annotated[date, AfterValidator(_not_future)] | None = Field(
        None, description="Defaults to today."
    )
    agency_type: AgencyType | None = Field(
        None, description="Managers only: a referrer's agency is taken from their account."
    )
    agency_name: OptionalText | None = Field(None, description="Managers only.")
    area: Annotated[str, _text(80)] | None = Field(
        None,
        description='The name of an area the service covers, e.g. "Sheffield"; '
        "null with other_area_name when the family lives elsewhere.",
    )
    other_area_name: Annotated[str, _text(80, required=False)] = ""
    address: AddressIn
    carers: list[CarerIn] = Field(min_length=1, max_length=MAX_CARERS)
    referred_child: ChildIn
    other_children: list[ChildIn] = Field(default_factory=list, max_length=MAX_OTHER_CHILDREN)
    assessment: AssessmentIn | None = None
    reason: Annotated[str, _text(5000)]


# --- Checks across fields: the rules ReferralForm.clean applies on the page ---------------


def _agency_errors(payload: ReferralIn, user: User) -> list[FieldError]:
    if user.is_referrer:
        return [
            field_error((name,), "Your agency is taken from your account: leave this field out")
            for name in ("agency_type", "agency_name")
            if getattr(payload, name) is not None
        ]
    if payload.agency_type is None:
        choices = ", ".join(f"'{c}'" for c in AgencyType.values)
        return [field_error(("agency_type",), f"Give the referring agency's type: {choices}")]
    return []


def _area_errors(payload: ReferralIn, user: User, area: Area | None) -> list[FieldError]:
    if payload.area is not None and area is None:
        served = ", ".join(Area.objects.filter(is_served=True).values_list("name", flat=True))
        return [
            field_error(
                ("area",),
                f"{payload.area} is not an area the service covers ({served}): give one of "
                "these, or set area to null and name the family's area in other_area_name",
            )
        ]
    if user.is_centre_manager:
        if area is None or area.pk != user.area_id:
            return [field_error(("area",), "You can only record referrals for your own area")]
        return []
    if area is None and not payload.other_area_name:
        return [
            field_error(
                ("other_area_name",),
                "Enter the area the family lives in: an area the service covers in area, "
                "or another one in other_area_name",
            )
        ]
    return []


def _child_errors(child: ChildIn, at: Loc) -> list[FieldError]:
    errors = []
    for i, plan in enumerate(child.plans):
        ended = (*at, "plans", i, "ended_on")
        if plan.is_ongoing and plan.ended_on is not None:
            errors.append(
                field_error(
                    ended,
                    "A plan that is still in place has no end date: remove ended_on "
                    "or set is_ongoing to false",
                )
            )
        if plan.started_on and plan.ended_on and plan.ended_on < plan.started_on:
            errors.append(
                field_error(ended, "Plan end date must be the same as or after the start date")
            )
    if child.plans and child.ever_on_plan == Tristate.NO:
        errors.append(
            field_error((*at, "ever_on_plan"), "You gave a plan: answer 'yes' or remove the plans")
        )
    return errors


def _assessment_errors(payload: ReferralIn, area: Area | None) -> list[FieldError]:
    if payload.assessment is None or area is None:
        return []
    kind = payload.assessment.kind
    if kind in ASSESSMENT_KINDS_BY_NATION[area.nation]:
        return []
    used = " or ".join(
        f"'{k}'" for k in AssessmentKind.values if k in ASSESSMENT_KINDS_BY_NATION[area.nation]
    )
    return [
        field_error(
            ("assessment", "kind"),
            f"{AssessmentKind(kind).label} is not used in {area.get_nation_display()}: "
            f"give the assessment used there ({used})",
        )
    ]


def referral_errors(payload: ReferralIn, *, user: User, area: Area | None) -> list[FieldError]:
    """What the page's form would refuse in this referral; empty when it may be recorded.

    `area` is the served area named by `payload.area`, or None if none was named or found.
    """
    return [
        *_agency_errors(payload, user),
        *_area_errors(payload, user, area),
        *_child_errors(payload.referred_child, ("referred_child",)),
        *(
            error
            for i, child in enumerate(payload.other_children)
            for error in _child_errors(child, ("other_children", i))
        ),
        *_assessment_errors(payload, area),
    ]


def _child_input(child: ChildIn) -> ChildInput:
    return ChildInput(
        first_name=child.first_name,
        last_name=child.last_name,
        date_of_birth=child.date_of_birth,
        ever_on_plan=child.ever_on_plan,
        care_proceedings=child.care_proceedings,
        plans=tuple(
            PlanInput(started_on=p.started_on, ended_on=p.ended_on, is_ongoing=p.is_ongoing)
            for p in child.plans
        ),
    )


def to_referral_input(payload: ReferralIn, *, user: User, area: Area | None) -> ReferralInput:
    """The action's input from a checked payload (`referral_errors` returned nothing)."""
    assessment = None
    if payload.assessment is not None:
        assessment = AssessmentInput(
            kind=payload.assessment.kind,
            completed_on=payload.assessment.completed_on,
            shows_neglect_concerns=payload.assessment.shows_neglect_concerns,
        )
    family = FamilyInput(
        area_id=area.pk if area is not None else None,
        address_line_1=payload.address.line_1,
        address_line_2=payload.address.line_2,
        town=payload.address.town,
        postcode=payload.address.postcode,
        referred_child=_child_input(payload.referred_child),
        other_children=tuple(_child_input(c) for c in payload.other_children),
        carers=tuple(
            CarerInput(
                first_name=c.first_name,
                last_name=c.last_name,
                relationship=c.relationship,
                phone=c.phone,
                email=c.email,
            )
            for c in payload.carers
        ),
        assessment=assessment,
    )
    return ReferralInput(
        received_on=payload.received_on or timezone.localdate(),
        agency_type=payload.agency_type or user.agency_type,
        agency_name=payload.agency_name if payload.agency_name is not None else user.agency_name,
        reason=payload.reason,
        other_area_name=payload.other_area_name if area is None else "",
        family=family,
    )


# --- Responses -------------------------------------------------------------------------


class ChildOut(Schema):
    first_name: str
    last_name: str
    date_of_birth: date | None


class CriterionOut(Schema):
    criterion: str = Field(description="One of the six criteria, e.g. 'child_age'.")
    label: str
    result: Result
    reason: str
    ask_for: str | None = Field(description="What to send so the criterion can be decided.")


class DecisionOut(Schema):
    outcome: Outcome
    rules_version: str
    decided_at: datetime
    is_override: bool
    override_reason: str
    criteria: list[CriterionOut]
    missing: list[str] = Field(
        description="What the service needs to decide: one per unknown criterion."
    )


class ReferralOut(Schema):
    id: UUID
    status: ReferralStatus
    received_on: date
    area: str | None
    other_area_name: str
    referred_child: ChildOut
    decision: DecisionOut | None
    duplicate_status: DuplicateStatus
    decline_reason: str | None = Field(description="The reason given, once declined.")

    @staticmethod
    def resolve_id(obj: Referral) -> UUID:
        # Internal integer ids never leave the service.
        return obj.public_id

    @staticmethod
    def resolve_area(obj: Referral) -> str | None:
        return obj.area.name if obj.area is not None else None

    @staticmethod
    def resolve_decision(obj: Referral) -> object:
        return obj.current_decision

    @staticmethod
    def resolve_decline_reason(obj: Referral) -> str | None:
        return obj.decline_reason if obj.status == ReferralStatus.DECLINED else None


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    type: str
    loc: Sequence[str | int] = Field(description="Where: e.g. ['body', 'payload', 'reason'].")
    msg: str
    ctx: dict[str, Any] | None = Field(
        None, description="Present on some schema errors, e.g. the expected values."
    )


class ValidationErrorOut(Schema):
    detail: list[FieldErrorOut]


# --- Questionnaires ----------------------------------------------------------------------
#
# The library (what each instrument asks and how it is scored) and a case's questionnaires.
# Answers are keyed by item number, entered scores by scale code, as the pages and the
# actions keep them; an AnswerError's field ("item_3", "scale_total", "completed_on",
# "child", "reason") becomes a 422 error at the request field it is about.


class OptionOut(Schema):
    value: int
    label: str


class ItemOut(Schema):
    number: int
    wording: str | None = Field(
        description="Shown only where the licence allows it; null: read it from the form."
    )
    reverse: bool
    risk_above: int | None = Field(description="An answer above this raises a risk alert.")
    options: list[OptionOut]


class ScaleOut(Schema):
    code: str
    name: str
    minimum: Decimal
    maximum: Decimal
    direction: str = Field(description="'lower' or 'higher': which way is improvement.")
    items: list[int]
    computed_from: list[str] = Field(description="Scales it is the sum of (e.g. SDQ total).")
    entered: bool = Field(description="Scores only: typed in (in `scores`), not computed.")
    optional: bool
    decimal_places: int


class InstrumentOut(Schema):
    code: str
    name: str
    version: str
    licence: str = Field(description="'items' (answers stored) or 'scores' (scores only).")
    licence_note: str
    about: str
    about_child: bool
    child_age_months: list[int] | None = Field(
        description="For an instrument about a child: [from, below] in months."
    )
    sources: list[str]
    items: list[ItemOut]
    scales: list[ScaleOut]


def instrument_out(instrument: Instrument) -> InstrumentOut:
    return InstrumentOut(
        code=instrument.code,
        name=instrument.name,
        version=instrument.version,
        licence=str(instrument.licence),
        licence_note=instrument.licence_note,
        about=instrument.about,
        about_child=instrument.about_child,
        child_age_months=list(instrument.child_age_months)
        if instrument.child_age_months
        else None,
        sources=list(instrument.sources),
        items=[
            ItemOut(
                number=item.number,
                wording=wordings.wording(item.wording_key),
                reverse=item.reverse,
                risk_above=item.risk_above,
                options=[
                    OptionOut(value=o.value, label=o.label)
                    for o in instrument.options_for(item.number)
                ],
            )
            for item in instrument.items
        ],
        scales=[
            ScaleOut(
                code=scale.code,
                name=scale.name,
                minimum=scale.minimum,
                maximum=scale.maximum,
                direction=str(scale.direction),
                items=list(scale.items),
                computed_from=list(scale.sum_of_scales),
                entered=instrument.licence == LicenceMode.SCORES_ONLY and not scale.sum_of_scales,
                optional=scale.optional,
                decimal_places=scale.decimal_places,
            )
            for scale in instrument.scales
        ],
    )


def _known_instrument(code: str) -> str:
    if code not in REGISTRY:
        known = ", ".join(f"'{c}'" for c in REGISTRY)
        raise _value_error(f"There is no questionnaire '{code}': give one of {known}")
    return code


Answers = dict[int, StrictInt | None]
# A score as a JSON number or a string ("12", "3.25"); null clears one saved before.
Scores = dict[str, Decimal | None]


class StartQuestionnaireIn(_Input):
    instrument: Annotated[str, AfterValidator(_known_instrument)] = Field(
        description="An instrument code from GET /instruments, e.g. 'phq9'."
    )
    time_point: TimePoint
    child_id: UUID | None = Field(
        None, description="For an instrument about a child: which child of the family."
    )


class SaveAnswersIn(_Input):
    version: int = Field(description="The questionnaire's version as you last read it.")
    answers: Answers | None = Field(
        None, description="Items stored: item number -> value; null clears an answer."
    )
    scores: Scores | None = Field(
        None, description="Scores only: scale code -> score; null clears a score."
    )


class CompleteQuestionnaireIn(SaveAnswersIn):
    completed_on: date = Field(description="The day the parent answered.")
    missing_confirmed: bool = Field(
        False, description="The parent chose not to answer the items (or scores) left out."
    )


class CorrectQuestionnaireIn(CompleteQuestionnaireIn):
    version: int = Field(description="The completed version's version, as you last read it.")
    reason: Annotated[str, _text(2000)] = Field(description="Why the answers are corrected.")
    answers: Answers | None = Field(
        None, description="Changes to the completed answers; null clears an answer."
    )


def entered_text(scores: Scores | None) -> dict[str, str | None] | None:
    """Scores as the action takes them: the number's text, or None to clear."""
    if scores is None:
        return None
    return {code: None if value is None else format(value, "f") for code, value in scores.items()}


def answer_errors(errors: Mapping[str, str]) -> list[FieldError]:
    """An AnswerError's messages, each at the request field it is about."""
    out = []
    for key, message in errors.items():
        if key.startswith("item_"):
            loc: Loc = ("answers", key.removeprefix("item_"))
        elif key.startswith("scale_"):
            loc = ("scores", key.removeprefix("scale_"))
        elif key == "child":
            loc = ("child_id",)
        else:
            loc = (key,)
        out.append(field_error(loc, message))
    return out


class ScoreOut(Schema):
    scale: str
    name: str
    value: Decimal | None = Field(description="null: not scored (too many items missing).")
    band: str | None
    band_label: str | None
    form: str = Field(description="The age form whose bands were used, if any.")
    answered: int
    missing: int
    prorated: bool
    note: str


class RiskFlagOut(Schema):
    code: str
    message: str
    alert_id: UUID | None


class QuestionnaireSummaryOut(Schema):
    id: UUID
    instrument: str
    instrument_name: str
    time_point: TimePoint
    status: AdministrationStatus
    number: int = Field(description="1, or the correction's number.")
    version: int = Field(description="Send it back when saving: a stale one is a 409.")
    child_id: UUID | None
    completed_on: date | None
    scores: list[ScoreOut]


class QuestionnaireOut(QuestionnaireSummaryOut):
    instrument_version: str
    child_age_months: int | None
    answers: dict[str, int] = Field(description="Items stored: item number -> value.")
    entered: dict[str, str] = Field(description="Scores only: scale code -> score typed.")
    unanswered: list[int] = Field(description="Items stored: item numbers not answered.")
    risk_flags: list[RiskFlagOut]
    supersedes_id: UUID | None
    correction_reason: str


def _scores(administration: Administration, instrument: Instrument | None) -> list[ScoreOut]:
    names = {s.code: s.name for s in instrument.scales} if instrument else {}
    return [
        ScoreOut(
            scale=score.scale_code,
            name=names.get(score.scale_code, score.scale_code),
            value=score.value,
            band=score.band_code or None,
            band_label=score.band_label or None,
            form=score.form,
            answered=score.answered,
            missing=score.missing,
            prorated=score.prorated,
            note=score.note,
        )
        for score in administration.scores.all()
    ]


def _summary_fields(administration: Administration) -> dict[str, Any]:
    instrument = REGISTRY.get(administration.instrument_code)
    return {
        "id": administration.public_id,
        "instrument": administration.instrument_code,
        "instrument_name": instrument.name if instrument else administration.instrument_code,
        "time_point": administration.time_point,
        "status": administration.status,
        "number": administration.number,
        "version": administration.version,
        "child_id": administration.child.public_id if administration.child else None,
        "completed_on": administration.completed_on,
        "scores": _scores(administration, instrument),
    }


def questionnaire_summary(administration: Administration) -> QuestionnaireSummaryOut:
    """Needs `child` selected and `scores` prefetched."""
    return QuestionnaireSummaryOut(**_summary_fields(administration))


def questionnaire_out(administration: Administration) -> QuestionnaireOut:
    """Needs `child` and `supersedes` selected, `scores` and `risk_flags__alert` prefetched."""
    instrument = REGISTRY.get(administration.instrument_code)
    items = instrument.items if instrument else ()
    return QuestionnaireOut(
        **_summary_fields(administration),
        instrument_version=administration.instrument_version,
        child_age_months=administration.child_age_months,
        answers=administration.answers,
        entered=administration.entered,
        unanswered=[i.number for i in items if str(i.number) not in administration.answers],
        risk_flags=[
            RiskFlagOut(
                code=flag.code,
                message=flag.message,
                alert_id=flag.alert.public_id if flag.alert else None,
            )
            for flag in administration.risk_flags.all()
        ],
        supersedes_id=administration.supersedes.public_id if administration.supersedes else None,
        correction_reason=administration.correction_reason,
    )
