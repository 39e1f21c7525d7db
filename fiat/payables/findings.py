"""Findings: what a check found wrong or worth knowing about an invoice.

A check never stops at the first problem. It looks at everything and returns
one ``Finding`` per problem, saying where the data came from, what was
expected, what was found and the difference. Findings are plain values: the
pure checks here and the database checks in ``fiat.payables.checks`` both
return them, and ``fiat.payables.checks.store_findings`` saves them as
``InvoiceCheck`` rows. Messages are not stored but rendered from ``code`` and
``params`` in the reader's language.
"""

import dataclasses
from decimal import Decimal
from enum import StrEnum


class Severity(StrEnum):
    """How much a finding matters; only BLOCKING stops a submission."""

    INFO = "info"
    WARNING = "warning"
    BLOCKING = "blocking"


class CheckCode(StrEnum):
    """Every kind of finding; ``fiat.payables.check_messages`` words each."""

    MISSING_FIELD = "missing_field"
    LOW_CONFIDENCE = "low_confidence"
    READER_WARNING = "reader_warning"
    CREDIT_NOTE = "credit_note"
    NEGATIVE_INVOICE = "negative_invoice"
    RECEIPT_AS_INVOICE = "receipt_as_invoice"
    FOREIGN_CURRENCY = "foreign_currency"
    DUE_BEFORE_ISSUE = "due_before_issue"
    TOTALS_MISMATCH = "totals_mismatch"
    BREAKDOWN_BASE_MISMATCH = "breakdown_base_mismatch"
    BREAKDOWN_VAT_MISMATCH = "breakdown_vat_mismatch"
    BREAKDOWN_RATE_MISMATCH = "breakdown_rate_mismatch"
    LINES_MISMATCH = "lines_mismatch"
    LINE_AMOUNT_MISMATCH = "line_amount_mismatch"
    AMOUNT_DUE_DIFFERS = "amount_due_differs"
    SUPPLIER_MATCHED = "supplier_matched"
    SUPPLIER_MATCHED_BY_NAME = "supplier_matched_by_name"
    SUPPLIER_UNKNOWN = "supplier_unknown"
    SUPPLIER_CONFLICT = "supplier_conflict"
    INVALID_VAT_NUMBER = "invalid_vat_number"
    INVALID_IBAN = "invalid_iban"
    MISSING_IBAN = "missing_iban"
    IBAN_CHANGED = "iban_changed"
    IBAN_NOT_ON_FILE = "iban_not_on_file"
    DUPLICATE_NUMBER = "duplicate_number"
    DUPLICATE_OTHER_FORMAT = "duplicate_other_format"
    POSSIBLE_DUPLICATE = "possible_duplicate"
    PO_NOT_FOUND = "po_not_found"
    PO_OTHER_SUPPLIER = "po_other_supplier"
    PO_CURRENCY_MISMATCH = "po_currency_mismatch"
    PO_CLOSED = "po_closed"
    PO_WITHIN_TOLERANCE = "po_within_tolerance"
    PO_OVER_TOLERANCE = "po_over_tolerance"
    PO_OPEN_ORDERS = "po_open_orders"


@dataclasses.dataclass(frozen=True)
class Finding:
    """One problem or remark about one invoice.

    ``field`` names the invoice field that the finding is about ("" for the
    invoice as a whole), so the review screen can highlight it. ``source``
    names where the compared data came from, such as "vat_breakdown[2]" or
    "purchase order PO-7". ``expected``, ``found`` and ``difference`` are
    filled when two values were compared. ``params`` fills the message.
    """

    code: CheckCode
    severity: Severity
    field: str = ""
    source: str = ""
    expected: str = ""
    found: str = ""
    difference: Decimal | None = None
    params: dict[str, str] = dataclasses.field(default_factory=dict)
