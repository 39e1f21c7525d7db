"""URLs of the payables app, mounted under /payables/."""

from django.urls import path

from fiat.payables import iban_views, payment_views, views

app_name = "payables"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:pk>/", views.invoice_detail, name="invoice"),
    path("<int:pk>/create-supplier/", views.create_supplier, name="create-supplier"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/book/", views.book, name="book"),
    path("<int:pk>/back-to-review/", views.back_to_review, name="back-to-review"),
    path(
        "ready-for-payment/",
        payment_views.ready_for_payment,
        name="ready-for-payment",
    ),
    path("iban-changes/", iban_views.iban_changes, name="iban-changes"),
    path(
        "iban-changes/<int:pk>/<slug:step>/",
        iban_views.iban_change_step,
        name="iban-change-step",
    ),
]
