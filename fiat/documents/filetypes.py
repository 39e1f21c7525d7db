"""File types detected from the first bytes of a file, not from its name.

A sender's file name and declared MIME type are often wrong ("scan.pdf" that
is a JPEG, "application/octet-stream" for everything), so Fiat stores the
type it sniffs here. The signatures are the standard magic numbers of each
format. Nothing here imports Django.
"""

import re
from pathlib import PurePath

PDF = "application/pdf"
XML = "application/xml"
PNG = "image/png"
JPEG = "image/jpeg"
TIFF = "image/tiff"
GIF = "image/gif"
WEBP = "image/webp"
BMP = "image/bmp"
HEIC = "image/heic"
ZIP = "application/zip"
MAIL = "message/rfc822"
TEXT = "text/plain"
EMPTY = "application/x-empty"
UNKNOWN = "application/octet-stream"

IMAGE_TYPES = frozenset({PNG, JPEG, TIFF, GIF, WEBP, BMP, HEIC})
# Types the reading pipeline handles: e-invoice XML, PDF, and images by OCR.
READABLE_TYPES = frozenset({PDF, XML}) | IMAGE_TYPES
# Names that make a file a candidate document even when its bytes are not of
# the type, so that a broken "invoice.pdf" is quarantined with a reason
# instead of being passed over.
READABLE_SUFFIXES = frozenset(
    {".pdf", ".xml", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".heic", ".webp"}
)

# How many leading bytes ``sniff_content_type`` needs.
SNIFF_LENGTH = 2048
# A PDF may start with up to 1024 bytes of other data before its header
# (ISO 32000-1, Annex H).
_PDF_HEADER_WINDOW = 1024 + len(b"%PDF-")
_BYTE_ORDER_MARKS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_MAIL_HEADER = re.compile(
    rb"^(?:Return-Path|Received|From|To|Subject|Date|Message-ID|MIME-Version"
    rb"|Delivered-To|X-[A-Za-z0-9-]+|DKIM-Signature|ARC-[A-Za-z-]+)"
    rb":[ \t]",
    re.IGNORECASE,
)
_HEADER_FIELD = re.compile(rb"^[!-9;-~]+:")
_MAIL_LINES_CHECKED = 20
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
    (b"BM", BMP),
    (b"PK\x03\x04", ZIP),
)
_HEIC_BRANDS = (b"heic", b"heix", b"mif1", b"msf1", b"heim", b"heis")

EXTENSIONS = {
    PDF: ".pdf",
    XML: ".xml",
    PNG: ".png",
    JPEG: ".jpg",
    TIFF: ".tif",
    GIF: ".gif",
    WEBP: ".webp",
    BMP: ".bmp",
    HEIC: ".heic",
    ZIP: ".zip",
    MAIL: ".eml",
    TEXT: ".txt",
}


def sniff_content_type(head: bytes) -> str:
    """Return the MIME type of a file from its first ``SNIFF_LENGTH`` bytes."""
    if not head or head.isspace():
        return EMPTY
    if b"%PDF-" in head[:_PDF_HEADER_WINDOW]:
        return PDF
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[4:8] == b"ftyp" and head[8:12] in _HEIC_BRANDS:
        return HEIC
    if _looks_like_xml(head):
        return XML
    if _looks_like_mail(head):
        return MAIL
    if _looks_like_text(head):
        return TEXT
    return UNKNOWN


def is_readable(content_type: str, filename: str = "") -> bool:
    """Tell whether a file of this type or name goes to the reading pipeline."""
    suffix = PurePath(filename).suffix.lower()
    return content_type in READABLE_TYPES or suffix in READABLE_SUFFIXES


def _looks_like_xml(head: bytes) -> bool:
    for mark in _BYTE_ORDER_MARKS:
        if head.startswith(mark):
            head = head[len(mark) :]
            break
    start = head.lstrip(b" \t\r\n")
    # UTF-16 XML without a byte order mark starts with "<" and a NUL byte.
    return start.startswith(b"<") or start[:2] == b"\x00<"


def _looks_like_mail(head: bytes) -> bool:
    """Tell whether the text starts with RFC 5322 header fields.

    The first line must be a header common at the top of a mail, and the
    next lines (up to the blank line) header fields or folded lines.
    """
    lines = head.splitlines()[:-1][:_MAIL_LINES_CHECKED]
    if not lines or not _MAIL_HEADER.match(lines[0]):
        return False
    header_count = 0
    for line in lines:
        if not line:
            break
        if _HEADER_FIELD.match(line):
            header_count += 1
        elif not line[:1].isspace():
            return False
    return header_count >= 2


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # The cut at SNIFF_LENGTH may split the last character.
        return error.start >= len(head) - 3
    return True
