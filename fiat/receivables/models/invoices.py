"""Sales invoices and credit notes, their lines, charges and attachments.

An invoice is edited only while it is a draft. Release numbers it and fixes
its content: from then on it is never edited or deleted, and a mistake is
corrected by a credit note (or a corrective invoice with negative
quantities). ``save`` and ``delete`` enforce that for the invoice and its
lines; the status changes only through ``fiat.receivables.workflow``,
which follows ``INVOICE_TRANSITIONS``.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from fiat.receivables.models.customers import EInvoiceProfile, PaymentTerm
from fiat.receivables.models.fields import amount_field, price_field


class InvoiceStatus(models.TextChoices):
    # Being filled in; can be edited, previewed and deleted.
    DRAFT = "draft", _("Draft")
    # Waiting for the controller to release it.
    AWAITING_REVIEW = "awaiting_review", _("Awaiting review")
    # Numbered and fixed; no longer editable.
    RELEASED = "released", _("Released")
    # Mailed to the customer.
    SENT = "sent", _("Sent")
    # Some of the payable amount has been received.
    PARTLY_PAID = "partly_paid", _("Partly paid")
    # The payable amount has been received in full.
    PAID = "paid", _("Paid")
    # Cancelled in full by a released credit note.
    CREDITED = "credited", _("Credited")


# The only allowed status changes; fiat.receivables.workflow enforces them.
INVOICE_TRANSITIONS: dict[str, frozenset[str]] = {
    InvoiceStatus.DRAFT: frozenset(
        {InvoiceStatus.AWAITING_REVIEW, InvoiceStatus.RELEASED}
    ),
    InvoiceStatus.AWAITING_REVIEW: frozenset(
        {InvoiceStatus.DRAFT, InvoiceStatus.RELEASED}
    ),
    InvoiceStatus.RELEASED: frozenset(
        {
            InvoiceStatus.SENT,
            InvoiceStatus.PARTLY_PAID,
            InvoiceStatus.PAID,
            InvoiceStatus.CREDITED,
        }
    ),
    InvoiceStatus.SENT: frozenset(
        {InvoiceStatus.PARTLY_PAID, InvoiceStatus.PAID, InvoiceStatus.CREDITED}
    ),
    InvoiceStatus.PARTLY_PAID: frozenset({InvoiceStatus.PAID, InvoiceStatus.CREDITED}),
    InvoiceStatus.PAID: frozenset({InvoiceStatus.CREDITED}),
    InvoiceStatus.CREDITED: frozenset(),
}
# People edit content (customer, lines, dates) only in these.
EDITABLE_STATUSES = frozenset({InvoiceStatus.DRAFT})
# Released and not settled: payments and reminders apply.
OPEN_STATUSES = frozenset(
    {InvoiceStatus.RELEASED, InvoiceStatus.SENT, InvoiceStatus.PARTLY_PAID}
)
# Released invoices: numbered, so their content never changes again and
# their PDF and e-invoice can be sent.
LOCKED_STATUSES = frozenset(
    {
        InvoiceStatus.RELEASED,
        InvoiceStatus.SENT,
        InvoiceStatus.PARTLY_PAID,
        InvoiceStatus.PAID,
        InvoiceStatus.CREDITED,
    }
)
# Fields that a released invoice may still change: its progress, not its
# content.
PROGRESS_FIELDS = frozenset(
    {
        "status",
        "sent_at",
        "paid_amount",
        "updated_at",
        "send_error",
        "send_attempts",
        "journal_entry",
    }
)


class DocumentType(models.TextChoices):
    """Invoice, credit note or corrective invoice (UNTDID 1001, BT-3)."""

    INVOICE = "invoice", _("Invoice")
    CREDIT_NOTE = "credit_note", _("Credit note")
    CORRECTIVE_INVOICE = "corrective_invoice", _("Corrective invoice")

    @property
    def type_code(self) -> str:
        return {"invoice": "380", "credit_note": "381", "corrective_invoice": "384"}[
            self.value
        ]


class VatTreatment(models.TextChoices):
    """VAT treatment of a customer, decided from country and VAT number."""

    DOMESTIC = "domestic", _("Dutch VAT")
    REVERSE_CHARGE = "reverse_charge", _("VAT reverse charged to the customer")
    EXPORT = "export", _("Export outside the EU")


class LockedInvoiceError(Exception):
    """A change to an invoice that is no longer a draft."""

    def __init__(self, invoice: "SalesInvoice", action: str) -> None:
        super().__init__(
            f"Sales invoice {invoice.number or invoice.pk} is {invoice.status} and "
            f"cannot be {action}. Correct a released invoice with a credit note."
        )
        self.invoice = invoice
        self.action = action


class SalesInvoice(models.Model):
    """A sales invoice, credit note or corrective invoice to one customer."""

    document_type = models.CharField(
        _("document type"),
        max_length=20,
        choices=DocumentType.choices,
        default=DocumentType.INVOICE,
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=InvoiceStatus.choices,
        default=InvoiceStatus.DRAFT,
    )
    customer = models.ForeignKey(
        "core.Party",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="sales_invoices",
        limit_choices_to={"is_customer": True},
    )
    # Assigned at release from the gap-free series of the invoice year.
    number = models.CharField(_("number"), max_length=30, blank=True)
    number_year = models.PositiveSmallIntegerField(null=True, blank=True)
    sequence_number = models.PositiveIntegerField(null=True, blank=True)
    payment_reference = models.CharField(
        _("payment reference"), max_length=35, blank=True
    )
    language = models.CharField(_("language"), max_length=2, default="nl")
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    issue_date = models.DateField(
        _("invoice date"),
        null=True,
        blank=True,
        help_text=_("Empty: the date of release."),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    payment_term = models.CharField(
        _("payment term"),
        max_length=20,
        choices=PaymentTerm.choices,
        default=PaymentTerm.NET_DAYS,
    )
    payment_days = models.PositiveSmallIntegerField(_("payment days"), default=30)
    prices_include_vat = models.BooleanField(_("prices include VAT"), default=False)
    vat_treatment = models.CharField(
        _("VAT treatment"),
        max_length=20,
        choices=VatTreatment.choices,
        default=VatTreatment.DOMESTIC,
    )
    einvoice_profile = models.CharField(
        _("e-invoice profile"),
        max_length=10,
        choices=EInvoiceProfile.choices,
        default=EInvoiceProfile.PEPPOL,
    )
    buyer_reference = models.CharField(_("buyer reference"), max_length=100, blank=True)
    order_reference = models.CharField(_("order reference"), max_length=100, blank=True)
    project = models.ForeignKey(
        "core.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sales_invoices",
    )
    note = models.TextField(_("note"), blank=True)
    # The invoice that a credit note or corrective invoice corrects (BT-25).
    corrected_invoice = models.ForeignKey(
        "self",
        verbose_name=_("corrected invoice"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    total_net_amount = amount_field(_("total without VAT"))
    total_vat_amount = amount_field(_("VAT"))
    total_gross_amount = amount_field(_("total with VAT"))
    rounding_amount = amount_field(_("rounding amount"))
    payable_amount = amount_field(_("amount to pay"))
    paid_amount = amount_field(_("paid"))
    send_attempts = models.PositiveSmallIntegerField(default=0)
    send_error = models.TextField(_("last sending error"), blank=True)
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    # The ledger's id of the booking: the entry number in the built-in
    # ledger, an accounting package's own id elsewhere.
    journal_entry = models.CharField(_("journal entry"), max_length=100, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sales invoice")
        verbose_name_plural = _("sales invoices")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["number"],
                condition=~models.Q(number=""),
                name="unique_sales_invoice_number",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return self.number or _("Draft %(id)s") % {"id": self.pk}

    def save(self, *args, **kwargs) -> None:
        update_fields = kwargs.get("update_fields")
        changes_content = update_fields is None or not set(update_fields) <= (
            PROGRESS_FIELDS
        )
        if self.pk and changes_content:
            self._require_stored_draft("edited")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._require_stored_draft("deleted")
        return super().delete(*args, **kwargs)

    def _require_stored_draft(self, action: str) -> None:
        """Raise LockedInvoiceError when the stored row is released.

        The stored status counts, not this instance's, so the release itself
        can write the number and totals in the same save as the status.
        """
        stored_status = (
            SalesInvoice.objects.filter(pk=self.pk)
            .values_list("status", flat=True)
            .first()
        )
        if stored_status in LOCKED_STATUSES:
            self.status = stored_status
            raise LockedInvoiceError(self, action)

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def type(self) -> DocumentType:
        return DocumentType(self.document_type)

    @property
    def open_amount(self):
        return self.payable_amount - self.paid_amount


class _DraftContent(models.Model):
    """Content of an invoice that can change only while it is a draft."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        self._require_draft("edited")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._require_draft("deleted")
        return super().delete(*args, **kwargs)

    def _require_draft(self, action: str) -> None:
        invoice = SalesInvoice.objects.get(pk=self.invoice_id)
        if invoice.status in LOCKED_STATUSES:
            raise LockedInvoiceError(invoice, f"{action} (line or attachment)")


class SalesInvoiceLine(_DraftContent):
    """One line: a product or free text, quantity, price, discount and VAT."""

    invoice = models.ForeignKey(
        SalesInvoice, on_delete=models.CASCADE, related_name="lines"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    product = models.ForeignKey(
        "receivables.Product",
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(
        _("quantity"), max_digits=14, decimal_places=4, default=1
    )
    unit_code = models.CharField(_("unit code"), max_length=3, default="C62")
    unit_price = price_field(
        _("unit price"),
        validators=[MinValueValidator(0)],
        help_text=_("Never negative: credit with a negative quantity."),
    )
    discount_percent = models.DecimalField(
        _("discount in percent"),
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    vat_code = models.ForeignKey(
        "ledger.VatCode",
        verbose_name=_("VAT code"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"direction": "sales"},
    )
    net_amount = amount_field(_("net amount"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.description


class InvoiceCharge(_DraftContent):
    """A document level charge such as freight, or an allowance."""

    invoice = models.ForeignKey(
        SalesInvoice, on_delete=models.CASCADE, related_name="charges"
    )
    is_charge = models.BooleanField(
        _("charge"), default=True, help_text=_("Off for an allowance (a discount).")
    )
    reason = models.CharField(_("reason"), max_length=200)
    amount = amount_field(_("amount"), validators=[MinValueValidator(0)])
    vat_code = models.ForeignKey(
        "ledger.VatCode",
        verbose_name=_("VAT code"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"direction": "sales"},
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("charge or allowance")
        verbose_name_plural = _("charges and allowances")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.reason


def attachment_path(attachment: "SalesInvoiceAttachment", filename: str) -> str:
    return f"receivables/{attachment.invoice_id}/{filename}"


class SalesInvoiceAttachment(_DraftContent):
    """A supporting file sent with the invoice, such as a timesheet."""

    invoice = models.ForeignKey(
        SalesInvoice, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path)
    description = models.CharField(_("description"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description or self.file.name


class MailingStatus(models.TextChoices):
    # Queued, or failed and waiting for its next attempt.
    PENDING = "pending", _("Sending")
    SENT = "sent", _("Sent")
    # Failed on every attempt; the invoice shows the error until it is sent.
    FAILED = "failed", _("Failed")


class SalesInvoiceMail(models.Model):
    """One request to mail an invoice to the customer, with its attempts.

    The invoice's first sending and every "send again" each make one row.
    ``mail`` is the outbox record of the latest attempt.
    """

    invoice = models.ForeignKey(
        SalesInvoice, on_delete=models.PROTECT, related_name="mailings"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MailingStatus.choices,
        default=MailingStatus.PENDING,
    )
    recipient = models.CharField(_("recipient"), max_length=254, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("last error"), blank=True)
    mail = models.ForeignKey(
        "notifications.OutgoingMail",
        verbose_name=_("mail"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("invoice mail")
        verbose_name_plural = _("invoice mails")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.invoice} → {self.recipient or '-'}"
