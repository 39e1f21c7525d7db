"""Credit notes on the approval pages and in the API: one sign convention.

The invoice queue shows a credit note's total negative. The approval summary
and the Tasks list do the same for its net, VAT and gross amounts, and the
API keeps the stored positive amounts but names the document type.
"""

import pytest
from django.urls import reverse

from fiat.approvals.links import make_link
from fiat.approvals.tests.helpers import submitted_invoice
from fiat.approvals.tests.test_api import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def credit_note(people, supplier, demo_like_policy):
    """A 121.00 EUR credit note (100.00 net, 21.00 VAT) waiting for a controller."""
    return submitted_invoice(
        people["clerk"], "121.00", number="CN-7", document_type="credit_note"
    )


def test_summary_shows_credit_note_negative(client, people, credit_note):
    _invoice, request = credit_note
    client.force_login(people["controller"])

    content = client.get(
        reverse("approvals:request", args=[request.pk])
    ).content.decode()

    assert "EUR -121.00" in content
    assert "EUR -100.00" in content
    assert "EUR -21.00" in content
    assert "EUR 21.00" not in content.replace("EUR -21.00", "")
    assert "EUR 121.00" not in content.replace("EUR -121.00", "")


def test_tasks_list_shows_credit_note_negative(client, people, credit_note):
    client.force_login(people["controller"])

    content = client.get(reverse("approvals:inbox")).content.decode()

    assert "EUR -121.00" in content


def test_tasks_list_shows_invoice_positive(client, people, supplier, demo_like_policy):
    submitted_invoice(people["clerk"], "121.00", number="INV-8")
    client.force_login(people["controller"])

    content = client.get(reverse("approvals:inbox")).content.decode()

    assert "EUR 121.00" in content
    assert "EUR -121.00" not in content


def test_api_names_document_type(client, people, credit_note):
    _invoice, request = credit_note
    headers = bearer(people["controller"])

    tasks = client.get("/api/v1/approvals/tasks", headers=headers).json()
    detail = client.get(
        f"/api/v1/approvals/requests/{request.pk}", headers=headers
    ).json()

    assert tasks["items"][0]["document_type"] == "credit_note"
    assert tasks["items"][0]["document_amount"] == "121.00"
    assert detail["document_type"] == "credit_note"
    assert detail["document_amount"] == "121.00"


def test_api_names_invoice_type(client, people, supplier, demo_like_policy):
    _invoice, request = submitted_invoice(people["clerk"], "121.00", number="INV-9")

    detail = client.get(
        f"/api/v1/approvals/requests/{request.pk}", headers=bearer(people["controller"])
    ).json()

    assert detail["document_type"] == "invoice"


def test_link_page_shows_credit_note_negative(client, people, credit_note):
    _invoice, request = credit_note
    assignment = request.steps.get().assignments.get(approver=people["controller"])
    token = make_link(assignment, people["controller"], hours=24)

    content = client.get(
        reverse("approvals:link", args=[token]), headers={"accept-language": "en"}
    ).content.decode()

    assert "EUR -121.00" in content
    assert "EUR 121.00" not in content.replace("EUR -121.00", "")
