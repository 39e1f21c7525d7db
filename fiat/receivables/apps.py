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
        from fiat.receivables.permissions import can_view_sales

        if not can_view_sales(user):
            return []
        return [
            NavigationItem(
                "receivables:list",
                _("Sales invoices"),
                _("Invoices to customers: drafts, review, sending and credit notes."),
                order=30,
            )
        ]

    def ledger_source_url(self, source_kind: str, source_id: str) -> str | None:
        """Return the page of a booked sales invoice, for the ledger."""
        from django.urls import reverse

        from fiat.receivables.booking import SOURCE_KIND

        if source_kind != SOURCE_KIND:
            return None
        return reverse("receivables:invoice", args=[source_id])
