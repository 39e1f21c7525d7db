"""File types are sniffed from the bytes, whatever the sender named them."""

import pytest

from fiat.documents import filetypes
from fiat.documents.tests import samples


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (samples.invoice_pdf(), filetypes.PDF),
        (b"\x00" * 100 + b"%PDF-1.7\n", filetypes.PDF),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, filetypes.PNG),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", filetypes.JPEG),
        (b"II*\x00\x08\x00\x00\x00", filetypes.TIFF),
        (b"\x00\x00\x00\x18ftypheic\x00\x00", filetypes.HEIC),
        (samples.ubl_invoice(), filetypes.XML),
        (b"\xef\xbb\xbf  <Invoice/>", filetypes.XML),
        ("<Invoice/>".encode("utf-16-le"), filetypes.XML),
        (samples.mail(), filetypes.MAIL),
        (b"PK\x03\x04\x14\x00", filetypes.ZIP),
        (samples.NOT_A_PDF, filetypes.TEXT),
        (b"", filetypes.EMPTY),
        (b" \n\t", filetypes.EMPTY),
        (bytes(range(256)), filetypes.UNKNOWN),
    ],
)
def test_sniff_content_type(head, expected):
    assert filetypes.sniff_content_type(head[: filetypes.SNIFF_LENGTH]) == expected


def test_mail_with_folded_received_header_is_mail():
    head = (
        b"Received: from mx.example.net (mx.example.net [192.0.2.1])\r\n"
        b"\tby mail.fiat.example; Fri, 15 Mar 2024 09:30:00 +0000\r\n"
        b"From: facturen@example.net\r\n"
        b"Subject: Factuur\r\n\r\nBody\r\n"
    )

    assert filetypes.sniff_content_type(head) == filetypes.MAIL


def test_text_with_colon_is_not_mail():
    head = b"Note: pay before Friday\nThanks\n"

    assert filetypes.sniff_content_type(head) == filetypes.TEXT


def test_readable_by_type_or_by_name():
    assert filetypes.is_readable(filetypes.JPEG, "photo")
    assert filetypes.is_readable(filetypes.TEXT, "invoice.PDF")
    assert not filetypes.is_readable(filetypes.ZIP, "invoices.zip")
    assert not filetypes.is_readable(filetypes.TEXT, "terms.docx")
