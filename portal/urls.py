from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from apps.accounts.views import public as account_public_views

staff_patterns = [
    path("", include("apps.accounts.staff_urls")),
    path("cases/", include(("apps.cases.staff_urls", "staff_cases"))),
    path("complaints/", include(("apps.complaints.staff_urls", "staff_complaints"))),
    path("feedback/", include(("apps.feedback.staff_urls", "staff_feedback"))),
    path("metrics/", include(("apps.metrics.staff_urls", "staff_metrics"))),
    path("retention/", include(("apps.retention.staff_urls", "staff_retention"))),
    path("certificates/", include(("apps.certificates.staff_urls", "staff_certificates"))),
]
desk_patterns = [
    path("", include("apps.accounts.desk_urls")),
    path("", include(("apps.helpdesk.desk_urls", "helpdesk"))),
    path("", include(("apps.privacy.desk_urls", "privacy"))),
]
api_v1_patterns = [
    path("", include("apps.accounts.api_urls")),
    path("", include("apps.notifications.api_urls")),
    path("", include("apps.catalog.api_urls")),
    path("", include("apps.documents.api_urls")),
    path("", include("apps.feedback.api_urls")),
    path("desk/", include("apps.helpdesk.api_urls")),
    path("desk/", include("apps.privacy.desk_api_urls")),
    path("family/", include("apps.helpdesk.family_api_urls")),
    path("", include("apps.metrics.api_urls")),
    path("", include("apps.cases.api_urls")),
    path("", include("apps.complaints.api_urls")),
    path("", include("apps.privacy.api_urls")),
    path("", include("apps.events.api_urls")),
    path("systems/", include("apps.systems.api_urls")),
    path("", include("apps.certificates.api_urls")),
]

urlpatterns = [
    path("", include("apps.core.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("care-mode/", account_public_views.care_mode, name="care-mode"),
    path("accounts/", include("apps.accounts.urls")),
    path("notifications/", include("apps.notifications.urls")),
    path("services/", include("apps.catalog.urls")),
    path("verify/", include("apps.documents.urls")),
    path("cases/", include("apps.cases.urls")),
    path("complaints/", include("apps.complaints.urls")),
    path("open311/v2/", include("apps.complaints.open311_urls")),
    path("feedback/", include("apps.feedback.urls")),
    path("family/", include("apps.helpdesk.urls")),
    path("my-data/", include("apps.privacy.urls")),
    path("certificates/", include("apps.certificates.urls")),
    path("open-data/", include("apps.metrics.urls")),
    path("staff/", include((staff_patterns, "staff"))),
    path("desk/", include((desk_patterns, "desk"))),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1_patterns)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

# Uploads are never served from MEDIA_URL, not even in DEBUG: residents' files reach only those
# who may see them, through the permission-checked views of the apps that own them.

handler404 = "apps.core.api.page_not_found"
