"""Admin for purchase invoices, purchase orders, tolerance and IBAN changes.

Purchase invoices are read-only here: they change through the review screen,
which checks them and records every change. Purchase orders are entered
here or imported from CSV. IBAN change requests are decided through the
same four-eyes functions as on the IBAN changes page.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from fiat.audit.services import record_event
from fiat.payables.iban_changes import (
    FourEyesError,
    IbanChangeError,
    accept_iban_change,
    confirm_iban_change,
    reject_iban_change,
)
from fiat.payables.matching import open_amount, order_total
from fiat.payables.models import (
    IbanChangeRequest,
    InvoiceCheck,
    MatchTolerance,
    PurchaseInvoice,
    PurchaseInvoiceLine,
    PurchaseOrder,
    PurchaseOrderLine,
)
from fiat.payables.order_import import import_purchase_orders
from fiat.payables.review import recheck_supplier_invoices


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class InvoiceLineInline(ReadOnlyInline):
    model = PurchaseInvoiceLine
    fields = ["position", "description", "quantity", "unit_price", "net_amount"]


class InvoiceCheckInline(ReadOnlyInline):
    model = InvoiceCheck
    fields = ["severity", "code", "field", "source", "expected", "found", "difference"]


@admin.register(PurchaseInvoice)
class PurchaseInvoiceAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "supplier_display",
        "invoice_number",
        "issue_date",
        "document_type",
        "total_gross_amount",
        "currency",
        "status",
        "created_at",
    ]
    list_filter = ["status", "document_type", "source"]
    search_fields = ["invoice_number", "supplier_name", "supplier__name", "iban"]
    date_hierarchy = "created_at"
    inlines = [InvoiceLineInline, InvoiceCheckInline]

    @admin.display(description=_("supplier"))
    def supplier_display(self, invoice: PurchaseInvoice) -> str:
        return str(invoice.supplier or invoice.supplier_name)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def view_on_site(self, invoice: PurchaseInvoice) -> str:
        return reverse("payables:invoice", args=[invoice.pk])


class OrderLineInline(admin.TabularInline):
    model = PurchaseOrderLine
    fields = ["position", "description", "quantity", "unit_price", "net_amount"]
    extra = 1


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: order_number, supplier_vat_number (or supplier_coc_number "
            "or supplier_name), order_date, currency, description, "
            "line_description, quantity, unit_price. One order line per row."
        ),
    )


@admin.register(PurchaseOrder)
class PurchaseOrderAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "supplier",
        "order_date",
        "currency",
        "total_display",
        "open_display",
        "is_closed",
    ]
    list_filter = ["is_closed", "currency"]
    search_fields = ["number", "supplier__name", "description"]
    autocomplete_fields = ["supplier"]
    fields = [
        "number",
        "supplier",
        "order_date",
        "currency",
        "description",
        "is_closed",
    ]
    inlines = [OrderLineInline]
    change_list_template = "admin/payables/purchaseorder/change_list.html"

    @admin.display(description=_("total excluding VAT"))
    def total_display(self, order: PurchaseOrder) -> str:
        return f"{order_total(order):f}"

    @admin.display(description=_("open amount"))
    def open_display(self, order: PurchaseOrder) -> str:
        return f"{open_amount(order):f}"

    def save_model(self, request: HttpRequest, order: PurchaseOrder, form, change):
        if not change:
            order.created_by = request.user
        super().save_model(request, order, form, change)

    def save_related(self, request: HttpRequest, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        order = form.instance
        record_event(
            order,
            "purchase_order.changed" if change else "purchase_order.created",
            actor=request.user,
            amounts={
                "total_net_amount": order_total(order),
                "currency": order.currency,
            },
            data={
                "number": order.number,
                "supplier": order.supplier_id,
                "via": "admin",
            },
        )

    def get_urls(self) -> list:
        import_view = self.admin_site.admin_view(self.import_view)
        return [
            path("import/", import_view, name="payables_purchaseorder_import"),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a CSV file of purchase orders and report each wrong row."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        report = None
        if request.method == "POST" and form.is_valid():
            report = import_purchase_orders(
                form.cleaned_data["file"].read(), actor=request.user
            )
            if not report.errors:
                self._report_import(request, report)
                return redirect("admin:payables_purchaseorder_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import purchase orders"),
            "form": form,
            "report": report,
        }
        return TemplateResponse(
            request, "admin/payables/purchaseorder/import.html", context
        )

    def _report_import(self, request: HttpRequest, report) -> None:
        self.message_user(
            request,
            _("%(created)d orders imported; %(existing)d existed already.")
            % {"created": len(report.created), "existing": len(report.existing)},
            messages.SUCCESS,
        )


@admin.register(MatchTolerance)
class MatchToleranceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "percentage", "amount", "updated_at"]

    def changelist_view(self, request: HttpRequest, extra_context=None):
        tolerance = MatchTolerance.current()
        return redirect("admin:payables_matchtolerance_change", tolerance.pk)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not MatchTolerance.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(IbanChangeRequest)
class IbanChangeRequestAdmin(admin.ModelAdmin):
    list_display = [
        "supplier",
        "old_iban",
        "new_iban",
        "status",
        "requested_by",
        "accepted_by",
        "decided_by",
        "created_at",
        "invoice_link",
    ]
    list_filter = ["status"]
    search_fields = ["supplier__name", "new_iban", "old_iban"]
    actions = ["accept", "confirm", "reject"]

    @admin.display(description=_("invoice"))
    def invoice_link(self, change: IbanChangeRequest) -> str:
        if change.invoice_id is None:
            return "—"
        url = reverse("payables:invoice", args=[change.invoice_id])
        return format_html('<a href="{}">{}</a>', url, change.invoice_id)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_decide_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("payables.view_ibanchangerequest")

    def _take_step(self, request: HttpRequest, queryset: QuerySet, step) -> None:
        for change in queryset:
            try:
                change = step(change, request.user)
            except (FourEyesError, IbanChangeError) as error:
                self.message_user(request, str(error), messages.ERROR)
                continue
            if step is confirm_iban_change:
                recheck_supplier_invoices(change.supplier)
            self.message_user(request, str(change), messages.SUCCESS)

    @admin.action(description=_("Accept the new IBAN"), permissions=["decide"])
    def accept(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._take_step(request, queryset, accept_iban_change)

    @admin.action(
        description=_("Confirm the new IBAN (second person)"), permissions=["decide"]
    )
    def confirm(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._take_step(request, queryset, confirm_iban_change)

    @admin.action(description=_("Reject the new IBAN"), permissions=["decide"])
    def reject(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._take_step(request, queryset, reject_iban_change)
