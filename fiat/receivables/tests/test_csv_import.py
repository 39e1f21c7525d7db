"""Sales invoices from a CSV file, through the function and the command."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from fiat.receivables.csv_import import InvalidCsvError, import_sales_invoices
from fiat.receivables.models import SalesInvoice
from fiat.receivables.release import release_invoice
from fiat.receivables.tests.einvoices import dutch_customer
from fiat.receivables.tests.factories import make_draft

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sales_policy")]

HEADER = "Reference;Customer_name;Customer_VAT_number;Description;Quantity;"
CSV = (
    HEADER
    + """Unit_price;VAT_rate
ORD-1;Bakkerij Visser B.V.;NL000099998B57;Advies;2;95,00;21
ORD-1;Bakkerij Visser B.V.;NL000099998B57;Handboek;3;24,95;9
ORD-2;Bakkerij Visser B.V.;NL000099998B57;Licentie;1;1.250,00;21
"""
)


@pytest.fixture
def known_customer(db):
    customer = dutch_customer()
    release_invoice(make_draft(customer, issue_date=date(2026, 1, 5)), None)
    return customer


def test_rows_grouped_by_reference(known_customer):
    results = import_sales_invoices(CSV)

    first = SalesInvoice.objects.get(order_reference="ORD-1")
    second = SalesInvoice.objects.get(order_reference="ORD-2")
    assert [r.line_numbers for r in results] == [[2, 3], [4]]
    assert [line.description for line in first.lines.all()] == ["Advies", "Handboek"]
    assert str(first.total_net_amount) == "264.85"
    assert str(second.total_net_amount) == "1250.00"
    assert first.customer == known_customer


def test_second_import_creates_nothing(known_customer):
    import_sales_invoices(CSV)

    results = import_sales_invoices(CSV)

    assert [result.duplicate for result in results] == [True, True]
    assert SalesInvoice.objects.filter(order_reference__startswith="ORD-").count() == 2


def test_wrong_row_skips_only_its_invoice(known_customer):
    text = CSV.replace("Handboek;3;24,95", "Handboek;drie;24,95")

    results = import_sales_invoices(text)

    assert results[0].invoice is None
    assert results[0].problems[0].startswith("line 3, quantity:")
    assert results[1].invoice.order_reference == "ORD-2"


def test_missing_column_rejected():
    with pytest.raises(InvalidCsvError, match="customer_name"):
        import_sales_invoices("reference,description\nORD-1,Advies\n")


def test_command_reports_each_invoice(known_customer, tmp_path):
    path = tmp_path / "facturen.csv"
    path.write_text(CSV, encoding="utf-8")
    output = StringIO()

    call_command("import_sales_invoices", str(path), stdout=output)

    lines = output.getvalue().splitlines()
    numbers = [
        SalesInvoice.objects.get(order_reference=ref).number
        for ref in ("ORD-1", "ORD-2")
    ]
    assert lines == [f"ORD-1: {numbers[0]} released", f"ORD-2: {numbers[1]} released"]


def test_command_fails_on_wrong_invoice(known_customer, tmp_path):
    path = tmp_path / "facturen.csv"
    path.write_text(CSV.replace(";95,00;", ";;"), encoding="utf-8")
    output = StringIO()

    with pytest.raises(CommandError, match="Some invoices were not imported"):
        call_command("import_sales_invoices", str(path), stdout=output)
    assert output.getvalue().startswith(
        "ORD-1 (lines 2, 3): not imported: lines[0].unit_price is missing."
    )
