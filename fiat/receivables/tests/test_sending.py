"""Mailing released invoices: attachments, language, retries, send again."""

import socket
from datetime import timedelta

import pytest
from django_tasks_db.models import DBTaskResult

from fiat.audit.models import AuditEvent
from fiat.core.dates import now
from fiat.notifications.models import MailStatus
from fiat.receivables.models import InvoiceStatus, MailingStatus, SalesInvoiceMail
from fiat.receivables.queries import failed_mailings
from fiat.receivables.release import release_invoice
from fiat.receivables.sending import (
    MAX_ATTEMPTS,
    NotSendableError,
    deliver,
    request_send,
)
from fiat.receivables.tests.einvoices import (
    dutch_customer,
    make_company,
    reverse_charge_invoice,
)
from fiat.receivables.tests.factories import make_draft

pytestmark = pytest.mark.django_db

TASK_PATH = "fiat.receivables.sending.send_invoice_mail"


@pytest.fixture(autouse=True)
def _company(db):
    make_company()


@pytest.fixture
def unreachable_smtp(settings):
    """Point SMTP delivery at a local port that nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.FIAT_EMAIL_DELIVERY = "smtp"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_TIMEOUT = 5


def _released(django_capture_on_commit_callbacks, customer=None, **fields):
    with django_capture_on_commit_callbacks(execute=True):
        return release_invoice(
            make_draft(
                customer or dutch_customer(invoice_email="ap@visser.nl"), **fields
            ),
            None,
        )


def _queued_mailing_ids() -> list[int]:
    return [
        result.args_kwargs["args"][0]
        for result in DBTaskResult.objects.filter(task_path=TASK_PATH)
    ]


def test_release_queues_mail(outbox, django_capture_on_commit_callbacks):
    invoice = _released(django_capture_on_commit_callbacks)

    mailing = SalesInvoiceMail.objects.get(invoice=invoice)
    assert mailing.recipient == "ap@visser.nl"
    assert mailing.status == MailingStatus.PENDING
    assert _queued_mailing_ids() == [mailing.pk]


def test_mail_carries_pdf_and_ubl(outbox, django_capture_on_commit_callbacks):
    invoice = _released(django_capture_on_commit_callbacks)
    mailing = SalesInvoiceMail.objects.get(invoice=invoice)

    deliver(mailing.pk)

    mail = outbox.get()
    attachments = list(mail.attachment_files.order_by("position"))
    assert mail.to == ["ap@visser.nl"]
    assert mail.subject == f"Factuur {invoice.number} van Fiat Demo B.V."
    assert mail.language == "nl"
    assert [a.name for a in attachments] == [
        f"factuur-{invoice.number}.pdf",
        f"{invoice.number}.xml",
    ]
    assert [a.content_type for a in attachments] == [
        "application/pdf",
        "application/xml",
    ]
    assert "Betalingskenmerk" not in mail.body_text
    assert invoice.payment_reference in mail.body_text
    assert mail.reply_to == ["facturen@fiat.example"]


def test_sent_mail_is_recorded_on_invoice(outbox, django_capture_on_commit_callbacks):
    invoice = _released(django_capture_on_commit_callbacks)
    mailing = SalesInvoiceMail.objects.get(invoice=invoice)

    deliver(mailing.pk)

    invoice.refresh_from_db()
    mailing.refresh_from_db()
    assert invoice.status == InvoiceStatus.SENT
    assert invoice.sent_at is not None
    assert mailing.status == MailingStatus.SENT
    assert mailing.mail == outbox.get()
    assert AuditEvent.objects.filter(action="sales_invoice.sent").count() == 1


def test_english_customer_gets_english_mail(outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invoice = reverse_charge_invoice()
    mailing = SalesInvoiceMail.objects.get(invoice=invoice)

    deliver(mailing.pk)

    mail = outbox.get()
    assert mail.subject == f"Invoice {invoice.number} from Fiat Demo B.V."
    assert "Attached is invoice" in mail.body_text
    assert mail.attachment_files.first().name == f"invoice-{invoice.number}.pdf"


def test_duplicate_task_sends_once(outbox, django_capture_on_commit_callbacks):
    invoice = _released(django_capture_on_commit_callbacks)
    mailing = SalesInvoiceMail.objects.get(invoice=invoice)

    deliver(mailing.pk)
    deliver(mailing.pk)

    assert outbox.count() == 1


def test_failed_attempt_is_retried(
    outbox, unreachable_smtp, django_capture_on_commit_callbacks
):
    invoice = _released(django_capture_on_commit_callbacks)
    mailing = SalesInvoiceMail.objects.get(invoice=invoice)
    before = now()

    with django_capture_on_commit_callbacks(execute=True):
        deliver(mailing.pk)

    mailing.refresh_from_db()
    invoice.refresh_from_db()
    retry = DBTaskResult.objects.filter(task_path=TASK_PATH).latest("enqueued_at")
    assert mailing.status == MailingStatus.PENDING
    assert mailing.attempts == 1
    assert mailing.error
    assert invoice.send_attempts == 1
    assert invoice.send_error == mailing.error
    assert invoice.status == InvoiceStatus.RELEASED
    assert _queued_mailing_ids() == [mailing.pk, mailing.pk]
    assert retry.run_after >= before + timedelta(minutes=2)
    assert outbox.get().status == MailStatus.FAILED


def test_last_failure_fails_request(
    outbox, unreachable_smtp, django_capture_on_commit_callbacks
):
    invoice = _released(django_capture_on_commit_callbacks)
    mailing = SalesInvoiceMail.objects.get(invoice=invoice)

    with django_capture_on_commit_callbacks(execute=True):
        for _attempt in range(MAX_ATTEMPTS):
            deliver(mailing.pk)

    mailing.refresh_from_db()
    invoice.refresh_from_db()
    assert mailing.status == MailingStatus.FAILED
    assert mailing.attempts == MAX_ATTEMPTS
    assert invoice.send_attempts == MAX_ATTEMPTS
    assert invoice.status == InvoiceStatus.RELEASED
    assert list(failed_mailings()) == [mailing]
    assert len(_queued_mailing_ids()) == MAX_ATTEMPTS
    assert AuditEvent.objects.filter(action="sales_invoice.send_failed").count() == 1


def test_send_again_after_failure(
    outbox, settings, unreachable_smtp, django_capture_on_commit_callbacks
):
    invoice = _released(django_capture_on_commit_callbacks)
    first = SalesInvoiceMail.objects.get(invoice=invoice)
    for _attempt in range(MAX_ATTEMPTS):
        deliver(first.pk)
    settings.FIAT_EMAIL_DELIVERY = "none"

    again = request_send(invoice, None)
    deliver(again.pk)

    invoice.refresh_from_db()
    assert again.pk != first.pk
    assert invoice.status == InvoiceStatus.SENT
    assert invoice.send_error == ""
    assert list(failed_mailings()) == []


def test_sent_invoice_can_be_sent_again(outbox, django_capture_on_commit_callbacks):
    invoice = _released(django_capture_on_commit_callbacks)
    deliver(SalesInvoiceMail.objects.get(invoice=invoice).pk)

    again = request_send(invoice, None)
    deliver(again.pk)

    invoice.refresh_from_db()
    assert outbox.count() == 2
    assert invoice.status == InvoiceStatus.SENT
    assert AuditEvent.objects.filter(action="sales_invoice.sent_again").count() == 1


def test_draft_cannot_be_sent():
    draft = make_draft(dutch_customer())

    with pytest.raises(NotSendableError, match="release it before sending"):
        request_send(draft, None)


def test_customer_without_address_shows_error(django_capture_on_commit_callbacks):
    invoice = _released(django_capture_on_commit_callbacks, dutch_customer(email=""))

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.RELEASED
    assert "has no e-mail address" in invoice.send_error
    assert not SalesInvoiceMail.objects.filter(invoice=invoice).exists()
