"""Importing purchase orders from CSV: every wrong row named, idempotent."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from fiat.payables.matching import order_total
from fiat.payables.models import PurchaseOrder
from fiat.payables.order_import import import_purchase_orders

pytestmark = pytest.mark.django_db

HEADER = (
    "order_number,supplier_vat_number,order_date,currency,description,"
    "line_description,quantity,unit_price\n"
)
TWO_ORDERS = HEADER + (
    "PO-1,NL000099998B57,2026-03-01,EUR,Spring campaign,Flyers A5,2000,0.40\n"
    "PO-1,NL000099998B57,2026-03-01,EUR,Spring campaign,Posters A2,50,4.00\n"
    'PO-2,nl 0000 99998 b57,02-03-2026,,,Business cards,500,"0,12"\n'
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_orders_and_lines_imported(supplier):
    report = import_purchase_orders(TWO_ORDERS.encode(), actor=None)

    assert report.errors == []
    assert report.created == ["PO-1", "PO-2"]
    first = PurchaseOrder.objects.get(number="PO-1")
    assert first.supplier == supplier
    assert first.order_date == date(2026, 3, 1)
    assert first.description == "Spring campaign"
    assert [line.description for line in first.lines.all()] == [
        "Flyers A5",
        "Posters A2",
    ]
    assert order_total(first) == Decimal("1000.00")
    second = PurchaseOrder.objects.get(number="PO-2")
    assert second.order_date == date(2026, 3, 2)
    assert second.currency == "EUR"
    assert order_total(second) == Decimal("60.00")


def test_importing_twice_creates_nothing_new(supplier):
    import_purchase_orders(TWO_ORDERS.encode(), actor=None)

    report = import_purchase_orders(TWO_ORDERS.encode(), actor=None)

    assert report.created == []
    assert report.existing == ["PO-1", "PO-2"]
    assert PurchaseOrder.objects.count() == 2


def test_semicolons_and_dutch_amounts_read(supplier):
    content = (
        "order_number;supplier_vat_number;order_date;line_description;quantity;"
        "unit_price\n"
        "PO-3;NL000099998B57;2026-03-05;Drukwerk;1;1.234,56\n"
    )

    report = import_purchase_orders(content.encode("cp1252"), actor=None)

    assert report.errors == []
    assert order_total(PurchaseOrder.objects.get()) == Decimal("1234.56")


def test_every_bad_row_reported_and_nothing_imported(supplier):
    content = HEADER + (
        "PO-1,NL000099998B57,2026-03-01,EUR,,Flyers,1,10.00\n"
        "PO-2,NL000099998B57,31-02-2026,EUR,,Flyers,1,10.00\n"
        "PO-3,NL999999999B99,2026-03-01,EUR,,Flyers,1,10.00\n"
        "PO-4,NL000099998B57,2026-03-01,EURO,,Flyers,1,10.00\n"
        "PO-5,NL000099998B57,2026-03-01,EUR,,Flyers,0,10.00\n"
        "PO-6,NL000099998B57,2026-03-01,EUR,,Flyers,1,ten\n"
        ",NL000099998B57,2026-03-01,EUR,,Flyers,1,10.00\n"
    )

    report = import_purchase_orders(content.encode(), actor=None)

    assert [error.line for error in report.errors] == [8, 3, 4, 5, 6, 7]
    messages = {error.line: str(error) for error in report.errors}
    assert messages[3] == (
        "Line 3: order_date '31-02-2026' is not a date; write it as 2026-03-31."
    )
    assert messages[4].startswith("Line 4: 'NL999999999B99' is not a valid VAT number")
    assert messages[5] == (
        "Line 5: currency 'EURO' is not an ISO 4217 code such as EUR."
    )
    assert messages[6] == "Line 6: quantity is 0."
    assert messages[7].startswith("Line 7: unit_price: Invalid amount 'ten'")
    assert messages[8] == "Line 8: order_number is empty."
    assert report.created == []
    assert PurchaseOrder.objects.count() == 0


def test_unknown_supplier_reported(supplier):
    content = HEADER.replace("supplier_vat_number", "supplier_name") + (
        "PO-1,Onbekend B.V.,2026-03-01,EUR,,Flyers,1,10.00\n"
    )

    report = import_purchase_orders(content.encode(), actor=None)

    assert [str(error) for error in report.errors] == [
        (
            "Line 2: no supplier has VAT number, KvK number or name Onbekend "
            "B.V.; add the supplier first."
        )
    ]


def test_rows_of_one_order_must_agree(supplier):
    content = HEADER + (
        "PO-1,NL000099998B57,2026-03-01,EUR,,Flyers,1,10.00\n"
        "PO-1,NL000099998B57,2026-03-02,EUR,,Posters,1,10.00\n"
    )

    report = import_purchase_orders(content.encode(), actor=None)

    assert [str(error) for error in report.errors] == [
        "Line 3: order_date differs from line 2 of order PO-1."
    ]


def test_missing_columns_reported_on_line_one(supplier):
    content = "order_number,order_date\nPO-1,2026-03-01\n"

    report = import_purchase_orders(content.encode(), actor=None)

    assert [str(error) for error in report.errors] == [
        (
            "Line 1: the header lacks the columns line_description, quantity, "
            "unit_price, supplier_vat_number or supplier_coc_number or "
            "supplier_name."
        )
    ]


def test_command_imports_file(supplier, tmp_path, capsys):
    path = tmp_path / "orders.csv"
    path.write_text(TWO_ORDERS)

    call_command("import_purchase_orders", str(path))

    assert capsys.readouterr().out == (
        "2 purchase orders imported, 0 existed already.\n"
    )
    assert PurchaseOrder.objects.count() == 2


def test_command_fails_on_bad_rows(supplier, tmp_path, capsys):
    path = tmp_path / "orders.csv"
    path.write_text(HEADER + "PO-1,NL000099998B57,2026-03-01,EUR,,Flyers,0,1\n")

    with pytest.raises(
        CommandError, match="Nothing was imported because of the 1 errors above"
    ):
        call_command("import_purchase_orders", str(path))

    assert capsys.readouterr().err == f"{path}: Line 2: quantity is 0.\n"
    assert PurchaseOrder.objects.count() == 0


def test_command_reports_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_purchase_orders", str(tmp_path / "missing.csv"))
