"""Mail rendered from templates in the recipient's language."""

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from fiat.notifications.mail import render_mail, send_templated_mail, send_welcome_mail
from fiat.notifications.models import MailStatus, OutgoingMail

pytestmark = pytest.mark.django_db

WELCOME_SUBJECT_EN = "Welcome to Fiat"


@pytest.mark.usefixtures("test_templates")
def test_dutch_mail_renders_in_dutch():
    mail_record = send_templated_mail(
        "language_probe", "alice@example.nl", {"word": "<b>"}, language="nl"
    )

    assert mail_record.subject == "Language nl"
    assert mail_record.body_text == "Ja & <b>\n"
    assert mail_record.body_html == "<p>Ja &lt;b&gt;</p>\n"
    assert mail_record.language == "nl"
    assert mail_record.template_name == "language_probe"


@pytest.mark.usefixtures("test_templates")
def test_english_mail_renders_in_english():
    mail_record = send_templated_mail(
        "language_probe", "alice@example.nl", {"word": "<b>"}, language="en"
    )

    assert mail_record.subject == "Language en"
    assert mail_record.body_text == "Yes & <b>\n"
    assert mail_record.language == "en"


def test_welcome_subject_in_english(alice):
    mail_record = send_templated_mail(
        "welcome", "alice@example.nl", welcome_context(alice), language="en"
    )

    assert mail_record.subject == WELCOME_SUBJECT_EN


def test_welcome_rendered_with_dutch_active(alice):
    rendered = render_mail("welcome", welcome_context(alice), language="nl")

    assert '<html lang="nl">' in rendered.body_html


def test_unknown_language_rejected(alice):
    with pytest.raises(ValueError, match="Mail language 'de' is not one of"):
        send_templated_mail("welcome", "alice@example.nl", {}, language="de")


def test_mail_without_recipient_rejected():
    with pytest.raises(ValueError, match="has no recipient"):
        send_templated_mail("welcome", [], {}, language="en")


@pytest.mark.usefixtures("smtp_server")
def test_templated_mail_sent_with_attachment(alice):
    mail_record = send_templated_mail(
        "welcome",
        "alice@example.nl",
        welcome_context(alice),
        language="en",
        attachments=[("terms.txt", "Terms of use", "text/plain")],
        reply_to="support@example.nl",
    )

    assert mail_record.status == MailStatus.SENT
    assert mail_record.reply_to == ["support@example.nl"]
    assert mail_record.attachments == [
        {"name": "terms.txt", "content_type": "text/plain", "size": 12}
    ]


def test_welcome_mail_links(alice):
    alice.language = "en"

    mail_record = send_welcome_mail(alice)

    uid = urlsafe_base64_encode(force_bytes(alice.pk))
    assert mail_record.to == ["alice@example.nl"]
    assert mail_record.subject == WELCOME_SUBJECT_EN
    assert "https://fiat.example.nl/login/" in mail_record.body_text
    assert "https://fiat.example.nl/login/" in mail_record.body_html
    assert "Your username is alice." in mail_record.body_text
    assert "Hello Alice de Vries," in mail_record.body_text
    match = re.search(
        rf"https://fiat\.example\.nl/password/reset/{uid}/([^/\s]+)/",
        mail_record.body_text,
    )
    assert match is not None
    assert default_token_generator.check_token(alice, match.group(1))


def test_welcome_mail_in_user_language(alice):
    alice.language = "nl"

    mail_record = send_welcome_mail(alice)

    assert mail_record.language == "nl"
    assert OutgoingMail.objects.get().template_name == "welcome"


def welcome_context(user) -> dict:
    return {
        "user": user,
        "login_url": "https://fiat.example.nl/login/",
        "set_password_url": "https://fiat.example.nl/reset/MQ/token/",
        "link_expires_at": user.date_joined,
    }
