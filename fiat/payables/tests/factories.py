"""Builders for the payables tests: users, suppliers, documents, read results.

Documents are taken in through ``fiat.documents.intake.receive_file``, the
way every channel takes them in. The read results stand for what a reader
returns, so each test states exactly what was read.
"""

import itertools
from dataclasses import replace
from datetime import date
from decimal import Decimal

from fiat.core.models import Party, Role, RoleGrant, User
from fiat.documents.extraction.result import (
    ExtractionResult,
    LineFields,
    PartyFields,
    Source,
    VatBreakdownFields,
)
from fiat.documents.intake import receive_file
from fiat.documents.models import Channel, Document
from fiat.ledger.defaults import install_dutch_defaults
from fiat.ledger.models import Account, VatCode
from fiat.payables.intake import create_invoice_from_document
from fiat.payables.models import PurchaseInvoice

SUPPLIER_NAME = "Drukkerij De Vries B.V."
SUPPLIER_VAT = "NL000099998B57"
SUPPLIER_IBAN = "NL91ABNA0417164300"
SUPPLIER_COC = "12345678"
OTHER_IBAN = "NL20INGB0001234567"

_serial = itertools.count(1)


def make_user(username: str, *roles: Role) -> User:
    user = User.objects.create_user(
        username,
        password=f"demo-{username}",
        first_name=username.title(),
        last_name="Jansen",
        email=f"{username}@example.com",
        language="en",
    )
    for role in roles:
        RoleGrant.objects.create(user=user, role=role)
    return user


def make_supplier(**fields) -> Party:
    # A test database flushed after a live-server test lost the rows of the
    # ledger's data migration.
    install_dutch_defaults(Account, VatCode)
    values = {
        "name": SUPPLIER_NAME,
        "is_supplier": True,
        "vat_number": SUPPLIER_VAT,
        "iban": SUPPLIER_IBAN,
        "coc_number": SUPPLIER_COC,
        "default_ledger_account": Account.objects.get(code="4600"),
        "default_vat_code": VatCode.objects.get(code="I21"),
    }
    return Party.objects.create(**{**values, **fields})


def make_document(
    filename: str = "invoice.pdf", content: bytes | None = None
) -> Document:
    """Take in a new document; without ``content``, unique made-up PDF bytes."""
    if content is None:
        content = b"%PDF-1.4\n% test document " + str(next(_serial)).encode() + b"\n"
    return receive_file(content, filename, channel=Channel.UPLOAD)


def make_result(**fields) -> ExtractionResult:
    """Return what a reader found on a plain 121.00 EUR invoice, changed by
    ``fields``; ``supplier`` may be a dict of supplier fields to change."""
    supplier = PartyFields(
        name=SUPPLIER_NAME,
        vat_number=SUPPLIER_VAT,
        iban=SUPPLIER_IBAN,
        coc_number=SUPPLIER_COC,
        country="NL",
    )
    supplier = replace(supplier, **fields.pop("supplier", {}))
    values = {
        "file": "invoice.pdf",
        "source": Source.PDF_TEXT,
        "supplier": supplier,
        "invoice_number": "INV-00123",
        "issue_date": date(2026, 3, 2),
        "due_date": date(2026, 4, 1),
        "currency": "EUR",
        "total_net": Decimal("100.00"),
        "total_vat": Decimal("21.00"),
        "total_gross": Decimal("121.00"),
        "vat_breakdown": [
            VatBreakdownFields(Decimal("21"), Decimal("100.00"), Decimal("21.00"))
        ],
        "lines": [
            LineFields("Flyers A5, 1000 pieces", Decimal("1"), Decimal("100.00"),
                       Decimal("100.00"), Decimal("21"))
        ],
        "confidence": {},
    }  # fmt: skip
    return ExtractionResult(**{**values, **fields})


def make_invoice(result: ExtractionResult | None = None, **fields) -> PurchaseInvoice:
    """Take in a document and create its invoice from ``result``."""
    result = result or make_result(**fields)
    return create_invoice_from_document(make_document(result.file), result)


def check_codes(invoice: PurchaseInvoice) -> list[str]:
    return sorted(invoice.checks.values_list("code", flat=True))


def blocking_codes(invoice: PurchaseInvoice) -> list[str]:
    return sorted(
        invoice.checks.filter(severity="blocking").values_list("code", flat=True)
    )
