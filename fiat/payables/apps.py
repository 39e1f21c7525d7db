"""Purchase invoices, purchase orders and their checks."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayablesConfig(AppConfig):
    name = "fiat.payables"
    label = "payables"
    verbose_name = _("Purchase invoices")

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
            )
        ]
