"""Booking approved purchase invoices: the entry of each kind of invoice."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from fiat.audit.models import AuditEvent
from fiat.core.exchange import MissingExchangeRateError
from fiat.core.models import CostCentre, ExchangeRate, Project, Role
from fiat.documents.extraction.result import (
    DocumentType,
    LineFields,
    VatBreakdownFields,
)
from fiat.ledger.connectors import LedgerReceipt
from fiat.ledger.models import EntryPurpose, JournalEntry, VatCode
from fiat.ledger.posting import ApprovalRecord, EntryDraft
from fiat.payables.booking import (
    SOURCE_KIND,
    BookingError,
    book_purchase_invoice,
    build_purchase_entry,
)
from fiat.payables.models import InvoiceStatus, PurchaseInvoice
from fiat.payables.tests.booked import approved_invoice
from fiat.payables.tests.factories import make_invoice, make_user
from fiat.payables.workflow import InvalidTransitionError

pytestmark = pytest.mark.django_db

D = Decimal
TRAIL = [
    {
        "step": 1,
        "approver": "Daan Jansen",
        "on_behalf_of": "",
        "decision": "approved",
        "decided_at": "2026-03-03T09:15:00+00:00",
        "comment": "",
    }
]


class ExternalLedger:
    """A connector that books elsewhere, as an accounting package's would."""

    def book(self, draft: EntryDraft, *, actor) -> LedgerReceipt:
        return LedgerReceipt(external_id=f"EXT-{draft.source_id}")

    def reverse(self, external_id, *, actor, reason) -> LedgerReceipt:
        return LedgerReceipt(external_id=f"{external_id}-R")

    def find_booking(self, source_kind, source_id) -> LedgerReceipt | None:
        return LedgerReceipt(external_id=f"EXT-{source_id}", created=False)


def lines_of(entry: JournalEntry) -> list[tuple]:
    """Return (account, debit, credit, VAT code, original amount) per line."""
    return [
        (
            line.account.code,
            line.debit,
            line.credit,
            line.vat_code.code if line.vat_code else None,
            line.original_amount,
        )
        for line in entry.lines.select_related("account", "vat_code")
    ]


def book(invoice: PurchaseInvoice) -> JournalEntry:
    return book_purchase_invoice(invoice, actor=None, approvals=TRAIL)


# Kinds of invoices


def test_domestic_invoice_books_cost_vat_and_creditor(supplier):
    invoice = approved_invoice()

    entry = book(invoice)

    assert lines_of(entry) == [
        ("4600", D("100.00"), D("0.00"), "I21", None),
        ("1530", D("21.00"), D("0.00"), "I21", None),
        ("1600", D("0.00"), D("121.00"), None, None),
    ]
    assert entry.entry_date == date(2026, 3, 2)
    assert entry.currency == "EUR"
    assert entry.description == "Inkoopfactuur INV-00123 van Drukkerij De Vries B.V."
    creditor = entry.lines.get(account__code="1600")
    assert creditor.party == supplier
    cost = entry.lines.get(account__code="4600")
    assert cost.description == "Flyers A5, 1000 pieces"
    assert cost.party is None


def test_cost_line_carries_cost_centre_and_project(supplier):
    cost_centre = CostCentre.objects.create(code="MKT", name="Marketing")
    project = Project.objects.create(code="P-12", name="Spring campaign")
    invoice = approved_invoice({"cost_centre": cost_centre, "project": project})

    entry = book(invoice)

    cost = entry.lines.get(account__code="4600")
    assert cost.cost_centre == cost_centre
    assert cost.project == project
    vat = entry.lines.get(account__code="1530")
    assert vat.cost_centre is None


def test_invoice_lines_book_at_their_rates(supplier):
    invoice = approved_invoice(
        total_net=D("1250.00"),
        total_vat=D("232.50"),
        total_gross=D("1482.50"),
        vat_breakdown=[
            VatBreakdownFields(D("21"), D("1000.00"), D("210.00"), "S"),
            VatBreakdownFields(D("9"), D("250.00"), D("22.50"), "S"),
        ],
        lines=[
            LineFields("Flyers", D("2500"), D("0.40"), D("1000.00"), D("21")),
            LineFields("Brochures", D("50"), D("5.00"), D("250.00"), D("9")),
        ],
    )

    entry = book(invoice)

    assert lines_of(entry) == [
        ("4600", D("1000.00"), D("0.00"), "I21", None),
        ("4600", D("250.00"), D("0.00"), "I9", None),
        ("1530", D("22.50"), D("0.00"), "I9", None),
        ("1530", D("210.00"), D("0.00"), "I21", None),
        ("1600", D("0.00"), D("1482.50"), None, None),
    ]


def test_invoice_without_lines_books_net_total(supplier):
    invoice = approved_invoice(lines=[])

    entry = book(invoice)

    assert lines_of(entry) == [
        ("4600", D("100.00"), D("0.00"), "I21", None),
        ("1530", D("21.00"), D("0.00"), "I21", None),
        ("1600", D("0.00"), D("121.00"), None, None),
    ]


def test_lines_off_the_net_total_book_net_total(supplier):
    invoice = approved_invoice(
        lines=[LineFields("Flyers", D("1"), D("60.00"), D("60.00"), D("21"))]
    )

    entry = book(invoice)

    cost_lines = entry.lines.filter(account__code="4600")
    assert [line.debit for line in cost_lines] == [D("100.00")]


def test_credit_note_books_other_way(supplier):
    invoice = approved_invoice(document_type=DocumentType.CREDIT_NOTE)

    entry = book(invoice)

    assert lines_of(entry) == [
        ("4600", D("0.00"), D("100.00"), "I21", None),
        ("1530", D("0.00"), D("21.00"), "I21", None),
        ("1600", D("121.00"), D("0.00"), None, None),
    ]
    assert entry.description == (
        "Inkoopcreditnota INV-00123 van Drukkerij De Vries B.V."
    )


def test_eu_reverse_charge_books_input_and_output_vat(supplier):
    reverse_charge = VatCode.objects.get(code="IEU")
    invoice = approved_invoice(
        {"vat_code": reverse_charge},
        supplier={"country": "DE"},
        total_net=D("1000.00"),
        total_vat=D("0.00"),
        total_gross=D("1000.00"),
        vat_breakdown=[VatBreakdownFields(D("0"), D("1000.00"), D("0.00"), "AE")],
        lines=[LineFields("Consulting", D("8"), D("125.00"), D("1000.00"), D("0"))],
    )

    entry = book(invoice)

    assert lines_of(entry) == [
        ("4600", D("1000.00"), D("0.00"), "IEU", None),
        ("1540", D("210.00"), D("0.00"), "IEU", None),
        ("1520", D("0.00"), D("210.00"), "IEU", None),
        ("1600", D("0.00"), D("1000.00"), None, None),
    ]


def test_reverse_charge_credit_note_books_other_way(supplier):
    reverse_charge = VatCode.objects.get(code="IEU")
    invoice = approved_invoice(
        {"vat_code": reverse_charge},
        document_type=DocumentType.CREDIT_NOTE,
        total_net=D("200.00"),
        total_vat=D("0.00"),
        total_gross=D("200.00"),
        vat_breakdown=[VatBreakdownFields(D("0"), D("200.00"), D("0.00"), "AE")],
        lines=[],
    )

    entry = book(invoice)

    assert lines_of(entry) == [
        ("4600", D("0.00"), D("200.00"), "IEU", None),
        ("1540", D("0.00"), D("42.00"), "IEU", None),
        ("1520", D("42.00"), D("0.00"), "IEU", None),
        ("1600", D("200.00"), D("0.00"), None, None),
    ]


def test_foreign_currency_books_at_invoice_date_rate(supplier):
    ExchangeRate.objects.create(currency="USD", rate_date=date(2026, 2, 27),
                                rate=D("0.91234"))
    ExchangeRate.objects.create(currency="USD", rate_date=date(2026, 3, 3),
                                rate=D("0.95000"))  # fmt: skip
    invoice = approved_invoice(
        currency="USD",
        issue_date=date(2026, 3, 2),
        total_net=D("99.99"),
        total_vat=D("21.00"),
        total_gross=D("120.99"),
        vat_breakdown=[VatBreakdownFields(D("21"), D("99.99"), D("21.00"), "S")],
        lines=[
            LineFields("Licence A", D("1"), D("33.33"), D("33.33"), D("21")),
            LineFields("Licence B", D("1"), D("33.33"), D("33.33"), D("21")),
            LineFields("Licence C", D("1"), D("33.33"), D("33.33"), D("21")),
        ],
    )

    entry = book(invoice)

    # 33.33 x 0.91234 = 30.408 becomes 30.41 three times, 21.00 becomes
    # 19.16 and 120.99 becomes 110.38: the debits exceed the credit by 0.01.
    assert lines_of(entry) == [
        ("4600", D("30.41"), D("0.00"), "I21", D("33.33")),
        ("4600", D("30.41"), D("0.00"), "I21", D("33.33")),
        ("4600", D("30.41"), D("0.00"), "I21", D("33.33")),
        ("1530", D("19.16"), D("0.00"), "I21", D("21.00")),
        ("1600", D("0.00"), D("110.38"), None, D("120.99")),
        ("4930", D("0.00"), D("0.01"), None, None),
    ]
    assert entry.currency == "EUR"
    currencies = set(entry.lines.values_list("original_currency", flat=True))
    assert currencies == {"USD", ""}


def test_foreign_currency_without_rate_is_not_booked(supplier):
    invoice = approved_invoice(currency="USD")

    with pytest.raises(MissingExchangeRateError) as raised:
        book(invoice)

    assert raised.value.currency == "USD"
    assert raised.value.on_date == date(2026, 3, 2)

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.APPROVED
    assert not JournalEntry.objects.exists()


def test_build_entry_leaves_invoice_alone(supplier):
    invoice = approved_invoice()

    draft = build_purchase_entry(invoice)

    assert draft.source_kind == SOURCE_KIND
    assert draft.source_id == str(invoice.pk)
    assert draft.total_debit == draft.total_credit == D("121.00")
    assert draft.approvals == ()
    assert not JournalEntry.objects.exists()


def test_missing_supplier_is_booking_error(supplier):
    invoice = approved_invoice()
    PurchaseInvoice.objects.filter(pk=invoice.pk).update(supplier=None)
    invoice.refresh_from_db()

    with pytest.raises(BookingError, match="missing supplier"):
        build_purchase_entry(invoice)


def test_reverse_charge_with_vat_is_booking_error(supplier):
    invoice = approved_invoice({"vat_code": VatCode.objects.get(code="IEU")},
                               vat_breakdown=[], lines=[])  # fmt: skip

    with pytest.raises(BookingError, match="IEU is reverse charge"):
        build_purchase_entry(invoice)


# Booking as a status change


def test_booking_marks_invoice_booked(supplier):
    controller = make_user("daan", Role.CONTROLLER)
    invoice = approved_invoice()

    entry = book_purchase_invoice(invoice, actor=controller, approvals=TRAIL)

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.BOOKED
    assert entry.purpose == EntryPurpose.BOOKING
    assert entry.source_kind == "payables.purchaseinvoice"
    assert entry.source_id == str(invoice.pk)
    assert entry.created_by == controller
    booked = AuditEvent.objects.get(action="invoice.booked")
    assert booked.object_id == str(invoice.pk)
    assert booked.actor == controller
    assert booked.data["journal_entry"] == entry.number
    assert booked.data["from"] == "approved"


def test_booking_copies_approval_trail(supplier):
    invoice = approved_invoice()
    trail = [
        ApprovalRecord(
            step=1,
            approver="Daan Jansen",
            decision="approved",
            decided_at=datetime(2026, 3, 3, 9, 15, tzinfo=UTC),
        ),
        {
            "step": 2,
            "approver": "Femke Jansen",
            "on_behalf_of": "Eva Jansen",
            "decision": "approved",
            "decided_at": "2026-03-04T14:00:00+00:00",
            "comment": "Within budget",
        },
    ]

    entry = book_purchase_invoice(invoice, actor=None, approvals=trail)

    entry.refresh_from_db()
    assert entry.approvals == [
        {
            "step": 1,
            "approver": "Daan Jansen",
            "on_behalf_of": "",
            "decision": "approved",
            "decided_at": "2026-03-03T09:15:00+00:00",
            "comment": "",
        },
        {
            "step": 2,
            "approver": "Femke Jansen",
            "on_behalf_of": "Eva Jansen",
            "decision": "approved",
            "decided_at": "2026-03-04T14:00:00+00:00",
            "comment": "Within budget",
        },
    ]


def test_booking_twice_returns_first_entry(supplier):
    invoice = approved_invoice()
    first = book(invoice)

    second = book(invoice)

    assert second == first
    assert JournalEntry.objects.count() == 1
    assert AuditEvent.objects.filter(action="invoice.booked").count() == 1


def test_submitted_invoice_is_not_booked(supplier):
    invoice = make_invoice()
    PurchaseInvoice.objects.filter(pk=invoice.pk).update(
        status=InvoiceStatus.SUBMITTED
    )

    with pytest.raises(InvalidTransitionError):
        book(invoice)

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.SUBMITTED
    assert not JournalEntry.objects.exists()


def test_failed_booking_changes_nothing(supplier):
    invoice = approved_invoice()
    PurchaseInvoice.objects.filter(pk=invoice.pk).update(supplier=None)

    with pytest.raises(BookingError):
        book(invoice)

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.APPROVED
    assert not JournalEntry.objects.exists()
    assert not AuditEvent.objects.filter(action="invoice.booked").exists()


def test_failed_booking_takes_no_number(supplier):
    failing = approved_invoice(invoice_number="FAIL-1")
    PurchaseInvoice.objects.filter(pk=failing.pk).update(supplier=None)
    with pytest.raises(BookingError):
        book(failing)

    entry = book(approved_invoice(invoice_number="OK-1"))

    assert entry.number == "2026-000001"


def test_external_connector_books_without_local_entry(supplier, settings):
    settings.FIAT_LEDGER_CONNECTOR = f"{__name__}.ExternalLedger"
    invoice = approved_invoice()

    result = book(invoice)

    assert result is None
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.BOOKED
    assert not JournalEntry.objects.exists()
    booked = AuditEvent.objects.get(action="invoice.booked")
    assert booked.data["journal_entry"] == f"EXT-{invoice.pk}"
    assert book(invoice) is None


def test_intra_community_supply_books_reverse_charge(supplier):
    invoice = approved_invoice(
        supplier={"country": "DE"},
        total_net=D("500.00"),
        total_vat=D("0.00"),
        total_gross=D("500.00"),
        vat_breakdown=[VatBreakdownFields(D("0"), D("500.00"), D("0.00"), "K")],
        lines=[],
    )

    entry = book(invoice)

    assert lines_of(entry) == [
        ("4600", D("500.00"), D("0.00"), "IEU", None),
        ("1540", D("105.00"), D("0.00"), "IEU", None),
        ("1520", D("0.00"), D("105.00"), "IEU", None),
        ("1600", D("0.00"), D("500.00"), None, None),
    ]
