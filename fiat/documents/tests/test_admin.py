"""Admin: the mailbox password is never shown back; documents can be retried."""

import pytest
from django.urls import reverse

from fiat.documents.intake import receive_file, receive_mail
from fiat.documents.models import Channel, Document, DocumentStatus, Mailbox
from fiat.documents.reading import read_document
from fiat.documents.tests import samples

pytestmark = pytest.mark.django_db

MAILBOX_FORM = {
    "name": "Facturen",
    "enabled": "on",
    "host": "imap.example.net",
    "port": "993",
    "security": "ssl",
    "username": "facturen@example.net",
    "folder": "INBOX",
    "processed_folder": "Processed",
    "quarantine_folder": "Quarantine",
}


@pytest.fixture(autouse=True)
def _english_admin(admin_user) -> None:
    admin_user.language = "en"
    admin_user.save(update_fields=["language"])


@pytest.fixture
def mailbox() -> Mailbox:
    return Mailbox.objects.create(
        name="Facturen",
        host="imap.example.net",
        username="facturen@example.net",
        password="stored-secret",
    )


def test_mailbox_password_is_not_shown_back(admin_client, mailbox):
    response = admin_client.get(
        reverse("admin:documents_mailbox_change", args=[mailbox.pk])
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'type="password" name="password"' in html
    assert "stored-secret" not in html


def test_empty_password_keeps_the_stored_one(admin_client, mailbox):
    response = admin_client.post(
        reverse("admin:documents_mailbox_change", args=[mailbox.pk]),
        {**MAILBOX_FORM, "port": "143", "password": ""},
    )

    mailbox.refresh_from_db()
    assert response.status_code == 302
    assert mailbox.port == 143
    assert mailbox.password == "stored-secret"


def test_new_password_replaces_the_stored_one(admin_client, mailbox):
    admin_client.post(
        reverse("admin:documents_mailbox_change", args=[mailbox.pk]),
        {**MAILBOX_FORM, "password": "new-secret"},
    )

    mailbox.refresh_from_db()
    assert mailbox.password == "new-secret"


def test_new_mailbox_needs_a_password(admin_client):
    response = admin_client.post(
        reverse("admin:documents_mailbox_add"), {**MAILBOX_FORM, "password": ""}
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "password": ["Enter the password of the mail account."]
    }
    assert Mailbox.objects.count() == 0


def test_read_again_action_retries_quarantined_documents(admin_client):
    document = receive_file(samples.NOT_A_PDF, "letter.pdf", channel=Channel.UPLOAD)
    read_document.call(document.pk)

    response = admin_client.post(
        reverse("admin:documents_document_changelist"),
        {"action": "read_again", "_selected_action": [document.pk]},
        follow=True,
    )

    document.refresh_from_db()
    assert response.status_code == 200
    assert document.status == DocumentStatus.RECEIVED
    assert [str(message) for message in response.context["messages"]] == [
        (
            "1 documents sent to be read again, 0 waiting ones queued again, "
            "0 read or being read."
        )
    ]


def test_document_admin_is_read_only(admin_client):
    document = receive_file(samples.invoice_pdf(), "f.pdf", channel=Channel.UPLOAD)

    response = admin_client.get(
        reverse("admin:documents_document_change", args=[document.pk])
    )

    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert (
        reverse("documents:original", args=[document.pk]) in response.content.decode()
    )


def test_received_mail_admin_links_raw_mail(admin_client):
    raw = samples.mail(("f.pdf", samples.invoice_pdf(), "application/pdf"))
    message = receive_mail(raw).message

    response = admin_client.get(
        reverse("admin:documents_inboundmessage_change", args=[message.pk])
    )

    html = response.content.decode()
    assert reverse("documents:message-original", args=[message.pk]) in html
    assert Document.objects.get().filename in html
