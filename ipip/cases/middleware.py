"""Auditing reads of case pages that do not audit themselves."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from ipip.audit.context import events_written
from ipip.audit.events import Action
from ipip.audit.record import record
from ipip.cases.models import Case


class CasePageAuditMiddleware:
    """Every page of a case that is read writes an audit event, even a form.

    List and detail pages write their own *_VIEWED event, with the ids they show. A page
    under `/cases/<id>/` that wrote none (a form showing the family's carers, children or
    records) gets CASE_PAGE_VIEWED here, naming the page. Runs after authentication.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        counter = [0]
        token = events_written.set(counter)
        try:
            response = self.get_response(request)
        finally:
            events_written.reset(token)
        if request.method == "GET" and response.status_code == 200 and counter[0] == 0:
            self._audit_case_page(request)
        return response

    @staticmethod
    def _audit_case_page(request: HttpRequest) -> None:
        match = request.resolver_match
        user = getattr(request, "user", None)
        if match is None or user is None or not user.is_authenticated:
            return
        case_id = match.kwargs.get("case_id")
        if case_id is None and match.namespace == "cases":
            case_id = match.kwargs.get("public_id")
        if case_id is None:
            return
        family_id = (
            Case.objects.filter(public_id=case_id)
            .values_list("family__public_id", flat=True)
            .first()
        )
        record(
            Action.CASE_PAGE_VIEWED,
            actor=user,
            family_public_id=family_id,
            data={"page": match.view_name, "case_id": str(case_id)},
        )
