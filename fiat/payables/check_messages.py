"""The sentence shown for each kind of finding, in the reader's language.

A stored ``InvoiceCheck`` keeps its code and parameters, not a sentence, so
the review screen shows every finding in the language of the user reading
it.
Each template may use the keys of the finding's ``params`` plus ``field``
(the field's label), ``source``, ``expected``, ``found`` and ``difference``.
Amounts are stored as machine text ("2944.00") and shown with the invoice's
currency code in the reader's number format ("EUR 2.944,00" in Dutch).
"""

import logging
from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fiat.core.money import currency_exponent
from fiat.payables.findings import CheckCode
from fiat.payables.models import (
    InvoiceCheck,
    InvoiceStatus,
    PurchaseInvoice,
    ReadSource,
)

logger = logging.getLogger(__name__)

MESSAGES = {
    CheckCode.MISSING_FIELD: _("%(field)s is missing. Fill it in from the document."),
    CheckCode.LOW_CONFIDENCE: _(
        "%(field)s was read with %(confidence)s%% confidence. Compare it with "
        "the document."
    ),
    CheckCode.READER_WARNING: _("While reading the document: %(warning)s"),
    CheckCode.CREDIT_NOTE: _(
        "This is a credit note: the supplier owes the amount to the company."
    ),
    CheckCode.NEGATIVE_INVOICE: _(
        "The document is an invoice with the negative total %(found)s, so it "
        "is kept as a credit note of %(expected)s."
    ),
    CheckCode.RECEIPT_AS_INVOICE: _(
        "The document was read as a receipt. Check that it is an invoice "
        "addressed to the company."
    ),
    CheckCode.FOREIGN_CURRENCY: _(
        "The invoice is in %(found)s, not in the company currency %(expected)s."
    ),
    CheckCode.DUE_BEFORE_ISSUE: _(
        "The due date %(found)s is before the invoice date %(expected)s."
    ),
    CheckCode.TOTALS_MISMATCH: _(
        "Total excluding VAT plus VAT is %(expected)s, but the total including "
        "VAT is %(found)s (difference %(difference)s)."
    ),
    CheckCode.BREAKDOWN_BASE_MISMATCH: _(
        "The VAT breakdown's base amounts add up to %(expected)s, but the total "
        "excluding VAT is %(found)s (difference %(difference)s)."
    ),
    CheckCode.BREAKDOWN_VAT_MISMATCH: _(
        "The VAT breakdown adds up to %(expected)s VAT, but the VAT total is "
        "%(found)s (difference %(difference)s)."
    ),
    CheckCode.BREAKDOWN_RATE_MISMATCH: _(
        "%(rate)s%% VAT on its base amount is %(expected)s, but the invoice shows "
        "%(found)s (difference %(difference)s, tolerance %(tolerance)s)."
    ),
    CheckCode.LINES_MISMATCH: _(
        "The lines add up to %(expected)s, but the total excluding VAT is "
        "%(found)s (difference %(difference)s)."
    ),
    CheckCode.LINE_AMOUNT_MISMATCH: _(
        "Line %(line)s: quantity times unit price is %(expected)s, but the line "
        "amount is %(found)s (difference %(difference)s, tolerance "
        "%(tolerance)s)."
    ),
    CheckCode.AMOUNT_DUE_DIFFERS: _(
        "The amount due %(found)s differs from the total %(expected)s, for "
        "example after a prepayment."
    ),
    CheckCode.SUPPLIER_MATCHED: _("Supplier %(supplier)s found by %(matched_on)s."),
    CheckCode.SUPPLIER_MATCHED_BY_NAME: _(
        "Supplier %(supplier)s was found by name only. Check that it is the right one."
    ),
    CheckCode.SUPPLIER_UNKNOWN: _(
        "No supplier matches %(name)s (VAT number %(vat_number)s, KvK number "
        "%(coc_number)s, IBAN %(iban)s). Create the supplier from what was "
        "read, or choose one."
    ),
    CheckCode.SUPPLIER_CONFLICT: _(
        "The %(identifier)s %(found)s belongs to supplier %(other)s, not to "
        "%(supplier)s."
    ),
    CheckCode.INVALID_VAT_NUMBER: _(
        "VAT number %(found)s is not valid: %(reason)s Correct it from the document."
    ),
    CheckCode.INVALID_IBAN: _(
        "IBAN %(found)s is not valid: %(reason)s Correct it from the document."
    ),
    CheckCode.MISSING_IBAN: _(
        "No IBAN was found on the invoice and the supplier has none on file."
    ),
    CheckCode.IBAN_CHANGED: _(
        "The invoice requests payment to %(found)s, but supplier %(supplier)s is "
        "paid to %(expected)s. The supplier's IBAN changes only after one person "
        "accepts the change and a second person confirms it."
    ),
    CheckCode.IBAN_NOT_ON_FILE: _(
        "Supplier %(supplier)s has no IBAN on file, and the invoice requests "
        "payment to %(found)s. It becomes the supplier's IBAN only after one "
        "person accepts it and a second person confirms it."
    ),
    CheckCode.DUPLICATE_NUMBER: _(
        "Invoice number %(found)s of this supplier is already on invoice "
        "%(other)s (%(other_status)s)."
    ),
    CheckCode.DUPLICATE_OTHER_FORMAT: _(
        "The same invoice arrived twice: invoice %(other)s, read as "
        "%(other_source)s, has number %(found)s too. Cancel one of the two."
    ),
    CheckCode.POSSIBLE_DUPLICATE: _(
        "Invoice %(other)s (%(other_source)s) of this supplier has the same "
        "total %(found)s and date %(date)s. Check that it is not the same "
        "invoice."
    ),
    CheckCode.PO_NOT_FOUND: _("Purchase order %(found)s does not exist."),
    CheckCode.PO_OTHER_SUPPLIER: _(
        "Purchase order %(order)s is for %(expected)s, not for %(found)s."
    ),
    CheckCode.PO_CURRENCY_MISMATCH: _(
        "Purchase order %(order)s is in %(expected)s, but the invoice is in %(found)s."
    ),
    CheckCode.PO_CLOSED: _("Purchase order %(order)s is closed."),
    CheckCode.PO_WITHIN_TOLERANCE: _(
        "Matches purchase order %(order)s: %(found)s excluding VAT against "
        "%(expected)s open (difference %(difference)s, tolerance %(tolerance)s)."
    ),
    CheckCode.PO_OVER_TOLERANCE: _(
        "Exceeds purchase order %(order)s: %(found)s excluding VAT against "
        "%(expected)s open, which is %(difference)s more than the order allows "
        "with a tolerance of %(tolerance)s."
    ),
    CheckCode.PO_OPEN_ORDERS: _(
        "The supplier has open purchase orders: %(orders)s. Enter the order "
        "number if the invoice belongs to one."
    ),
}


# Parameters stored as codes, and the choices that give their labels.
_CODED_PARAMS = {"other_status": InvoiceStatus, "other_source": ReadSource}
# Parameters that list identifiers by their Party field, comma-separated.
_IDENTIFIER_PARAMS = frozenset({"matched_on", "identifier"})
IDENTIFIER_LABELS = {
    "vat_number": _("VAT number"),
    "iban": _("IBAN"),
    "coc_number": _("KvK number"),
    "name": _("name"),
}


_COMPARED_AMOUNTS = frozenset({"expected", "found", "difference", "tolerance"})
# The values of each kind of finding that are amounts in the invoice currency.
MONEY_VALUES = {
    CheckCode.NEGATIVE_INVOICE: frozenset({"expected", "found"}),
    CheckCode.TOTALS_MISMATCH: _COMPARED_AMOUNTS,
    CheckCode.BREAKDOWN_BASE_MISMATCH: _COMPARED_AMOUNTS,
    CheckCode.BREAKDOWN_VAT_MISMATCH: _COMPARED_AMOUNTS,
    CheckCode.BREAKDOWN_RATE_MISMATCH: _COMPARED_AMOUNTS,
    CheckCode.LINES_MISMATCH: _COMPARED_AMOUNTS,
    CheckCode.LINE_AMOUNT_MISMATCH: _COMPARED_AMOUNTS,
    CheckCode.AMOUNT_DUE_DIFFERS: frozenset({"expected", "found"}),
    CheckCode.POSSIBLE_DUPLICATE: frozenset({"found"}),
    CheckCode.PO_WITHIN_TOLERANCE: _COMPARED_AMOUNTS,
    CheckCode.PO_OVER_TOLERANCE: _COMPARED_AMOUNTS,
}
# Values that are plain numbers, such as a VAT rate of "21.00".
_NUMBER_VALUES = frozenset({"rate"})

# schwifty's English reasons for an invalid IBAN, by their start, so that a
# stored reason is shown in the reader's language. Other reasons are shown
# as stored.
IBAN_REASONS = (
    ("invalid checksum digits", _("The check digits do not match the number.")),
    ("invalid iban length", _("It has the wrong length for its country.")),
    ("unknown country-code", _("It does not start with a known country code.")),
    ("invalid country code", _("It does not start with a known country code.")),
    ("bank code exceeds", _("Its bank code is too long for its country.")),
    ("invalid bank code", _("Its bank code is not valid.")),
    ("invalid characters", _("It contains characters other than letters and digits.")),
    ("invalid bban structure", _("Its account number has the wrong format.")),
    ("invalid national checksum", _("The national check digits do not match.")),
)


def format_money(text: str, currency: str) -> str:
    """Format a machine amount as "EUR 2.944,00" in the active language.

    Show at least the currency's minor unit digits, and more when the amount
    has more, so that nothing is cut. Return ``text`` unchanged when it is not
    a number.
    """
    try:
        amount = Decimal(text)
        places = max(currency_exponent(currency), -amount.as_tuple().exponent)
    except (InvalidOperation, TypeError, ValueError):
        return text
    number = number_format(
        amount, decimal_pos=places, use_l10n=True, force_grouping=True
    )
    return f"{currency} {number}"


def _format_number(text: str) -> str:
    try:
        return number_format(Decimal(text), use_l10n=True, force_grouping=True)
    except (InvalidOperation, TypeError):
        return text


def iban_reason(reason: str) -> str:
    """Translate schwifty's reason for an invalid IBAN, or return it as given."""
    lowered = reason.strip().lower()
    for start, translated in IBAN_REASONS:
        if lowered.startswith(start):
            return str(translated)
    return reason


def _param_text(key: str, value: str) -> str:
    choices = _CODED_PARAMS.get(key)
    if choices is not None and value in choices.values:
        return str(choices(value).label)
    if key in _IDENTIFIER_PARAMS and value:
        names = value.split(",")
        return ", ".join(str(IDENTIFIER_LABELS.get(name, name)) for name in names)
    return value or "—"


def field_label(field_name: str) -> str:
    """Return the translated label of a PurchaseInvoice field, or the name."""
    if not field_name:
        return ""
    if field_name == "lines":
        return gettext("Invoice lines")
    try:
        field = PurchaseInvoice._meta.get_field(field_name)
    except LookupError:
        return field_name
    return capfirst(str(field.verbose_name))


# Fields the clerk chooses, because no supplier prints them on an invoice.
CODING_FIELDS = frozenset({"ledger_account", "cost_centre", "project", "vat_code"})
MISSING_CODING = _("%(field)s is missing. Choose it under Coding.")


def describe(check: InvoiceCheck) -> str:
    """Return the sentence for ``check`` in the active language."""
    template = MESSAGES.get(check.code)
    if check.code == CheckCode.MISSING_FIELD and check.field in CODING_FIELDS:
        template = MISSING_CODING
    if template is None:
        logger.error("Invoice check %s has the unknown code %r.", check.pk, check.code)
        return check.code
    values = {
        "source": check.source,
        "expected": check.expected or "—",
        "found": check.found or "—",
        "difference": "" if check.difference is None else f"{check.difference:f}",
        **{key: _param_text(key, value) for key, value in check.params.items()},
        "field": field_label(check.field),
    }
    _localise_values(check, values)
    try:
        return str(template) % values
    except (KeyError, ValueError, TypeError):
        logger.exception(
            "Invoice check %s (%s) has unusable details.", check.pk, check.code
        )
        return str(template)


def _localise_values(check: InvoiceCheck, values: dict[str, str]) -> None:
    """Format the amounts and numbers in ``values`` and translate IBAN reasons."""
    for key in MONEY_VALUES.get(check.code, ()):
        values[key] = format_money(values[key], check.invoice.currency)
    for key in _NUMBER_VALUES & values.keys():
        values[key] = _format_number(values[key])
    if check.code == CheckCode.INVALID_IBAN and "reason" in values:
        values["reason"] = iban_reason(values["reason"])
