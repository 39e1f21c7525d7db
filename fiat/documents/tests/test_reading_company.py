"""The pipeline never reads the company's own details as the supplier's."""

from datetime import date

import pytest

from fiat.core.demo import COMPANY
from fiat.documents.intake import receive_file
from fiat.documents.models import Channel, DocumentStatus
from fiat.documents.reading import company_identifiers, extract
from fiat.sampledocs.catalogue import demo_invoices


@pytest.fixture(scope="module")
def printing_invoice() -> bytes:
    files = demo_invoices(date(2025, 3, 14))
    return next(sample for sample in files if sample.filename.startswith("06-")).content


@pytest.mark.django_db
def test_company_identifiers_come_from_company(demo_users):
    identifiers = company_identifiers()

    assert COMPANY["vat_number"] in identifiers
    assert COMPANY["iban"] in identifiers
    assert COMPANY["legal_name"] in identifiers


@pytest.mark.django_db
def test_pdf_supplier_is_not_the_company(demo_users, printing_invoice, tmp_path):
    path = tmp_path / "invoice.pdf"
    path.write_bytes(printing_invoice)

    result = extract(path, "invoice.pdf", own_identifiers=company_identifiers())

    assert result.supplier.vat_number == "NL081234582B01"
    assert result.customer.vat_number == COMPANY["vat_number"]


@pytest.mark.django_db
def test_no_company_gives_no_identifiers():
    assert company_identifiers() == frozenset()


@pytest.mark.django_db
def test_read_task_passes_company_identifiers(
    demo_users, printing_invoice, immediate_tasks, on_commit
):
    with on_commit():
        document = receive_file(printing_invoice, "06.pdf", channel=Channel.FOLDER)

    document.refresh_from_db()
    assert document.status == DocumentStatus.READ
    assert document.extraction["supplier"]["vat_number"] == "NL081234582B01"
