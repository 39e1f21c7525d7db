"""URLs of the sales invoice pages, mounted under /sales/."""

from django.urls import path

from fiat.receivables import demo_views, views, webhook_views

app_name = "receivables"
urlpatterns = [
    path("", views.invoice_list_page, name="list"),
    path("new/", views.new_draft, name="new"),
    path("<int:pk>/", views.invoice_detail, name="invoice"),
    path("<int:pk>/edit/", views.edit_draft, name="edit"),
    path("<int:pk>/pdf/", views.invoice_pdf, name="pdf"),
    path("<int:pk>/ubl/", views.invoice_ubl, name="ubl"),
    path("<int:pk>/send/", views.send_invoice, name="send"),
    path("<int:pk>/credit-note/", views.credit_invoice, name="credit"),
    path("demo/win-a-deal/", demo_views.win_deal, name="demo-deal"),
    path("webhooks/deal-won/", webhook_views.deal_won, name="webhook-deal-won"),
    path("webhooks/hubspot/", webhook_views.hubspot_webhook, name="webhook-hubspot"),
    path(
        "webhooks/pipedrive/",
        webhook_views.pipedrive_webhook,
        name="webhook-pipedrive",
    ),
]
