"""Admin for products, customer invoicing settings, the invoice layout and
sales invoices.

Sales invoices are read-only here: drafts change on the sales invoice
pages, which recompute their totals, and released invoices never change.
"""

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from fiat.receivables.models import (
    CustomerSettings,
    InvoiceBranding,
    Product,
    SalesInvoice,
    SalesInvoiceMail,
    TriggerEvent,
)


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit_price", "currency", "vat_code", "is_active"]
    list_filter = ["is_active", "vat_code"]
    search_fields = ["code", "name", "name_en"]


@admin.register(CustomerSettings)
class CustomerSettingsAdmin(admin.ModelAdmin):
    list_display = ["party", "einvoice_profile", "payment_term", "buyer_reference"]
    list_filter = ["einvoice_profile", "payment_term"]
    search_fields = ["party__name"]
    autocomplete_fields = ["party"]


@admin.register(InvoiceBranding)
class InvoiceBrandingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "accent_colour", "phone", "website"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # One layout serves every invoice.
        return not InvoiceBranding.objects.exists()


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(SalesInvoice)
class SalesInvoiceAdmin(ReadOnlyAdmin):
    list_display = [
        "__str__", "document_type", "customer", "issue_date", "status",
        "payable_amount", "currency", "page_link",
    ]  # fmt: skip
    list_filter = ["status", "document_type", "currency"]
    search_fields = ["number", "customer__name", "payment_reference"]
    date_hierarchy = "created_at"

    @admin.display(description=_("page"))
    def page_link(self, invoice: SalesInvoice) -> str:
        url = reverse("receivables:invoice", args=[invoice.pk])
        return format_html('<a href="{}">{}</a>', url, _("Open"))


@admin.register(SalesInvoiceMail)
class SalesInvoiceMailAdmin(ReadOnlyAdmin):
    list_display = ["invoice", "recipient", "status", "attempts", "created_at"]
    list_filter = ["status"]
    search_fields = ["invoice__number", "recipient"]


@admin.register(TriggerEvent)
class TriggerEventAdmin(ReadOnlyAdmin):
    list_display = ["event_id", "source", "invoice", "received_at"]
    list_filter = ["source"]
    search_fields = ["event_id", "invoice__number"]
