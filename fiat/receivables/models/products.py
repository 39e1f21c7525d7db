"""Products and services that sales invoices are filled from."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from fiat.receivables.models.fields import price_field


class Product(models.Model):
    """Something the company sells, with its price and VAT code.

    The price includes VAT when ``price_includes_vat`` is set, as for prices
    quoted to consumers. ``unit_code`` is a UN/ECE Recommendation 20 code,
    as e-invoices require (C62 one piece, HUR hour, DAY day).
    """

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    unit_code = models.CharField(_("unit code"), max_length=3, default="C62")
    unit_price = price_field(_("unit price"), validators=[MinValueValidator(0)])
    price_includes_vat = models.BooleanField(_("price includes VAT"), default=False)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    vat_code = models.ForeignKey(
        "ledger.VatCode",
        verbose_name=_("VAT code"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"direction": "sales"},
    )
    revenue_account = models.ForeignKey(
        "ledger.Account",
        verbose_name=_("revenue account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.display_name}"

    @property
    def display_name(self) -> str:
        is_english = (get_language() or "").startswith("en")
        return self.name_en if is_english and self.name_en else self.name

    def name_in(self, language: str) -> str:
        """Return the product name in ``language`` ("nl" or "en")."""
        return self.name_en if language == "en" and self.name_en else self.name
