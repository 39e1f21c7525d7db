"""URL configuration: pages, the admin, and the JSON API under /api/v1."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from fiat.api import api

urlpatterns = [
    path("", include("fiat.core.urls")),
    path("outbox/", include("fiat.notifications.urls")),
    path("documents/", include("fiat.documents.urls")),
    path("payables/", include("fiat.payables.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("api/docs", RedirectView.as_view(url="/api/v1/docs", permanent=False)),
    path("i18n/", include("django.conf.urls.i18n")),
]
