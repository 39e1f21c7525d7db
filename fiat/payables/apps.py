"""Purchase invoices, purchase orders and their checks."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayablesConfig(AppConfig):
    name = "fiat.payables"
    label = "payables"
    verbose_name = _("Purchase invoices")

    def ready(self) -> None:
        from fiat.payables.approval import register

        register()

    def navigation(self, user) -> list:
        from fiat.core.navigation import NavigationItem
        from fiat.payables.permissions import can_view_invoices

        if not can_view_invoices(user):
            return []
        return [
            NavigationItem(
                "payables:queue",
                _("Purchase invoices"),
                _("Supplier invoices to review, correct and submit."),
                order=10,
            ),
            NavigationItem(
                "payables:ready-for-payment",
                _("Ready for payment"),
                _("Booked supplier invoices by due date."),
                order=20,
            ),
        ]

    def ledger_source_url(self, source_kind: str, source_id: str) -> str | None:
        """Return the page of a booked purchase invoice, for the ledger."""
        from django.urls import reverse

        from fiat.payables.booking import SOURCE_KIND

        if source_kind != SOURCE_KIND:
            return None
        return reverse("payables:invoice", args=[source_id])
