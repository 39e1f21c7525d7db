"""The outbox backend records every message, then delivers it over SMTP."""

import smtplib

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, EmailMultiAlternatives, send_mail
from django.urls import reverse

from fiat.notifications.backends import OutboxBackend
from fiat.notifications.checks import check_mail_delivery
from fiat.notifications.models import MailStatus, OutgoingMail
from fiat.notifications.tests.conftest import REJECTED_ADDRESS

pytestmark = pytest.mark.django_db

INVOICE_PDF = b"%PDF-1.7\n% invoice 2024-0042\n"


def invoice_message(to: str = "finance@example.nl") -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject="Invoice 2024-0042",
        body="Please find invoice 2024-0042 attached.",
        to=[to],
        cc=["copy@example.nl"],
        bcc=["archive@example.nl"],
        reply_to=["accounts@example.nl"],
    )
    message.attach_alternative(
        "<p>Please find invoice 2024-0042 attached.</p>", "text/html"
    )
    message.attach("invoice-2024-0042.pdf", INVOICE_PDF, "application/pdf")
    return message


def test_smtp_delivery_reaches_server(smtp_server):
    message = invoice_message()

    sent_count = message.send()

    assert sent_count == 1
    [received] = smtp_server.messages()
    assert received["Subject"] == "Invoice 2024-0042"
    [attachment] = list(received.iter_attachments())
    assert attachment.get_filename() == "invoice-2024-0042.pdf"
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == INVOICE_PDF
    assert sorted(smtp_server.envelopes[0].rcpt_tos) == [
        "archive@example.nl",
        "copy@example.nl",
        "finance@example.nl",
    ]


def test_smtp_delivery_recorded_as_sent(smtp_server):
    message = invoice_message()

    message.send()

    mail_record = OutgoingMail.objects.get()
    [received] = smtp_server.messages()
    assert mail_record.status == MailStatus.SENT
    assert mail_record.attempts == 1
    assert mail_record.sent_at is not None
    assert mail_record.error == ""
    assert mail_record.message_id == received["Message-ID"]
    assert mail_record.message_id.endswith("@example.nl>")


def test_recorded_fields(smtp_server):
    message = invoice_message()

    message.send()

    mail_record = OutgoingMail.objects.get()
    assert mail_record.from_email == "Fiat <fiat@example.nl>"
    assert mail_record.to == ["finance@example.nl"]
    assert mail_record.cc == ["copy@example.nl"]
    assert mail_record.bcc == ["archive@example.nl"]
    assert mail_record.reply_to == ["accounts@example.nl"]
    assert mail_record.subject == "Invoice 2024-0042"
    assert mail_record.body_text == "Please find invoice 2024-0042 attached."
    assert mail_record.body_html == "<p>Please find invoice 2024-0042 attached.</p>"
    assert mail_record.attachments == [
        {
            "name": "invoice-2024-0042.pdf",
            "content_type": "application/pdf",
            "size": len(INVOICE_PDF),
        }
    ]
    assert sorted(mail_record.recipients.values_list("address", flat=True)) == [
        "archive@example.nl",
        "copy@example.nl",
        "finance@example.nl",
    ]


def test_attachment_bytes_kept(smtp_server):
    invoice_message().send()

    [attachment] = OutgoingMail.objects.get().attachment_files.all()

    assert attachment.name == "invoice-2024-0042.pdf"
    assert attachment.size == len(INVOICE_PDF)
    with attachment.file.open("rb") as stored:
        assert stored.read() == INVOICE_PDF


def test_delivery_none_only_records(settings):
    settings.FIAT_EMAIL_DELIVERY = "none"

    sent_count = send_mail(
        "Reminder", "Invoice 2024-0042 is due.", None, ["finance@example.nl"]
    )

    mail_record = OutgoingMail.objects.get()
    assert sent_count == 1
    assert mail_record.status == MailStatus.RECORDED
    assert mail_record.attempts == 0
    assert mail_record.sent_at is None


def test_server_down_records_failure(smtp_server_down):
    message = invoice_message()

    with pytest.raises(ConnectionRefusedError):
        message.send(fail_silently=False)

    mail_record = OutgoingMail.objects.get()
    assert mail_record.status == MailStatus.FAILED
    assert mail_record.error == "ConnectionRefusedError: [Errno 111] Connection refused"
    assert mail_record.attempts == 1
    assert mail_record.sent_at is None


def test_server_down_silent_when_asked(smtp_server_down):
    message = invoice_message()

    sent_count = message.send(fail_silently=True)

    assert sent_count == 0
    assert OutgoingMail.objects.get().status == MailStatus.FAILED


def test_server_down_logs_recipient(smtp_server_down, caplog):
    message = invoice_message()

    message.send(fail_silently=True)

    mail_record = OutgoingMail.objects.get()
    [record] = [r for r in caplog.records if r.name == "fiat.notifications.delivery"]
    assert record.levelname == "ERROR"
    assert mail_record.message_id in record.getMessage()
    assert "finance@example.nl" in record.getMessage()


def test_refused_message_does_not_stop_batch(smtp_server):
    refused = EmailMessage("Refused", "Body", to=[REJECTED_ADDRESS])
    accepted = EmailMessage("Accepted", "Body", to=["finance@example.nl"])

    with pytest.raises(smtplib.SMTPRecipientsRefused):
        OutboxBackend().send_messages([refused, accepted])

    statuses = dict(OutgoingMail.objects.values_list("subject", "status"))
    assert statuses == {"Refused": MailStatus.FAILED, "Accepted": MailStatus.SENT}
    assert [m["Subject"] for m in smtp_server.messages()] == ["Accepted"]


def test_message_without_recipients_skipped(smtp_server):
    message = EmailMessage("Nobody", "Body", to=[])

    sent_count = OutboxBackend().send_messages([message])

    assert sent_count == 0
    assert OutgoingMail.objects.count() == 0


def test_caller_message_keeps_no_message_id(settings):
    message = EmailMessage("Twice", "Body", to=["finance@example.nl"])

    message.send()
    message.send()

    assert message.extra_headers == {}
    first, second = OutgoingMail.objects.values_list("message_id", flat=True)
    assert first != second


def test_caller_message_id_kept(settings):
    message = EmailMessage(
        "Threaded",
        "Body",
        to=["finance@example.nl"],
        headers={"Message-ID": "<thread-1@example.nl>"},
    )

    message.send()

    assert OutgoingMail.objects.get().message_id == "<thread-1@example.nl>"


def test_django_password_reset_mail_recorded(alice, client):
    # Django sends reset mail only to users who have a usable password.
    alice.set_password("correct horse battery staple")
    alice.save()

    client.post(reverse("password_reset"), {"email": "alice@example.nl"})

    mail_record = OutgoingMail.objects.get()
    assert mail_record.to == ["alice@example.nl"]
    assert "https://fiat.example.nl/password/reset/" in mail_record.body_text


def test_unknown_delivery_rejected(settings):
    settings.FIAT_EMAIL_DELIVERY = "smpt"

    with pytest.raises(ImproperlyConfigured) as raised:
        OutboxBackend()

    assert str(raised.value) == (
        "FIAT_EMAIL_DELIVERY='smpt' is not a known mail delivery. Set it to "
        "'smtp' to send through EMAIL_HOST, or to 'none' to only record mail "
        "in the outbox."
    )


def test_unknown_delivery_fails_system_check(settings):
    settings.FIAT_EMAIL_DELIVERY = "smpt"

    errors = check_mail_delivery(None)

    assert [error.id for error in errors] == ["notifications.E001"]
