"""The read task keeps what was read, hands it over, or quarantines with a reason."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from fiat.documents import lifecycle
from fiat.documents.extraction.result import ExtractionError
from fiat.documents.intake import receive_file, receive_mail
from fiat.documents.jobs import resume_interrupted_reads_job
from fiat.documents.lifecycle import InvalidTransitionError
from fiat.documents.models import Channel, Document, DocumentStatus
from fiat.documents.reading import (
    document_handler,
    extract,
    read_document,
    retry_document,
)
from fiat.documents.tests import samples

pytestmark = pytest.mark.django_db

PDF = "application/pdf"
XML = "application/xml"


def test_extract_reads_ubl_first(tmp_path):
    path = tmp_path / "stored-name"
    path.write_bytes(samples.ubl_invoice())

    result = extract(path, "F2024-017.xml")

    assert result.source == "ubl"
    assert result.file == "F2024-017.xml"
    assert result.invoice_number == "F2024-017"


def test_extract_reads_pdf_text_layer(tmp_path):
    path = tmp_path / "invoice.pdf"
    path.write_bytes(samples.invoice_pdf())

    result = extract(path, "invoice.pdf")

    assert result.source == "pdf_text"
    assert result.invoice_number == "F2024-017"


def test_extract_errors_name_the_file_not_its_path(tmp_path):
    path = tmp_path / "0b5e"
    path.write_bytes(samples.pageless_pdf())

    with pytest.raises(ExtractionError) as caught:
        extract(path, "scan.pdf")

    assert caught.value.code == "no_pages"
    assert str(tmp_path) not in caught.value.message


def test_extract_rejects_unsupported_type(tmp_path):
    path = tmp_path / "sheet"
    path.write_bytes(b"PK\x03\x04 spreadsheet")

    with pytest.raises(ExtractionError) as caught:
        extract(path, "prices.xlsx")

    assert caught.value.code == "unsupported_type"


def test_read_document_stores_result_and_hands_over(handled_documents):
    document = receive_file(samples.invoice_pdf(), "f.pdf", channel=Channel.CLI)

    status = read_document.call(document.pk)

    document.refresh_from_db()
    assert status == DocumentStatus.READ
    assert document.status == DocumentStatus.READ
    assert document.source == "pdf_text"
    assert document.page_count == 1
    assert document.attempts == 1
    assert document.extraction["invoice_number"] == "F2024-017"
    assert document.extraction["total_gross"] == "121.00"
    assert document.read_at is not None
    assert handled_documents == [(document.pk, "pdf_text")]


def test_read_task_delivered_twice_reads_once(handled_documents):
    document = receive_file(samples.invoice_pdf(), "f.pdf", channel=Channel.CLI)
    read_document.call(document.pk)

    second = read_document.call(document.pk)

    document.refresh_from_db()
    assert second is None
    assert document.attempts == 1
    assert len(handled_documents) == 1


def test_received_document_is_read_by_immediate_worker(immediate_tasks, on_commit):
    with on_commit():
        document = receive_file(samples.ubl_invoice(), "f.xml", channel=Channel.API)

    document.refresh_from_db()
    assert document.status == DocumentStatus.READ
    assert document.source == "ubl"


@pytest.mark.usefixtures("failing_handler")
def test_handler_failure_quarantines_and_keeps_reading():
    document = receive_file(samples.invoice_pdf(), "f.pdf", channel=Channel.CLI)

    read_document.call(document.pk)

    document.refresh_from_db()
    assert document.status == DocumentStatus.QUARANTINED
    assert document.error_code == "invoice_failed"
    assert document.error_message == (
        "Could not create the invoice: the supplier table is locked for maintenance"
    )
    assert document.extraction["invoice_number"] == "F2024-017"
    assert document.read_at is None


def test_retry_reads_quarantined_document_again(settings, handled_documents):
    settings.FIAT_DOCUMENT_HANDLER = "fiat.documents.tests.handlers.fail"
    document = receive_file(samples.invoice_pdf(), "f.pdf", channel=Channel.CLI)
    read_document.call(document.pk)
    settings.FIAT_DOCUMENT_HANDLER = "fiat.documents.tests.handlers.record_document"

    document = retry_document(Document.objects.get(pk=document.pk))
    assert document.status == DocumentStatus.RECEIVED
    read_document.call(document.pk)

    document.refresh_from_db()
    assert document.status == DocumentStatus.READ
    assert document.attempts == 2
    assert document.error_code == ""
    assert handled_documents == [(document.pk, "pdf_text")]


def test_retry_is_queued_after_commit(immediate_tasks, on_commit):
    document = receive_file(samples.pageless_pdf(), "f.pdf", channel=Channel.CLI)
    read_document.call(document.pk)

    with on_commit():
        retry_document(Document.objects.get(pk=document.pk))

    document.refresh_from_db()
    assert document.status == DocumentStatus.QUARANTINED
    assert document.attempts == 2


def test_companion_is_read_with_its_einvoice(handled_documents):
    raw = samples.mail(
        ("invoice.pdf", samples.invoice_pdf(), PDF),
        ("invoice.xml", samples.ubl_invoice(), XML),
    )
    pdf, xml = (item.document for item in receive_mail(raw).received)

    read_document.call(xml.pk)

    pdf.refresh_from_db()
    xml.refresh_from_db()
    assert xml.status == DocumentStatus.READ
    assert pdf.status == DocumentStatus.READ
    assert pdf.page_count == 1
    assert pdf.extraction is None
    assert handled_documents == [(xml.pk, "ubl")]


def test_companion_read_alone_after_failure(
    settings, immediate_tasks, on_commit, handled_documents
):
    raw = samples.mail(
        ("invoice.pdf", samples.invoice_pdf(), PDF),
        ("invoice.xml", samples.ubl_invoice(), XML),
    )
    pdf, xml = (item.document for item in receive_mail(raw).received)
    # The e-invoice is changed on disk after intake, as a broken disk would.
    xml.stored_file.file.storage.delete(xml.stored_file.file.name)
    xml.stored_file.file.storage.save(xml.stored_file.file.name, ContentFile(b"<x>"))

    with on_commit():
        read_document.call(xml.pk)

    pdf.refresh_from_db()
    xml.refresh_from_db()
    assert xml.status == DocumentStatus.QUARANTINED
    assert xml.companion is None
    assert pdf.status == DocumentStatus.READ
    assert pdf.source == "pdf_text"
    assert handled_documents == [(pdf.pk, "pdf_text")]


def test_missing_handler_module_leaves_documents_read(settings):
    settings.FIAT_DOCUMENT_HANDLER = "fiat.documents.no_such_module.create_invoice"

    assert document_handler() is None


def test_retry_of_interrupted_read_is_allowed():
    document = receive_file(samples.invoice_pdf(), "f.pdf", channel=Channel.CLI)
    reading = lifecycle.start_reading(document.pk)

    retried = lifecycle.retry(reading, now=reading.updated_at + timedelta(hours=2))

    assert retried.status == DocumentStatus.RECEIVED


def test_retry_while_worker_reads_is_rejected():
    document = receive_file(samples.invoice_pdf(), "f.pdf", channel=Channel.CLI)
    reading = lifecycle.start_reading(document.pk)

    with pytest.raises(InvalidTransitionError):
        lifecycle.retry(reading, now=reading.updated_at + timedelta(minutes=5))


def test_retry_of_read_document_is_rejected():
    document = receive_file(samples.invoice_pdf(), "f.pdf", channel=Channel.CLI)
    read_document.call(document.pk)

    with pytest.raises(InvalidTransitionError, match="is read, so it cannot become"):
        lifecycle.retry(Document.objects.get(pk=document.pk))


def test_read_task_of_deleted_document_does_nothing():
    assert read_document.call(987654) is None


def test_retried_mail_without_attachment_stays_quarantined():
    raw = samples.mail(("terms.docx", b"PK\x03\x04word", "application/msword"))
    document = receive_mail(raw).received[0].document

    retry_document(document)
    status = read_document.call(document.pk)

    document.refresh_from_db()
    assert status == DocumentStatus.QUARANTINED
    assert document.error_code == "no_attachment"
    assert document.error_message == (
        "The mail has no PDF, image or e-invoice attached. Attached: terms.docx."
    )
    assert document.attempts == 1


def _interrupted_read(started_ago: timedelta) -> Document:
    """Return a document left READING ``started_ago``, as by a killed worker."""
    document = receive_file(samples.invoice_pdf(), "f.pdf", channel=Channel.CLI)
    lifecycle.start_reading(document.pk)
    Document.objects.filter(pk=document.pk).update(
        updated_at=timezone.now() - started_ago
    )
    return document


def test_job_resumes_interrupted_read(immediate_tasks, on_commit, handled_documents):
    document = _interrupted_read(timedelta(hours=2))

    with on_commit():
        resumed = resume_interrupted_reads_job(timezone.now())

    document.refresh_from_db()
    assert resumed == 1
    assert document.status == DocumentStatus.READ
    assert document.attempts == 2
    assert handled_documents == [(document.pk, "pdf_text")]


def test_job_leaves_running_read_alone(immediate_tasks, on_commit):
    document = _interrupted_read(timedelta(minutes=5))

    with on_commit():
        resumed = resume_interrupted_reads_job(timezone.now())

    document.refresh_from_db()
    assert resumed == 0
    assert document.status == DocumentStatus.READING
    assert document.attempts == 1
