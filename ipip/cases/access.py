"""The only way pages and the API load cases and families. Outside one's scope is a 404."""

from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from ipip.accounts.models import Role, User
from ipip.cases.models import Case


def cases_for_user(user: User) -> QuerySet[Case]:
    """Cases this person may see: deny by default.

    Practitioner: cases allocated to them. Centre manager: their area. National lead:
    all. Evaluator: all, but only ever shown pseudonymously (see `shows_identity`).
    Referrers and administrators: none.
    """
    qs = Case.objects.all()
    if not user.is_active:
        return qs.none()
    if user.role in (Role.NATIONAL_LEAD, Role.EVALUATOR):
        return qs
    if user.role == Role.CENTRE_MANAGER and user.area_id is not None:
        return qs.filter(area_id=user.area_id)
    if user.role == Role.PRACTITIONER:
        return qs.filter(allocated_to=user)
    return qs.none()


def shows_identity(user: User) -> bool:
    """Evaluators see pseudonymous identifiers only: no names, dates of birth or contacts."""
    return user.sees_identities


def get_case_for_user(user: User, public_id: UUID, *, for_write: bool = False) -> Case:
    """One case in the person's scope, or Http404.

    `for_write`: managers of the area, the national lead, and the allocated practitioner.
    Evaluators never write.
    """
    if for_write and user.role == Role.EVALUATOR:
        raise Http404
    try:
        return (
            cases_for_user(user)
            .select_related("family", "area", "allocated_to")
            .get(public_id=public_id)
        )
    except Case.DoesNotExist:
        raise Http404 from None


def get_case_for_audit(user: User, public_id: UUID) -> Case:
    """A case whose audit trail this person may read: managers of its area, the national
    lead, and administrators (as data protection officers). Others get Http404."""
    qs: QuerySet[Case]
    if user.role == Role.ADMINISTRATOR and user.is_active:
        qs = Case.objects.all()
    elif user.manages_referrals:
        qs = cases_for_user(user)
    else:
        raise Http404
    try:
        return qs.select_related("family", "area").get(public_id=public_id)
    except Case.DoesNotExist:
        raise Http404 from None


def may_work_on_case(user: User, case: Case) -> bool:
    """Who may write a case's delivery records (visits, cycles, sessions, goals, consent):
    the allocated practitioner, a centre manager of the case's area, the national lead."""
    if not user.is_active:
        return False
    return (
        case.allocated_to_id == user.pk
        or user.role == Role.NATIONAL_LEAD
        or (user.role == Role.CENTRE_MANAGER and user.area_id == case.area_id)
    )
