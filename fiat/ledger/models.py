"""Chart of accounts, VAT codes and the journal of the built-in ledger.

VAT codes carry the EN 16931 VAT category (UNCL 5305 codes: S standard,
Z zero rated, E exempt, AE reverse charge, K intra-community supply, G export
outside the EU, O outside the scope of VAT) next to the Dutch rate, so that a
line coded in Fiat turns into a valid e-invoice line and a correct VAT return.

Journal entries are written through ``fiat.ledger.posting`` only, and a
mistake is corrected by a reversing entry. The models and their querysets
raise ImmutableEntryError on update and delete through the ORM, though raw
SQL can still change rows.
"""

from decimal import Decimal

from django.conf import settings
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


class EntryPurpose(models.TextChoices):
    # The first and only booking of a source document.
    BOOKING = "booking", _("Booking")
    # The mirror of an earlier entry, which cancels it out.
    REVERSAL = "reversal", _("Reversal")


class ImmutableEntryError(Exception):
    """An attempt to change or delete a posted journal entry or line.

    Entries are corrected only by reversal, through
    ``fiat.ledger.posting.reverse_entry``.
    """


class PostedQuerySet(models.QuerySet):
    """A queryset that raises ImmutableEntryError on update() and delete()."""

    def update(self, **kwargs):
        raise ImmutableEntryError(
            f"{self.model._meta.label} rows cannot be updated, because posted "
            "entries never change. Reverse the entry instead."
        )

    def delete(self):
        raise ImmutableEntryError(
            f"{self.model._meta.label} rows cannot be deleted, because posted "
            "entries never change. Reverse the entry instead."
        )


class JournalEntry(models.Model):
    """A balanced journal entry in company currency, written once.

    ``source_kind`` and ``source_id`` name the document the entry books, such
    as ("payables.purchaseinvoice", "42"). A document has at most one entry
    with purpose BOOKING, which the database enforces, and a reversal points
    at the entry it cancels through ``reverses``. ``approvals`` is a copy of
    the document's approval trail at booking time: a list of objects with
    ``step``, ``approver``, ``on_behalf_of``, ``decision``, ``decided_at``
    (ISO 8601) and ``comment``.
    """

    number = models.CharField(
        _("number"),
        max_length=20,
        unique=True,
        help_text=_("Gap-free per year, such as 2026-000123."),
    )
    entry_date = models.DateField(_("entry date"))
    description = models.CharField(_("description"), max_length=500)
    currency = models.CharField(_("currency"), max_length=3)
    source_kind = models.CharField(
        _("source kind"),
        max_length=100,
        help_text=_("Such as payables.purchaseinvoice."),
    )
    source_id = models.CharField(_("source id"), max_length=100)
    purpose = models.CharField(
        _("purpose"), max_length=10, choices=EntryPurpose.choices
    )
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversal",
    )
    approvals = models.JSONField(_("approvals"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty when the system posted the entry."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PostedQuerySet.as_manager()

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ["entry_date", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_kind", "source_id"],
                condition=models.Q(purpose="booking"),
                name="one_booking_per_source",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(purpose="booking", reverses__isnull=True)
                    | models.Q(purpose="reversal", reverses__isnull=False)
                ),
                name="reversal_names_reversed_entry",
            ),
        ]
        indexes = [models.Index(fields=["source_kind", "source_id"])]

    def __str__(self) -> str:
        return f"{self.number} {self.description}"

    def save(self, **kwargs) -> None:
        if not self._state.adding:
            raise ImmutableEntryError(
                f"Journal entry {self.number} cannot be changed after posting. "
                "Reverse it instead."
            )
        super().save(**{**kwargs, "force_insert": True})

    def delete(self, *args, **kwargs):
        raise ImmutableEntryError(
            f"Journal entry {self.number} cannot be deleted. Reverse it instead."
        )


class JournalLine(models.Model):
    """One debit or credit of a journal entry, in company currency.

    A line booked from a document in another currency keeps that currency
    and the amount in it, on the same side as the line.
    """

    entry = models.ForeignKey(
        JournalEntry, on_delete=models.PROTECT, related_name="lines"
    )
    position = models.PositiveIntegerField(_("position"))
    account = models.ForeignKey(
        Account,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="journal_lines",
    )
    debit = models.DecimalField(
        _("debit"), max_digits=16, decimal_places=2, default=Decimal("0")
    )
    credit = models.DecimalField(
        _("credit"), max_digits=16, decimal_places=2, default=Decimal("0")
    )
    description = models.CharField(_("description"), max_length=500, blank=True)
    vat_code = models.ForeignKey(
        VatCode,
        verbose_name=_("VAT code"),
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
        related_name="journal_lines",
    )
    project = models.ForeignKey(
        "core.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="journal_lines",
    )
    party = models.ForeignKey(
        "core.Party",
        verbose_name=_("supplier or customer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="journal_lines",
    )
    original_currency = models.CharField(
        _("original currency"), max_length=3, blank=True
    )
    # NOTE: 2 decimals, as every stored amount in Fiat; an amount in a
    # currency with 3 minor digits (BHD, KWD) loses its last digit here.
    original_amount = models.DecimalField(
        _("original amount"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PostedQuerySet.as_manager()

    class Meta:
        verbose_name = _("journal line")
        verbose_name_plural = _("journal lines")
        ordering = ["entry", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "position"], name="unique_journal_line_position"
            ),
            models.CheckConstraint(
                condition=models.Q(debit__gte=0, credit__gte=0),
                name="journal_line_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(debit=0) | models.Q(credit=0),
                name="journal_line_one_sided",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(original_currency="", original_amount__isnull=True)
                    | (
                        ~models.Q(original_currency="")
                        & models.Q(original_amount__gte=0)
                    )
                ),
                name="journal_line_original_amount_with_currency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry.number}/{self.position} {self.account.code}"

    def save(self, **kwargs) -> None:
        if not self._state.adding:
            raise ImmutableEntryError(
                f"Line {self.position} of a posted journal entry cannot be "
                "changed. Reverse the entry instead."
            )
        super().save(**{**kwargs, "force_insert": True})

    def delete(self, *args, **kwargs):
        raise ImmutableEntryError(
            f"Line {self.position} of a posted journal entry cannot be deleted. "
            "Reverse the entry instead."
        )
