"""The person's own API tokens: create (shown once), list, revoke."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ipip.accounts.access import api_tokens_for_user, get_api_token_for_user
from ipip.accounts.actions import do_create_api_token, do_revoke_api_token
from ipip.accounts.forms import ApiTokenForm
from ipip.accounts.models import User
from ipip.core.http import AuthenticatedHttpRequest


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
