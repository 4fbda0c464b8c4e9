"""The HTTP API: partner agencies and managers send referrals and read the decisions;
staff on a case enter and read its questionnaires.

The same paths as the pages: reads go through `referrals.access` and
`questionnaires.access`, writes through their actions, and every read of a family's data
is audited. Mounted at `api/v1/`.
"""

from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status

from ipip.accounts.models import STAFF_ROLES, Area, User
from ipip.api.auth import ApiTokenAuth, api_user
from ipip.api.schemas import (
    CompleteQuestionnaireIn,
    CorrectQuestionnaireIn,
    ErrorOut,
    InstrumentOut,
    QuestionnaireOut,
    QuestionnaireSummaryOut,
    ReferralIn,
    ReferralOut,
    SaveAnswersIn,
    StartQuestionnaireIn,
    ValidationErrorOut,
    answer_errors,
    entered_text,
    field_error,
    instrument_out,
    questionnaire_out,
    questionnaire_summary,
    referral_errors,
    to_referral_input,
)
from ipip.audit.events import Action
from ipip.audit.record import record
from ipip.cases.models import Child
from ipip.core.errors import DomainError
from ipip.questionnaires.access import get_administration_for_user, get_questionnaire_case
from ipip.questionnaires.actions import (
    do_complete_administration,
    do_correct_administration,
    do_save_answers,
    do_start_administration,
)
from ipip.questionnaires.instruments import REGISTRY
from ipip.questionnaires.instruments.scoring import AnswerError
from ipip.questionnaires.models import Administration
from ipip.referrals.access import get_referral_for_user, referrals_for_user
from ipip.referrals.actions import do_receive_referral
from ipip.referrals.models import Referral

DESCRIPTION = """
Send referrals to the service and read its eligibility decisions; enter and read a
case's questionnaires (staff on the case: the allocated practitioner, the area's centre
managers and the national lead).

Authenticate with a token: `Authorization: Bearer ipip_...` (ask the service for one).
Referrers see the referrals they sent, centre managers those of their area, and the
national lead all of them.
"""

api = NinjaAPI(
    title="ipip API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs_url="/docs",
    auth=ApiTokenAuth(),
)

_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 422: ValidationErrorOut}
# Page views select these so a page of referrals is a fixed number of queries.
_RELATED = ("area", "referred_child", "current_decision")


def _require_referral_role(user: User, *, doing: str) -> None:
    # Practitioners, evaluators and administrators work with referrals through cases
    # and datasets, never through this endpoint: say so rather than return nothing.
    if not (user.is_referrer or user.manages_referrals):
        raise HttpError(
            403,
            f"Only referrers, centre managers and the national lead can {doing} "
            f"(this token's role: {user.get_role_display()}).",
        )


class AuditedPagination(LimitOffsetPagination):
    """ninja's limit/offset pagination that records which referrals a page showed."""

    def paginate_queryset(
        self,
        queryset: QuerySet[Referral],
        pagination: LimitOffsetPagination.Input,
        request: HttpRequest,
        **params: Any,
    ) -> dict[str, Any]:
        result: dict[str, Any] = super().paginate_queryset(queryset, pagination, request, **params)
        items = list(result[self.items_attribute])
        record(
            Action.REFERRAL_LIST_VIEWED,
            actor=api_user(request),
            data={
                "via": "api",
                "limit": min(pagination.limit, self.max_limit),
                "offset": pagination.offset,
                "referral_ids": [str(r.public_id) for r in items],
            },
        )
        result[self.items_attribute] = items
        return result


@api.post(
    "/referrals",
    response={201: ReferralOut, 400: ErrorOut, **_ERRORS},
    operation_id="create_referral",
    summary="Send a referral",
    description="Records the family and screens the referral at once: the response "
    "holds the decision, with a reason for each criterion and what is missing.",
    tags=["referrals"],
)
def create_referral(request: HttpRequest, payload: ReferralIn) -> Status[Referral]:
    user = api_user(request)
    _require_referral_role(user, doing="send referrals")
    area = None
    if payload.area is not None:
        area = Area.objects.filter(is_served=True, name__iexact=payload.area).first()
    errors = referral_errors(payload, user=user, area=area)
    if errors:
        raise ValidationError(errors)
    try:
        referral = do_receive_referral(
            to_referral_input(payload, user=user, area=area), acting_user=user
        )
    except DomainError as err:
        # The checks above mirror the action's rules; this is the action's last word.
        raise ValidationError([field_error((), str(err))]) from err
    return Status(201, get_referral_for_user(user, referral.public_id))


@api.get(
    "/referrals",
    response={200: list[ReferralOut], **_ERRORS},
    operation_id="list_referrals",
    summary="List the referrals you can see, newest first",
    tags=["referrals"],
)
@paginate(AuditedPagination, max_limit=100)
def list_referrals(request: HttpRequest) -> QuerySet[Referral]:
    user = api_user(request)
    _require_referral_role(user, doing="list referrals")
    return (
        referrals_for_user(user)
        .select_related(*_RELATED)
        .order_by("-received_on", "-created_at", "-id")
    )


@api.get(
    "/referrals/{public_id}",
    response={200: ReferralOut, 401: ErrorOut, 404: ErrorOut},
    operation_id="get_referral",
    summary="One referral and its current decision",
    tags=["referrals"],
)
def get_referral(request: HttpRequest, public_id: UUID) -> Referral:
    user = api_user(request)
    referral = get_referral_for_user(user, public_id)
    record(
        Action.REFERRAL_VIEWED,
        actor=user,
        subject=referral,
        family_public_id=referral.family.public_id,
        data={"via": "api", "shown": ["referral", "referred_child", "decision"]},
    )
    return referral


# --- Questionnaires ----------------------------------------------------------------------
#
# The same paths as the pages: `questionnaires.access` loads (outside one's scope is a
# 404), `questionnaires.actions` writes. An AnswerError is a 422 naming the request field;
# any other refusal (a stale version, a completed questionnaire, a second start) is a 409.

_QUESTIONNAIRE_ERRORS: dict[int, Any] = {
    401: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ValidationErrorOut,
}


def _refused(err: AnswerError | DomainError) -> Exception:
    if isinstance(err, AnswerError):
        return ValidationError(answer_errors(err.errors))
    return HttpError(409, str(err))


def _questionnaire(user: User, case_id: UUID, questionnaire_id: UUID) -> Administration:
    """The administration with what `questionnaire_out` shows, or 404."""
    found = get_administration_for_user(user, case_id, questionnaire_id)
    return (
        Administration.objects.select_related("child", "supersedes", "case__family")
        .prefetch_related("scores", "risk_flags__alert")
        .get(pk=found.pk)
    )


@api.get(
    "/instruments",
    response={200: list[InstrumentOut], 401: ErrorOut, 403: ErrorOut},
    operation_id="list_instruments",
    summary="The questionnaire library",
    description="Each instrument's items and answer options (wording only where its "
    "licence allows), its scales with their ranges, and its licence mode: 'items' "
    "(answers are stored and scored by the service) or 'scores' (scores only).",
    tags=["questionnaires"],
)
def list_instruments(request: HttpRequest) -> list[InstrumentOut]:
    user = api_user(request)
    if user.role not in STAFF_ROLES:
        raise HttpError(403, "Only the service's staff can read the questionnaire library.")
    return [instrument_out(instrument) for instrument in REGISTRY.values()]


@api.get(
    "/cases/{case_id}/questionnaires",
    response={200: list[QuestionnaireSummaryOut], 401: ErrorOut, 404: ErrorOut},
    operation_id="list_questionnaires",
    summary="A case's questionnaires, with their scores and bands",
    tags=["questionnaires"],
)
def list_questionnaires(request: HttpRequest, case_id: UUID) -> list[QuestionnaireSummaryOut]:
    user = api_user(request)
    case = get_questionnaire_case(user, case_id)
    administrations = list(
        Administration.objects.filter(case=case)
        .select_related("child")
        .prefetch_related("scores")
        .order_by("created_at", "id")
    )
    record(
        Action.QUESTIONNAIRE_VIEWED,
        actor=user,
        subject=case,
        family_public_id=case.family.public_id,
        data={"via": "api", "administration_ids": [str(a.public_id) for a in administrations]},
    )
    return [questionnaire_summary(a) for a in administrations]


@api.post(
    "/cases/{case_id}/questionnaires",
    response={201: QuestionnaireOut, **_QUESTIONNAIRE_ERRORS},
    operation_id="start_questionnaire",
    summary="Start a questionnaire at a time point",
    tags=["questionnaires"],
)
def start_questionnaire(
    request: HttpRequest, case_id: UUID, payload: StartQuestionnaireIn
) -> Status[QuestionnaireOut]:
    user = api_user(request)
    case = get_questionnaire_case(user, case_id)
    child = None
    if payload.child_id is not None:
        child = Child.objects.filter(family_id=case.family_id, public_id=payload.child_id).first()
        if child is None:
            raise ValidationError([field_error(("child_id",), "No child of this family has it")])
    try:
        administration = do_start_administration(
            case,
            instrument_code=payload.instrument,
            time_point=payload.time_point,
            child=child,
            acting_user=user,
        )
    except (AnswerError, DomainError) as err:
        raise _refused(err) from err
    return Status(201, questionnaire_out(_questionnaire(user, case_id, administration.public_id)))


@api.get(
    "/cases/{case_id}/questionnaires/{questionnaire_id}",
    response={200: QuestionnaireOut, 401: ErrorOut, 404: ErrorOut},
    operation_id="get_questionnaire",
    summary="One questionnaire: answers or scores entered, scores, risks, version",
    tags=["questionnaires"],
)
def get_questionnaire(
    request: HttpRequest, case_id: UUID, questionnaire_id: UUID
) -> QuestionnaireOut:
    user = api_user(request)
    administration = _questionnaire(user, case_id, questionnaire_id)
    record(
        Action.QUESTIONNAIRE_VIEWED,
        actor=user,
        subject=administration,
        family_public_id=administration.case.family.public_id,
        data={
            "via": "api",
            "administration_id": str(administration.public_id),
            "instrument": administration.instrument_code,
        },
    )
    return questionnaire_out(administration)


@api.patch(
    "/cases/{case_id}/questionnaires/{questionnaire_id}",
    response={200: QuestionnaireOut, **_QUESTIONNAIRE_ERRORS},
    operation_id="save_questionnaire",
    summary="Save answers (or scores) part-way",
    description="Only the items (or scores) given change; null clears one. Send the "
    "version you last read: if it changed meanwhile the save is refused with a 409.",
    tags=["questionnaires"],
)
def save_questionnaire(
    request: HttpRequest, case_id: UUID, questionnaire_id: UUID, payload: SaveAnswersIn
) -> QuestionnaireOut:
    user = api_user(request)
    administration = get_administration_for_user(user, case_id, questionnaire_id)
    try:
        do_save_answers(
            administration,
            answers=payload.answers,
            entered=entered_text(payload.scores),
            expected_version=payload.version,
            acting_user=user,
        )
    except (AnswerError, DomainError) as err:
        raise _refused(err) from err
    return questionnaire_out(_questionnaire(user, case_id, questionnaire_id))


@api.post(
    "/cases/{case_id}/questionnaires/{questionnaire_id}/complete",
    response={200: QuestionnaireOut, **_QUESTIONNAIRE_ERRORS},
    operation_id="complete_questionnaire",
    summary="Save the last answers, then score and lock the questionnaire",
    description="Every item (or required score) must be given unless missing_confirmed. "
    "A risk answer or score alerts the practitioner and the area's managers; the "
    "response lists it in risk_flags.",
    tags=["questionnaires"],
)
def complete_questionnaire(
    request: HttpRequest, case_id: UUID, questionnaire_id: UUID, payload: CompleteQuestionnaireIn
) -> QuestionnaireOut:
    user = api_user(request)
    administration = get_administration_for_user(user, case_id, questionnaire_id)
    try:
        do_complete_administration(
            administration,
            completed_on=payload.completed_on,
            answers=payload.answers,
            entered=entered_text(payload.scores),
            missing_confirmed=payload.missing_confirmed,
            expected_version=payload.version,
            acting_user=user,
        )
    except (AnswerError, DomainError) as err:
        raise _refused(err) from err
    return questionnaire_out(_questionnaire(user, case_id, questionnaire_id))


@api.post(
    "/cases/{case_id}/questionnaires/{questionnaire_id}/correct",
    response={201: QuestionnaireOut, **_QUESTIONNAIRE_ERRORS},
    operation_id="correct_questionnaire",
    summary="Correct a completed questionnaire: a new version, with a reason",
    description="answers/scores change the completed version's; the old version is kept, "
    "marked superseded. The response is the new version.",
    tags=["questionnaires"],
)
def correct_questionnaire(
    request: HttpRequest, case_id: UUID, questionnaire_id: UUID, payload: CorrectQuestionnaireIn
) -> Status[QuestionnaireOut]:
    user = api_user(request)
    administration = get_administration_for_user(user, case_id, questionnaire_id)
    try:
        completion = do_correct_administration(
            administration,
            reason=payload.reason,
            completed_on=payload.completed_on,
            answers=payload.answers,
            entered=entered_text(payload.scores),
            missing_confirmed=payload.missing_confirmed,
            expected_version=payload.version,
            acting_user=user,
        )
    except (AnswerError, DomainError) as err:
        raise _refused(err) from err
    new_id = completion.administration.public_id
    return Status(201, questionnaire_out(_questionnaire(user, case_id, new_id)))
