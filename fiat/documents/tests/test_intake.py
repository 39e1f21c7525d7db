"""Every way in stores first, takes the same file or mail in once, then reads."""

import pytest
from django_tasks_db.models import DBTaskResult

from fiat.audit.models import AuditEvent
from fiat.documents.intake import (
    find_companions,
    receive_any,
    receive_file,
    receive_mail,
)
from fiat.documents.mail import parse_mail
from fiat.documents.models import (
    Channel,
    Document,
    DocumentStatus,
    InboundMessage,
    StoredFile,
)
from fiat.documents.tests import samples

pytestmark = pytest.mark.django_db

PDF = "application/pdf"
XML = "application/xml"


def test_received_file_becomes_document(clerk):
    document = receive_file(
        samples.invoice_pdf(),
        "F2024-017.pdf",
        channel=Channel.UPLOAD,
        received_by=clerk,
    )

    assert document.status == DocumentStatus.RECEIVED
    assert document.channel == Channel.UPLOAD
    assert document.filename == "F2024-017.pdf"
    assert document.received_by == clerk
    assert document.stored_file.content_type == PDF


def test_read_queued_on_commit(on_commit):
    with on_commit():
        document = receive_file(samples.invoice_pdf(), "f.pdf", channel=Channel.CLI)

    task = DBTaskResult.objects.get()
    assert task.task_path == "fiat.documents.reading.read_document"
    assert task.args_kwargs["args"] == [document.pk]


def test_received_file_is_recorded_in_audit_trail():
    document = receive_file(samples.invoice_pdf(), "f.pdf", channel=Channel.CLI)

    event = AuditEvent.objects.get(object_id=str(document.pk))
    assert event.action == "document.received"
    assert event.data["channel"] == "cli"
    assert event.data["sha256"] == document.stored_file.sha256


def test_same_file_twice_is_one_document(on_commit):
    with on_commit():
        first = receive_file(samples.invoice_pdf(), "a.pdf", channel=Channel.UPLOAD)
        second = receive_file(samples.invoice_pdf(), "b.pdf", channel=Channel.API)

    assert second.pk == first.pk
    assert second.filename == "a.pdf"
    assert Document.objects.count() == 1
    assert DBTaskResult.objects.count() == 1


def test_file_name_is_cleaned():
    document = receive_file(b"%PDF-1.4", "../../scans/f.pdf", channel=Channel.UPLOAD)

    assert document.filename == "f.pdf"


def test_mail_attachments_become_documents_of_the_message():
    raw = samples.mail(
        ("F1.pdf", samples.invoice_pdf("F1"), PDF),
        ("F2.pdf", samples.invoice_pdf("F2"), PDF),
    )

    intake = receive_mail(raw, channel=Channel.UPLOAD)

    assert intake.created
    assert not intake.quarantined
    assert [item.document.filename for item in intake.received] == ["F1.pdf", "F2.pdf"]
    assert {item.document.message_id for item in intake.received} == {intake.message.pk}
    assert intake.message.raw_file.read_bytes() == raw
    assert intake.message.subject == "Factuur F2024-017"


def test_same_mail_twice_is_taken_in_once():
    raw = samples.mail(("F1.pdf", samples.invoice_pdf("F1"), PDF))
    first = receive_mail(raw, channel=Channel.UPLOAD)

    second = receive_mail(raw, channel=Channel.UPLOAD)

    assert not second.created
    assert second.message.pk == first.message.pk
    assert [item.created for item in second.received] == [False]
    assert InboundMessage.objects.count() == 1
    assert Document.objects.count() == 1


def test_mail_without_attachment_is_kept_in_quarantine():
    raw = samples.mail(
        ("terms.docx", b"PK\x03\x04word", "application/msword"),
        subject="Herinnering: factuur F2024-017",
    )

    intake = receive_mail(raw, channel=Channel.UPLOAD)

    document = intake.received[0].document
    assert intake.quarantined
    assert document.status == DocumentStatus.QUARANTINED
    assert document.error_code == "no_attachment"
    assert document.error_message == (
        "The mail has no PDF, image or e-invoice attached. Attached: terms.docx."
    )
    assert document.filename == "Herinnering_ factuur F2024-017.eml"
    assert document.stored_file == intake.message.raw_file
    assert document.is_mail


def test_xml_with_pdf_becomes_one_document_pair():
    raw = samples.mail(
        ("invoice.pdf", samples.invoice_pdf(), PDF),
        ("ubl.xml", samples.ubl_invoice(), XML),
    )

    intake = receive_mail(raw, channel=Channel.UPLOAD)

    pdf, xml = (item.document for item in intake.received)
    assert xml.companion == pdf
    assert pdf.is_companion
    assert not xml.is_companion


def test_companion_pdf_is_not_queued_on_its_own(on_commit):
    raw = samples.mail(
        ("invoice.pdf", samples.invoice_pdf(), PDF),
        ("invoice.xml", samples.ubl_invoice(), XML),
    )

    with on_commit():
        intake = receive_mail(raw, channel=Channel.UPLOAD)

    xml = intake.received[1].document
    queued = [task.args_kwargs["args"] for task in DBTaskResult.objects.all()]
    assert queued == [[xml.pk]]


def test_companions_are_paired_by_name_first():
    raw = samples.mail(
        ("F1.pdf", samples.invoice_pdf("F1"), PDF),
        ("F2.pdf", samples.invoice_pdf("F2"), PDF),
        ("F2.xml", samples.ubl_invoice("F2"), XML),
        ("F1.xml", samples.ubl_invoice("F1"), XML),
    )

    pairs = find_companions(parse_mail(raw).attachments)

    assert pairs == {2: 1, 3: 0}


def test_xml_that_is_no_einvoice_gets_no_companion():
    raw = samples.mail(
        ("invoice.pdf", samples.invoice_pdf(), PDF),
        ("order.xml", b"<Order><ID>7</ID></Order>", XML),
    )

    pairs = find_companions(parse_mail(raw).attachments)

    assert pairs == {}


def test_saved_mail_is_taken_in_as_its_attachments():
    raw = samples.mail(("F1.pdf", samples.invoice_pdf("F1"), PDF))

    received = receive_any(raw, "Factuur.eml", channel=Channel.FOLDER)

    assert [item.document.filename for item in received] == ["F1.pdf"]
    assert received[0].document.channel == Channel.FOLDER
    assert received[0].document.message.channel == Channel.FOLDER


def test_other_files_are_taken_in_as_they_are():
    received = receive_any(samples.ubl_invoice(), "ubl.xml", channel=Channel.CLI)

    assert [item.document.filename for item in received] == ["ubl.xml"]
    assert received[0].created
    assert StoredFile.objects.count() == 1
