"""The only way pages and the API load questionnaires: through the case, so outside one's
scope is a 404. Who: the allocated practitioner, managers of the case's area and the
national lead (`get_case_for_user(..., for_write=True)`); evaluators, who see no personal
data, get a 404 here."""

from uuid import UUID

from django.http import Http404

from ipip.accounts.models import User
from ipip.cases.access import get_case_for_user
from ipip.cases.models import Case
from ipip.questionnaires.models import Administration


def get_questionnaire_case(user: User, case_id: UUID) -> Case:
    return get_case_for_user(user, case_id, for_write=True)


def get_administration_for_user(
    user: User, case_id: UUID, administration_id: UUID
) -> Administration:
    """One administration of a case in the person's scope, or Http404."""
    case = get_questionnaire_case(user, case_id)
    try:
        administration = Administration.objects.select_related("child").get(
            case=case, public_id=administration_id
        )
    except Administration.DoesNotExist:
        raise Http404 from None
    administration.case = case
    return administration
