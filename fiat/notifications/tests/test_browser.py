"""Outbox pages in Chromium, at desktop and phone width."""

import pytest
from django.core.mail import EmailMultiAlternatives
from django.test import Client

from fiat.browser_testing import page_width_overflow
from fiat.notifications.models import OutgoingMail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_LINK = "https://fiat.example.nl/invoices/2024-0042/documents/" + "a" * 80


@pytest.fixture
def signed_in_page(page, live_server, alice, settings):
    settings.FIAT_OUTBOX_PAGE = True
    client = Client()
    client.force_login(alice)
    page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )
    return page


def send_invoice_mail(link: str = LONG_LINK) -> OutgoingMail:
    message = EmailMultiAlternatives(
        "Invoice 2024-0042 from Bakkerij de Vries with a long subject line",
        f"Your invoice is ready: {link}\n",
        to=["alice@example.nl"],
    )
    message.attach_alternative(
        f'<p>Your invoice is ready: <a href="{link}">open it</a></p>',
        "text/html",
    )
    message.attach("invoice-2024-0042.pdf", b"%PDF-1.7", "application/pdf")
    message.send()
    return OutgoingMail.objects.get()


def test_outbox_list_fits_width(signed_in_page):
    send_invoice_mail()

    signed_in_page.goto("/outbox/")

    assert signed_in_page.get_by_text("alice@example.nl").is_visible()
    assert page_width_overflow(signed_in_page) == 0


def test_outbox_detail_fits_width(signed_in_page):
    mail_record = send_invoice_mail()

    signed_in_page.goto(f"/outbox/{mail_record.pk}/")

    frame = signed_in_page.frame_locator("iframe.mail-html")
    assert frame.get_by_role("link", name="open it").is_visible()
    assert page_width_overflow(signed_in_page) == 0


def test_mail_link_opens_new_tab(signed_in_page, live_server):
    # A page of the test server, so the click causes no outside traffic.
    link = f"{live_server.url}/outbox/?page=1"
    mail_record = send_invoice_mail(link)
    signed_in_page.goto(f"/outbox/{mail_record.pk}/")
    frame = signed_in_page.frame_locator("iframe.mail-html")

    with signed_in_page.context.expect_page() as new_tab:
        frame.get_by_role("link", name="open it").click()

    new_tab.value.wait_for_load_state()
    assert new_tab.value.url == link
