"""Supplier and customer distinguished on PDFs written by the tests."""

from fiat.documents.extraction.pdftext import read_pdf_text
from fiat.documents.tests.test_pdftext import lines_at, read, write_text_pdf

FOOTER_TOP = 780


def test_sender_line_names_supplier_and_addressee(tmp_path):
    texts = [
        *lines_at(
            50,
            "Drukkerij Zuid · Markt 1 · 5611 AB Eindhoven",
            "Vos & Partners B.V.",
            "Keizersgracht 100",
            "1015 AA Amsterdam",
            top=150,
        ),
        (350, 150, "Factuurnummer: 2024-9"),
    ]

    result = read(tmp_path, texts)

    assert result.supplier.name == "Drukkerij Zuid"
    assert result.customer.name == "Vos & Partners B.V."


def test_footer_names_supplier_without_legal_form(tmp_path):
    texts = [
        *lines_at(50, "Vos & Partners B.V.", "Keizersgracht 100", "1015 AA Amsterdam"),
        (350, 100, "Factuurnummer: 2024-11"),
        (
            50,
            FOOTER_TOP,
            "Schoonmaakbedrijf Helder · KvK 12345678 · IBAN NL91 ABNA 0417 1643 00",
        ),
    ]

    result = read(tmp_path, texts)

    assert result.supplier.name == "Schoonmaakbedrijf Helder"
    assert result.supplier.coc_number == "12345678"
    assert result.supplier.iban == "NL91ABNA0417164300"


def test_account_holder_names_supplier(tmp_path):
    texts = lines_at(
        50,
        "Factuurnummer: 2024-12",
        "Graag betalen op NL91 ABNA 0417 1643 00 ten name van Boekhandel Lezen, onder",
        "vermelding van het factuurnummer.",
    )

    result = read(tmp_path, texts)

    assert result.supplier.name == "Boekhandel Lezen"


def test_identifiers_in_billing_block_are_customers(tmp_path):
    texts = [
        *lines_at(
            50,
            "Factuuradres",
            "Klant B.V.",
            "Dorpsstraat 1",
            "1234 AB Ergens",
            "NL000099998B57",
        ),
        (350, 100, "Factuurnummer: 2024-13"),
        (50, FOOTER_TOP, "Leverancier B.V. · KvK 12345678 · Btw-nummer DE136695976"),
    ]

    result = read(tmp_path, texts)

    assert result.customer.name == "Klant B.V."
    assert result.customer.vat_number == "NL000099998B57"
    assert result.supplier.vat_number == "DE136695976"
    assert result.supplier.name == "Leverancier B.V."


def test_own_identifiers_never_taken_for_supplier(tmp_path):
    texts = lines_at(
        50,
        "Factuurnummer: 2024-14",
        "Vos & Partners B.V.",
        "NL000099998B57",
        "Handel Oost B.V.",
        "DE136695976",
    )
    path = write_text_pdf(tmp_path / "invoice.pdf", texts)
    own = frozenset({"NL000099998B57", "Vos & Partners"})

    result = read_pdf_text(path, own_identifiers=own)

    assert result.supplier.vat_number == "DE136695976"
    assert result.supplier.name == "Handel Oost B.V."
    assert result.customer.vat_number == "NL000099998B57"
    assert result.customer.name == "Vos & Partners B.V."


def test_vat_number_with_letter_o_for_zero(tmp_path):
    texts = lines_at(50, "Factuurnummer: 2024-15", "BTW-nummer: NLO00099998B57")

    result = read(tmp_path, texts)

    assert result.supplier.vat_number == "NL000099998B57"


def test_letterhead_above_addressee(tmp_path):
    texts = [
        *lines_at(50, "Azure Interior", "4557 De Silva St", "Fremont CA 94538", top=40),
        *lines_at(350, "Global Wholesale", "215 Vine St", "Scranton PA 18503", top=140),
        (50, 260, "Invoice number: INV/2023/03/0008"),
    ]

    result = read(tmp_path, texts)

    assert result.supplier.name == "Azure Interior"
    assert result.customer.name == "Global Wholesale"
