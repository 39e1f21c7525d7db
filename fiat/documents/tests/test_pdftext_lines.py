"""Invoice lines, VAT rows, amount due and payment references, on PDFs written
by the tests."""

from decimal import Decimal

from fiat.documents.tests.test_pdftext import lines_at, read

COLUMNS = (50, 300, 360, 430, 490)


def table_row(top: float, *cells: str) -> list[tuple[float, float, str]]:
    """Return one table row: each cell at the left of its column."""
    return [(x, top, text) for x, text in zip(COLUMNS, cells, strict=False) if text]


def totals_block(top: float, *rows: tuple[str, str]) -> list[tuple[float, float, str]]:
    texts = []
    for index, (label, amount) in enumerate(rows):
        texts += [(300, top + 14 * index, label), (490, top + 14 * index, amount)]
    return texts


def test_line_table_rows(tmp_path):
    texts = [
        (50, 80, "Factuurnummer: 2024-20"),
        *table_row(200, "Omschrijving", "Aantal", "Prijs", "Btw", "Bedrag"),
        *table_row(220, "Bureaustoel, zwart", "6", "€ 309,00", "21%", "€ 1.854,00"),
        *table_row(234, "Zit-sta bureau", "2", "€ 545,00", "21%", "€ 1.090,00"),
        *totals_block(270, ("Subtotaal", "€ 2.944,00"), ("Btw 21%", "€ 618,24"),
                      ("Totaal", "€ 3.562,24")),
    ]  # fmt: skip

    result = read(tmp_path, texts)

    assert [line.description for line in result.lines] == [
        "Bureaustoel, zwart",
        "Zit-sta bureau",
    ]
    assert [line.quantity for line in result.lines] == [Decimal(6), Decimal(2)]
    assert [line.unit_price for line in result.lines] == [
        Decimal("309.00"),
        Decimal("545.00"),
    ]
    assert [line.net_amount for line in result.lines] == [
        Decimal("1854.00"),
        Decimal("1090.00"),
    ]
    assert [line.vat_rate for line in result.lines] == [Decimal(21), Decimal(21)]
    assert result.warnings == []


def test_wrapped_description_is_merged(tmp_path):
    texts = [
        (50, 80, "Invoice number: INV-21"),
        *table_row(200, "Description", "Qty", "Unit price", "VAT", "Amount"),
        *table_row(220, "Managed Kubernetes cluster,", "1", "€840.00", "0%", "€840.00"),
        (50, 232, "3 nodes, February 2025"),
        *totals_block(270, ("Subtotal", "€840.00"), ("Total", "€840.00")),
    ]

    result = read(tmp_path, texts)

    assert len(result.lines) == 1
    assert result.lines[0].description == (
        "Managed Kubernetes cluster, 3 nodes, February 2025"
    )


def test_lines_that_miss_the_net_total_warn(tmp_path):
    texts = [
        (50, 80, "Factuurnummer: 2024-22"),
        *table_row(200, "Omschrijving", "Aantal", "Prijs", "Btw", "Bedrag"),
        *table_row(220, "Flyers A5", "1", "€ 489,00", "21%", "€ 489,00"),
        *totals_block(260, ("Subtotaal", "€ 500,00"), ("Btw 21%", "€ 105,00"),
                      ("Totaal", "€ 605,00")),
    ]  # fmt: skip

    result = read(tmp_path, texts)

    assert len(result.lines) == 1
    assert result.warnings == [
        "invoice lines add up to 489.00, not to the net total 500.00"
    ]


def test_credit_note_lines_are_positive(tmp_path):
    texts = [
        (50, 80, "Creditnota"),
        (50, 94, "Creditnotanummer: CN2024-0021"),
        *table_row(200, "Omschrijving", "Aantal", "Prijs", "Btw", "Bedrag"),
        *table_row(220, "Creditering flyers", "1", "€ 489,00", "21%", "€ -489,00"),
        *totals_block(260, ("Subtotaal", "€ -489,00"), ("Btw 21%", "€ -102,69"),
                      ("Totaal", "€ -591,69")),
    ]  # fmt: skip

    result = read(tmp_path, texts)

    assert result.lines[0].net_amount == Decimal("489.00")
    assert result.total_gross == Decimal("591.69")
    assert result.amount_due == Decimal("591.69")


def test_reverse_charge_breakdown(tmp_path):
    texts = [
        (50, 80, "Invoice number: INV-23"),
        *totals_block(200, ("Subtotal", "€1,432.00"), ("VAT reverse charged", "€0.00"),
                      ("Total", "€1,432.00")),
    ]  # fmt: skip

    result = read(tmp_path, texts)

    assert result.total_vat == Decimal("0.00")
    assert len(result.vat_breakdown) == 1
    assert result.vat_breakdown[0].rate == Decimal(0)
    assert result.vat_breakdown[0].base == Decimal("1432.00")
    assert result.vat_breakdown[0].amount == Decimal("0.00")
    assert result.vat_breakdown[0].category == "AE"


def test_vat_base_is_not_a_vat_total(tmp_path):
    # The 21% row's amount is unreadable, as on a poor scan.
    texts = [
        (50, 80, "Factuurnummer: BL2025-0781"),
        *totals_block(200, ("Subtotaal", "€ 258,85"), ("Btw 21% over € 34,90", "?"),
                      ("Btw 9% over € 223,95", "€ 20,16"), ("Totaal", "€ 286,34")),
    ]  # fmt: skip

    result = read(tmp_path, texts)

    assert result.total_vat == Decimal("27.49")
    assert result.total_net == Decimal("258.85")
    assert [row.amount for row in result.vat_breakdown] == [
        Decimal("7.33"),
        Decimal("20.16"),
    ]
    assert [row.base for row in result.vat_breakdown] == [
        Decimal("34.90"),
        Decimal("223.95"),
    ]


def test_amount_due_label(tmp_path):
    texts = [
        (50, 80, "Factuurnummer: 2024-24"),
        *totals_block(200, ("Subtotaal", "€ 100,00"), ("Btw 21%", "€ 21,00"),
                      ("Totaal", "€ 121,00"), ("Te betalen", "€ 100,00")),
    ]  # fmt: skip

    result = read(tmp_path, texts)

    assert result.total_gross == Decimal("121.00")
    assert result.amount_due == Decimal("100.00")


def test_amount_due_is_gross_without_label(tmp_path):
    texts = lines_at(50, "Invoice number: 2024-25", "Total 121.00 EUR")

    result = read(tmp_path, texts)

    assert result.amount_due == Decimal("121.00")


def test_payment_reference_wrapped_to_next_line(tmp_path):
    texts = lines_at(
        50,
        "Factuurnummer: F2025-0437",
        "Wij verzoeken u het bedrag over te maken onder vermelding van kenmerk",
        "F2025-0437.",
    )

    result = read(tmp_path, texts)

    assert result.payment_reference == "F2025-0437"


def test_creditor_reference_in_groups(tmp_path):
    texts = lines_at(
        50, "Invoice number: INV-2025-10457", "Payment reference: RF39 CW20 2510 457"
    )

    result = read(tmp_path, texts)

    assert result.payment_reference == "RF39CW202510457"
