"""The sales demo: its data, its webhook secret and the page "win a deal"."""

import stat
from decimal import Decimal

import pytest
from django.core.management import call_command

from fiat.approvals.demo import load_demo_policy
from fiat.approvals.queries import latest_request
from fiat.core.demo import load_demo
from fiat.core.models import Party, User
from fiat.receivables.demo import load_demo_sales, sales_demo_is_loaded
from fiat.receivables.demo_views import demo_event, post_to_webhook
from fiat.receivables.models import (
    CustomerSettings,
    EInvoiceProfile,
    InvoiceBranding,
    InvoiceStatus,
    MailingStatus,
    Product,
    SalesInvoice,
    SalesInvoiceMail,
)
from fiat.receivables.signatures import sign
from fiat.receivables.webhook_secret import demo_secret_path, webhook_secret

pytestmark = pytest.mark.django_db

T0 = 1_772_000_000


@pytest.fixture
def sales_demo(settings, outbox, django_capture_on_commit_callbacks):
    """The demo company with its approval policy and sales data, mail sent."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "scheduled"],
        }
    }
    settings.FIAT_SALES_WEBHOOK_SECRET = ""
    load_demo()
    load_demo_policy()
    with django_capture_on_commit_callbacks(execute=True):
        load_demo_sales()
    # The demo controller reads Dutch; the checks below read English text.
    User.objects.filter(username="controller").update(language="en")


def test_loader_adds_products_settings_and_branding(sales_demo):
    web_design = Product.objects.get(code="WEB-DESIGN")
    assert web_design.unit_price == Decimal("95.00")
    assert web_design.vat_code.code == "V21"
    assert web_design.unit_code == "HUR"
    assert Product.objects.get(code="HANDBOOK").vat_code.code == "V9"
    jansen = Party.objects.get(name="Bakkerij Jansen B.V.")
    assert jansen.city == "Utrecht"
    assert CustomerSettings.objects.get(party=jansen).einvoice_profile == (
        EInvoiceProfile.NLCIUS
    )
    assert CustomerSettings.objects.count() == 4
    branding = InvoiceBranding.objects.get()
    assert branding.accent_colour == "#0f5c4c"
    assert branding.logo.read().startswith(b"\x89PNG")
    assert sales_demo_is_loaded()


def test_loader_releases_one_earlier_invoice(sales_demo):
    earlier = SalesInvoice.objects.get()

    assert earlier.customer.name == "Bakkerij Jansen B.V."
    assert earlier.status == InvoiceStatus.SENT
    assert earlier.payable_amount == Decimal("919.60")


def test_loader_twice_changes_nothing(sales_demo):
    secret = webhook_secret()

    load_demo_sales()

    assert SalesInvoice.objects.count() == 1
    assert Product.objects.count() == 3
    assert InvoiceBranding.objects.count() == 1
    assert webhook_secret() == secret


def test_demo_secret_file_private(sales_demo):
    path = demo_secret_path()

    assert len(webhook_secret()) == 64
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_configured_secret_wins(settings, sales_demo):
    settings.FIAT_SALES_WEBHOOK_SECRET = "configured-secret"

    assert webhook_secret() == "configured-secret"


def test_no_demo_secret_with_configured_one(settings, db, tmp_path):
    settings.FIAT_SALES_WEBHOOK_SECRET = "configured-secret"
    load_demo()

    load_demo_sales()

    assert not demo_secret_path().exists()


def test_webhook_rejects_without_any_secret(settings, db):
    settings.FIAT_SALES_WEBHOOK_SECRET = ""
    body = b'{"event_id": "evt-1"}'

    status, result = post_to_webhook(body, sign(body, "guessed", T0))

    assert status == 503
    assert "no signing secret" in result["error"]


def test_webhook_rejects_other_secret(sales_demo):
    body = b'{"event_id": "evt-1"}'

    status, _result = post_to_webhook(body, sign(body, "guessed", T0))

    assert status == 401


def test_routine_deal_released_and_mailed(
    client, sales_demo, outbox, django_capture_on_commit_callbacks
):
    client.login(username="controller", password="demo-controller")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/sales/demo/win-a-deal/", {"deal": "routine"})

    invoice = SalesInvoice.objects.exclude(order_reference="DEAL-0001").get()
    assert response.status_code == 302
    assert response["Location"] == f"/sales/{invoice.pk}/"
    assert invoice.status == InvoiceStatus.SENT
    assert invoice.payable_amount == Decimal("1785.46")
    assert invoice.project.code == "P-001"
    mailing = SalesInvoiceMail.objects.get(invoice=invoice)
    assert mailing.status == MailingStatus.SENT
    names = [file.name for file in mailing.mail.attachment_files.all()]
    assert names == [f"factuur-{invoice.number}.pdf", f"{invoice.number}.xml"]


def test_large_deal_waits_for_controller(
    client, sales_demo, django_capture_on_commit_callbacks
):
    client.login(username="admin", password="demo-admin")

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sales/demo/win-a-deal/", {"deal": "large"})

    invoice = SalesInvoice.objects.exclude(order_reference="DEAL-0001").get()
    assert invoice.status == InvoiceStatus.AWAITING_REVIEW
    assert invoice.payable_amount == Decimal("7260.00")
    assert invoice.number == ""
    request = latest_request(invoice)
    assert request.rule_name == "Above 5,000"
    assert not SalesInvoiceMail.objects.filter(invoice=invoice).exists()


def test_unknown_deal_makes_nothing(client, sales_demo):
    client.login(username="controller", password="demo-controller")

    response = client.post("/sales/demo/win-a-deal/", {"deal": "huge"}, follow=True)

    assert SalesInvoice.objects.count() == 1
    assert "Choose the routine or the large deal." in response.content.decode()


def test_demo_event_ids_unique():
    first = demo_event("routine")
    second = demo_event("routine")

    assert first["event_id"] != second["event_id"]
    assert first["event_id"].startswith("demo-")
    assert first["customer"]["vat_number"] == "NL081234600B01"


@pytest.mark.parametrize("username", ["clerk", "auditor", "employee"])
def test_page_hidden_from_other_roles(client, sales_demo, username):
    client.login(username=username, password=f"demo-{username}")

    response = client.get("/sales/demo/win-a-deal/")

    assert response.status_code == 404


def test_page_hidden_without_demo(client, settings, db):
    load_demo()
    Product.objects.all().delete()
    client.login(username="controller", password="demo-controller")

    response = client.get("/sales/demo/win-a-deal/")

    assert response.status_code == 404


def test_menu_links_demo_page(client, sales_demo):
    client.login(username="controller", password="demo-controller")

    page = client.get("/sales/").content.decode()

    assert 'href="/sales/demo/win-a-deal/"' in page
    assert "Demo: win a deal" in page


def test_demo_command_loads_sales(sales_demo_command_settings):
    call_command("demo", "--without-documents", stdout=None)

    assert Product.objects.filter(code="HOSTING").exists()
    assert sales_demo_is_loaded()


@pytest.fixture
def sales_demo_command_settings(settings, db):
    settings.FIAT_SALES_WEBHOOK_SECRET = ""


def test_demo_invoice_passes_nlcius_rules(client, sales_demo, corpus_dir):
    from fiat.einvoice_rules import NLCIUS_UBL_SCHEMATRON, run_rules
    from fiat.receivables.einvoice.document import invoice_document
    from fiat.receivables.einvoice.ubl import ubl_xml

    client.login(username="controller", password="demo-controller")
    client.post("/sales/demo/win-a-deal/", {"deal": "routine"})
    invoice = SalesInvoice.objects.exclude(order_reference="DEAL-0001").get()

    xml = ubl_xml(invoice_document(invoice), invoice.einvoice_profile)
    report = run_rules(xml, corpus_dir / NLCIUS_UBL_SCHEMATRON)

    assert invoice.einvoice_profile == EInvoiceProfile.NLCIUS
    assert report.fatal == []
