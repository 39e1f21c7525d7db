"""Files saved in the drop folder are taken in and moved out of it."""

import os
import time

import pytest

from fiat.documents.dropfolder import drop_folder, scan_drop_folder
from fiat.documents.models import Channel, Document
from fiat.documents.tests import samples

pytestmark = pytest.mark.django_db

PDF = "application/pdf"


@pytest.fixture
def folder(settings):
    folder = settings.FIAT_DROP_DIR
    folder.mkdir()
    return folder


def test_drop_folder_defaults_to_data_folder(settings):
    settings.FIAT_DROP_DIR = None

    assert drop_folder() == settings.DATA_DIR / "drop"


def test_dropped_file_is_taken_in_and_moved(folder):
    (folder / "scan-001.pdf").write_bytes(samples.invoice_pdf())

    result = scan_drop_folder(min_age_seconds=0)

    document = Document.objects.get()
    assert document.filename == "scan-001.pdf"
    assert document.channel == Channel.FOLDER
    assert result.processed == [folder / "processed" / "scan-001.pdf"]
    assert not (folder / "scan-001.pdf").exists()
    assert (folder / "processed" / "scan-001.pdf").read_bytes() == samples.invoice_pdf()


def test_file_still_being_written_waits(folder):
    path = folder / "scan-002.pdf"
    path.write_bytes(samples.invoice_pdf())
    now = time.time()
    os.utime(path, (now - 3, now - 3))

    result = scan_drop_folder(now=now, min_age_seconds=10)

    assert result.processed == []
    assert path.exists()
    assert Document.objects.count() == 0


def test_hidden_files_and_subfolders_are_left_alone(folder):
    (folder / ".scan.pdf.part").write_bytes(samples.invoice_pdf())
    (folder / "archive").mkdir()
    (folder / "archive" / "old.pdf").write_bytes(samples.invoice_pdf())

    result = scan_drop_folder(min_age_seconds=0)

    assert result.processed == []
    assert Document.objects.count() == 0


def test_name_taken_in_processed_folder_is_numbered(folder):
    (folder / "processed").mkdir()
    (folder / "processed" / "scan.pdf").write_bytes(b"earlier")
    (folder / "scan.pdf").write_bytes(samples.invoice_pdf())

    result = scan_drop_folder(min_age_seconds=0)

    assert result.processed == [folder / "processed" / "scan-1.pdf"]


def test_dropped_mail_is_taken_in_as_attachments(folder):
    raw = samples.mail(("F1.pdf", samples.invoice_pdf(), PDF))
    (folder / "Factuur F1.eml").write_bytes(raw)

    scan_drop_folder(min_age_seconds=0)

    document = Document.objects.get()
    assert document.filename == "F1.pdf"
    assert document.message.subject == "Factuur F2024-017"


def test_same_file_dropped_twice_is_one_document(folder):
    (folder / "a.pdf").write_bytes(samples.invoice_pdf())
    scan_drop_folder(min_age_seconds=0)
    (folder / "a.pdf").write_bytes(samples.invoice_pdf())

    result = scan_drop_folder(min_age_seconds=0)

    assert result.processed == [folder / "processed" / "a-1.pdf"]
    assert Document.objects.count() == 1
