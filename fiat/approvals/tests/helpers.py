"""Invoices submitted for approval, for the engine tests."""

from datetime import date
from decimal import Decimal

from fiat.documents.extraction.result import VatBreakdownFields
from fiat.payables.tests.factories import make_invoice
from fiat.payables.workflow import submit_for_approval


def submitted_invoice(
    submitter,
    gross: str,
    *,
    currency: str = "EUR",
    number: str | None = None,
    issue_date: date = date(2026, 3, 2),
    **fields,
):
    """Submit an invoice of ``gross`` at 21% VAT and return it with its request."""
    from fiat.approvals.queries import latest_request

    gross_amount = Decimal(gross)
    net = (gross_amount / Decimal("1.21")).quantize(Decimal("0.01"))
    vat = gross_amount - net
    invoice = make_invoice(
        invoice_number=number or f"INV-{gross}-{currency}",
        currency=currency,
        issue_date=issue_date,
        total_net=net,
        total_vat=vat,
        total_gross=gross_amount,
        vat_breakdown=[VatBreakdownFields(Decimal("21"), net, vat)],
        lines=[],
    )
    for name, value in fields.items():
        setattr(invoice, name, value)
    if fields:
        invoice.save(update_fields=list(fields))
    submitted = submit_for_approval(invoice, submitter)
    return submitted, latest_request(submitted)


def open_approvers(request) -> list[str]:
    """Usernames with an open task on the request's pending step."""
    step = request.steps.get(status="pending")
    return sorted(
        step.assignments.filter(status="open").values_list(
            "approver__username", flat=True
        )
    )
