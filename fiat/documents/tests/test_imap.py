"""Polling IMAP mailboxes, against a real Dovecot server on 127.0.0.1."""

import pytest
from django.urls import reverse

from fiat.documents.imap import PollResult, poll_mailbox, poll_mailboxes
from fiat.documents.models import (
    Channel,
    Document,
    DocumentStatus,
    InboundMessage,
    Mailbox,
    MailboxSecurity,
)
from fiat.documents.tests import samples
from fiat.documents.tests.conftest import IMAP_USERS

pytestmark = pytest.mark.django_db

PDF = "application/pdf"
XML = "application/xml"


def make_mailbox(server, username: str = "invoices", password: str | None = None):
    return Mailbox.objects.create(
        name=username,
        host=server.host,
        port=server.port,
        security=MailboxSecurity.NONE,
        username=username,
        password=IMAP_USERS[username] if password is None else password,
    )


def append(server, raw: bytes, username: str = "invoices") -> None:
    with server.connect(username, IMAP_USERS[username]) as client:
        client.append(raw, "INBOX")


def subjects(server, folder: str, username: str = "invoices") -> list[str]:
    with server.connect(username, IMAP_USERS[username]) as client:
        if not client.folder.exists(folder):
            return []
        client.folder.set(folder)
        return [message.subject for message in client.fetch(mark_seen=False)]


def test_mail_with_pdf_becomes_document_and_is_moved(dovecot):
    mailbox = make_mailbox(dovecot)
    append(dovecot, samples.mail(("F2024-017.pdf", samples.invoice_pdf(), PDF)))

    result = poll_mailbox(mailbox)

    document = Document.objects.get()
    mailbox.refresh_from_db()
    assert result == PollResult(taken_in=1)
    assert document.filename == "F2024-017.pdf"
    assert document.channel == Channel.IMAP
    assert document.message.mailbox == mailbox
    assert document.message.message_id == "<f2024-017@drukkerij-devries.example>"
    assert document.stored_file.read_bytes() == samples.invoice_pdf()
    assert subjects(dovecot, "INBOX") == []
    assert subjects(dovecot, "Processed") == ["Factuur F2024-017"]
    assert mailbox.last_polled_at is not None
    assert mailbox.last_error == ""


def test_same_mail_polled_twice_is_taken_in_once(dovecot):
    mailbox = make_mailbox(dovecot)
    append(dovecot, samples.mail(("F2024-017.pdf", samples.invoice_pdf(), PDF)))
    poll_mailbox(mailbox)
    with dovecot.connect("invoices", IMAP_USERS["invoices"]) as client:
        client.folder.set("Processed")
        client.copy([message.uid for message in client.fetch()], "INBOX")

    result = poll_mailbox(mailbox)

    assert result == PollResult(duplicates=1)
    assert InboundMessage.objects.count() == 1
    assert Document.objects.count() == 1
    assert subjects(dovecot, "INBOX") == []
    assert subjects(dovecot, "Processed") == ["Factuur F2024-017"] * 2


def test_mail_without_usable_attachment_is_quarantined(dovecot, client, clerk):
    mailbox = make_mailbox(dovecot)
    append(
        dovecot,
        samples.mail(
            ("prices.xlsx", b"PK\x03\x04 sheet", "application/vnd.ms-excel"),
            subject="Prijslijst 2024",
        ),
    )

    result = poll_mailbox(mailbox)

    document = Document.objects.get()
    assert result == PollResult(quarantined=1)
    assert document.status == DocumentStatus.QUARANTINED
    assert document.error_code == "no_attachment"
    assert document.error_message == (
        "The mail has no PDF, image or e-invoice attached. Attached: prices.xlsx."
    )
    assert subjects(dovecot, "INBOX") == []
    assert subjects(dovecot, "Quarantine") == ["Prijslijst 2024"]
    client.force_login(clerk)
    response = client.get(reverse("documents:original", args=[document.pk]))
    downloaded = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert response["Content-Type"] == "message/rfc822"
    assert downloaded == document.message.raw_file.read_bytes()
    assert b"Subject: Prijslijst 2024" in downloaded


def test_einvoice_beside_pdf_becomes_one_pair(
    dovecot, immediate_tasks, on_commit, handled_documents
):
    mailbox = make_mailbox(dovecot)
    append(
        dovecot,
        samples.mail(
            ("F2024-017.pdf", samples.invoice_pdf(), PDF),
            ("F2024-017.xml", samples.ubl_invoice(), XML),
        ),
    )

    with on_commit():
        poll_mailbox(mailbox)

    xml = Document.objects.get(filename="F2024-017.xml")
    pdf = Document.objects.get(filename="F2024-017.pdf")
    assert xml.companion == pdf
    assert xml.status == DocumentStatus.READ
    assert pdf.status == DocumentStatus.READ
    assert handled_documents == [(xml.pk, "ubl")]


def test_einvoice_pair_makes_one_purchase_invoice(
    settings, dovecot, immediate_tasks, on_commit
):
    from fiat.payables.models import PurchaseInvoice

    settings.FIAT_DOCUMENT_HANDLER = "fiat.payables.intake.create_invoice_from_document"
    mailbox = make_mailbox(dovecot)
    append(
        dovecot,
        samples.mail(
            ("F2024-017.pdf", samples.invoice_pdf(), PDF),
            ("F2024-017.xml", samples.ubl_invoice(), XML),
        ),
    )

    with on_commit():
        poll_mailbox(mailbox)

    invoice = PurchaseInvoice.objects.get()
    assert invoice.document == Document.objects.get(filename="F2024-017.xml")
    assert invoice.companion == Document.objects.get(filename="F2024-017.pdf")


def test_wrong_password_is_recorded_and_next_mailbox_polls(dovecot):
    wrong = make_mailbox(dovecot, "invoices", password="not-the-password")
    right = make_mailbox(dovecot, "scans")
    append(dovecot, samples.mail(("scan.pdf", samples.invoice_pdf(), PDF)), "scans")

    results = poll_mailboxes()

    wrong.refresh_from_db()
    right.refresh_from_db()
    assert results == {wrong.pk: None, right.pk: PollResult(taken_in=1)}
    assert wrong.last_error.startswith(
        f"Login failed for user invoices on 127.0.0.1:{dovecot.port}: "
    )
    assert "Check the user name and password." in wrong.last_error
    assert right.last_error == ""
    assert Document.objects.get().message.mailbox == right


def test_unreachable_server_is_recorded(dovecot):
    mailbox = make_mailbox(dovecot)
    mailbox.port = 1
    mailbox.save()

    results = poll_mailboxes()

    mailbox.refresh_from_db()
    assert results == {mailbox.pk: None}
    assert mailbox.last_error.startswith("Polling 127.0.0.1:1 failed: ")


def test_disabled_mailbox_is_not_polled(dovecot):
    mailbox = make_mailbox(dovecot)
    mailbox.enabled = False
    mailbox.save()
    append(dovecot, samples.mail(("f.pdf", samples.invoice_pdf(), PDF)))

    results = poll_mailboxes()

    assert results == {}
    assert subjects(dovecot, "INBOX") == ["Factuur F2024-017"]
