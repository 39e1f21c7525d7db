"""Purchase invoices, purchase orders and their checks."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayablesConfig(AppConfig):
    name = "fiat.payables"
    label = "payables"
    verbose_name = _("Purchase invoices")
