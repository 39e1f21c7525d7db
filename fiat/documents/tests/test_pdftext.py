"""Invoices read from a PDF's text layer, on PDFs written by the tests."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image

from fiat.documents.extraction.pdftext import read_pdf_text, read_pdf_words
from fiat.documents.extraction.result import DocumentType, ExtractionError, Source

PAGE_WIDTH, PAGE_HEIGHT = 595, 842


def write_text_pdf(path: Path, texts: list[tuple[float, float, str]]) -> Path:
    """Write a one-page A4 PDF that prints each (x, y, text) in Helvetica.

    ``y`` counts points from the top of the page. The text is encoded as
    WinAnsi (cp1252), so "€", "é" and "ä" print as themselves. Texts are
    written in the order given, which need not be the reading order.
    """
    operations = []
    for x, y, text in texts:
        escaped = (
            text.encode("cp1252")
            .replace(b"\\", b"\\\\")
            .replace(b"(", b"\\(")
            .replace(b")", b"\\)")
        )
        position = f"{x:.1f} {PAGE_HEIGHT - y:.1f}".encode()
        operations.append(b"BT /F1 10 Tf " + position + b" Td (" + escaped + b") Tj ET")
    stream = b"\n".join(operations)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>"
        ),
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n"
        + stream + b"\nendstream",
        (
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica"
            b" /Encoding /WinAnsiEncoding >>"
        ),
    ]  # fmt: skip
    output = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(output))
        output += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref_offset = len(output)
    output += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        output += f"{offset:010d} 00000 n \n".encode()
    output += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n"
        f"startxref\n{xref_offset}\n%%EOF\n"
    ).encode()
    path.write_bytes(bytes(output))
    return path


def lines_at(x: float, *texts: str, top: float = 100) -> list[tuple[float, float, str]]:
    """Return texts stacked from ``top`` down, one line every 14 points."""
    return [(x, top + 14 * index, text) for index, text in enumerate(texts)]


def read(tmp_path: Path, texts: list[tuple[float, float, str]]):
    result = read_pdf_text(write_text_pdf(tmp_path / "invoice.pdf", texts))
    assert result is not None
    return result


def test_total_ttc_with_decimal_comma(tmp_path):
    texts = lines_at(50, "Facture n° F-2024-017", "Total TTC : 27,80 €")

    result = read(tmp_path, texts)

    assert result.total_gross == Decimal("27.80")
    assert result.currency == "EUR"
    assert result.source == Source.PDF_TEXT


def test_total_with_space_thousands(tmp_path):
    texts = lines_at(50, "Facture n° F-2024-018", "Total : 1 234,56 €")

    result = read(tmp_path, texts)

    assert result.total_gross == Decimal("1234.56")


def test_labels_and_values_in_separate_columns(tmp_path):
    # The labels are written first and the values after them, in a column
    # further right, so the file's text order does not pair them.
    labels = lines_at(300, "TVA (20%)", "Total TTC", top=400)
    values = lines_at(480, "28,56 €", "171,36 €", top=400)

    result = read(tmp_path, [(50, 100, "Facture n° 2024-0042"), *labels, *values])

    assert result.total_vat == Decimal("28.56")
    assert result.total_gross == Decimal("171.36")
    assert result.total_net == Decimal("142.80")
    assert result.confidence["total_gross"] >= 0.9
    assert result.warnings == []


def test_failed_arithmetic_is_flagged_not_swapped(tmp_path):
    texts = lines_at(
        50,
        "Invoice number: 2024-77",
        "Subtotal 100.00",
        "VAT 21% 21.00",
        "Total 122.00",
    )

    result = read(tmp_path, texts)

    assert result.total_net == Decimal("100.00")
    assert result.total_vat == Decimal("21.00")
    assert result.total_gross == Decimal("122.00")
    assert result.warnings == ["net 100.00 + VAT 21.00 does not equal gross 122.00"]


def test_net_chosen_by_arithmetic_not_by_label(tmp_path):
    # "Subtotaal" here is the total including VAT; only "Exclusief BTW"
    # adds up with the VAT to the total.
    labels = lines_at(50, "Exclusief BTW", "BTW 21%", "Subtotaal", "Totaal", top=500)
    values = lines_at(200, "€ 593,36", "€ 124,61", "€ 717,97", "€ 717,97", top=500)

    result = read(tmp_path, [(50, 100, "Factuurnummer: 993548900"), *labels, *values])

    assert result.total_net == Decimal("593.36")
    assert result.total_vat == Decimal("124.61")
    assert result.total_gross == Decimal("717.97")
    assert result.confidence["total_net"] >= 0.9


def test_total_not_the_largest_number(tmp_path):
    texts = lines_at(
        50,
        "Factuurnummer: 2024-0100",
        "Kredietlimiet € 25.000,00",
        "Subtotaal € 1.000,00",
        "BTW 21% € 210,00",
        "Totaal € 1.210,00",
    )

    result = read(tmp_path, texts)

    assert result.total_gross == Decimal("1210.00")
    assert result.total_net == Decimal("1000.00")


def test_vat_rate_recorded_in_breakdown(tmp_path):
    texts = lines_at(
        50, "Factuurnummer: 2024-0101", "Subtotaal € 200,00", "BTW 9% € 18,00",
        "Totaal € 218,00",
    )  # fmt: skip

    result = read(tmp_path, texts)

    assert len(result.vat_breakdown) == 1
    assert result.vat_breakdown[0].rate == Decimal("9")
    assert result.vat_breakdown[0].base == Decimal("200.00")
    assert result.vat_breakdown[0].amount == Decimal("18.00")


def test_credit_note_by_title(tmp_path):
    texts = lines_at(50, "Creditnota", "Creditnotanummer: CN-2024-003",
                     "Totaalbedrag € -3.374,27")  # fmt: skip

    result = read(tmp_path, texts)

    assert result.document_type == DocumentType.CREDIT_NOTE
    assert result.total_gross == Decimal("3374.27")
    assert result.invoice_number == "CN-2024-003"


def test_credit_note_by_negative_totals(tmp_path):
    texts = lines_at(
        50, "Invoice number: 2024-55", "Subtotal -100.00", "VAT 21% -21.00",
        "Total -121.00",
    )  # fmt: skip

    result = read(tmp_path, texts)

    assert result.document_type == DocumentType.CREDIT_NOTE
    assert result.total_net == Decimal("100.00")
    assert result.total_vat == Decimal("21.00")
    assert result.total_gross == Decimal("121.00")


def test_positive_invoice_stays_invoice(tmp_path):
    texts = lines_at(50, "Invoice number: 2024-56", "Total 121.00 EUR")

    result = read(tmp_path, texts)

    assert result.document_type == DocumentType.INVOICE


def test_german_invoice_date_with_dots(tmp_path):
    texts = lines_at(50, "Rechnungsnummer: RE-4711", "Rechnungsdatum: 02.10.2020")

    result = read(tmp_path, texts)

    assert result.issue_date == date(2020, 10, 2)
    assert result.invoice_number == "RE-4711"


def test_iso_invoice_date(tmp_path):
    texts = lines_at(50, "Invoice number: INV-9", "Invoice date 2023-12-06")

    result = read(tmp_path, texts)

    assert result.issue_date == date(2023, 12, 6)


def test_date_order_decided_by_unambiguous_date(tmp_path):
    texts = lines_at(
        50,
        "Factuurnummer: 2018-12",
        "Factuurdatum 05/04/2018",
        "Vervaldatum 19/04/2018",
    )

    result = read(tmp_path, texts)

    assert result.issue_date == date(2018, 4, 5)
    assert result.due_date == date(2018, 4, 19)


def test_month_first_document(tmp_path):
    texts = lines_at(
        50, "Invoice number: 88", "Invoice Date: 03/05/2023", "Due Date: 04/20/2023"
    )

    result = read(tmp_path, texts)

    assert result.issue_date == date(2023, 3, 5)
    assert result.due_date == date(2023, 4, 20)


def test_value_below_its_label(tmp_path):
    texts = [
        (50, 100, "Invoice Date:"),
        (200, 100, "Due Date:"),
        (50, 114, "03/20/2023"),
        (200, 114, "04/04/2023"),
    ]

    result = read(tmp_path, texts)

    assert result.issue_date == date(2023, 3, 20)
    assert result.due_date == date(2023, 4, 4)


def test_month_names_in_four_languages(tmp_path):
    cases = [
        ("Factuurdatum: 5 april 2018", date(2018, 4, 5)),
        ("Invoice date: March 12, 2021", date(2021, 3, 12)),
        ("Rechnungsdatum: 12. März 2021", date(2021, 3, 12)),
        ("Date de facture : 3 janvier 2022", date(2022, 1, 3)),
    ]
    for index, (text, expected) in enumerate(cases):
        path = write_text_pdf(tmp_path / f"{index}.pdf", lines_at(50, text))

        result = read_pdf_text(path)

        assert result.issue_date == expected, text


def test_weak_label_gets_low_confidence(tmp_path):
    texts = lines_at(50, "Factuurnummer: 2024-1", "Datum: 01-02-2024")

    result = read(tmp_path, texts)

    assert result.issue_date == date(2024, 2, 1)
    assert result.confidence["issue_date"] < 0.5
    assert result.confidence["invoice_number"] >= 0.9


def test_supplier_identifiers(tmp_path):
    texts = lines_at(
        350,
        "Voorbeeld Handel B.V.",
        "KvK 12345678",
        "BTW-nummer NL000099998B57",
        "IBAN NL91 ABNA 0417 1643 00",
        "BIC ABNANL2A",
    )

    result = read(tmp_path, [*texts, (50, 300, "Factuurnummer: 2024-7")])

    assert result.supplier.name == "Voorbeeld Handel B.V."
    assert result.supplier.coc_number == "12345678"
    assert result.supplier.vat_number == "NL000099998B57"
    assert result.supplier.iban == "NL91ABNA0417164300"
    assert result.supplier.bic == "ABNANL2A"
    assert result.supplier.country == "NL"


def test_customer_vat_number_not_taken_for_supplier(tmp_path):
    texts = lines_at(
        50,
        "Factuurnummer: 2024-8",
        "Uw BTW-nummer: NL000099998B57",
        "BTW-nummer: DE136695976",
    )

    result = read(tmp_path, texts)

    assert result.supplier.vat_number == "DE136695976"
    assert result.customer.vat_number == "NL000099998B57"


def test_references(tmp_path):
    texts = lines_at(
        50,
        "Factuurnummer: F-2024-0311",
        "Ordernummer: PO-7781",
        "Betalingskenmerk: 1234 5678 9012 3456",
    )

    result = read(tmp_path, texts)

    assert result.invoice_number == "F-2024-0311"
    assert result.po_reference == "PO-7781"
    assert result.payment_reference == "1234567890123456"


def test_words_split_at_spaces_and_line_ends(tmp_path):
    path = write_text_pdf(
        tmp_path / "words.pdf",
        [(50, 50, "Café Müller € 12,50"), (50, 64, "Totaal  99,00")],
    )

    words = read_pdf_words(path)

    assert [word.text for word in words] == [
        "Café",
        "Müller",
        "€",
        "12,50",
        "Totaal",
        "99,00",
    ]
    assert words[0].left == pytest.approx(50, abs=1)
    assert words[4].top > words[0].bottom


def test_words_keep_control_characters(tmp_path):
    # pdfium leaves U+0002 out of the page's text but not out of its list of
    # characters, so the page is read one character at a time.
    path = write_text_pdf(tmp_path / "control.pdf", [(50, 50, "An\x02oder \x07bell")])

    words = read_pdf_words(path)

    assert [word.text for word in words] == ["An\x02oder", "\x07bell"]


def test_image_only_pdf_has_no_text_layer(tmp_path):
    path = tmp_path / "scan.pdf"
    Image.new("L", (200, 300), color=255).save(path, resolution=72)

    result = read_pdf_text(path)

    assert result is None


def test_not_a_pdf_is_rejected(tmp_path):
    path = tmp_path / "invoice.pdf"
    path.write_bytes(b"this is plain text")

    with pytest.raises(ExtractionError) as raised:
        read_pdf_text(path)

    assert raised.value.code == "not_a_pdf"


def test_empty_file_is_rejected(tmp_path):
    path = tmp_path / "invoice.pdf"
    path.write_bytes(b"")

    with pytest.raises(ExtractionError) as raised:
        read_pdf_text(path)

    assert raised.value.code == "empty_file"
