"""Stored originals, the ways they come in, and the documents read from them.

Every file is stored before anything reads it, once per SHA-256 digest
(``StoredFile``), so the same PDF mailed twice and uploaded once more is one
``Document``. A mail is an ``InboundMessage`` unique by its Message-ID per
mailbox, kept as the raw .eml. ``DOCUMENT_TRANSITIONS`` lists the status
changes that ``fiat.documents.lifecycle`` is allowed to make.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fiat.documents.extraction.result import Source

MAIL_CONTENT_TYPE = "message/rfc822"


class Channel(models.TextChoices):
    IMAP = "imap", _("Mailbox")
    FOLDER = "folder", _("Drop folder")
    UPLOAD = "upload", _("Upload")
    CLI = "cli", _("Command line")
    API = "api", _("API")


class DocumentStatus(models.TextChoices):
    # Stored, waiting for the read task.
    RECEIVED = "received", _("Received")
    # A worker is reading it.
    READING = "reading", _("Reading")
    # Read; the invoice was created from what was found.
    READ = "read", _("Read")
    # Could not be read or turned into an invoice. ``error_code`` and
    # ``error_message`` give the reason. A retry sends it back to RECEIVED.
    QUARANTINED = "quarantined", _("Quarantined")


# Allowed status changes. READING goes back to RECEIVED only by a retry, for
# a read that a stopped worker left unfinished.
DOCUMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    DocumentStatus.RECEIVED: frozenset(
        {DocumentStatus.READING, DocumentStatus.QUARANTINED}
    ),
    DocumentStatus.READING: frozenset(
        {DocumentStatus.READ, DocumentStatus.QUARANTINED, DocumentStatus.RECEIVED}
    ),
    DocumentStatus.READ: frozenset(),
    DocumentStatus.QUARANTINED: frozenset({DocumentStatus.RECEIVED}),
}
# Statuses from which a person may send a document to be read again.
RETRYABLE_STATUSES = frozenset({DocumentStatus.QUARANTINED, DocumentStatus.READING})


class ReadSource(models.TextChoices):
    """The reader that found the fields: ``source`` in ``fiat extract``."""

    UBL = Source.UBL.value, _("UBL e-invoice")
    CII = Source.CII.value, _("CII e-invoice")
    FACTURX = Source.FACTURX.value, _("PDF with embedded e-invoice")
    PDF_TEXT = Source.PDF_TEXT.value, _("PDF text")
    OCR = Source.OCR.value, _("OCR")


# Short, translated names of the reasons a document is in quarantine, by
# error code. The readers' own message gives the details.
QUARANTINE_REASONS = {
    "empty_file": _("Empty file"),
    "not_a_pdf": _("Not a readable PDF"),
    "no_pages": _("PDF without pages"),
    "encrypted_pdf": _("Password-protected PDF"),
    "unsafe_xml": _("Unsafe XML"),
    "invalid_xml": _("Invalid XML"),
    "not_an_einvoice": _("XML that is not an e-invoice"),
    "too_large": _("File too large"),
    "not_an_image": _("Unreadable image"),
    "unsupported_type": _("File type not supported"),
    "no_attachment": _("Mail without a usable attachment"),
    "ocr_unavailable": _("Text recognition (OCR) is not installed"),
    "ocr_failed": _("Text recognition (OCR) failed"),
    "ocr_timeout": _("Text recognition (OCR) took too long"),
    "read_failed": _("Reading failed"),
    "invoice_failed": _("The invoice could not be created"),
}


class MailboxSecurity(models.TextChoices):
    SSL = "ssl", _("SSL/TLS (port 993)")
    STARTTLS = "starttls", _("STARTTLS (port 143)")
    NONE = "none", _("None (only for a server on this machine)")


class StoredFile(models.Model):
    """An original file exactly as received, stored under its SHA-256 digest."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    file = models.FileField(_("file"), max_length=200)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    # Sniffed from the bytes, because senders often declare the wrong type.
    content_type = models.CharField(_("content type"), max_length=100)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")

    def __str__(self) -> str:
        return f"{self.sha256[:12]} ({self.content_type}, {self.size} bytes)"

    def read_bytes(self) -> bytes:
        with self.file.open("rb") as file:
            return file.read()


class Mailbox(models.Model):
    """An IMAP account that Fiat polls for supplier invoices."""

    name = models.CharField(_("name"), max_length=100)
    host = models.CharField(_("IMAP server"), max_length=255)
    port = models.PositiveIntegerField(_("port"), default=993)
    security = models.CharField(
        _("connection security"),
        max_length=10,
        choices=MailboxSecurity.choices,
        default=MailboxSecurity.SSL,
    )
    username = models.CharField(_("user name"), max_length=255)
    # NOTE: stored as entered, because IMAP login needs the plain password.
    # Give Fiat an account that only receives invoices.
    password = models.CharField(_("password"), max_length=255)
    folder = models.CharField(_("folder to read"), max_length=255, default="INBOX")
    processed_folder = models.CharField(
        _("folder for processed mail"), max_length=255, default="Processed"
    )
    quarantine_folder = models.CharField(
        _("folder for mail without a document"), max_length=255, default="Quarantine"
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.username}@{self.host})"


class InboundMessage(models.Model):
    """One received mail, kept whole as .eml. Its attachments are documents."""

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    mailbox = models.ForeignKey(
        Mailbox,
        verbose_name=_("mailbox"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="messages",
    )
    # The Message-ID header, or "sha256:" and the digest of the raw mail when
    # the header is missing or longer than this field.
    message_id = models.CharField(_("Message-ID"), max_length=255)
    sender = models.CharField(_("from"), max_length=500, blank=True)
    subject = models.TextField(_("subject"), blank=True)
    # The Date header, the time the sender's client wrote the mail.
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    raw_file = models.ForeignKey(
        StoredFile,
        verbose_name=_("raw mail"),
        on_delete=models.PROTECT,
        related_name="messages",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("received mail")
        verbose_name_plural = _("received mail")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mailbox", "message_id"], name="unique_message_per_mailbox"
            ),
            # NULL mailboxes are never equal in a unique index, so mail that
            # came in by upload, folder or command needs its own constraint.
            models.UniqueConstraint(
                fields=["message_id"],
                condition=Q(mailbox__isnull=True),
                name="unique_message_without_mailbox",
            ),
        ]

    def __str__(self) -> str:
        return self.subject or self.message_id


class Document(models.Model):
    """A received file on its way to becoming a purchase invoice."""

    stored_file = models.OneToOneField(
        StoredFile,
        verbose_name=_("stored file"),
        on_delete=models.PROTECT,
        related_name="document",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    filename = models.CharField(_("file name"), max_length=255)
    message = models.ForeignKey(
        InboundMessage,
        verbose_name=_("mail"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=DocumentStatus.choices,
        default=DocumentStatus.RECEIVED,
    )
    # What was read, in the shape of ``fiat extract --json``.
    extraction = models.JSONField(_("extraction"), null=True, blank=True)
    source = models.CharField(
        _("read from"), max_length=10, choices=ReadSource.choices, blank=True
    )
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    error_code = models.CharField(_("error code"), max_length=50, blank=True)
    error_message = models.TextField(_("reason"), blank=True)
    attempts = models.PositiveIntegerField(_("read attempts"), default=0)
    # The PDF that came beside this XML e-invoice in the same mail. The two
    # make one invoice: the XML is read, the PDF is what people look at.
    companion = models.OneToOneField(
        "self",
        verbose_name=_("companion PDF"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="primary",
    )
    created_at = models.DateTimeField(_("received"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.filename

    @property
    def is_mail(self) -> bool:
        """Whether the document is a whole mail kept because nothing in it was
        usable."""
        return self.stored_file.content_type == MAIL_CONTENT_TYPE

    @property
    def is_companion(self) -> bool:
        return hasattr(self, "primary")

    @property
    def reason_label(self) -> str:
        """The translated name of ``error_code``, for the quarantine list."""
        return str(QUARANTINE_REASONS.get(self.error_code, _("Could not be read")))


class LearnedField(models.Model):
    """Where one supplier's layout prints one field, learned from corrections.

    ``supplier_key`` names the supplier as read from its documents
    (``fiat.documents.learning.supplier_key``); ``hint`` is a
    ``fiat.documents.extraction.layout_hints.LayoutHint`` as JSON, from the
    latest correction.
    """

    supplier_key = models.CharField(_("supplier key"), max_length=100)
    field = models.CharField(_("field"), max_length=40)
    hint = models.JSONField(_("hint"))
    corrections = models.PositiveIntegerField(_("corrections"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("learned field")
        verbose_name_plural = _("learned fields")
        constraints = [
            models.UniqueConstraint(
                fields=["supplier_key", "field"],
                name="documents_learnedfield_supplier_field",
            )
        ]

    def __str__(self) -> str:
        return f"{self.supplier_key} {self.field}"
