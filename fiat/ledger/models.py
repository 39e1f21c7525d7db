"""Chart of accounts and VAT codes.

VAT codes carry the EN 16931 VAT category (UNCL 5305 codes: S standard,
Z zero rated, E exempt, AE reverse charge, K intra-community supply, G export
outside the EU, O outside the scope of VAT) next to the Dutch rate, so that a
line coded in Fiat turns into a valid e-invoice line and a correct VAT return.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class AccountType(models.TextChoices):
    ASSET = "asset", _("Asset")
    LIABILITY = "liability", _("Liability")
    EQUITY = "equity", _("Equity")
    REVENUE = "revenue", _("Revenue")
    EXPENSE = "expense", _("Expense")


class Account(models.Model):
    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    account_type = models.CharField(
        _("type"), max_length=10, choices=AccountType.choices
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.display_name}"

    @property
    def display_name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name


class VatCategory(models.TextChoices):
    """VAT category codes of EN 16931 (UNCL 5305 subset)."""

    STANDARD = "S", _("Standard rate")
    ZERO = "Z", _("Zero rated")
    EXEMPT = "E", _("Exempt from VAT")
    REVERSE_CHARGE = "AE", _("VAT reverse charge")
    INTRA_COMMUNITY = "K", _("Intra-community supply")
    EXPORT = "G", _("Export outside the EU")
    OUT_OF_SCOPE = "O", _("Outside the scope of VAT")


# Categories that never carry a rate above zero on the invoice itself.
ZERO_RATE_CATEGORIES = frozenset(
    {
        VatCategory.ZERO,
        VatCategory.EXEMPT,
        VatCategory.REVERSE_CHARGE,
        VatCategory.INTRA_COMMUNITY,
        VatCategory.EXPORT,
        VatCategory.OUT_OF_SCOPE,
    }
)


class VatDirection(models.TextChoices):
    SALES = "sales", _("Sales")
    PURCHASES = "purchases", _("Purchases")


class VatCode(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    direction = models.CharField(
        _("direction"), max_length=10, choices=VatDirection.choices
    )
    category = models.CharField(
        _("VAT category"), max_length=2, choices=VatCategory.choices
    )
    rate = models.DecimalField(
        _("rate in percent"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    # For reverse charge the buyer accounts for the VAT at this rate: it is
    # booked as both output and input VAT, though the invoice shows none.
    reverse_charge_rate = models.DecimalField(
        _("reverse-charge rate in percent"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    vat_account = models.ForeignKey(
        Account,
        verbose_name=_("VAT account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Where the VAT amount is booked; empty when there is none."),
    )
    reverse_charge_account = models.ForeignKey(
        Account,
        verbose_name=_("reverse-charge VAT account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("VAT code")
        verbose_name_plural = _("VAT codes")
        ordering = ["direction", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.display_name}"

    @property
    def display_name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name

    def clean(self) -> None:
        if self.category in ZERO_RATE_CATEGORIES and self.rate:
            raise ValidationError(
                {"rate": _("VAT category %(category)s has a rate of 0.")
                 % {"category": self.category}}
            )
        if self.rate and self.vat_account_id is None:
            raise ValidationError(
                {"vat_account": _("A VAT code with a rate needs a VAT account.")}
            )
