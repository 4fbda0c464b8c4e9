"""Who may run an area's allocation: its centre managers and the national lead."""

from uuid import UUID

from django.http import Http404

from ipip.accounts.models import Area, Role, User


def may_manage_area(user: User, area_id: int | None) -> bool:
    """Allocate cases, set capacity and switch trial mode in the area: a centre manager of
    the area, or the national lead. Everyone else (practitioners included) may not."""
    if not user.is_active or area_id is None:
        return False
    return user.role == Role.NATIONAL_LEAD or (
        user.role == Role.CENTRE_MANAGER and user.area_id == area_id
    )


def get_area_for_user(user: User, area_public_id: str | None) -> Area | None:
    """The area an allocation page is about, or Http404.

    A centre manager: their own area (asking for another is a 404). The national lead: the
    area chosen with the filter, or None until one is chosen. Everyone else: Http404.
    """
    if not user.is_active:
        raise Http404
    if user.role == Role.CENTRE_MANAGER and user.area_id is not None:
        area = Area.objects.get(pk=user.area_id)
        if area_public_id and area_public_id != str(area.public_id):
            raise Http404
        return area
    if user.role != Role.NATIONAL_LEAD:
        raise Http404
    if not area_public_id:
        return None
    try:
        return Area.objects.get(public_id=UUID(area_public_id), is_served=True)
    except (ValueError, Area.DoesNotExist):
        raise Http404 from None


def get_practitioner_for_user(user: User, public_id: UUID) -> User:
    """An active practitioner whose capacity this person may set, or Http404."""
    try:
        practitioner = User.objects.select_related("area").get(
            public_id=public_id, role=Role.PRACTITIONER, is_active=True
        )
    except User.DoesNotExist:
        raise Http404 from None
    if not may_manage_area(user, practitioner.area_id):
        raise Http404
    return practitioner
