"""Small helpers shared by list pages."""

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest


def paginate[M: Model](request: HttpRequest, qs: QuerySet[M]) -> tuple[Page[M], str]:
    """One page of `qs` and the query string without `page`, for the pagination links.

    The count is one query; a bad page number shows the nearest real page.
    """
    paginator = Paginator(qs, settings.IPIP_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()
