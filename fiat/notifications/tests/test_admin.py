"""Admin for the outbox: read-only, with a resend action for failed mail."""

import pytest
from django.core.mail import EmailMessage
from django.test import override_settings

from fiat.core.models import User
from fiat.notifications.models import MailStatus, OutgoingMail
from fiat.notifications.tests.conftest import free_port, smtp_settings

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/notifications/outgoingmail/"


@pytest.fixture
def superuser_client(client):
    superuser = User.objects.create_superuser(
        "root", "root@example.nl", "secret", language="en"
    )
    client.force_login(superuser)
    return client


def failed_mail() -> OutgoingMail:
    with smtp_settings(free_port()):
        EmailMessage("Invoice 2024-0042", "Body", to=["finance@example.nl"]).send(
            fail_silently=True
        )
    return OutgoingMail.objects.get()


def test_resend_delivers_failed_mail(superuser_client, smtp_server):
    mail_record = failed_mail()

    superuser_client.post(
        CHANGELIST, {"action": "resend", "_selected_action": [mail_record.pk]}
    )

    mail_record.refresh_from_db()
    [received] = smtp_server.messages()
    assert mail_record.status == MailStatus.SENT
    assert mail_record.attempts == 2
    assert mail_record.error == ""
    assert received["Message-ID"] == mail_record.message_id
    assert received["Subject"] == "Invoice 2024-0042"


def test_resend_skips_sent_mail(superuser_client, smtp_server):
    EmailMessage("Sent once", "Body", to=["finance@example.nl"]).send()
    mail_record = OutgoingMail.objects.get()

    superuser_client.post(
        CHANGELIST, {"action": "resend", "_selected_action": [mail_record.pk]}
    )

    mail_record.refresh_from_db()
    assert mail_record.attempts == 1
    assert len(smtp_server.envelopes) == 1


def test_resend_with_delivery_off_changes_nothing(superuser_client):
    mail_record = failed_mail()

    with override_settings(FIAT_EMAIL_DELIVERY="none"):
        response = superuser_client.post(
            CHANGELIST,
            {"action": "resend", "_selected_action": [mail_record.pk]},
            follow=True,
        )

    mail_record.refresh_from_db()
    assert mail_record.status == MailStatus.FAILED
    assert "nothing was resent" in response.content.decode()


def test_changelist_searches_recipient(superuser_client):
    EmailMessage("For finance", "Body", to=["finance@example.nl"]).send()
    EmailMessage("For sales", "Body", to=["sales@example.nl"]).send()

    response = superuser_client.get(CHANGELIST, {"q": "sales@"})

    assert [mail.subject for mail in response.context["cl"].result_list] == [
        "For sales"
    ]


def test_mail_cannot_be_changed(superuser_client):
    mail_record = failed_mail()

    response = superuser_client.post(
        f"{CHANGELIST}{mail_record.pk}/change/", {"subject": "Edited"}
    )

    mail_record.refresh_from_db()
    assert response.status_code == 403
    assert mail_record.subject == "Invoice 2024-0042"
