"""Admin pages: CSV import of orders, the match tolerance, IBAN changes."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fiat.payables.models import IbanChangeRequest, MatchTolerance, PurchaseOrder
from fiat.payables.tests.factories import OTHER_IBAN, make_invoice

pytestmark = pytest.mark.django_db

CSV = (
    "order_number,supplier_vat_number,order_date,line_description,quantity,"
    "unit_price\n"
    "PO-1,NL000099998B57,2026-03-01,Flyers,1000,0.10\n"
)


@pytest.fixture(autouse=True)
def _english_admin(admin_user) -> None:
    admin_user.language = "en"
    admin_user.save(update_fields=["language"])


def upload(client, content: str):
    file = SimpleUploadedFile("orders.csv", content.encode(), "text/csv")
    return client.post(
        reverse("admin:payables_purchaseorder_import"), {"file": file}, follow=True
    )


def test_import_page_linked_from_order_list(admin_client):
    response = admin_client.get(reverse("admin:payables_purchaseorder_changelist"))

    assert reverse("admin:payables_purchaseorder_import") in response.content.decode()


def test_csv_uploaded_in_admin(admin_client, supplier):
    response = upload(admin_client, CSV)

    assert "1 orders imported; 0 existed already." in response.content.decode()
    assert PurchaseOrder.objects.get().number == "PO-1"


def test_csv_errors_listed_in_admin(admin_client, supplier):
    response = upload(admin_client, CSV.replace("0.10", "abc"))

    html = response.content.decode()
    assert "Nothing was imported." in html
    assert "Line 2: unit_price: Invalid amount &#x27;abc&#x27;" in html
    assert not PurchaseOrder.objects.exists()


def test_order_entered_in_admin(admin_client, supplier):
    response = admin_client.post(
        reverse("admin:payables_purchaseorder_add"),
        {
            "number": "PO-9",
            "supplier": supplier.pk,
            "order_date": "2026-03-01",
            "currency": "EUR",
            "description": "",
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "1000",
            "lines-0-position": "1",
            "lines-0-description": "Toner",
            "lines-0-quantity": "2",
            "lines-0-unit_price": "45.00",
            "lines-0-net_amount": "90.00",
        },
    )

    assert response.status_code == 302
    order = PurchaseOrder.objects.get()
    assert order.normalised_number == "PO9"
    assert order.lines.get().net_amount == Decimal("90.00")


def test_tolerance_edited_in_admin(admin_client):
    tolerance = MatchTolerance.current()

    admin_client.post(
        reverse("admin:payables_matchtolerance_change", args=[tolerance.pk]),
        {"percentage": "5.00", "amount": "25.00"},
    )

    tolerance.refresh_from_db()
    assert tolerance.percentage == Decimal("5.00")
    assert tolerance.amount == Decimal("25.00")


def test_tolerance_list_opens_the_one_setting(admin_client):
    response = admin_client.get(reverse("admin:payables_matchtolerance_changelist"))

    tolerance = MatchTolerance.objects.get()
    assert response.url == reverse(
        "admin:payables_matchtolerance_change", args=[tolerance.pk]
    )


def test_admin_confirm_keeps_four_eyes(admin_client, admin_user, supplier):
    make_invoice(supplier={"iban": OTHER_IBAN})
    change = IbanChangeRequest.objects.get()
    changelist = reverse("admin:payables_ibanchangerequest_changelist")
    admin_client.post(changelist, {"action": "accept", "_selected_action": [change.pk]})

    admin_client.post(
        changelist, {"action": "confirm", "_selected_action": [change.pk]}
    )

    supplier.refresh_from_db()
    change.refresh_from_db()
    assert change.accepted_by == admin_user
    assert change.status == "accepted"
    assert supplier.iban != OTHER_IBAN
