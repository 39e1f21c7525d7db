"""Mail about purchase invoices: an approved invoice that could not be booked."""

import logging

from django.db.models import Q

from fiat.core.models import Role, User
from fiat.notifications.mail import absolute_url, send_templated_mail
from fiat.payables.approval import invoice_title
from fiat.payables.models import InvoiceStatus, PurchaseInvoice

logger = logging.getLogger(__name__)


def booking_failure_recipients(invoice: PurchaseInvoice) -> list[User]:
    """Return who can correct an unbooked invoice: its submitter and the
    active controllers, each once and only with an e-mail address."""
    users = User.objects.filter(is_active=True).exclude(email="")
    controllers = Q(role_grants__role=Role.CONTROLLER)
    if invoice.submitted_by_id:
        users = users.filter(controllers | Q(pk=invoice.submitted_by_id))
    else:
        users = users.filter(controllers)
    return list(users.distinct().order_by("pk"))


def send_booking_failed_mail(invoice_id: int) -> None:
    """Tell the submitter and the controllers why an approved invoice is unbooked.

    Nothing is sent once the invoice is booked or its reason is gone. A
    failed delivery stays in the outbox as failed.
    """
    invoice = PurchaseInvoice.objects.select_related("supplier").get(pk=invoice_id)
    if invoice.status != InvoiceStatus.APPROVED or not invoice.booking_error:
        return
    context = {
        "invoice": invoice,
        "title": invoice_title(invoice),
        "reason": invoice.booking_error,
        "invoice_url": absolute_url("payables:invoice", pk=invoice.pk),
    }
    for user in booking_failure_recipients(invoice):
        send_templated_mail(
            "invoice_booking_failed",
            user.email,
            {**context, "user": user},
            language=user.language,
            fail_silently=True,
        )
    logger.info(
        "Mailed that invoice %s is not booked",
        invoice.pk,
        extra={"invoice_id": invoice.pk},
    )
