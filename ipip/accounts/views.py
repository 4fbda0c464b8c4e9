"""The person's own API tokens (create, shown once; list; revoke), and, for administrators,
everyone's accounts (list, create, edit, reset the second factor)."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ipip.accounts.access import (
    access_user_management,
    api_tokens_for_user,
    get_api_token_for_user,
    get_user_for_admin,
    users_for_admin,
)
from ipip.accounts.actions import (
    do_create_api_token,
    do_create_user,
    do_reset_user_mfa,
    do_revoke_api_token,
    do_update_user,
)
from ipip.accounts.forms import ApiTokenForm, CreateUserForm, EditUserForm, UserFilterForm
from ipip.accounts.models import Role, User
from ipip.accounts.rules import InvalidAccount
from ipip.core.http import AuthenticatedHttpRequest
from ipip.core.pages import paginate


def _may_use_api(user: User) -> bool:
    # The API serves referrals: referrers and managers use it; other roles have nothing there.
    return user.is_referrer or user.manages_referrals


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not _may_use_api(user):
        raise Http404
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = do_create_api_token(user, name=form.cleaned_data["name"])
        form = ApiTokenForm()
    tokens = api_tokens_for_user(user)
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "tokens": tokens, "new_token": new_token},
    )


@login_required
@require_POST
def api_token_revoke(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    token = get_api_token_for_user(request.user, public_id)
    do_revoke_api_token(token, acting_user=request.user)
    messages.success(request, f"Token {token.prefix}… revoked. It no longer works.")
    return redirect("accounts:api-tokens")


# ---------------------------------------------------------------------------------------
# User accounts: administrators only (everyone else gets 404 from the access functions)
# ---------------------------------------------------------------------------------------


@login_required
@require_GET
def user_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    users = users_for_admin(request.user)
    filters = UserFilterForm(request.GET or None)
    if filters.is_valid():
        data = filters.cleaned_data
        if data["role"]:
            users = users.filter(role=data["role"])
        if data["area"] is not None:
            users = users.filter(area=data["area"])
        if data["active"]:
            users = users.filter(is_active=data["active"] == "yes")
    page, base_query = paginate(request, users)
    return render(
        request,
        "accounts/user_list.html",
        {"page_obj": page, "base_query": base_query, "filters": filters},
    )


def _details(data: dict[str, Any]) -> dict[str, Any]:
    """The form's cleaned data as the actions' keyword arguments."""
    return {
        "first_name": data["first_name"],
        "last_name": data["last_name"],
        "role": Role(data["role"]),
        "area": data["area"],
        "agency_type": data["agency_type"],
        "agency_name": data["agency_name"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    access_user_management(request.user)
    form = CreateUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = do_create_user(
                email=form.cleaned_data["email"],
                **_details(form.cleaned_data),
                acting_user=request.user,
            )
        except InvalidAccount as err:
            for field, message in err.errors.items():
                form.add_error(field, message)
        else:
            messages.success(request, f"Account created for {user.display_name}.")
            return redirect("accounts:edit-user", public_id=user.public_id)
    return render(request, "accounts/user_form.html", {"form": form, "subject": None})


@login_required
@require_http_methods(["GET", "POST"])
def user_edit(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    subject = get_user_for_admin(request.user, public_id)
    initial = {
        "first_name": subject.first_name,
        "last_name": subject.last_name,
        "role": subject.role,
        "area": subject.area.public_id if subject.area else None,
        "agency_type": subject.agency_type,
        "agency_name": subject.agency_name,
        "is_active": subject.is_active,
    }
    form = EditUserForm(request.POST or None, initial=initial, current_area=subject.area)
    if request.method == "POST" and form.is_valid():
        try:
            do_update_user(
                subject,
                **_details(form.cleaned_data),
                is_active=form.cleaned_data["is_active"],
                acting_user=request.user,
            )
        except InvalidAccount as err:
            for field, message in err.errors.items():
                form.add_error(field, message)
        else:
            messages.success(request, f"Changes saved for {subject.display_name}.")
            return redirect("accounts:edit-user", public_id=public_id)
    context = {
        "form": form,
        "subject": subject,
        "password_set": subject.has_usable_password(),
        "has_totp": getattr(subject, "has_totp", False),
        "reset_url": request.build_absolute_uri(reverse("account_reset_password")),
    }
    return render(request, "accounts/user_form.html", context)


@login_required
@require_POST
def user_reset_mfa(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    subject = get_user_for_admin(request.user, public_id)
    removed = do_reset_user_mfa(subject, acting_user=request.user)
    if removed:
        messages.success(
            request,
            f"Second factor removed for {subject.display_name}. "
            "They must set up an authenticator app at their next sign-in.",
        )
    else:
        messages.info(request, f"{subject.display_name} had no second factor to remove.")
    return redirect("accounts:edit-user", public_id=public_id)
