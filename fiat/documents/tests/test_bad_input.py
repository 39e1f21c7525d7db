"""Hostile and broken files land in quarantine, and the next file is still read."""

import pytest

from fiat.documents.dropfolder import scan_drop_folder
from fiat.documents.models import Document, DocumentStatus
from fiat.documents.tests import samples

pytestmark = pytest.mark.django_db

BAD_FILES = {
    "billion-laughs.xml": (samples.BILLION_LAUGHS, "unsafe_xml"),
    "external-entity.xml": (samples.EXTERNAL_ENTITY, "unsafe_xml"),
    "letter.pdf": (samples.NOT_A_PDF, "not_a_pdf"),
    "empty.pdf": (b"", "empty_file"),
    "no-pages.pdf": (samples.pageless_pdf(), "no_pages"),
}


@pytest.fixture
def dropped(settings, immediate_tasks, on_commit, handled_documents):
    """Drop the bad files and one good invoice, then scan the folder once."""
    folder = settings.FIAT_DROP_DIR
    folder.mkdir()
    for name, (content, _) in BAD_FILES.items():
        (folder / name).write_bytes(content)
    (folder / "zz-invoice.pdf").write_bytes(samples.invoice_pdf())
    with on_commit():
        return scan_drop_folder(min_age_seconds=0)


@pytest.mark.parametrize(
    ("filename", "expected_code"),
    [(name, code) for name, (_, code) in BAD_FILES.items()],
)
def test_bad_file_is_quarantined_with_reason(dropped, filename, expected_code):
    document = Document.objects.get(filename=filename)

    assert document.status == DocumentStatus.QUARANTINED
    assert document.error_code == expected_code
    assert document.error_message != ""
    assert filename in [path.name for path in dropped.processed]


def test_unsafe_xml_reason_tells_what_to_ask_for(dropped):
    document = Document.objects.get(filename="billion-laughs.xml")

    assert "Ask the supplier to send a plain UBL or CII e-invoice" in (
        document.error_message
    )


def test_good_file_after_bad_ones_is_read(dropped, handled_documents):
    document = Document.objects.get(filename="zz-invoice.pdf")

    assert document.status == DocumentStatus.READ
    assert handled_documents == [(document.pk, "pdf_text")]


def test_bad_files_keep_their_original(dropped):
    document = Document.objects.get(filename="billion-laughs.xml")

    assert document.stored_file.read_bytes() == samples.BILLION_LAUGHS
