"""Record outgoing messages and move them through their delivery statuses.

``record_message`` stores a Django ``EmailMessage`` as an ``OutgoingMail``
with its attachments. After that, ``mark_sent`` and ``mark_failed`` are the
only writers of ``OutgoingMail.status``, and they follow ``MAIL_TRANSITIONS``.
"""

import copy
import mimetypes
from dataclasses import dataclass
from email.message import Message
from email.mime.base import MIMEBase
from email.utils import make_msgid, parseaddr

from django.core.files.base import ContentFile
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.message import DEFAULT_ATTACHMENT_MIME_TYPE
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone, translation

from fiat.core.models import Role, User
from fiat.notifications.models import (
    MAIL_TRANSITIONS,
    MailAttachment,
    MailRecipient,
    MailStatus,
    OutgoingMail,
)


class InvalidMailTransitionError(Exception):
    """A status change that ``MAIL_TRANSITIONS`` does not allow."""

    def __init__(self, mail: OutgoingMail, target: str) -> None:
        self.mail = mail
        self.target = target
        super().__init__(
            f"Outgoing mail {mail.pk} ({mail.message_id}) cannot change from "
            f"{mail.status!r} to {target!r}; allowed: "
            f"{sorted(MAIL_TRANSITIONS[mail.status]) or 'none'}."
        )


@dataclass(frozen=True)
class AttachmentContent:
    name: str
    content_type: str
    content: bytes


def with_message_id(message: EmailMessage) -> EmailMessage:
    """Return ``message``, or a copy of it with a new Message-ID header.

    The outbox records the Message-ID before delivery, so it must be fixed
    before Django builds the MIME message. The domain comes from the sender's
    address because Django's default (the host's name) needs a DNS lookup.
    The copy leaves the caller's message unchanged, so sending it twice gives
    two Message-IDs, as it would without the outbox.
    """
    if _header(message, "Message-ID"):
        return message
    domain = parseaddr(message.from_email)[1].rpartition("@")[2] or "localhost"
    message_id = make_msgid(domain=domain)
    message = copy.copy(message)
    message.extra_headers = {**message.extra_headers, "Message-ID": message_id}
    return message


def record_message(
    message: EmailMessage, *, template_name: str = "", language: str = ""
) -> OutgoingMail:
    """Store ``message``, which must have a Message-ID, and its attachments."""
    html_body = _html_body(message)
    attachments = [_attachment_content(item) for item in message.attachments]
    with transaction.atomic():
        mail = OutgoingMail.objects.create(
            message_id=_header(message, "Message-ID"),
            from_email=message.from_email,
            to=list(message.to),
            cc=list(message.cc),
            bcc=list(message.bcc),
            reply_to=list(message.reply_to),
            subject=message.subject,
            body_text="" if message.content_subtype == "html" else message.body,
            body_html=html_body,
            attachments=[_summary(item) for item in attachments],
            template_name=template_name,
            language=language or translation.get_language() or "",
        )
        _record_recipients(mail, message.recipients())
        _record_attachments(mail, attachments)
    return mail


def mark_sent(mail: OutgoingMail) -> None:
    _transition(mail, MailStatus.SENT, sent_at=timezone.now(), error="")


def mark_failed(mail: OutgoingMail, error: str) -> None:
    _transition(mail, MailStatus.FAILED, error=error)


def _transition(mail: OutgoingMail, target: MailStatus, **fields) -> None:
    """Lock the row, check the change, write it and count the attempt."""
    with transaction.atomic():
        current = OutgoingMail.objects.select_for_update().get(pk=mail.pk)
        if target not in MAIL_TRANSITIONS[current.status]:
            raise InvalidMailTransitionError(current, target)
        fields |= {"status": target, "attempts": F("attempts") + 1}
        OutgoingMail.objects.filter(pk=mail.pk).update(**fields)
    mail.refresh_from_db(fields=[*fields])


def build_message(mail: OutgoingMail) -> EmailMultiAlternatives:
    """Rebuild a recorded mail as a message, for delivering it again.

    NOTE: headers other than Message-ID are not recorded, so a resent mail
    carries only the headers Django adds itself.
    """
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body_text or mail.body_html,
        from_email=mail.from_email,
        to=mail.to,
        cc=mail.cc,
        bcc=mail.bcc,
        reply_to=mail.reply_to,
        headers={"Message-ID": mail.message_id},
    )
    if mail.body_html and mail.body_text:
        message.attach_alternative(mail.body_html, "text/html")
    elif mail.body_html:
        message.content_subtype = "html"
    for attachment in mail.attachment_files.all():
        with attachment.file.open("rb") as stored:
            message.attach(attachment.name, stored.read(), attachment.content_type)
    return message


def mails_visible_to(user: User) -> QuerySet[OutgoingMail]:
    """Return all mail for administrators, else the mail sent to ``user``."""
    mails = OutgoingMail.objects.all()
    if user.has_role(Role.ADMINISTRATOR):
        return mails
    if not user.email:
        return mails.none()
    return mails.filter(recipients__address=user.email.strip().lower()).distinct()


def _header(message: EmailMessage, name: str) -> str:
    for key, value in message.extra_headers.items():
        if key.lower() == name.lower():
            return str(value)
    return ""


def _html_body(message: EmailMessage) -> str:
    if message.content_subtype == "html":
        return message.body
    for alternative in getattr(message, "alternatives", []):
        content, mimetype = alternative[0], alternative[1]
        if mimetype == "text/html":
            return str(content)
    return ""


def _attachment_content(item) -> AttachmentContent:
    """Read an attachment in any form ``EmailMessage.attachments`` accepts."""
    if isinstance(item, MIMEBase):
        return AttachmentContent(
            name=item.get_filename() or "attachment",
            content_type=item.get_content_type(),
            content=item.get_payload(decode=True) or b"",
        )
    filename, content, mimetype = item
    if isinstance(filename, tuple):
        # RFC 2231 form: (charset, language, filename).
        filename = filename[2]
    filename = filename or "attachment"
    if isinstance(content, EmailMessage):
        content = content.message().as_bytes()
    elif isinstance(content, Message):
        content = content.as_bytes()
    elif isinstance(content, str):
        content = content.encode()
    mimetype = (
        mimetype or mimetypes.guess_type(filename)[0] or DEFAULT_ATTACHMENT_MIME_TYPE
    )
    return AttachmentContent(name=filename, content_type=mimetype, content=content)


def _summary(attachment: AttachmentContent) -> dict:
    return {
        "name": attachment.name,
        "content_type": attachment.content_type,
        "size": len(attachment.content),
    }


def _record_recipients(mail: OutgoingMail, recipients: list[str]) -> None:
    addresses = {parseaddr(recipient)[1].strip().lower() for recipient in recipients}
    MailRecipient.objects.bulk_create(
        MailRecipient(mail=mail, address=address) for address in addresses if address
    )


def _record_attachments(
    mail: OutgoingMail, attachments: list[AttachmentContent]
) -> None:
    for position, attachment in enumerate(attachments):
        record = MailAttachment(
            mail=mail,
            position=position,
            name=attachment.name[:255],
            content_type=attachment.content_type[:255],
            size=len(attachment.content),
        )
        record.file.save("", ContentFile(attachment.content), save=False)
        record.save()
