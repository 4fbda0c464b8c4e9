"""Consent pages: the state per purpose with its history, and recording a decision."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from ipip.audit.events import Action
from ipip.audit.record import record
from ipip.cases.access import get_case_for_user, shows_identity
from ipip.cases.models import Case, CaseStatus
from ipip.consent import actions
from ipip.consent.forms import ConsentForm
from ipip.consent.models import ConsentDecision, ConsentRecord, Purpose
from ipip.consent.queries import current_consents
from ipip.consent.rules import CLIPS_TO_DELETE, EXCLUDE_FROM_RESEARCH, State, withdrawal_flag
from ipip.core.errors import DomainError
from ipip.core.http import AuthenticatedHttpRequest

FLAG_WARNINGS = {
    CLIPS_TO_DELETE: (
        "Withdrawn: clips of this family must be deleted (VIG video arrives in a later issue)"
    ),
    EXCLUDE_FROM_RESEARCH: "Withdrawn: this family's data must be left out of research",
}


def _case(request: AuthenticatedHttpRequest, case_id: UUID, *, for_write: bool) -> Case:
    """Consent names the carers, so only people who see identities (not evaluators) may look."""
    case = get_case_for_user(request.user, case_id, for_write=for_write)
    if not shows_identity(request.user):
        raise Http404
    return case


@login_required
@require_GET
def consent_index(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    case = _case(request, case_id, for_write=False)
    records = list(
        ConsentRecord.objects.filter(case=case)
        .select_related("given_by", "recorded_by")
        .order_by("-decided_on", "-id")
    )
    summary = current_consents(records)
    flags = {
        withdrawal_flag(row.purpose, ConsentDecision.WITHDRAWN)
        for row in summary
        if row.state == State.WITHDRAWN
    }
    record(
        Action.CONSENT_VIEWED,
        actor=request.user,
        subject=case,
        family_public_id=case.family.public_id,
    )
    return render(
        request,
        "consent/consent_index.html",
        {
            "case": case,
            "summary": summary,
            "history": records,
            "warnings": [text for flag, text in FLAG_WARNINGS.items() if flag in flags],
            "can_record": True,  # on a closed case, withdrawals only (the action says so)
            "is_closed": case.status == CaseStatus.CLOSED,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent_record(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    case = _case(request, case_id, for_write=True)
    form = ConsentForm(
        request.POST or None, family_id=case.family_id, initial={"version": case.version}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consent = actions.do_record_consent(
                case,
                purpose=Purpose(data["purpose"]),
                decision=ConsentDecision(data["decision"]),
                decided_on=data["decided_on"],
                given_by=data["given_by"],
                note=data["note"],
                acting_user=request.user,
                expected_version=data["version"],
            )
        except DomainError as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, f"Consent {consent.get_decision_display().lower()}.")
            return redirect("consent:index", case_id=case_id)
    return render(request, "consent/consent_record.html", {"case": case, "form": form})
