"""Recorded outgoing mail: the outbox.

Every message the application sends is stored here before it is handed to
the mail server, so a mail can be read again, downloaded with its attachments
and resent after a failure. ``MAIL_TRANSITIONS`` lists the status changes that
``fiat.notifications.outbox`` is allowed to make.
"""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MailStatus(models.TextChoices):
    # Stored but not handed to a mail server, because delivery is off or has
    # not been tried yet.
    RECORDED = "recorded", _("Recorded")
    # Accepted by the mail server for every recipient it was given.
    SENT = "sent", _("Sent")
    # The last delivery attempt failed, and ``OutgoingMail.error`` has the
    # reason.
    FAILED = "failed", _("Failed")


# Allowed status changes. A failed mail can be delivered again (the admin
# "resend" action), and a sent mail is final.
MAIL_TRANSITIONS: dict[str, frozenset[str]] = {
    MailStatus.RECORDED: frozenset({MailStatus.SENT, MailStatus.FAILED}),
    MailStatus.FAILED: frozenset({MailStatus.SENT, MailStatus.FAILED}),
    MailStatus.SENT: frozenset(),
}


class OutgoingMail(models.Model):
    """One message as the application sent it, with its delivery status."""

    message_id = models.CharField(_("Message-ID"), max_length=255, db_index=True)
    from_email = models.TextField(_("from"))
    to = models.JSONField(_("to"), default=list)
    cc = models.JSONField(_("cc"), default=list)
    bcc = models.JSONField(_("bcc"), default=list)
    reply_to = models.JSONField(_("reply to"), default=list)
    subject = models.TextField(_("subject"))
    body_text = models.TextField(_("text body"), blank=True)
    body_html = models.TextField(_("HTML body"), blank=True)
    # A summary for lists and the API: name, content_type and size in bytes
    # of each attachment, in message order. The bytes are in MailAttachment.
    attachments = models.JSONField(_("attachments"), default=list)
    template_name = models.CharField(_("template"), max_length=100, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MailStatus.choices,
        default=MailStatus.RECORDED,
    )
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveIntegerField(_("delivery attempts"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mail")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"


class MailRecipient(models.Model):
    """One address a mail went to (to, cc or bcc), for finding a user's mail.

    The address is stored lower-cased, without a display name.
    """

    mail = models.ForeignKey(
        OutgoingMail, on_delete=models.CASCADE, related_name="recipients"
    )
    address = models.CharField(_("address"), max_length=254, db_index=True)

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        constraints = [
            models.UniqueConstraint(
                fields=["mail", "address"], name="unique_mail_recipient"
            ),
        ]

    def __str__(self) -> str:
        return self.address


def _attachment_path(instance: "MailAttachment", filename: str) -> str:
    # A generated name, because the attachment's own name comes from outside
    # and may contain path separators. The ``name`` field keeps that name.
    return f"outbox/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class MailAttachment(models.Model):
    """The bytes of one attachment of a recorded mail, under MEDIA_ROOT."""

    mail = models.ForeignKey(
        OutgoingMail, on_delete=models.CASCADE, related_name="attachment_files"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    file = models.FileField(_("file"), upload_to=_attachment_path)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["mail", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["mail", "position"], name="unique_attachment_position"
            ),
        ]

    def __str__(self) -> str:
        return self.name
