"""Sales invoices and credit notes."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceivablesConfig(AppConfig):
    name = "fiat.receivables"
    label = "receivables"
    verbose_name = _("Sales invoices")

    def ready(self) -> None:
        from fiat.receivables.approval import register

        register()

    def navigation(self, user) -> list:
        from fiat.core.navigation import NavigationItem
        from fiat.receivables.demo import sales_demo_is_loaded
        from fiat.receivables.permissions import can_edit_sales, can_view_sales

        if not can_view_sales(user):
            return []
        items = [
            NavigationItem(
                "receivables:list",
                _("Sales invoices"),
                _("Invoices to customers: drafts, review, sending and credit notes."),
                order=30,
            )
        ]
        if can_edit_sales(user) and sales_demo_is_loaded():
            items.append(
                NavigationItem(
                    "receivables:demo-deal",
                    _("Demo: win a deal"),
                    _("Send a won deal to the sales webhook and see the invoice."),
                    order=31,
                )
            )
        return items

    def ledger_source_url(self, source_kind: str, source_id: str) -> str | None:
        """Return the page of a booked sales invoice, for the ledger."""
        from django.urls import reverse

        from fiat.receivables.booking import SOURCE_KIND

        if source_kind != SOURCE_KIND:
            return None
        return reverse("receivables:invoice", args=[source_id])
