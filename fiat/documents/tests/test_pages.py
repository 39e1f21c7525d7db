"""Page images are rendered once at screen resolution and kept in storage."""

import io

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from fiat.documents.intake import receive_file, receive_mail
from fiat.documents.models import Channel
from fiat.documents.pages import PageNotFoundError, count_pages, page_image
from fiat.documents.tests import samples

pytestmark = pytest.mark.django_db


def png_size(png: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(png)) as image:
        return image.size


def photo(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, format="JPEG")
    return buffer.getvalue()


def test_pdf_page_is_rendered_at_120_dpi():
    document = receive_file(samples.invoice_pdf(), "f.pdf", channel=Channel.API)

    png = page_image(document, 1)

    # An A4 page is 595 by 842 points of 1/72 inch: 991.7 by 1403.3 pixels,
    # which pdfium rounds up.
    assert png_size(png) == (992, 1404)


def test_rendered_page_is_kept_in_storage():
    document = receive_file(samples.invoice_pdf(), "f.pdf", channel=Channel.API)
    sha256 = document.stored_file.sha256

    png = page_image(document, 1)

    name = f"pages/{sha256[:2]}/{sha256}/1.png"
    assert default_storage.exists(name)
    with default_storage.open(name, "rb") as file:
        assert file.read() == png


def test_photo_is_scaled_down_to_png():
    document = receive_file(photo(3000, 4000), "photo.jpg", channel=Channel.UPLOAD)

    png = page_image(document, 1)

    assert png.startswith(b"\x89PNG")
    assert png_size(png) == (1200, 1600)


def test_einvoice_shows_pages_of_its_companion():
    raw = samples.mail(
        ("invoice.pdf", samples.invoice_pdf(), "application/pdf"),
        ("invoice.xml", samples.ubl_invoice(), "application/xml"),
    )
    pdf, xml = (item.document for item in receive_mail(raw).received)

    assert page_image(xml, 1) == page_image(pdf, 1)


@pytest.mark.parametrize("number", [0, 2])
def test_missing_page_raises(number):
    document = receive_file(samples.invoice_pdf(), "f.pdf", channel=Channel.API)

    with pytest.raises(PageNotFoundError):
        page_image(document, number)


def test_einvoice_alone_has_no_pages():
    document = receive_file(samples.ubl_invoice(), "f.xml", channel=Channel.API)

    with pytest.raises(PageNotFoundError):
        page_image(document, 1)


def test_count_pages(tmp_path):
    pdf = tmp_path / "f.pdf"
    pdf.write_bytes(samples.invoice_pdf())
    jpeg = tmp_path / "f.jpg"
    jpeg.write_bytes(photo(10, 10))
    xml = tmp_path / "f.xml"
    xml.write_bytes(samples.ubl_invoice())

    assert count_pages(pdf) == 1
    assert count_pages(jpeg) == 1
    assert count_pages(xml) is None
