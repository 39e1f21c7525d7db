"""Hand recorded mail to the mail server chosen by FIAT_EMAIL_DELIVERY.

``smtp`` sends through Django's SMTP backend with the EMAIL_* settings.
``none`` leaves every mail recorded in the outbox, so the outbox page is the
only place to read it (the embedded setup).
"""

import logging
import smtplib
from collections.abc import Iterable, Sequence
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend

from fiat.notifications.models import MailStatus, OutgoingMail
from fiat.notifications.outbox import build_message, mark_failed, mark_sent

logger = logging.getLogger(__name__)


class Delivery(StrEnum):
    SMTP = "smtp"
    NONE = "none"


def configured_delivery() -> Delivery:
    """Return FIAT_EMAIL_DELIVERY, or raise ImproperlyConfigured if unknown."""
    value = settings.FIAT_EMAIL_DELIVERY
    try:
        return Delivery(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"FIAT_EMAIL_DELIVERY={value!r} is not a known mail delivery. Set it "
            "to 'smtp' to send through EMAIL_HOST, or to 'none' to only record "
            "mail in the outbox."
        ) from None


def deliver(
    pairs: Sequence[tuple[OutgoingMail, EmailMessage]],
    *,
    fail_silently: bool,
    smtp_options: dict | None = None,
) -> int:
    """Send each recorded mail over SMTP and record whether it was sent.

    Every message gets its attempt, also after an earlier one failed. Unless
    ``fail_silently``, the first error is raised once all were tried. Returns
    the number of messages sent. ``smtp_options`` go to Django's SMTP backend
    (``username`` and ``password`` from ``send_mail(auth_user=...)``).
    """
    smtp = SmtpBackend(fail_silently=False, **(smtp_options or {}))
    first_error = None
    sent_count = 0
    try:
        for mail, message in pairs:
            error = _send_one(smtp, mail, message)
            if error is None:
                sent_count += 1
            elif first_error is None:
                first_error = error
    finally:
        _close_quietly(smtp)
    if first_error is not None and not fail_silently:
        raise first_error
    return sent_count


def resend_failed(mails: Iterable[OutgoingMail]) -> tuple[int, int]:
    """Deliver the failed mails among ``mails`` again.

    Returns (sent, failed). Mails in another status are left alone. Raises
    ImproperlyConfigured when delivery is not ``smtp``, because a resend
    would have nowhere to go.
    """
    if configured_delivery() is not Delivery.SMTP:
        raise ImproperlyConfigured(
            "Mail delivery is off (FIAT_EMAIL_DELIVERY=none), so failed mail "
            "cannot be resent. Set FIAT_EMAIL_DELIVERY=smtp and EMAIL_HOST first."
        )
    failed = [mail for mail in mails if mail.status == MailStatus.FAILED]
    logger.info("Resending %d failed mail(s)", len(failed))
    pairs = [(mail, build_message(mail)) for mail in failed]
    sent_count = deliver(pairs, fail_silently=True)
    return sent_count, len(pairs) - sent_count


def _send_one(
    smtp: SmtpBackend, mail: OutgoingMail, message: EmailMessage
) -> Exception | None:
    try:
        smtp.open()
        smtp.send_messages([message])
    except (smtplib.SMTPException, OSError) as exc:
        error = f"{type(exc).__name__}: {exc}"
        mark_failed(mail, error)
        logger.error(
            "Delivery of mail %s to %s failed: %s",
            mail.message_id,
            ", ".join(message.recipients()),
            error,
            extra={"outgoing_mail_id": mail.pk, "message_id": mail.message_id},
        )
        # Start the next message on a fresh connection, because the server
        # may have dropped this one.
        _close_quietly(smtp)
        return exc
    mark_sent(mail)
    logger.info(
        "Sent mail %s to %s",
        mail.message_id,
        ", ".join(message.recipients()),
        extra={"outgoing_mail_id": mail.pk, "message_id": mail.message_id},
    )
    return None


def _close_quietly(smtp: SmtpBackend) -> None:
    try:
        smtp.close()
    except (smtplib.SMTPException, OSError) as exc:
        logger.warning("Closing the SMTP connection failed: %s", exc)
