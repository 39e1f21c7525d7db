"""Release: numbering, payment reference, due date."""

import json
import subprocess
import sys
from datetime import date

import pytest
from django.db import connections
from stdnum import iso11649

from fiat.audit.models import AuditEvent
from fiat.receivables.drafting import create_draft
from fiat.receivables.models import InvoiceStatus, SalesInvoice
from fiat.receivables.payment_reference import clean_betalingskenmerk
from fiat.receivables.release import EmptyInvoiceError, release_invoice
from fiat.receivables.tests.factories import make_customer, make_draft
from fiat.receivables.workflow import InvalidTransitionError
from fiat.testing import database_url_for_subprocess, subprocess_environment


@pytest.mark.django_db
def test_release_numbers_and_dates(controller):
    invoice = make_draft(issue_date=date(2026, 3, 2))

    released = release_invoice(invoice, controller)

    assert released.status == InvoiceStatus.RELEASED
    assert released.number == "F2026-00001"
    assert released.number_year == 2026
    assert released.sequence_number == 1
    assert released.due_date == date(2026, 3, 16)
    assert released.released_at is not None


@pytest.mark.django_db
def test_numbers_run_per_year():
    numbers = [
        release_invoice(make_draft(issue_date=issue_date), None).number
        for issue_date in (date(2025, 12, 31), date(2026, 1, 1), date(2026, 1, 2))
    ]

    assert numbers == ["F2025-00001", "F2026-00001", "F2026-00002"]


@pytest.mark.django_db
def test_release_sets_end_of_next_month_due_date():
    invoice = make_draft(issue_date=date(2020, 6, 11), payment_term="end_of_next_month")

    released = release_invoice(invoice, None)

    assert released.due_date == date(2020, 7, 31)


@pytest.mark.django_db
def test_release_writes_betalingskenmerk():
    released = release_invoice(make_draft(issue_date=date(2026, 3, 2)), None)

    assert len(released.payment_reference) == 16
    assert (
        clean_betalingskenmerk(released.payment_reference) == released.payment_reference
    )
    assert released.payment_reference[1:] == "202600000000001"


@pytest.mark.django_db
def test_release_writes_rf_reference_by_setting(settings):
    settings.FIAT_PAYMENT_REFERENCE = "rf"

    released = release_invoice(make_draft(issue_date=date(2026, 3, 2)), None)

    assert iso11649.is_valid(released.payment_reference)
    assert released.payment_reference.endswith("F202600001")


@pytest.mark.django_db
def test_release_records_audit_event(controller):
    invoice = make_draft()

    release_invoice(invoice, controller)

    event = AuditEvent.objects.filter(action="sales_invoice.released").get()
    assert event.object_id == str(invoice.pk)
    assert event.actor == controller
    assert event.data["to"] == "released"
    assert event.amounts["payable_amount"] == "229.90"


@pytest.mark.django_db
def test_release_twice_rejected():
    invoice = release_invoice(make_draft(), None)

    with pytest.raises(InvalidTransitionError):
        release_invoice(invoice, None)
    stored = SalesInvoice.objects.get(pk=invoice.pk)
    assert stored.number == invoice.number
    assert stored.sequence_number == 1


@pytest.mark.django_db
def test_empty_invoice_not_released_and_number_kept():
    empty = create_draft(make_customer(), issue_date=date(2026, 3, 2))

    with pytest.raises(EmptyInvoiceError):
        release_invoice(empty, None)
    next_invoice = release_invoice(make_draft(issue_date=date(2026, 3, 2)), None)

    assert next_invoice.number == "F2026-00001"


# Releases invoices in a separate Python process, each in its own
# transaction, and prints their numbers as JSON.
RELEASE_INVOICES = """
import json, sys, django
django.setup()
from fiat.receivables.models import SalesInvoice
from fiat.receivables.release import release_invoice
numbers = []
for pk in json.loads(sys.argv[1]):
    invoice = release_invoice(SalesInvoice.objects.get(pk=pk), None)
    numbers.append(invoice.sequence_number)
print(json.dumps(numbers))
"""


@pytest.mark.django_db(transaction=True)
def test_two_processes_release_gap_free():
    customer = make_customer()
    drafts = [make_draft(customer, issue_date=date(2026, 5, 1)) for _ in range(40)]
    batches = [[d.pk for d in drafts[0::2]], [d.pk for d in drafts[1::2]]]
    environment = subprocess_environment(DATABASE_URL=database_url_for_subprocess())
    connections.close_all()

    processes = [
        subprocess.Popen(
            [sys.executable, "-c", RELEASE_INVOICES, json.dumps(batch)],
            env=environment,
            stdout=subprocess.PIPE,
            text=True,
        )
        for batch in batches
    ]
    results = [json.loads(process.communicate(timeout=240)[0]) for process in processes]

    assert [process.returncode for process in processes] == [0, 0]
    assert sorted(results[0] + results[1]) == list(range(1, 41))
    numbers = SalesInvoice.objects.values_list("number", flat=True)
    assert sorted(numbers) == [f"F2026-{n:05d}" for n in range(1, 41)]
