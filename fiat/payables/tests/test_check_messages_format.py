"""Amounts and IBAN reasons in check messages, in the reader's language."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from fiat.payables.check_messages import describe, format_money, iban_reason
from fiat.payables.findings import CheckCode, Severity
from fiat.payables.models import InvoiceCheck, MatchTolerance
from fiat.payables.orders import OrderInput, OrderLineInput, create_purchase_order
from fiat.payables.tests.factories import make_invoice

pytestmark = pytest.mark.django_db


@pytest.fixture
def overrun(supplier) -> InvoiceCheck:
    """An invoice of 3064.00 EUR net against order PO-88 of 2944.00 EUR."""
    tolerance = MatchTolerance.current()
    tolerance.percentage = Decimal("2.00")
    tolerance.amount = Decimal("15.00")
    tolerance.save()
    create_purchase_order(
        OrderInput("PO-88", supplier, date(2026, 2, 1), "EUR",
                   lines=[OrderLineInput("Drukwerk", Decimal("1"),
                                         Decimal("2944.00"))]),
        actor=None,
    )  # fmt: skip
    invoice = make_invoice(
        po_reference="PO-88",
        total_net=Decimal("3064.00"),
        total_vat=Decimal("643.44"),
        total_gross=Decimal("3707.44"),
        vat_breakdown=[],
        lines=[],
    )
    return invoice.checks.get(code="po_over_tolerance")


def test_order_overrun_in_english(overrun):
    with translation.override("en"):
        message = describe(overrun)

    assert message == (
        "Exceeds purchase order PO-88: EUR 3,064.00 excluding VAT against "
        "EUR 2,944.00 open, which is EUR 120.00 more than the order allows "
        "with a tolerance of EUR 15.00."
    )


def test_order_overrun_in_dutch(overrun):
    with translation.override("nl"):
        message = describe(overrun)

    assert message == (
        "Overschrijdt inkooporder PO-88: EUR 3.064,00 exclusief btw tegenover "
        "EUR 2.944,00 open, dat is EUR 120,00 meer dan de order toestaat met "
        "een tolerantie van EUR 15,00."
    )


@pytest.mark.parametrize(
    ("language", "expected"),
    [("nl", "EUR 2.944,00"), ("en", "EUR 2,944.00")],
)
def test_money_uses_language_number_format(language, expected):
    with translation.override(language):
        text = format_money("2944.00", "EUR")

    assert text == expected


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("-120.5", "EUR", "EUR -120,50"),
        ("0.005", "EUR", "EUR 0,005"),
        ("1500", "JPY", "JPY 1.500"),
        ("12.345", "KWD", "KWD 12,345"),
    ],
)
def test_money_keeps_currency_decimals(amount, currency, expected):
    with translation.override("nl"):
        text = format_money(amount, currency)

    assert text == expected


@pytest.mark.parametrize("text", ["—", "", "twelve"])
def test_money_leaves_non_numbers_alone(text):
    with translation.override("nl"):
        formatted = format_money(text, "EUR")

    assert formatted == text


def test_invalid_iban_checksum_in_dutch(supplier):
    invoice = make_invoice(supplier={"iban": "NL91ABNA0417164301"})
    check = invoice.checks.get(code="invalid_iban")

    with translation.override("nl"):
        message = describe(check)

    assert message == (
        "IBAN NL91ABNA0417164301 is ongeldig: De controlecijfers passen niet "
        "bij het nummer. Verbeter het vanuit het document."
    )


def test_invalid_iban_checksum_in_english(supplier):
    invoice = make_invoice(supplier={"iban": "NL91ABNA0417164301"})
    check = invoice.checks.get(code="invalid_iban")

    with translation.override("en"):
        message = describe(check)

    assert message == (
        "IBAN NL91ABNA0417164301 is not valid: The check digits do not match "
        "the number. Correct it from the document."
    )


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        ("Invalid checksum digits.", "De controlecijfers passen niet bij het nummer."),
        ("Invalid IBAN length.", "Het heeft niet de juiste lengte voor het land."),
        ("Unknown country-code 'XX'.", "Het begint niet met een bekende landcode."),
        (
            "Bank code exceeds maximum size 4.",
            "De bankcode is te lang voor het land.",
        ),
    ],
)
def test_iban_reason_in_dutch(reason, expected):
    with translation.override("nl"):
        translated = iban_reason(reason)

    assert translated == expected


def test_unknown_iban_reason_kept():
    with translation.override("nl"):
        translated = iban_reason("Something new went wrong.")

    assert translated == "Something new went wrong."


def test_missing_ledger_account_asks_for_coding(supplier):
    check = InvoiceCheck.objects.create(
        invoice=make_invoice(),
        code=CheckCode.MISSING_FIELD,
        severity=Severity.BLOCKING,
        field="ledger_account",
    )

    with translation.override("en"):
        message = describe(check)

    assert message.endswith("is missing. Choose it under Coding.")


def test_missing_invoice_number_points_at_document(supplier):
    check = InvoiceCheck.objects.create(
        invoice=make_invoice(),
        code=CheckCode.MISSING_FIELD,
        severity=Severity.BLOCKING,
        field="invoice_number",
    )

    with translation.override("nl"):
        message = describe(check)

    assert message.endswith("ontbreekt. Vul het in vanuit het document.")
