"""Text-layer layouts of German and French e-invoice renderings and of receipts.

Each case is a layout that the ZUGFeRD and Factur-X sample PDFs print, built
here as a small PDF so the test shows the rule it checks.
"""

from datetime import date
from decimal import Decimal

from fiat.documents.tests.test_pdftext import lines_at, read


def test_compound_invoice_number_label(tmp_path):
    texts = lines_at(50, "Handelsrechnung (380) Nr. 471102 vom 05.06.2018")

    result = read(tmp_path, texts)

    assert result.invoice_number == "471102"
    assert result.issue_date == date(2018, 6, 5)


def test_correction_number_beats_weak_date(tmp_path):
    texts = [
        (50, 80, "Datum"),
        (150, 80, "05.08.2018"),
        (50, 120, "Rechnungskorrektur Nr. RK21012345 vom 16.09.2018"),
    ]

    result = read(tmp_path, texts)

    assert result.invoice_number == "RK21012345"
    assert result.issue_date == date(2018, 9, 16)


def test_beleg_labels(tmp_path):
    texts = [
        (300, 80, "Beleg-Nr"),
        (380, 80, ": R87654321012345"),
        (300, 94, "Beleg-Datum"),
        (380, 94, ": 06.08.2013"),
        (300, 108, "Leistungs-Datum"),
        (380, 108, ": 05.08.2013"),
    ]

    result = read(tmp_path, texts)

    assert result.invoice_number == "R87654321012345"
    assert result.issue_date == date(2013, 8, 6)


def test_invoice_sum_net_and_gross(tmp_path):
    texts = [
        (50, 300, "Rechnungssumme Netto (excl. USt.)"),
        (400, 300, "473,00"),
        (50, 314, "Steuerbasisbetrag USt. 7%"),
        (300, 314, "275,00"),
        (400, 314, "19,25"),
        (50, 328, "Steuerbasisbetrag USt. 19%"),
        (300, 328, "198,00"),
        (400, 328, "37,62"),
        (50, 342, "Rechnungssumme Brutto (inkl. USt.)"),
        (400, 342, "529,87"),
    ]

    result = read(tmp_path, texts)

    assert result.total_net == Decimal("473.00")
    assert result.total_vat == Decimal("56.87")
    assert result.total_gross == Decimal("529.87")


def test_due_date_in_payment_terms(tmp_path):
    texts = lines_at(
        50,
        "Rechnungsdatum 05.03.2013",
        "Zahlbar innerhalb 30 Tagen netto bis 04.04.2013, 3% Skonto innerhalb",
        "10 Tagen bis 15.03.2013",
    )

    result = read(tmp_path, texts)

    assert result.due_date == date(2013, 4, 4)


def test_due_date_remit_until(tmp_path):
    texts = lines_at(50, "Invoice date 2019-06-10", "Please remit until 2019-07-01.")

    result = read(tmp_path, texts)

    assert result.due_date == date(2019, 7, 1)


def test_totals_table_sum_row(tmp_path):
    header = ["Warenwert", "Nettobetrag", "MwSt-Betrag", "MwSt-%", "Endbetrag"]
    rows = [
        ["326,50", "321,40", "61,07", "19,0", "382,47"],
        ["130,70", "127,59", "8,93", "7,0", "136,52"],
        ["457,20", "448,99", "70,00", "EUR", "518,99"],
    ]
    columns = [50, 150, 250, 350, 450]
    texts = [(x, 500, text) for x, text in zip(columns, header, strict=True)]
    for index, row in enumerate(rows):
        top = 512 + 12 * index + (8 if index == 2 else 0)
        texts += [(x, top, text) for x, text in zip(columns, row, strict=True)]

    result = read(tmp_path, texts)

    assert result.total_net == Decimal("448.99")
    assert result.total_vat == Decimal("70.00")
    assert result.total_gross == Decimal("518.99")


def test_currency_printed_apart(tmp_path):
    texts = lines_at(
        50, "Rechnungsnummer 471102", "Währung: EUR", "Gesamtbetrag 235,62"
    )

    result = read(tmp_path, texts)

    assert result.currency == "EUR"


def test_times_do_not_set_decimal_mark(tmp_path):
    texts = lines_at(
        50,
        "Mo.-Fr. 08.30 - 12.30 Uhr",
        "Mo.-Fr. 14.00 - 17.00 Uhr",
        "Sa 8.00-14.00 Uhr",
        "Beitrag 50,00 €",
        "Versicherungsteuer 19 % 9,50 €",
        "Rechnungsbeitrag 59,50 €",
    )

    result = read(tmp_path, texts)

    assert result.total_vat == Decimal("9.50")
    assert result.total_gross == Decimal("59.50")
    assert result.total_net == Decimal("50.00")


def test_allowance_sum_not_gross(tmp_path):
    texts = [
        (50, 300, "Gesamtbetrag der Zuschläge"),
        (400, 300, "3,00"),
        (50, 314, "Rechnungssumme ohne USt."),
        (400, 314, "448,99"),
        (50, 328, "Steuerbetrag"),
        (400, 328, "70,00"),
        (50, 342, "Bruttosumme"),
        (400, 342, "518,99"),
    ]

    result = read(tmp_path, texts)

    assert result.total_gross == Decimal("518.99")
    assert result.total_net == Decimal("448.99")


def test_vat_number_failing_check_kept(tmp_path):
    texts = lines_at(50, "Lieferant GmbH", "USt.-Id.-Nr. : DE123456789")

    result = read(tmp_path, texts)

    assert result.supplier.vat_number == "DE123456789"
    assert result.confidence["supplier.vat_number"] == 0.3


def test_customer_vat_label_after_number_sign(tmp_path):
    texts = lines_at(
        50,
        "TVA : FR11999999998 - SIRET : 99999999800010",
        "N° TVA client FR19787878784",
    )

    result = read(tmp_path, texts)

    assert result.supplier.vat_number == "FR11999999998"
    assert result.customer.vat_number == "FR19787878784"


def test_credit_note_number(tmp_path):
    texts = lines_at(
        50,
        "Avoir AV-2017-0005",
        "Date de facture 16/11/2017",
        "Facture liée FA-2017-0010",
    )

    result = read(tmp_path, texts)

    assert result.invoice_number == "AV-2017-0005"


def test_booking_id_as_reference(tmp_path):
    texts = [
        (50, 80, "PAYMENT RECEIPT"),
        (50, 120, "Booking ID"),
        (50, 134, "IBZY2087"),
        (50, 160, "Grand Total Rs 1939"),
    ]

    result = read(tmp_path, texts)

    assert result.invoice_number == "IBZY2087"
