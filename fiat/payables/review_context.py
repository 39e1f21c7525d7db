"""Context of the review screen: findings, page images, the IBAN change.

Each form field gets the findings about it and whether it was read with low
confidence. It also gets what the reader found when that differs from the
value now in the field. So the template points out every doubt where it
applies.
"""

import logging
from dataclasses import dataclass, field

from django.forms import BoundField
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from fiat.documents.learning import corrections_learned, document_supplier_key
from fiat.payables.check_messages import describe
from fiat.payables.findings import CheckCode, Severity
from fiat.payables.forms import FIELD_GROUPS, CancelForm, InvoiceReviewForm
from fiat.payables.iban_changes import (
    ACCEPT,
    CONFIRM,
    REJECT,
    allowed_iban_actions,
)
from fiat.payables.intake import CONTRACT_FIELDS
from fiat.payables.models import (
    OPEN_IBAN_CHANGE_STATUSES,
    IbanChangeRequest,
    PurchaseInvoice,
)

logger = logging.getLogger(__name__)

# Severities from most to least important, as the page lists them.
SEVERITY_ORDER = (Severity.BLOCKING, Severity.WARNING, Severity.INFO)
# The steps on an IBAN change request, with their button labels.
IBAN_STEPS = (
    (ACCEPT, _("Accept the new IBAN")),
    (CONFIRM, _("Confirm the new IBAN")),
    (REJECT, _("Reject the new IBAN")),
)
# Invoice field to its path in the ``extracted`` JSON.
READ_PATHS = {field_name: path for path, field_name in CONTRACT_FIELDS.items()}


@dataclass
class ShownCheck:
    severity: str
    severity_label: str
    message: str
    field: str
    code: str


@dataclass
class FieldRow:
    bound_field: BoundField
    notes: list[ShownCheck] = field(default_factory=list)
    confidence: int | None = None
    read_value: str | None = None

    @property
    def flag(self) -> str:
        """Return the strongest reason to look at this field, or ""."""
        severities = {note.severity for note in self.notes}
        for severity in (Severity.BLOCKING, Severity.WARNING):
            if severity in severities:
                return severity
        return "review" if self.confidence is not None else ""


def review_context(
    request: HttpRequest,
    invoice: PurchaseInvoice,
    form: InvoiceReviewForm,
    lines,
    *,
    editable: bool,
) -> dict:
    iban_change = _iban_change(invoice)
    checks = sorted(
        (_shown(check) for check in invoice.checks.all()),
        key=lambda shown: SEVERITY_ORDER.index(shown.severity),
    )
    return {
        "invoice": invoice,
        "form": form,
        "lines": lines,
        "editable": editable,
        "checks": [check for check in checks if check.severity != Severity.INFO],
        "remarks": [check for check in checks if check.severity == Severity.INFO],
        "blocking_count": sum(
            1 for check in checks if check.severity == Severity.BLOCKING
        ),
        "field_groups": _field_groups(invoice, form, checks),
        "pages": page_urls(invoice),
        "original_url": _original_url(invoice),
        "supplier_unknown": any(
            check.code == CheckCode.SUPPLIER_UNKNOWN for check in checks
        ),
        "iban_change": iban_change,
        "iban_steps": IBAN_STEPS,
        "iban_codes": (CheckCode.IBAN_CHANGED, CheckCode.IBAN_NOT_ON_FILE),
        "iban_actions": allowed_iban_actions(iban_change, request.user)
        if iban_change and editable
        else frozenset(),
        "cancel_form": CancelForm(),
        "learned_corrections": corrections_learned(
            document_supplier_key(invoice.document)
        ),
    }


def _shown(check) -> ShownCheck:
    return ShownCheck(
        severity=check.severity,
        severity_label=str(check.get_severity_display()),
        message=describe(check),
        field=check.field,
        code=check.code,
    )


def _field_groups(
    invoice: PurchaseInvoice, form: InvoiceReviewForm, checks: list[ShownCheck]
) -> list[tuple[str, list[FieldRow]]]:
    groups = []
    for label, names in FIELD_GROUPS:
        rows = [_field_row(invoice, form[name], checks) for name in names]
        groups.append((label, rows))
    return groups


def _field_row(
    invoice: PurchaseInvoice, bound_field: BoundField, checks: list[ShownCheck]
) -> FieldRow:
    name = bound_field.name
    # A low confidence is shown once, as the field's confidence line.
    notes = [
        check
        for check in checks
        if check.field == name
        and check.severity != Severity.INFO
        and check.code != CheckCode.LOW_CONFIDENCE
    ]
    confidence = None
    if name in invoice.review_fields and name in invoice.field_confidence:
        confidence = round(invoice.field_confidence[name] * 100)
    return FieldRow(bound_field, notes, confidence, _read_value(invoice, name))


def _read_value(invoice: PurchaseInvoice, name: str) -> str | None:
    """Return what the reader found for ``name`` if it differs from now."""
    path = READ_PATHS.get(name)
    if path is None:
        return None
    value = invoice.extracted
    for key in path.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    if value in (None, ""):
        return None
    current = getattr(invoice, name)
    return None if str(value) == str(current) else str(value)


def page_urls(invoice: PurchaseInvoice) -> list[str]:
    """Return the page image URLs of the invoice's document, or none.

    An e-invoice shows the pages of its companion PDF, and the documents app
    serves them under the e-invoice's own id.
    """
    document = invoice.document
    shown = invoice.companion or document.companion or document
    count = shown.page_count or 0
    try:
        # Positional arguments: the documents URL is (document id, page).
        return [
            reverse("documents:page-image", args=[document.pk, number])
            for number in range(1, count + 1)
        ]
    except NoReverseMatch:
        logger.warning("No URL named documents:page-image; pages are not shown.")
        return []


def _original_url(invoice: PurchaseInvoice) -> str | None:
    try:
        return reverse("documents:original", args=[invoice.document_id])
    except NoReverseMatch:
        return None


def _iban_change(invoice: PurchaseInvoice) -> IbanChangeRequest | None:
    if invoice.supplier_id is None or not invoice.iban:
        return None
    return (
        IbanChangeRequest.objects.filter(
            supplier_id=invoice.supplier_id,
            new_iban=invoice.iban,
            status__in=OPEN_IBAN_CHANGE_STATUSES,
        )
        .select_related("accepted_by", "requested_by")
        .first()
    )
