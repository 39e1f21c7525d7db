"""Outbox pages: which mail each user can open, and how a mail is shown."""

from datetime import UTC, datetime

import pytest
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.urls import reverse

from fiat.notifications.models import OutgoingMail

pytestmark = pytest.mark.django_db

SANDBOX = (
    'sandbox="allow-popups allow-popups-to-escape-sandbox '
    'allow-top-navigation-by-user-activation"'
)


@pytest.fixture(autouse=True)
def _outbox_page_on(settings):
    settings.FIAT_OUTBOX_PAGE = True


def send_text_mail(to: str, subject: str = "Invoice 2024-0042") -> OutgoingMail:
    body = "Your invoice is ready: https://fiat.example.nl/invoices/42/\n"
    EmailMessage(subject, body, to=[to]).send()
    return OutgoingMail.objects.get(subject=subject)


def test_list_shows_mail_to_recipient(client, alice):
    send_text_mail("Alice de Vries <Alice@Example.nl>")
    client.force_login(alice)

    response = client.get(reverse("outbox"))

    assert response.status_code == 200
    assert [mail.subject for mail in response.context["page"]] == ["Invoice 2024-0042"]
    assert "Invoice 2024-0042" in response.content.decode()


def test_list_hides_mail_to_others(client, alice, bob):
    send_text_mail("alice@example.nl")
    client.force_login(bob)

    response = client.get(reverse("outbox"))

    assert list(response.context["page"]) == []


def test_detail_of_others_mail_is_404(client, alice, bob):
    mail_record = send_text_mail("alice@example.nl")
    client.force_login(bob)

    response = client.get(reverse("outbox-detail", args=[mail_record.pk]))

    assert response.status_code == 404


def test_cc_recipient_sees_mail(client, bob):
    EmailMessage("Copy", "Body", to=["alice@example.nl"], cc=["bob@example.nl"]).send()
    client.force_login(bob)

    response = client.get(reverse("outbox"))

    assert [mail.subject for mail in response.context["page"]] == ["Copy"]


def test_administrator_sees_all_mail(client, administrator):
    send_text_mail("alice@example.nl", subject="First")
    send_text_mail("bob@example.nl", subject="Second")
    client.force_login(administrator)

    response = client.get(reverse("outbox"))

    assert [mail.subject for mail in response.context["page"]] == ["Second", "First"]


def test_administrator_opens_any_mail(client, administrator):
    mail_record = send_text_mail("alice@example.nl")
    client.force_login(administrator)

    response = client.get(reverse("outbox-detail", args=[mail_record.pk]))

    assert response.status_code == 200


def test_user_without_email_sees_nothing(client, bob):
    send_text_mail("bob@example.nl")
    bob.email = ""
    bob.save()
    client.force_login(bob)

    response = client.get(reverse("outbox"))

    assert list(response.context["page"]) == []


def test_list_pages_newest_first(client, administrator):
    for number in range(51):
        EmailMessage(f"Mail {number}", "Body", to=["alice@example.nl"]).send()
    client.force_login(administrator)

    first_page = client.get(reverse("outbox"))
    second_page = client.get(reverse("outbox"), {"page": 2})

    assert len(first_page.context["page"]) == 50
    assert first_page.context["page"][0].subject == "Mail 50"
    assert [mail.subject for mail in second_page.context["page"]] == ["Mail 0"]


def test_detail_links_are_clickable(client, alice):
    mail_record = send_text_mail("alice@example.nl")
    client.force_login(alice)

    response = client.get(reverse("outbox-detail", args=[mail_record.pk]))

    assert (
        '<a href="https://fiat.example.nl/invoices/42/" rel="nofollow">'
        "https://fiat.example.nl/invoices/42/</a>"
    ) in response.content.decode()


def test_detail_html_in_sandboxed_frame(client, alice):
    message = EmailMultiAlternatives("Newsletter", "Plain", to=["alice@example.nl"])
    message.attach_alternative('<p>Hi</p><script>alert("x")</script>', "text/html")
    message.send()
    mail_record = OutgoingMail.objects.get()
    client.force_login(alice)

    page = client.get(reverse("outbox-detail", args=[mail_record.pk])).content.decode()

    assert SANDBOX in page
    assert (
        'srcdoc="&lt;base target=&quot;_blank&quot;&gt;&lt;p&gt;Hi&lt;/p&gt;'
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
    ) in page
    assert '<script>alert("x")</script>' not in page


def test_attachment_download(client, alice):
    message = EmailMessage("Invoice", "Attached.", to=["alice@example.nl"])
    message.attach("invoice.pdf", b"%PDF-1.7 invoice", "application/pdf")
    message.send()
    mail_record = OutgoingMail.objects.get()
    client.force_login(alice)

    detail = client.get(reverse("outbox-detail", args=[mail_record.pk]))
    response = client.get(reverse("outbox-attachment", args=[mail_record.pk, 0]))

    download_url = reverse("outbox-attachment", args=[mail_record.pk, 0])
    assert f'href="{download_url}"' in detail.content.decode()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="invoice.pdf"'
    assert b"".join(response.streaming_content) == b"%PDF-1.7 invoice"


def test_attachment_of_others_mail_is_404(client, bob):
    message = EmailMessage("Invoice", "Attached.", to=["alice@example.nl"])
    message.attach("invoice.pdf", b"%PDF-1.7 invoice", "application/pdf")
    message.send()
    mail_record = OutgoingMail.objects.get()
    client.force_login(bob)

    response = client.get(reverse("outbox-attachment", args=[mail_record.pk, 0]))

    assert response.status_code == 404


def test_login_required(client):
    response = client.get(reverse("outbox"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse('outbox')}"


@pytest.mark.parametrize("url_name", ["outbox", "outbox-detail"])
def test_outbox_off_is_404(client, settings, administrator, url_name):
    mail_record = send_text_mail("admin@example.nl")
    settings.FIAT_OUTBOX_PAGE = False
    client.force_login(administrator)
    args = [mail_record.pk] if url_name == "outbox-detail" else []

    response = client.get(reverse(url_name, args=args))

    assert response.status_code == 404


def test_list_and_detail_show_same_date(client, alice):
    mail_record = send_text_mail("alice@example.nl")
    created_at = datetime(2026, 12, 4, 17, 31, tzinfo=UTC)
    OutgoingMail.objects.filter(pk=mail_record.pk).update(created_at=created_at)
    client.force_login(alice)

    list_page = client.get(reverse("outbox"), headers={"Accept-Language": "nl"})
    detail_page = client.get(
        reverse("outbox-detail", args=[mail_record.pk]),
        headers={"Accept-Language": "nl"},
    )

    shown_date = '<time datetime="2026-12-04T18:31:00+01:00">4-12-2026 18:31</time>'
    assert shown_date in list_page.text
    assert shown_date in detail_page.text
