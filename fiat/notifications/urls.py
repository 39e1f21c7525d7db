"""Outbox pages, mounted under /outbox/."""

from django.urls import path

from fiat.notifications import views

urlpatterns = [
    path("", views.outbox, name="outbox"),
    path("<int:pk>/", views.outbox_detail, name="outbox-detail"),
    path(
        "<int:pk>/attachments/<int:position>/",
        views.outbox_attachment,
        name="outbox-attachment",
    ),
]
