"""The HTTP API: partner agencies and managers send referrals and read the decisions.

The same paths as the pages: reads go through `referrals.access`, writes through
`referrals.actions`, and every read of referral data is audited. Mounted at `api/v1/`.
"""

from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status

from ipip.accounts.models import Area, User
from ipip.api.auth import ApiTokenAuth, api_user
from ipip.api.schemas import (
    ErrorOut,
    ReferralIn,
    ReferralOut,
    ValidationErrorOut,
    field_error,
    referral_errors,
    to_referral_input,
)
from ipip.audit.events import Action
from ipip.audit.record import record
from ipip.core.errors import DomainError
from ipip.referrals.access import get_referral_for_user, referrals_for_user
from ipip.referrals.actions import do_receive_referral
from ipip.referrals.models import Referral

DESCRIPTION = """
Send referrals to the service and read its eligibility decisions.

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
