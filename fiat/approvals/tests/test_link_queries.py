"""Database reads of the link page and of deciding by link.

Every approver opens the link page, and a decision on it can book the
invoice, so these tests fix which rows each request reads and how often.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fiat.approvals import engine
from fiat.approvals.kinds import load_subject
from fiat.approvals.links import make_link
from fiat.approvals.queries import approval_trail
from fiat.approvals.tests.helpers import submitted_invoice
from fiat.audit.testing import recorded_actions
from fiat.audit.verification import verify_trail
from fiat.payables.models import InvoiceStatus, PurchaseInvoice

pytestmark = pytest.mark.django_db

INVOICE_TABLE = '"payables_purchaseinvoice"'


@pytest.fixture(autouse=True)
def _english_visitor(client) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def task(people, supplier, demo_like_policy):
    """The controller's task on a 500 EUR invoice, whose one step books it."""
    invoice, request = submitted_invoice(people["clerk"], "500.00", number="Q-1")
    assignment = request.steps.get().assignments.get(approver=people["controller"])
    token = make_link(assignment, people["controller"], hours=72)
    return invoice, request, token


def reads_of(table: str, queries: CaptureQueriesContext) -> int:
    """Count the captured SELECTs whose FROM clause names ``table``."""
    return sum(
        1
        for query in queries.captured_queries
        if query["sql"].startswith("SELECT") and f"FROM {table}" in query["sql"]
    )


def test_load_subject_joins_relations(task, django_assert_num_queries):
    invoice, request, _token = task
    request.refresh_from_db()

    with django_assert_num_queries(1):
        subject = load_subject(request)
    with django_assert_num_queries(0):
        supplier_name = subject.supplier.name
        document_id = subject.document.pk
        same_subject = request.subject

    assert subject.pk == invoice.pk
    assert supplier_name == "Drukkerij De Vries B.V."
    assert document_id == invoice.document_id
    assert same_subject is subject


def test_link_page_reads_invoice_once(client, task):
    _invoice, _request, token = task

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("approvals:link", args=[token]))

    assert response.status_code == 200
    assert "Drukkerij De Vries B.V." in response.content.decode()
    assert reads_of(INVOICE_TABLE, queries) == 1
    assert reads_of('"core_party"', queries) == 0


def test_link_approval_books_with_one_lock(client, task):
    invoice, _request, token = task

    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            reverse("approvals:link", args=[token]), {"outcome": "approved"}
        )

    assert response.status_code == 200
    assert "You approved it." in response.content.decode()
    # The engine locks the invoice once, as the kind's lock_subject, for
    # both the approval and the booking.
    assert reads_of(INVOICE_TABLE, queries) == 1
    assert PurchaseInvoice.objects.get(pk=invoice.pk).status == InvoiceStatus.BOOKED
    actions = recorded_actions(invoice)
    assert actions[-2:] == ["invoice.approved", "invoice.booked"]
    assert verify_trail().is_intact


@pytest.mark.django_db(transaction=True)
def test_link_approval_reads_each_row_once(client, task):
    _invoice, _request, token = task

    with CaptureQueriesContext(connection) as queries:
        client.post(reverse("approvals:link", args=[token]), {"outcome": "approved"})
    statements = [query["sql"] for query in queries.captured_queries]
    reads = [sql for sql in statements if sql.startswith("SELECT")]
    chain_reads = [sql for sql in reads if sql.startswith("SELECT sequence, hash")]

    # The link, the request, its steps, the open tasks, the invoice, the
    # decisions for the trail, VAT subtotals, lines, the creditors account,
    # and one chain read each for the request and the invoice. The test's
    # own transaction is committed, as a server's would be, so no chain tip
    # is remembered from setting up.
    assert len(reads) == 11
    assert len(chain_reads) == 2
    assert reads_of('"approvals_approvalstep"', queries) == 1


def test_approval_trail_orders_steps(people, supplier, demo_like_policy):
    _invoice, request = submitted_invoice(people["clerk"], "5000.00", number="Q-2")
    first = request.steps.get(position=1)
    engine.decide(first.pk, user=people["controller"], outcome="approved")
    second = request.steps.get(position=2)
    engine.decide(second.pk, user=people["director"], outcome="approved")

    trail = approval_trail(request)

    assert [entry["step"] for entry in trail] == [1, 2]
    assert [entry["approver"] for entry in trail] == [
        people["controller"].get_full_name() or "controller",
        people["director"].get_full_name() or "director",
    ]
    assert [entry["decision"] for entry in trail] == ["approved", "approved"]
