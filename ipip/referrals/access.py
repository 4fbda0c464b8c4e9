"""The only way pages and the API load referrals. Outside one's scope is a 404."""

from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from ipip.accounts.models import Role, User
from ipip.referrals.models import Referral


def referrals_for_user(user: User) -> QuerySet[Referral]:
    """Referrals this person may see: deny by default.

    National lead: all. Centre manager: their area. Referrer: the ones they sent.
    Everyone else (practitioners, evaluators, administrators): none.
    """
    qs = Referral.objects.all()
    if not user.is_active:
        return qs.none()
    if user.role == Role.NATIONAL_LEAD:
        return qs
    if user.role == Role.CENTRE_MANAGER and user.area_id is not None:
        return qs.filter(area_id=user.area_id)
    if user.role == Role.REFERRER:
        return qs.filter(referred_by=user)
    return qs.none()


def get_referral_for_user(user: User, public_id: UUID, *, for_write: bool = False) -> Referral:
    """One referral in the person's scope, or Http404.

    `for_write` narrows to managers of the referral's area and the national lead:
    referrers can read their referrals and decisions but not act on them.
    """
    qs = referrals_for_user(user)
    if for_write and not user.manages_referrals:
        raise Http404
    try:
        return qs.select_related(
            "family",
            "family__area",
            "referred_child",
            "area",
            "current_decision",
            "current_decision__decided_by",
            "referred_by",
            "case",
        ).get(public_id=public_id)
    except Referral.DoesNotExist:
        raise Http404 from None
