"""Referral pages: the form, the queue, the detail with its decision, and the manager's actions."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ipip.audit.events import Action
from ipip.audit.record import record
from ipip.cases.actions import ChildFactsChange
from ipip.cases.models import Child
from ipip.core.errors import DomainError
from ipip.core.forms import VersionForm
from ipip.core.http import AuthenticatedHttpRequest
from ipip.core.pages import paginate
from ipip.referrals import actions
from ipip.referrals.access import get_referral_for_user, referrals_for_user
from ipip.referrals.forms import (
    AssessmentFactsForm,
    ChildFactsForm,
    DeclineForm,
    DuplicateForm,
    OtherChildFormSet,
    OverrideForm,
    ReferralForm,
)
from ipip.referrals.models import Outcome, Referral, ReferralStatus

QUEUE_FILTERS = {
    "open": [ReferralStatus.RECEIVED, ReferralStatus.SCREENED],
    "accepted": [ReferralStatus.ACCEPTED],
    "declined": [ReferralStatus.DECLINED],
}


@login_required
@require_http_methods(["GET", "POST"])
def referral_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not (user.is_referrer or user.manages_referrals):
        raise Http404
    form = ReferralForm(request.POST or None, user=user)
    children = OtherChildFormSet(request.POST or None, prefix="child")
    if request.method == "POST" and form.is_valid() and children.is_valid():
        others = [f.child_input() for f in children.forms if not f.is_blank()]
        try:
            referral = actions.do_receive_referral(form.to_input(others), acting_user=user)
        except DomainError as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, "Referral received and screened.")
            return redirect("referrals:detail", public_id=referral.public_id)
    return render(
        request,
        "referrals/referral_create.html",
        {"form": form, "children": children, "all_forms": [form, children]},
    )


@login_required
def referral_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not (user.manages_referrals or user.is_referrer):
        raise Http404
    state = request.GET.get("state", "open")
    outcome = request.GET.get("outcome", "")
    qs = referrals_for_user(user).select_related(
        "referred_child", "area", "current_decision", "family"
    )
    if state in QUEUE_FILTERS:
        qs = qs.filter(status__in=QUEUE_FILTERS[state])
    if outcome in Outcome.values:
        qs = qs.filter(current_decision__outcome=outcome)
    # Oldest first: the queue is worked in the order referrals arrived.
    qs = (
        qs.order_by("received_on", "id") if state == "open" else qs.order_by("-received_on", "-id")
    )
    page, base_query = paginate(request, qs)
    record(
        Action.REFERRAL_LIST_VIEWED,
        actor=user,
        data={
            "state": state,
            "outcome": outcome,
            "page": page.number,
            "referral_ids": [str(r.public_id) for r in page.object_list],
        },
    )
    return render(
        request,
        "referrals/referral_queue.html",
        {
            "page_obj": page,
            "base_query": base_query,
            "state": state,
            "outcome": outcome,
            "outcomes": Outcome.choices,
        },
    )


def _detail_context(referral: Referral, request: AuthenticatedHttpRequest) -> dict[str, object]:
    decisions = list(
        referral.decisions.select_related("decided_by").order_by("-decided_at", "-id")
    )
    children = list(
        Child.objects.filter(family_id=referral.family_id)
        .prefetch_related("plans", "assessments")
        .order_by("date_of_birth", "id")
    )
    return {
        "referral": referral,
        "decision": referral.current_decision,
        "decisions": decisions,
        "children": children,
        "carers": list(referral.family.carers.all()),
        "candidates": list(referral.duplicate_candidates.select_related("existing_child__family")),
        "can_act": request.user.manages_referrals
        and referral.status in (ReferralStatus.RECEIVED, ReferralStatus.SCREENED),
        "version_form": VersionForm(initial={"version": referral.version}),
    }


@login_required
@require_http_methods(["GET"])
def referral_detail(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    referral = get_referral_for_user(request.user, public_id)
    record(
        Action.REFERRAL_VIEWED,
        actor=request.user,
        subject=referral,
        family_public_id=referral.family.public_id,
        data={"shown": ["referral", "family", "children", "decision"]},
    )
    return render(request, "referrals/referral_detail.html", _detail_context(referral, request))


def _refused(
    request: AuthenticatedHttpRequest, referral: Referral, err: DomainError
) -> HttpResponse:
    """A button-only action the rules refused: the detail page with the reason, 409."""
    context = _detail_context(referral, request)
    context["action_errors"] = [str(err)]
    return render(request, "referrals/referral_detail.html", context, status=409)


@login_required
@require_POST
def referral_rescreen(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    referral = get_referral_for_user(request.user, public_id, for_write=True)
    form = VersionForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("The page was out of date: reload it and try again.")
        actions.do_rescreen_referral(
            referral, acting_user=request.user, expected_version=form.cleaned_data["version"]
        )
    except DomainError as err:
        return _refused(request, referral, err)
    messages.success(request, "Referral screened again.")
    return redirect("referrals:detail", public_id=public_id)


@login_required
@require_POST
def referral_accept(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    referral = get_referral_for_user(request.user, public_id, for_write=True)
    form = VersionForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("The page was out of date: reload it and try again.")
        case = actions.do_accept_referral(
            referral, acting_user=request.user, expected_version=form.cleaned_data["version"]
        )
    except DomainError as err:
        return _refused(request, referral, err)
    messages.success(request, "Referral accepted. The case is open and waiting for allocation.")
    return redirect("cases:detail", public_id=case.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def referral_override(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    referral = get_referral_for_user(request.user, public_id, for_write=True)
    form = OverrideForm(request.POST or None, initial={"version": referral.version})
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_override_decision(
                referral,
                outcome=Outcome(form.cleaned_data["outcome"]),
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, "Decision overridden. The reason is recorded with it.")
            return redirect("referrals:detail", public_id=public_id)
    return render(
        request, "referrals/referral_override.html", {"referral": referral, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_decline(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    referral = get_referral_for_user(request.user, public_id, for_write=True)
    form = DeclineForm(request.POST or None, initial={"version": referral.version})
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_decline_referral(
                referral,
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, "Referral declined.")
            return redirect("referrals:detail", public_id=public_id)
    return render(request, "referrals/referral_decline.html", {"referral": referral, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def referral_duplicates(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    referral = get_referral_for_user(request.user, public_id, for_write=True)
    candidates = {
        str(c.public_id): c
        for c in referral.duplicate_candidates.select_related("existing_child__family__area")
    }
    choices = [
        (
            key,
            f"Yes, the same family as {c.existing_child.first_name} {c.existing_child.last_name} "
            f"(family {c.existing_child.family.pseudonym})",
        )
        for key, c in candidates.items()
    ]
    form = DuplicateForm(
        request.POST or None, candidates=choices, initial={"version": referral.version}
    )
    if request.method == "POST" and form.is_valid():
        choice, version = form.cleaned_data["choice"], form.cleaned_data["version"]
        try:
            if choice == "new":
                actions.do_dismiss_duplicates(
                    referral, acting_user=request.user, expected_version=version
                )
            else:
                actions.do_link_duplicate(
                    referral,
                    candidate=candidates[choice],
                    acting_user=request.user,
                    expected_version=version,
                )
        except DomainError as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, "Possible duplicate resolved.")
            return redirect("referrals:detail", public_id=public_id)
    return render(
        request,
        "referrals/referral_duplicates.html",
        {"referral": referral, "form": form, "candidates": list(candidates.values())},
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_facts(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    referral = get_referral_for_user(request.user, public_id, for_write=True)
    children = list(
        Child.objects.filter(family_id=referral.family_id).order_by("date_of_birth", "id")
    )
    data = request.POST or None
    version_form = VersionForm(data, initial={"version": referral.version})
    child_forms = [
        (
            child,
            ChildFactsForm(
                data,
                prefix=f"c{child.pk}",
                initial={
                    "date_of_birth": child.date_of_birth,
                    "ever_on_plan": child.ever_on_plan,
                    "care_proceedings": child.care_proceedings,
                },
            ),
        )
        for child in children
    ]
    assessment_form = AssessmentFactsForm(data, prefix="assessment")
    forms = [version_form, assessment_form] + [f for _, f in child_forms]
    if request.method == "POST" and all(f.is_valid() for f in forms):
        update = actions.FactsUpdate(
            children={
                child.pk: ChildFactsChange(
                    date_of_birth=f.cleaned_data["date_of_birth"],
                    ever_on_plan=f.cleaned_data["ever_on_plan"],
                    care_proceedings=f.cleaned_data["care_proceedings"],
                    new_plan=(f.plans() or (None,))[0],
                )
                for child, f in child_forms
            },
            assessment=assessment_form.assessment(),
        )
        try:
            actions.do_update_referral_facts(
                referral,
                update,
                acting_user=request.user,
                expected_version=version_form.cleaned_data["version"],
            )
        except DomainError as err:
            version_form.add_error(None, str(err))
        else:
            messages.success(request, "Facts recorded and the referral screened again.")
            return redirect("referrals:detail", public_id=public_id)
    return render(
        request,
        "referrals/referral_facts.html",
        {
            "referral": referral,
            "version_form": version_form,
            "child_forms": child_forms,
            "assessment_form": assessment_form,
            "all_forms": forms,
        },
    )
