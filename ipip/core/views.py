from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ipip.core.http import AuthenticatedHttpRequest


@login_required
@require_GET
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {})
