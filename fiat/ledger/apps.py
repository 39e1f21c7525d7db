"""Chart of accounts, VAT codes and the built-in double-entry ledger."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "fiat.ledger"
    label = "ledger"
    verbose_name = _("Ledger")
