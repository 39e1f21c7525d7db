"""Upload by drag and drop or file picker, and the quarantine, in Chromium.

Each test runs at a desktop and a phone viewport (see ``fiat/conftest.py``).
"""

import base64
import re

import pytest
from playwright.sync_api import Page, expect

from fiat.browser_testing import page_width_overflow
from fiat.core.models import Role
from fiat.documents.intake import receive_file
from fiat.documents.models import Channel, Document, DocumentStatus
from fiat.documents.reading import read_document
from fiat.documents.tests import samples
from fiat.documents.tests.conftest import make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def signed_in_clerk(page: Page):
    clerk = make_user("clerk", Role.AP_CLERK)
    page.goto("/login/")
    page.get_by_label("Username").fill("clerk")
    page.get_by_label("Password").fill("pw-clerk")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    return clerk


def drop_files(page: Page, selector: str, files: list[tuple[str, bytes, str]]) -> None:
    """Drop ``files`` (name, bytes, MIME type) on the element, as a person would."""
    encoded = [
        [name, base64.b64encode(content).decode(), mime_type]
        for name, content, mime_type in files
    ]
    transfer = page.evaluate_handle(
        """(files) => {
            const transfer = new DataTransfer();
            for (const [name, encoded, type] of files) {
                const bytes = Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0));
                transfer.items.add(new File([bytes], name, { type }));
            }
            return transfer;
        }""",
        encoded,
    )
    page.dispatch_event(selector, "dragenter", {"dataTransfer": transfer})
    expect(page.locator(selector)).to_have_class(re.compile("is-dragging"))
    page.dispatch_event(selector, "drop", {"dataTransfer": transfer})


def test_dropped_files_are_uploaded(page: Page, signed_in_clerk):
    page.goto("/documents/upload/")

    drop_files(
        page,
        "[data-drop-zone]",
        [
            ("F2024-017.pdf", samples.invoice_pdf(), "application/pdf"),
            ("F2024-018.xml", samples.ubl_invoice("F2024-018"), "application/xml"),
        ],
    )

    expect(page.get_by_role("status")).to_have_text(
        "2 documents received: F2024-017.pdf, F2024-018.xml."
    )
    documents = Document.objects.order_by("filename")
    assert [document.filename for document in documents] == [
        "F2024-017.pdf",
        "F2024-018.xml",
    ]
    assert {document.channel for document in documents} == {Channel.UPLOAD}
    expect(page.locator(".document-list")).to_contain_text("F2024-017.pdf")


def test_chosen_files_are_listed_and_uploaded(page: Page, signed_in_clerk):
    page.goto("/documents/upload/")

    page.get_by_label("Drop invoices here").set_input_files(
        [
            {
                "name": "scan.pdf",
                "mimeType": "application/pdf",
                "buffer": samples.invoice_pdf(),
            },
        ]
    )
    expect(page.locator("[data-file-list]")).to_have_text("scan.pdf")
    page.get_by_role("button", name="Upload").click()

    expect(page.get_by_role("status")).to_have_text("1 document received: scan.pdf.")
    assert Document.objects.get().filename == "scan.pdf"


def test_upload_page_fits_viewport(page: Page, signed_in_clerk):
    page.goto("/documents/upload/")

    expect(page.get_by_role("button", name="Upload")).to_be_visible()
    assert page_width_overflow(page) == 0


def test_quarantined_document_is_retried(page: Page, signed_in_clerk):
    document = receive_file(samples.NOT_A_PDF, "letter.pdf", channel=Channel.UPLOAD)
    read_document.call(document.pk)
    page.goto("/documents/quarantine/")

    item = page.locator(".document-item", has_text="letter.pdf")
    expect(item).to_contain_text("Not a readable PDF")
    expect(item.get_by_role("link", name="Download original")).to_be_visible()
    assert page_width_overflow(page) == 0
    item.get_by_role("button", name="Retry letter.pdf").click()

    expect(page.get_by_role("status")).to_have_text("letter.pdf will be read again.")
    document.refresh_from_db()
    assert document.status == DocumentStatus.RECEIVED
