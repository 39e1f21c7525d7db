"""Booking released sales invoices: debtors, revenue, output VAT, once."""

from decimal import Decimal

import pytest

from fiat.core.exchange import MissingExchangeRateError
from fiat.ledger.models import Account, JournalEntry
from fiat.receivables.booking import SOURCE_KIND, book_sales_invoice
from fiat.receivables.drafting import LineData
from fiat.receivables.release import release_invoice
from fiat.receivables.tests.einvoices import CASES, dutch_customer, make_company
from fiat.receivables.tests.factories import make_draft, make_product

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _company(db):
    make_company()


def _entry(invoice) -> JournalEntry:
    return JournalEntry.objects.get(source_kind=SOURCE_KIND, source_id=str(invoice.pk))


def _lines(invoice) -> list[tuple[str, str, str]]:
    """Return (account, debit, credit) of each line of the invoice's entry."""
    return [
        (line.account.code, format(line.debit, "f"), format(line.credit, "f"))
        for line in _entry(invoice).lines.select_related("account").order_by("position")
    ]


def test_several_rates_book_revenue_and_vat_per_rate():
    invoice = CASES["several_rates_with_discount"]()

    lines = _lines(invoice)

    assert lines == [
        ("1300", "298.50", "0.00"),
        ("8000", "0.00", "171.00"),
        ("8100", "0.00", "74.85"),
        ("8200", "0.00", "10.00"),
        ("1500", "0.00", "35.91"),
        ("1510", "0.00", "6.74"),
    ]
    assert invoice.journal_entry == _entry(invoice).number


def test_debtor_line_names_customer():
    invoice = CASES["several_rates_with_discount"]()

    debtor = _entry(invoice).lines.get(account__code="1300")

    assert debtor.party == invoice.customer


def test_gross_price_rounding_is_booked():
    invoice = CASES["gross_price"]()

    assert _lines(invoice) == [
        ("1300", "79.20", "0.00"),
        ("8100", "0.00", "66.55"),
        ("1500", "0.00", "12.64"),
        ("4930", "0.00", "0.01"),
    ]


def test_freight_is_revenue():
    invoice = CASES["freight"]()

    assert _lines(invoice) == [
        ("1300", "168.10", "0.00"),
        ("8100", "0.00", "135.27"),
        ("8100", "0.00", "5.99"),
        ("1500", "0.00", "26.84"),
    ]


def test_credit_note_books_other_side():
    credit_note = CASES["credit_note"]()

    assert _lines(credit_note) == [
        ("1300", "0.00", "17.85"),
        ("8100", "15.00", "0.00"),
        ("1500", "2.85", "0.00"),
    ]


def test_corrective_invoice_books_other_side():
    corrective = CASES["corrective_invoice"]()

    assert _lines(corrective) == [
        ("1300", "0.00", "17.85"),
        ("8100", "15.00", "0.00"),
        ("1500", "2.85", "0.00"),
    ]


def test_reverse_charge_books_no_vat():
    invoice = CASES["reverse_charge"]()

    assert _lines(invoice) == [("1300", "960.00", "0.00"), ("8300", "0.00", "960.00")]


def test_dollar_invoice_books_euros():
    invoice = CASES["export_in_dollars"]()

    entry = _entry(invoice)
    revenue = entry.lines.get(account__code="8400")
    assert _lines(invoice) == [("1300", "1380.00", "0.00"), ("8400", "0.00", "1380.00")]
    assert revenue.original_currency == "USD"
    assert revenue.original_amount == Decimal("1500.00")


def test_product_revenue_account_wins():
    services = Account.objects.create(
        code="8010", name="Omzet advies", name_en="Consulting revenue",
        account_type="revenue",
    )  # fmt: skip
    product = make_product(revenue_account=services)
    draft = make_draft(dutch_customer(), LineData(product=product, quantity=Decimal(2)))

    invoice = release_invoice(draft, None)

    assert _lines(invoice)[1] == ("8010", "0.00", "190.00")


def test_invoice_is_booked_once():
    invoice = CASES["freight"]()

    again = book_sales_invoice(invoice, actor=None)

    assert again.created is False
    assert again.external_id == invoice.journal_entry
    assert JournalEntry.objects.filter(source_kind=SOURCE_KIND).count() == 1


def test_failed_booking_undoes_release():
    draft = make_draft(dutch_customer(), currency="CHF")

    with pytest.raises(MissingExchangeRateError):
        release_invoice(draft, None)

    draft.refresh_from_db()
    assert draft.status == "draft"
    assert draft.number == ""
    assert release_invoice(make_draft(dutch_customer()), None).number.endswith("-00001")
