"""The mail backend that records every message in the outbox, then delivers it.

Set as EMAIL_BACKEND, so Django's own mail (password resets, error reports)
is recorded too.
"""

from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

from fiat.notifications.delivery import Delivery, configured_delivery, deliver
from fiat.notifications.models import MailStatus, OutgoingMail
from fiat.notifications.outbox import record_message, with_message_id


class OutboxBackend(BaseEmailBackend):
    """Record each message as an OutgoingMail, then deliver it.

    Delivery follows FIAT_EMAIL_DELIVERY. With ``smtp`` each mail goes
    through Django's SMTP backend and is marked sent or failed. With ``none``
    it stays recorded. An unknown value raises ImproperlyConfigured when the
    backend is created. Other keyword arguments (``username``, ``password``...)
    go to the SMTP backend.
    """

    # Django's get_connection() passes fail_silently by keyword, but the base
    # class takes it as a positional argument too.
    def __init__(self, fail_silently: bool = False, **kwargs) -> None:  # noqa: FBT001,FBT002
        super().__init__(fail_silently=fail_silently)
        self.delivery = configured_delivery()
        self.smtp_options = kwargs

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        """Return how many messages were recorded and not failed."""
        mails = self.record_and_send(email_messages)
        return sum(mail.status != MailStatus.FAILED for mail in mails)

    def record_and_send(
        self, email_messages: Sequence[EmailMessage]
    ) -> list[OutgoingMail]:
        """Record every message first, then deliver them. Returns the records.

        A message without recipients is skipped, as Django's SMTP backend
        does. A message may carry ``template_name`` and ``language``
        attributes, which are recorded with it.
        """
        messages = [
            with_message_id(message)
            for message in email_messages
            if message.recipients()
        ]
        mails = [
            record_message(
                message,
                template_name=getattr(message, "template_name", ""),
                language=getattr(message, "language", ""),
            )
            for message in messages
        ]
        # NOTE: if the caller's database transaction rolls back after this,
        # the mail stays delivered but its record is rolled back with it.
        if self.delivery is Delivery.SMTP:
            deliver(
                list(zip(mails, messages, strict=True)),
                fail_silently=self.fail_silently,
                smtp_options=self.smtp_options,
            )
        return mails
