"""URL configuration: pages, the admin, and the JSON API under /api/v1."""

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from fiat.api import api, unknown_path

# Looked up per request, because the hashed name of the manifest storage is
# only known once collectstatic has run. The redirect is temporary since the
# hashed name changes with the file.
favicon_url = lazy(static, str)("fiat/favicon.svg")

urlpatterns = [
    path("", include("fiat.core.urls")),
    path("outbox/", include("fiat.notifications.urls")),
    path("documents/", include("fiat.documents.urls")),
    path("payables/", include("fiat.payables.urls")),
    path("sales/", include("fiat.receivables.urls")),
    path("approvals/", include("fiat.approvals.urls")),
    path("ledger/", include("fiat.ledger.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    re_path(r"^api/v1/", unknown_path),
    path("api/docs", RedirectView.as_view(url="/api/v1/docs", permanent=False)),
    path("favicon.ico", RedirectView.as_view(url=favicon_url, permanent=False)),
    path("i18n/", include("django.conf.urls.i18n")),
]
