"""Mail a released sales invoice to the customer, with retries.

Each request to send (at release, or "send again" on the invoice page)
makes one ``SalesInvoiceMail`` and queues the ``send_invoice_mail`` task.
The task renders the PDF/A-3 with its Factur-X XML and the UBL file in the
customer's profile, and mails both, with any attachments of the invoice,
to the customer's invoice address in the customer's language. A failed
delivery is tried again after RETRY_DELAYS. After MAX_ATTEMPTS the request
is failed. The invoice page shows the error, the list of invoices shows it
to the controller, and "send again" starts a new request.
"""

import logging
from datetime import timedelta
from functools import partial

from django.db import transaction
from django_tasks import task

from fiat.audit.services import record_event
from fiat.core.dates import now
from fiat.core.models import Company, User
from fiat.notifications.mail import send_templated_mail
from fiat.notifications.models import MailStatus
from fiat.receivables.einvoice.document import invoice_document
from fiat.receivables.einvoice.ubl import ubl_xml
from fiat.receivables.models import (
    LOCKED_STATUSES,
    MailingStatus,
    SalesInvoice,
    SalesInvoiceMail,
)
from fiat.receivables.printing import DOCUMENT_TITLES, format_date, format_money
from fiat.receivables.rendering import pdf_filename, render_invoice_pdf
from fiat.receivables.workflow import lock_invoice, mark_sent

logger = logging.getLogger(__name__)

MAIL_TEMPLATE = "sales_invoice"
MAX_ATTEMPTS = 3
# Waits before the second and third attempt: long enough for a mail server
# that restarts, short enough that the customer still gets the invoice today.
RETRY_DELAYS = (timedelta(minutes=2), timedelta(minutes=15))


class NotSendableError(ValueError):
    """An invoice that cannot be mailed: a draft, or one without an address."""


def invoice_recipient(invoice: SalesInvoice) -> str:
    """Return the customer's invoice address, or its general one."""
    return invoice.customer.invoice_email or invoice.customer.email


def request_send(invoice: SalesInvoice, actor: User | None) -> SalesInvoiceMail:
    """Queue the mailing of a released invoice and return the request.

    Raise NotSendableError for a draft or an invoice awaiting review, and
    for a customer without an e-mail address.
    """
    if invoice.status not in LOCKED_STATUSES:
        raise NotSendableError(
            f"Sales invoice {invoice.pk} is {invoice.status}; release it before "
            "sending."
        )
    recipient = invoice_recipient(invoice)
    if not recipient:
        raise NotSendableError(
            f"Customer {invoice.customer} has no e-mail address; add an invoice "
            "address to the customer first."
        )
    with transaction.atomic():
        locked = lock_invoice(invoice)
        mailing = SalesInvoiceMail.objects.create(
            invoice=locked, recipient=recipient, requested_by=actor
        )
        locked.send_error = ""
        locked.send_attempts = 0
        locked.save(update_fields=["send_error", "send_attempts", "updated_at"])
        record_event(
            locked,
            "sales_invoice.send_requested",
            actor=actor,
            data={"number": locked.number, "mailing_id": mailing.pk},
        )
        transaction.on_commit(partial(send_invoice_mail.enqueue, mailing.pk))
    return mailing


@task(queue_name="default")
def send_invoice_mail(mailing_id: int) -> str:
    """Make the next attempt of mailing request ``mailing_id``.

    Return the request's status. A request that is no longer pending (a
    task delivered twice) is left alone.
    """
    return deliver(mailing_id).status


def deliver(mailing_id: int) -> SalesInvoiceMail:
    """Render and mail the invoice of a pending request, once.

    A failure that attempts remain for queues the next attempt; the last
    failure fails the request.
    """
    with transaction.atomic():
        mailing = SalesInvoiceMail.objects.select_for_update().get(pk=mailing_id)
        if mailing.status != MailingStatus.PENDING:
            return mailing
        mailing.attempts += 1
        mailing.save(update_fields=["attempts"])
    invoice = mailing.invoice
    mail = send_templated_mail(
        MAIL_TEMPLATE,
        mailing.recipient,
        mail_context(invoice),
        language=invoice.language,
        attachments=invoice_files(invoice),
        reply_to=Company.current().email or None,
        fail_silently=True,
    )
    if mail.status == MailStatus.FAILED:
        return _record_failure(mailing, mail)
    return _record_success(mailing, mail)


def mail_context(invoice: SalesInvoice) -> dict:
    """Return the values the invoice mail prints, in the invoice's language."""
    language = invoice.language
    company = Company.current()
    return {
        "invoice": invoice,
        "customer": invoice.customer,
        "company_name": company.legal_name or company.name,
        "document_title": DOCUMENT_TITLES[invoice.document_type],
        "amount": format_money(invoice.payable_amount, invoice.currency, language),
        "due_date": format_date(invoice.due_date, language) if invoice.due_date else "",
        "is_credit_note": invoice.document_type == "credit_note",
        "iban": company.iban,
    }


def invoice_files(invoice: SalesInvoice) -> list[tuple[str, bytes, str]]:
    """Return the mail's attachments: the PDF, the UBL file, supporting files."""
    document = invoice_document(invoice)
    files = [
        (pdf_filename(invoice), render_invoice_pdf(invoice), "application/pdf"),
        (
            f"{invoice.number}.xml",
            ubl_xml(document, invoice.einvoice_profile),
            "application/xml",
        ),
    ]
    for attachment in invoice.attachments.all():
        with attachment.file.open("rb") as stored:
            name = attachment.file.name.rsplit("/", 1)[-1]
            files.append((name, stored.read(), "application/octet-stream"))
    return files


def _record_success(mailing: SalesInvoiceMail, mail) -> SalesInvoiceMail:
    with transaction.atomic():
        mailing.status = MailingStatus.SENT
        mailing.mail = mail
        mailing.error = ""
        mailing.finished_at = now()
        mailing.save(update_fields=["status", "mail", "error", "finished_at"])
        mark_sent(mailing.invoice, mailing.requested_by, mail_id=mail.pk)
    logger.info(
        "Sales invoice %s mailed to %s",
        mailing.invoice.number,
        mailing.recipient,
        extra={"sales_invoice_id": mailing.invoice_id, "mail_id": mail.pk},
    )
    return mailing


def _record_failure(mailing: SalesInvoiceMail, mail) -> SalesInvoiceMail:
    final = mailing.attempts >= MAX_ATTEMPTS
    with transaction.atomic():
        invoice = lock_invoice(mailing.invoice)
        mailing.mail = mail
        mailing.error = mail.error
        fields = ["mail", "error"]
        if final:
            mailing.status = MailingStatus.FAILED
            mailing.finished_at = now()
            fields += ["status", "finished_at"]
        mailing.save(update_fields=fields)
        invoice.send_attempts = mailing.attempts
        invoice.send_error = mail.error
        invoice.save(update_fields=["send_attempts", "send_error", "updated_at"])
        if final:
            record_event(
                invoice,
                "sales_invoice.send_failed",
                actor=None,
                data={"mailing_id": mailing.pk, "error": mail.error},
            )
        else:
            transaction.on_commit(partial(_enqueue_retry, mailing))
    log = logger.error if final else logger.warning
    log(
        "Mailing sales invoice %s to %s failed on attempt %s of %s: %s",
        invoice.number,
        mailing.recipient,
        mailing.attempts,
        MAX_ATTEMPTS,
        mail.error,
        extra={"sales_invoice_id": invoice.pk, "mailing_id": mailing.pk},
    )
    return mailing


def _enqueue_retry(mailing: SalesInvoiceMail) -> None:
    delay = RETRY_DELAYS[min(mailing.attempts, len(RETRY_DELAYS)) - 1]
    retry = send_invoice_mail
    if retry.get_backend().supports_defer:
        retry = retry.using(run_after=now() + delay)
    retry.enqueue(mailing.pk)
