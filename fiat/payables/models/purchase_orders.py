"""Purchase orders with their lines, and the tolerance for matching invoices."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from fiat.payables.invoice_numbers import normalise_number
from fiat.payables.models.amounts import AMOUNT_DECIMALS, AMOUNT_DIGITS


class PurchaseOrder(models.Model):
    """An order placed with a supplier, matched against its invoices."""

    number = models.CharField(_("order number"), max_length=100, unique=True)
    # "PO-0042" and "po 42" are one order: see fiat.payables.invoice_numbers.
    normalised_number = models.CharField(
        _("normalised order number"), max_length=100, unique=True, editable=False
    )
    supplier = models.ForeignKey(
        "core.Party",
        verbose_name=_("supplier"),
        on_delete=models.PROTECT,
        related_name="purchase_orders",
        limit_choices_to={"is_supplier": True},
    )
    order_date = models.DateField(_("order date"))
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    description = models.CharField(_("description"), max_length=500, blank=True)
    is_closed = models.BooleanField(
        _("closed"),
        default=False,
        help_text=_("A closed order takes no more invoices."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")
        ordering = ["-order_date", "number"]

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs) -> None:
        self.normalised_number = normalise_number(self.number)[:100]
        super().save(*args, **kwargs)


class PurchaseOrderLine(models.Model):
    order = models.ForeignKey(
        PurchaseOrder, on_delete=models.CASCADE, related_name="lines"
    )
    position = models.PositiveIntegerField(_("position"))
    description = models.CharField(_("description"), max_length=500)
    quantity = models.DecimalField(_("quantity"), max_digits=16, decimal_places=4)
    unit_price = models.DecimalField(_("unit price"), max_digits=20, decimal_places=6)
    net_amount = models.DecimalField(
        _("amount excluding VAT"),
        max_digits=AMOUNT_DIGITS,
        decimal_places=AMOUNT_DECIMALS,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "position"], name="unique_order_line_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.description}"


class MatchTolerance(models.Model):
    """How far an invoice may exceed its purchase order and still match.

    An invoice matches when the amount by which its net total exceeds the
    order's open amount is within both limits: at most ``percentage`` of the
    open amount and at most ``amount``. One row contains the company's setting.
    """

    percentage = models.DecimalField(
        _("tolerance in percent"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("2.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Of the order's open amount, excluding VAT."),
    )
    amount = models.DecimalField(
        _("tolerance amount"),
        max_digits=AMOUNT_DIGITS,
        decimal_places=AMOUNT_DECIMALS,
        default=Decimal("50.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("In the order's currency, excluding VAT."),
    )
    updated_at = models.DateTimeField(auto_now=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("purchase order match tolerance")
        verbose_name_plural = _("purchase order match tolerance")

    def __str__(self) -> str:
        return f"{self.percentage}% / {self.amount}"

    @classmethod
    def current(cls) -> "MatchTolerance":
        """Return the company's tolerance, creating the default row if none."""
        tolerance = cls.objects.order_by("pk").first()
        return tolerance or cls.objects.create()
