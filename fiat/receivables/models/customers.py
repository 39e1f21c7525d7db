"""What sales invoicing needs to know about a customer beyond the party."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from fiat.receivables.terms import PaymentTermKind


class EInvoiceProfile(models.TextChoices):
    """The UBL profile a customer receives: each has its own rule set."""

    PEPPOL = "peppol", _("Peppol BIS Billing 3.0")
    NLCIUS = "nlcius", _("NLCIUS (SI-UBL 2.0)")


class PaymentTerm(models.TextChoices):
    NET_DAYS = PaymentTermKind.NET_DAYS.value, _("Days after the invoice date")
    END_OF_MONTH = PaymentTermKind.END_OF_MONTH.value, _("End of the invoice month")
    END_OF_NEXT_MONTH = (
        PaymentTermKind.END_OF_NEXT_MONTH.value,
        _("End of the month after the invoice month"),
    )


class CustomerSettings(models.Model):
    """Invoicing settings of one customer: e-invoice profile and terms.

    A customer without settings gets Peppol BIS 3 and the party's number of
    payment days.
    """

    party = models.OneToOneField(
        "core.Party",
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="receivables_settings",
        limit_choices_to={"is_customer": True},
    )
    einvoice_profile = models.CharField(
        _("e-invoice profile"),
        max_length=10,
        choices=EInvoiceProfile.choices,
        default=EInvoiceProfile.PEPPOL,
    )
    payment_term = models.CharField(
        _("payment term"),
        max_length=20,
        choices=PaymentTerm.choices,
        default=PaymentTerm.NET_DAYS,
    )
    buyer_reference = models.CharField(
        _("buyer reference"),
        max_length=100,
        blank=True,
        help_text=_("The reference the customer asks to see on every invoice."),
    )
    # The Peppol participant identifier, for a customer that the country's
    # VAT or KvK scheme does not address, such as a US company by its
    # EIN (scheme 9959) or any company by its GLN (0088).
    endpoint_scheme = models.CharField(
        _("electronic address scheme"),
        max_length=4,
        blank=True,
        help_text=_("The EAS code of the Peppol identifier, such as 0088 for a GLN."),
    )
    endpoint_id = models.CharField(
        _("electronic address"),
        max_length=100,
        blank=True,
        help_text=_("The Peppol participant identifier without its scheme."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("customer invoicing settings")
        verbose_name_plural = _("customer invoicing settings")

    def __str__(self) -> str:
        return str(self.party)
