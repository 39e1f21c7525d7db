"""Learning from corrections: stored per supplier layout, counted, shown."""

from decimal import Decimal

import pytest
from django.urls import reverse

from fiat.documents.extraction.pdftext import read_pdf_text
from fiat.documents.extraction.result import Source
from fiat.documents.learning import (
    apply_learned,
    corrections_learned,
    learn_correction,
    result_supplier_key,
    supplier_key,
)
from fiat.documents.models import LearnedField
from fiat.documents.tests.test_pdftext import write_text_pdf
from fiat.payables.intake import create_invoice_from_document
from fiat.payables.tests.factories import make_document, make_result, make_supplier

pytestmark = pytest.mark.django_db

SUPPLIER_VAT = "NL810433941B01"


def _invoice_pdf(path, number: str, vat_amount: str, total: str):
    """Write an invoice whose VAT total is printed under "Heffing", a rare label."""
    return write_text_pdf(
        path,
        [
            (50, 60, "Drukkerij Noord B.V."),
            (50, 74, f"BTW-nummer {SUPPLIER_VAT}"),
            (50, 120, f"Factuurnummer {number}"),
            (50, 134, "Factuurdatum 3 maart 2025"),
            (300, 300, "Heffing"),
            (300, 314, vat_amount),
            (50, 400, "Totaal"),
            (300, 400, total),
        ],
    )


def _read_document(path):
    """Take in ``path`` as a read text-layer document and return it with its result."""
    result = read_pdf_text(path)
    document = make_document(path.name, path.read_bytes())
    document.source = Source.PDF_TEXT
    document.extraction = result.to_json()
    document.save(update_fields=["source", "extraction"])
    return document, result


def test_supplier_key_prefers_vat_number():
    assert supplier_key("NL 8104.33941B01", "NL50INGB0683251309", "X") == (
        "vat:NL810433941B01"
    )
    assert supplier_key(None, "NL50 INGB 0683 2513 09", "X") == (
        "iban:NL50INGB0683251309"
    )
    assert supplier_key("", None, "Drukkerij Noord") == "name:DRUKKERIJNOORD"
    assert supplier_key(None, None, None) is None


def test_correction_reads_next_invoice(tmp_path):
    first, first_result = _read_document(
        _invoice_pdf(tmp_path / "first.pdf", "DN-2025-0101", "21,00", "121,00")
    )
    key = result_supplier_key(first_result)
    assert key == f"vat:{SUPPLIER_VAT}"

    record = learn_correction(first, key, "total_vat", Decimal("21.00"))

    assert record is not None
    assert record.corrections == 1
    second_path = _invoice_pdf(
        tmp_path / "second.pdf", "DN-2025-0102", "42,00", "242,00"
    )
    second = read_pdf_text(second_path)
    assert apply_learned(second, second_path) == ["total_vat"]
    assert second.total_vat == Decimal("42.00")
    assert second.confidence["total_vat"] == 0.9


def test_corrections_counted_per_supplier_field(tmp_path):
    document, result = _read_document(
        _invoice_pdf(tmp_path / "first.pdf", "DN-2025-0101", "21,00", "121,00")
    )
    key = result_supplier_key(result)

    learn_correction(document, key, "total_vat", Decimal("21.00"))
    learn_correction(document, key, "total_vat", Decimal("21.00"))
    learn_correction(document, key, "invoice_number", "DN-2025-0101")

    assert (
        LearnedField.objects.get(supplier_key=key, field="total_vat").corrections == 2
    )
    assert corrections_learned(key) == 3
    assert corrections_learned("vat:NL000000000B00") == 0


def test_nothing_learned_without_printed_value(tmp_path):
    document, result = _read_document(
        _invoice_pdf(tmp_path / "first.pdf", "DN-2025-0101", "21,00", "121,00")
    )

    record = learn_correction(
        document, result_supplier_key(result), "total_vat", Decimal("99.99")
    )

    assert record is None
    assert not LearnedField.objects.exists()


def test_nothing_learned_from_scan(tmp_path):
    document, result = _read_document(
        _invoice_pdf(tmp_path / "first.pdf", "DN-2025-0101", "21,00", "121,00")
    )
    document.source = Source.OCR
    document.save(update_fields=["source"])

    record = learn_correction(
        document, result_supplier_key(result), "total_vat", Decimal("21.00")
    )

    assert record is None


def test_review_correction_teaches_reader(client, clerk, tmp_path):
    make_supplier(vat_number=SUPPLIER_VAT)
    path = _invoice_pdf(tmp_path / "first.pdf", "DN-2025-0101", "21,00", "121,00")
    document, _ = _read_document(path)
    result = make_result(
        file=path.name,
        supplier={"vat_number": SUPPLIER_VAT},
        total_vat=Decimal("12.00"),
        confidence={"total_vat": 0.5},
    )
    invoice = create_invoice_from_document(document, result)
    document.extraction = result.to_json()
    document.save(update_fields=["extraction"])
    client.force_login(clerk)
    url = reverse("payables:invoice", args=[invoice.pk])
    page = client.get(url).content.decode()
    assert "learned from" not in page
    form = client.get(url).context["form"]
    data = {
        name: "" if value is None else value
        for name, value in form.initial.items()
        if name in form.fields
    }
    data.update(
        {
            "total_vat_amount": "21,00",
            "lines-TOTAL_FORMS": "0",
            "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "1000",
            "action": "save",
        }
    )

    response = client.post(url, data)

    assert response.status_code == 302
    record = LearnedField.objects.get(
        supplier_key=f"vat:{SUPPLIER_VAT}", field="total_vat"
    )
    assert record.corrections == 1
    page = client.get(url).content.decode()
    assert "learned from 1 correction of this supplier" in page
