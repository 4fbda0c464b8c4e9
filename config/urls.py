from django.urls import include, path

from ipip.api.api import api
from ipip.cases import views as case_views

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("settings/questionnaires/", include("ipip.questionnaires.settings_urls")),
    path("settings/", include("ipip.accounts.urls")),
    path("api/v1/", api.urls),
    path("referrals/", include("ipip.referrals.urls")),
    path("cases/<uuid:case_id>/consent/", include("ipip.consent.urls")),
    path("cases/<uuid:case_id>/visits/", include("ipip.visits.urls")),
    path("cases/<uuid:case_id>/vig/", include("ipip.vig.urls")),
    path("cases/<uuid:case_id>/ptp/", include("ipip.ptp.urls")),
    path("cases/<uuid:case_id>/goals/", include("ipip.goals.urls")),
    path("cases/<uuid:case_id>/safeguarding/", include("ipip.safeguarding.urls")),
    path("cases/<uuid:case_id>/questionnaires/", include("ipip.questionnaires.urls")),
    path("allocation/", include("ipip.allocation.urls")),
    path("dashboard/", include("ipip.dashboard.urls")),
    path("alerts/", include("ipip.safeguarding.alert_urls")),
    path("cases/", include("ipip.cases.urls")),
    path("audit/", case_views.audit_log, name="audit-log"),
    path("", include("ipip.core.urls")),
]
