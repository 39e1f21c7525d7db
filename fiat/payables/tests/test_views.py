"""The queue and the review screen: access, corrections, submission."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from fiat.audit.models import AuditEvent
from fiat.core.models import Party
from fiat.payables.models import IbanChangeRequest, InvoiceStatus, PurchaseInvoice
from fiat.payables.tests.factories import (
    OTHER_IBAN,
    check_codes,
    make_invoice,
)

pytestmark = pytest.mark.django_db


def review_data(invoice: PurchaseInvoice, **changes) -> dict:
    """Return the review form as the page sends it, with ``changes``."""
    data = {
        "supplier": invoice.supplier_id or "",
        "supplier_name": invoice.supplier_name,
        "supplier_vat_number": invoice.supplier_vat_number,
        "supplier_coc_number": invoice.supplier_coc_number,
        "document_type": invoice.document_type,
        "invoice_number": invoice.invoice_number,
        "issue_date": invoice.issue_date.isoformat() if invoice.issue_date else "",
        "due_date": invoice.due_date.isoformat() if invoice.due_date else "",
        "po_reference": invoice.po_reference,
        "currency": invoice.currency,
        "total_net_amount": str(invoice.total_net_amount or ""),
        "total_vat_amount": str(invoice.total_vat_amount or ""),
        "total_gross_amount": str(invoice.total_gross_amount or ""),
        "amount_due": "",
        "iban": invoice.iban,
        "payment_reference": invoice.payment_reference,
        "ledger_account": invoice.ledger_account_id or "",
        "vat_code": invoice.vat_code_id or "",
        "cost_centre": "",
        "project": "",
        "lines-TOTAL_FORMS": "0",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
        "action": "save",
    }
    return {**data, **changes}


def detail_url(invoice: PurchaseInvoice) -> str:
    return reverse("payables:invoice", args=[invoice.pk])


# Access


@pytest.mark.parametrize("role_user", ["clerk", "controller", "auditor"])
def test_invoice_roles_see_queue(client, supplier, role_user, request):
    make_invoice()
    client.force_login(request.getfixturevalue(role_user))

    response = client.get(reverse("payables:queue"))

    assert response.status_code == 200


def test_other_roles_get_404_everywhere(client, supplier, employee):
    invoice = make_invoice()
    invoice.document.page_count = 1
    invoice.document.save(update_fields=["page_count"])
    client.force_login(employee)

    urls = [
        reverse("payables:queue"),
        detail_url(invoice),
        reverse("payables:iban-changes"),
        reverse("documents:page-image", args=[invoice.document_id, 1]),
        reverse("documents:original", args=[invoice.document_id]),
    ]

    for url in urls:
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("payables:create-supplier", args=[invoice.pk]))
    assert response.status_code == 404


def test_anonymous_user_sent_to_login(client, supplier):
    invoice = make_invoice()

    response = client.get(detail_url(invoice))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# Queue


def test_queue_lists_oldest_first_with_counts(client, supplier, clerk):
    newer = make_invoice(invoice_number="NEW-1")
    older = make_invoice(invoice_number="OLD-1")
    PurchaseInvoice.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - timedelta(days=3)
    )
    submitted = make_invoice(invoice_number="SUB-1", total_gross=Decimal("50.00"),
                             total_net=Decimal("41.32"), total_vat=Decimal("8.68"),
                             vat_breakdown=[], lines=[])  # fmt: skip
    PurchaseInvoice.objects.filter(pk=submitted.pk).update(status="submitted")
    client.force_login(clerk)

    response = client.get(reverse("payables:queue"))

    listed = [invoice.pk for invoice in response.context["page"].object_list]
    assert listed == [older.pk, newer.pk]
    counts = {value: count for value, _label, count in response.context["statuses"]}
    assert counts == {
        "in_review": 2,
        "submitted": 1,
        "approved": 0,
        "booked": 0,
        "rejected": 0,
        "cancelled": 0,
    }


def test_queue_filters_by_status(client, supplier, clerk):
    make_invoice(invoice_number="A")
    submitted = make_invoice(invoice_number="B", issue_date=None)
    PurchaseInvoice.objects.filter(pk=submitted.pk).update(status="submitted")
    client.force_login(clerk)

    response = client.get(reverse("payables:queue"), {"status": "submitted"})

    assert [invoice.pk for invoice in response.context["page"].object_list] == [
        submitted.pk
    ]
    assert response.context["status"] == "submitted"


def test_queue_shows_blocking_count(client, supplier, clerk):
    make_invoice(total_gross=Decimal("131.00"))
    client.force_login(clerk)

    response = client.get(reverse("payables:queue"))

    assert response.context["page"].object_list[0].blocking_count == 1
    assert "1 blocking" in response.content.decode()


# Review screen


def test_review_screen_shows_page_images(client, supplier, clerk):
    invoice = make_invoice()
    invoice.document.page_count = 2
    invoice.document.save(update_fields=["page_count"])
    client.force_login(clerk)

    response = client.get(detail_url(invoice))

    page_urls = [
        reverse("documents:page-image", args=[invoice.document_id, number])
        for number in (1, 2)
    ]
    assert response.context["pages"] == page_urls
    html = response.content.decode()
    assert f'src="{page_urls[0]}"' in html
    assert 'alt="Page 2 of 2 of the document"' in html


def test_review_screen_without_pages_links_original(client, supplier, clerk):
    invoice = make_invoice()
    client.force_login(clerk)

    response = client.get(detail_url(invoice))

    html = response.content.decode()
    assert response.context["pages"] == []
    assert "There are no page images of this document." in html
    assert reverse("documents:original", args=[invoice.document_id]) in html


def test_low_confidence_field_highlighted(client, supplier, clerk):
    invoice = make_invoice(confidence={"total_gross": 0.55})
    client.force_login(clerk)

    response = client.get(detail_url(invoice))

    rows = {
        row.bound_field.name: row
        for _label, rows in response.context["field_groups"]
        for row in rows
    }
    assert rows["total_gross_amount"].flag == "review"
    assert rows["total_gross_amount"].confidence == 55
    assert rows["invoice_number"].flag == ""
    html = response.content.decode()
    assert "Read with 55% confidence: compare with the document." in html


def test_warning_reason_shown_beside_field(client, supplier, clerk):
    invoice = make_invoice(total_gross=Decimal("131.00"))
    client.force_login(clerk)

    response = client.get(detail_url(invoice))

    html = response.content.decode()
    assert (
        "Total excluding VAT plus VAT is EUR 121.00, but the total including VAT is "
        "EUR 131.00 (difference EUR 10.00)." in html
    )
    assert "flag-blocking" in html


def test_correction_saved_checked_and_audited(client, supplier, clerk):
    invoice = make_invoice(
        total_gross=Decimal("131.00"), confidence={"total_gross": 0.5}
    )
    client.force_login(clerk)

    response = client.post(
        detail_url(invoice), review_data(invoice, total_gross_amount="121,00")
    )

    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.total_gross_amount == Decimal("121.00")
    assert invoice.review_fields == []
    assert "totals_mismatch" not in check_codes(invoice)
    event = AuditEvent.objects.get(action="invoice.corrected")
    assert event.actor == clerk
    assert event.data["changes"] == {"total_gross_amount": ["131.00", "121.00"]}


def test_dutch_amount_notation_accepted(client, supplier, clerk):
    invoice = make_invoice(vat_breakdown=[], lines=[])
    client.force_login(clerk)

    client.post(
        detail_url(invoice),
        review_data(invoice, total_net_amount="1.000,00", total_vat_amount="210,00",
                    total_gross_amount="1.210,00"),
    )  # fmt: skip

    invoice.refresh_from_db()
    assert invoice.total_net_amount == Decimal("1000.00")
    assert invoice.total_gross_amount == Decimal("1210.00")


def test_invalid_amount_rerenders_with_error(client, supplier, clerk):
    invoice = make_invoice()
    client.force_login(clerk)

    response = client.post(
        detail_url(invoice), review_data(invoice, total_gross_amount="twelve")
    )

    assert response.status_code == 400
    assert "Enter an amount such as 1234,56 or 1234.56." in response.content.decode()
    invoice.refresh_from_db()
    assert invoice.total_gross_amount == Decimal("121.00")


def test_status_sent_with_form_is_ignored(client, supplier, clerk):
    invoice = make_invoice()
    client.force_login(clerk)

    client.post(detail_url(invoice), review_data(invoice, status="submitted"))

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.IN_REVIEW
    assert not AuditEvent.objects.filter(action="invoice.submitted").exists()


def test_submit_button_submits(client, supplier, clerk):
    invoice = make_invoice()
    client.force_login(clerk)

    response = client.post(detail_url(invoice), review_data(invoice, action="submit"))

    assert response.status_code == 302
    assert response.url == reverse("payables:queue")
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.SUBMITTED
    assert invoice.submitted_by == clerk


def test_submit_blocked_by_blocking_check(client, supplier, clerk):
    invoice = make_invoice(total_gross=Decimal("131.00"))
    client.force_login(clerk)

    response = client.post(
        detail_url(invoice), review_data(invoice, action="submit"), follow=True
    )

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.IN_REVIEW
    assert "resolve the 1 blocking findings first" in response.content.decode()


def test_correction_and_submit_in_one_step(client, supplier, clerk):
    invoice = make_invoice(total_gross=Decimal("131.00"))
    client.force_login(clerk)

    client.post(
        detail_url(invoice),
        review_data(invoice, total_gross_amount="121.00", action="submit"),
    )

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.SUBMITTED


def test_line_items_edited_and_renumbered(client, supplier, clerk):
    invoice = make_invoice()
    line = invoice.lines.get()
    client.force_login(clerk)
    data = review_data(
        invoice,
        **{
            "lines-TOTAL_FORMS": "2",
            "lines-INITIAL_FORMS": "1",
            "lines-0-id": str(line.pk),
            "lines-0-description": "Flyers A5",
            "lines-0-quantity": "1000",
            "lines-0-unit_price": "0,06",
            "lines-0-net_amount": "60,00",
            "lines-0-vat_rate": "21",
            "lines-1-description": "Delivery",
            "lines-1-quantity": "1",
            "lines-1-unit_price": "40",
            "lines-1-net_amount": "40",
            "lines-1-vat_rate": "21",
        },
    )

    client.post(detail_url(invoice), data)

    lines = list(invoice.lines.values_list("position", "description", "net_amount"))
    assert lines == [
        (1, "Flyers A5", Decimal("60.00")),
        (2, "Delivery", Decimal("40.00")),
    ]
    assert "lines_mismatch" not in check_codes(invoice)
    event = AuditEvent.objects.get(action="invoice.corrected")
    assert event.data["lines_changed"] is True


def test_auditor_sees_read_only_screen(client, supplier, auditor):
    invoice = make_invoice()
    client.force_login(auditor)

    response = client.get(detail_url(invoice))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Submit for approval" not in html
    assert response.context["form"]["invoice_number"].field.disabled


def test_auditor_cannot_change(client, supplier, auditor):
    invoice = make_invoice()
    client.force_login(auditor)

    response = client.post(
        detail_url(invoice), review_data(invoice, invoice_number="CHANGED")
    )

    assert response.status_code == 403
    invoice.refresh_from_db()
    assert invoice.invoice_number == "INV-00123"


def test_submitted_invoice_not_editable(client, supplier, clerk):
    invoice = make_invoice()
    PurchaseInvoice.objects.filter(pk=invoice.pk).update(status="submitted")
    client.force_login(clerk)

    response = client.post(
        detail_url(invoice), review_data(invoice, invoice_number="CHANGED"), follow=True
    )

    invoice.refresh_from_db()
    assert invoice.invoice_number == "INV-00123"
    assert "This invoice is no longer in review." in response.content.decode()


# One-click supplier


UNKNOWN_SUPPLIER = {
    "name": "Bloemenhandel Roos",
    "vat_number": "NL000099998B57",
    "iban": "NL20INGB0001234567",
    "coc_number": "87654321",
}


def test_unknown_supplier_offers_create_button(client, clerk):
    invoice = make_invoice(supplier=UNKNOWN_SUPPLIER)
    client.force_login(clerk)

    response = client.get(detail_url(invoice))

    assert "Create supplier from what was read" in response.content.decode()


def test_create_supplier_button_creates_and_rechecks(client, clerk):
    invoice = make_invoice(supplier=UNKNOWN_SUPPLIER)
    client.force_login(clerk)

    response = client.post(reverse("payables:create-supplier", args=[invoice.pk]))

    assert response.status_code == 302
    supplier = Party.objects.get(name="Bloemenhandel Roos")
    assert supplier.vat_number == "NL000099998B57"
    assert supplier.iban == "NL20INGB0001234567"
    assert supplier.coc_number == "87654321"
    invoice.refresh_from_db()
    assert invoice.supplier == supplier
    assert "supplier_unknown" not in check_codes(invoice)


def test_auditor_cannot_create_supplier(client, auditor):
    invoice = make_invoice(supplier=UNKNOWN_SUPPLIER)
    client.force_login(auditor)

    response = client.post(reverse("payables:create-supplier", args=[invoice.pk]))

    assert response.status_code == 403
    assert not Party.objects.exists()


# Cancel and IBAN changes


def test_cancel_with_reason(client, supplier, clerk):
    invoice = make_invoice()
    client.force_login(clerk)

    client.post(reverse("payables:cancel", args=[invoice.pk]), {"reason": "duplicate"})

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.CANCELLED


def test_cancel_without_reason_refused(client, supplier, clerk):
    invoice = make_invoice()
    client.force_login(clerk)

    client.post(reverse("payables:cancel", args=[invoice.pk]), {"reason": ""})

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.IN_REVIEW


def test_iban_change_needs_two_people_on_pages(client, supplier, clerk, second_clerk):
    invoice = make_invoice(supplier={"iban": OTHER_IBAN})
    change = IbanChangeRequest.objects.get()
    accept_url = reverse("payables:iban-change-step", args=[change.pk, "accept"])
    confirm_url = reverse("payables:iban-change-step", args=[change.pk, "confirm"])
    client.force_login(clerk)
    client.post(accept_url, {"next": detail_url(invoice)})

    response = client.post(confirm_url, follow=True)

    assert "another person must confirm it" in response.content.decode()
    supplier.refresh_from_db()
    assert supplier.iban != OTHER_IBAN

    client.force_login(second_clerk)
    client.post(confirm_url)

    supplier.refresh_from_db()
    assert supplier.iban == OTHER_IBAN
    invoice.refresh_from_db()
    assert "iban_changed" not in check_codes(invoice)


def test_iban_changes_page_lists_open_request(client, supplier, clerk):
    make_invoice(supplier={"iban": OTHER_IBAN})
    client.force_login(clerk)

    response = client.get(reverse("payables:iban-changes"))

    html = response.content.decode()
    assert OTHER_IBAN in html
    assert "Accept the new IBAN" in html


def test_step_redirects_only_to_own_site(client, supplier, clerk):
    make_invoice(supplier={"iban": OTHER_IBAN})
    change = IbanChangeRequest.objects.get()
    client.force_login(clerk)

    response = client.post(
        reverse("payables:iban-change-step", args=[change.pk, "accept"]),
        {"next": "https://example.com/"},
    )

    assert response.url == reverse("payables:iban-changes")
