"""Purchase invoices, their lines, VAT subtotals and stored check findings.

A ``PurchaseInvoice`` is made from one received document (and the PDF that
came with an e-invoice, its companion). It keeps what the reader found in
``extracted`` and the values the clerk works with in its own fields, so the
review screen can show both. The status changes only through
``fiat.payables.workflow``, which follows ``INVOICE_TRANSITIONS``.

Amounts are positive for invoices and credit notes alike. The
``document_type`` gives the direction of payment, and ``signed_gross_amount``
returns the total with its sign.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fiat.payables.findings import Severity
from fiat.payables.invoice_numbers import normalise_number
from fiat.payables.models.amounts import amount_field


class InvoiceStatus(models.TextChoices):
    # Read and checked; the clerk corrects and codes it.
    IN_REVIEW = "in_review", _("In review")
    # Sent on to approval; the approval engine takes it from here.
    SUBMITTED = "submitted", _("Submitted for approval")
    # Every approval step approved; waiting to be booked.
    APPROVED = "approved", _("Approved")
    # Booked in the ledger and ready for payment.
    BOOKED = "booked", _("Booked")
    # Turned down in approval; the clerk can take it back into review.
    REJECTED = "rejected", _("Rejected")
    # Not to be paid: a duplicate, not an invoice, or sent in error.
    CANCELLED = "cancelled", _("Cancelled")


# The only allowed status changes; fiat.payables.workflow enforces them.
INVOICE_TRANSITIONS: dict[str, frozenset[str]] = {
    InvoiceStatus.IN_REVIEW: frozenset(
        {InvoiceStatus.SUBMITTED, InvoiceStatus.CANCELLED}
    ),
    InvoiceStatus.SUBMITTED: frozenset(
        {InvoiceStatus.APPROVED, InvoiceStatus.REJECTED, InvoiceStatus.IN_REVIEW}
    ),
    InvoiceStatus.APPROVED: frozenset({InvoiceStatus.BOOKED}),
    InvoiceStatus.BOOKED: frozenset(),
    InvoiceStatus.REJECTED: frozenset(
        {InvoiceStatus.IN_REVIEW, InvoiceStatus.CANCELLED}
    ),
    InvoiceStatus.CANCELLED: frozenset(),
}
# The clerk may change fields and coding only in these statuses.
EDITABLE_STATUSES = frozenset({InvoiceStatus.IN_REVIEW})
# Invoices in these statuses will not be paid: they count neither as
# duplicates nor against a purchase order.
VOID_STATUSES = frozenset({InvoiceStatus.REJECTED, InvoiceStatus.CANCELLED})


class InvoiceDocumentType(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    CREDIT_NOTE = "credit_note", _("Credit note")


class ReadSource(models.TextChoices):
    """The reader that read the invoice, as in ``source`` of ``fiat extract``."""

    UBL = "ubl", _("UBL e-invoice")
    CII = "cii", _("CII e-invoice")
    FACTURX = "facturx", _("Factur-X or ZUGFeRD")
    PDF_TEXT = "pdf_text", _("PDF text")
    OCR = "ocr", _("OCR")


EINVOICE_SOURCES = frozenset({ReadSource.UBL, ReadSource.CII, ReadSource.FACTURX})


class PurchaseInvoice(models.Model):
    """A supplier's invoice or credit note, from intake to submission."""

    document = models.OneToOneField(
        "documents.Document",
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="purchase_invoice",
    )
    companion = models.ForeignKey(
        "documents.Document",
        verbose_name=_("companion document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The PDF that came with an e-invoice."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=InvoiceStatus.choices,
        default=InvoiceStatus.IN_REVIEW,
    )
    source = models.CharField(
        _("read as"), max_length=20, choices=ReadSource.choices, blank=True
    )
    document_type = models.CharField(
        _("document type"),
        max_length=20,
        choices=InvoiceDocumentType.choices,
        default=InvoiceDocumentType.INVOICE,
    )
    supplier = models.ForeignKey(
        "core.Party",
        verbose_name=_("supplier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="purchase_invoices",
        limit_choices_to={"is_supplier": True},
    )
    # The supplier as the document names it, used to find or create the
    # supplier; the clerk can correct a misread identifier.
    supplier_name = models.CharField(_("supplier name"), max_length=200, blank=True)
    supplier_vat_number = models.CharField(
        _("supplier VAT number"), max_length=30, blank=True
    )
    supplier_coc_number = models.CharField(
        _("supplier KvK number"), max_length=20, blank=True
    )
    supplier_country = models.CharField(_("supplier country"), max_length=2, blank=True)
    iban = models.CharField(_("IBAN to pay"), max_length=40, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    invoice_number = models.CharField(_("invoice number"), max_length=100, blank=True)
    normalised_invoice_number = models.CharField(
        _("normalised invoice number"), max_length=100, blank=True, editable=False
    )
    issue_date = models.DateField(_("invoice date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    total_net_amount = amount_field(_("total excluding VAT"))
    total_vat_amount = amount_field(_("VAT"))
    total_gross_amount = amount_field(_("total including VAT"))
    amount_due = amount_field(_("amount due"))
    po_reference = models.CharField(
        _("purchase order number"), max_length=100, blank=True
    )
    purchase_order = models.ForeignKey(
        "PurchaseOrder",
        verbose_name=_("purchase order"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invoices",
    )
    payment_reference = models.CharField(
        _("payment reference"), max_length=140, blank=True
    )
    ledger_account = models.ForeignKey(
        "ledger.Account",
        verbose_name=_("ledger account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cost_centre = models.ForeignKey(
        "core.CostCentre",
        verbose_name=_("cost centre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="purchase_invoices",
    )
    project = models.ForeignKey(
        "core.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="purchase_invoices",
    )
    vat_code = models.ForeignKey(
        "ledger.VatCode",
        verbose_name=_("VAT code"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"direction": "purchases"},
    )
    # What the reader returned, in the shape of ``fiat extract --json``.
    extracted = models.JSONField(_("as read"), default=dict, blank=True)
    # Confidence from 0 to 1 per invoice field, from the reader.
    field_confidence = models.JSONField(_("confidence"), default=dict, blank=True)
    # Invoice fields the clerk should look at: read with low confidence or
    # not found at all.
    review_fields = models.JSONField(_("fields to review"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # Why an approved invoice could not be booked; empty once it is booked.
    booking_error = models.TextField(_("booking error"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("purchase invoice")
        verbose_name_plural = _("purchase invoices")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["supplier", "normalised_invoice_number"]),
        ]

    def __str__(self) -> str:
        number = self.invoice_number or _("without number")
        return f"{self.supplier or self.supplier_name or '?'} {number}"

    def save(self, *args, **kwargs) -> None:
        self.normalised_invoice_number = normalise_number(self.invoice_number)[:100]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "invoice_number" in update_fields:
            kwargs["update_fields"] = {*update_fields, "normalised_invoice_number"}
        super().save(*args, **kwargs)

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_credit_note(self) -> bool:
        return self.document_type == InvoiceDocumentType.CREDIT_NOTE

    @property
    def signed_gross_amount(self) -> Decimal | None:
        """Return the gross total, negative for a credit note."""
        if self.total_gross_amount is None:
            return None
        sign = -1 if self.is_credit_note else 1
        return sign * self.total_gross_amount

    @property
    def signed_net_amount(self) -> Decimal | None:
        if self.total_net_amount is None:
            return None
        sign = -1 if self.is_credit_note else 1
        return sign * self.total_net_amount

    @property
    def signed_vat_amount(self) -> Decimal | None:
        """Return the VAT total, negative for a credit note."""
        if self.total_vat_amount is None:
            return None
        sign = -1 if self.is_credit_note else 1
        return sign * self.total_vat_amount

    def page_documents(self) -> list:
        """Return the documents whose pages show this invoice, PDF first."""
        documents = [self.companion, self.document]
        return [document for document in documents if document is not None]


class PurchaseInvoiceLine(models.Model):
    invoice = models.ForeignKey(
        PurchaseInvoice, on_delete=models.CASCADE, related_name="lines"
    )
    position = models.PositiveIntegerField(_("position"))
    description = models.CharField(_("description"), max_length=500, blank=True)
    quantity = models.DecimalField(
        _("quantity"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    unit_price = models.DecimalField(
        _("unit price"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    net_amount = amount_field(_("amount excluding VAT"))
    vat_rate = models.DecimalField(
        _("VAT rate in percent"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.position}. {self.description}"


class PurchaseInvoiceVatSubtotal(models.Model):
    """One row of the invoice's VAT breakdown: the base and VAT per rate."""

    invoice = models.ForeignKey(
        PurchaseInvoice, on_delete=models.CASCADE, related_name="vat_subtotals"
    )
    rate = models.DecimalField(
        _("VAT rate in percent"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    category = models.CharField(_("VAT category"), max_length=2, blank=True)
    base_amount = amount_field(_("base amount"))
    vat_amount = amount_field(_("VAT amount"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("VAT subtotal")
        verbose_name_plural = _("VAT subtotals")
        ordering = ["rate", "pk"]

    def __str__(self) -> str:
        return f"{self.rate}%: {self.base_amount} / {self.vat_amount}"


SEVERITY_CHOICES = [
    (Severity.INFO.value, _("Information")),
    (Severity.WARNING.value, _("Warning")),
    (Severity.BLOCKING.value, _("Blocking")),
]


class InvoiceCheck(models.Model):
    """A stored finding of the last check run on an invoice.

    Every run replaces the invoice's rows, so the rows are the open findings.
    """

    invoice = models.ForeignKey(
        PurchaseInvoice, on_delete=models.CASCADE, related_name="checks"
    )
    code = models.CharField(_("code"), max_length=50)
    severity = models.CharField(_("severity"), max_length=10, choices=SEVERITY_CHOICES)
    field = models.CharField(_("field"), max_length=50, blank=True)
    source = models.CharField(_("compared with"), max_length=200, blank=True)
    expected = models.CharField(_("expected"), max_length=200, blank=True)
    found = models.CharField(_("found"), max_length=200, blank=True)
    difference = models.DecimalField(
        _("difference"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    params = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("invoice check")
        verbose_name_plural = _("invoice checks")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_severity_display()}: {self.code}"

    @property
    def is_blocking(self) -> bool:
        return self.severity == Severity.BLOCKING
