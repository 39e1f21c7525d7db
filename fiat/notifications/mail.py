"""Compose mail from templates in the recipient's language and send it.

A mail named ``<name>`` is three templates under ``notifications/mail/``:
``<name>.subject.txt``, ``<name>.txt`` and ``<name>.html``. They are
rendered with the recipient's language active, so one set of templates serves
Dutch and English through
``{% translate %}`` and ``{% blocktranslate %}``. The text templates are
rendered without HTML escaping, so they need no ``{% autoescape off %}``.
Links in mail are absolute, built from FIAT_BASE_URL.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from email.mime.base import MIMEBase

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template import Context, engines
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from fiat.core.models import User
from fiat.notifications.backends import OutboxBackend
from fiat.notifications.models import OutgoingMail


class TemplatedMessage(EmailMultiAlternatives):
    """A message rendered from mail templates, recorded with its template."""

    def __init__(self, *args, template_name: str, language: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.template_name = template_name
        self.language = language


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    body_text: str
    body_html: str


def absolute_url(viewname: str, **kwargs) -> str:
    """Return the absolute URL of a view, for links in mail.

    FIAT_BASE_URL is taken as the site's scheme and host, and ``reverse``
    adds the path, including FORCE_SCRIPT_NAME when that is set.
    """
    return settings.FIAT_BASE_URL + reverse(viewname, kwargs=kwargs)


def render_mail(template_name: str, context: dict, *, language: str) -> RenderedMail:
    """Render a mail's subject, text and HTML body in ``language``."""
    _check_language(language)
    prefix = f"notifications/mail/{template_name}"
    context = {"base_url": settings.FIAT_BASE_URL, **context}
    with translation.override(language):
        subject = _render_text(f"{prefix}.subject.txt", context)
        body_text = _render_text(f"{prefix}.txt", context)
        body_html = render_to_string(f"{prefix}.html", context)
    # A header cannot contain line breaks, and templates often end in one.
    return RenderedMail(" ".join(subject.split()), body_text, body_html)


def send_templated_mail(
    template_name: str,
    to: str | Sequence[str],
    context: dict,
    *,
    language: str,
    attachments: Iterable[tuple | MIMEBase] = (),
    reply_to: str | Sequence[str] | None = None,
    fail_silently: bool = False,
) -> OutgoingMail:
    """Render the mail ``template_name`` in ``language``, record and send it.

    ``attachments`` are (filename, content, mimetype) tuples or MIME parts,
    as ``EmailMessage.attach`` takes them. The mail always goes through the
    outbox backend, whatever EMAIL_BACKEND is set to, so that the recorded
    mail can be returned. With delivery ``smtp``, a failed delivery raises the
    SMTP error and the mail stays recorded as failed. With ``fail_silently``
    the failed mail is returned instead.
    """
    recipients = _as_list(to)
    if not recipients:
        raise ValueError(
            f"Mail {template_name!r} has no recipient. Pass at least one "
            "address in `to`."
        )
    rendered = render_mail(template_name, context, language=language)
    message = TemplatedMessage(
        subject=rendered.subject,
        body=rendered.body_text,
        to=recipients,
        reply_to=_as_list(reply_to),
        alternatives=[(rendered.body_html, "text/html")],
        template_name=template_name,
        language=language,
    )
    for attachment in attachments:
        if isinstance(attachment, MIMEBase):
            message.attach(attachment)
        else:
            message.attach(*attachment)
    backend = OutboxBackend(fail_silently=fail_silently)
    [mail] = backend.record_and_send([message])
    return mail


def send_welcome_mail(user: User) -> OutgoingMail:
    """Send a new user links to sign in and to choose a password.

    The password link is Django's password-reset confirmation link, so it
    needs the ``password_reset_confirm`` URL, and it stops working after
    PASSWORD_RESET_TIMEOUT seconds or once the password is set.
    """
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    context = {
        "user": user,
        "login_url": absolute_url("login"),
        "set_password_url": absolute_url(
            "password_reset_confirm", uidb64=uid, token=token
        ),
        "link_expires_at": timezone.now()
        + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT),
    }
    return send_templated_mail("welcome", user.email, context, language=user.language)


def _render_text(template_name: str, context: dict) -> str:
    template = engines["django"].get_template(template_name)
    return template.template.render(Context(context, autoescape=False))


def _check_language(language: str) -> None:
    codes = [code for code, _name in settings.LANGUAGES]
    if language not in codes:
        raise ValueError(
            f"Mail language {language!r} is not one of LANGUAGES: {', '.join(codes)}."
        )


def _as_list(addresses: str | Sequence[str] | None) -> list[str]:
    if not addresses:
        return []
    if isinstance(addresses, str):
        return [addresses]
    return list(addresses)
