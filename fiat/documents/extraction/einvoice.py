"""Read a structured e-invoice: UBL or CII XML, or a PDF with one embedded.

This is the first reader the extraction pipeline tries, because an e-invoice
states every field exactly. ``read_einvoice`` decides by content, not by file
name, what it was given:

- XML with a UBL Invoice or CreditNote root (also inside a Peppol Standard
  Business Document) is read as UBL, and a CII or ZUGFeRD 1.0 root as CII.
- A PDF is searched for an embedded UBL or CII file (Factur-X, ZUGFeRD,
  XRechnung). Without one the result is None, so that the caller goes on
  with the PDF's text layer.
- Anything else returns None (a photo for OCR, say), unless its name ends in
  .pdf or .xml, which makes it a broken file rather than another kind.

A file that cannot be read at all raises ExtractionError with a short code
and a message for the clerk.
"""

import logging
import os
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from fiat.documents.extraction.cii import is_cii, read_cii
from fiat.documents.extraction.facturx import list_xml_attachments
from fiat.documents.extraction.result import ExtractionError, ExtractionResult, Source
from fiat.documents.extraction.safexml import parse_untrusted_xml
from fiat.documents.extraction.ubl import is_ubl, read_ubl

logger = logging.getLogger(__name__)

# Some producers put other data before the "%PDF-" header, and PDF readers
# traditionally accept it within the first 1024 bytes.
_PDF_HEADER = b"%PDF-"
_PDF_HEADER_WINDOW = 1024
_BYTE_ORDER_MARKS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_UTF16_XML_STARTS = (b"<\x00", b"\x00<")
# Peppol delivers UBL wrapped in a UN/CEFACT Standard Business Document.
_BUSINESS_DOCUMENT_TAG = (
    "{http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader}"
    "StandardBusinessDocument"
)

Reader = Callable[[etree._Element, str, Source], ExtractionResult]


def read_einvoice(
    source: bytes | str | os.PathLike[str], filename: str | None = None
) -> ExtractionResult | None:
    """Read an e-invoice from a path or from bytes.

    ``filename`` is reported in the result's ``file`` field. It defaults to
    the path, and it decides the error for content that is neither XML nor
    PDF. Return None for a PDF without an embedded e-invoice and for content
    of another kind.
    """
    if isinstance(source, bytes):
        data, name = source, filename or ""
    else:
        data, name = Path(source).read_bytes(), filename or os.fspath(source)
    if not data or data.isspace():
        raise ExtractionError(
            "empty_file",
            "The file is empty. Ask the sender for a new copy of the document.",
        )
    # XML first: a PDF never starts with "<", but an XML comment could
    # contain "%PDF-" in its first kilobyte.
    if _looks_like_xml(data):
        return read_einvoice_xml(data, name)
    if _PDF_HEADER in data[: _PDF_HEADER_WINDOW + len(_PDF_HEADER)]:
        return read_einvoice_pdf(data, name)
    _reject_by_extension(name)
    return None


def read_einvoice_xml(
    data: bytes, filename: str, source: Source | None = None
) -> ExtractionResult:
    """Read UBL or CII XML, or raise ExtractionError for other XML.

    ``source`` overrides the source that the syntax implies.
    """
    root = _unwrap_business_document(parse_untrusted_xml(data))
    found = _reader_for(root)
    if found is None:
        raise ExtractionError(
            "not_an_einvoice",
            f"The XML file is not an e-invoice: its root element is "
            f"{root.tag!r}. Fiat reads UBL Invoice and CreditNote and CII "
            "CrossIndustryInvoice files.",
        )
    reader, syntax_source = found
    return reader(root, filename, source or syntax_source)


def read_einvoice_pdf(data: bytes, filename: str) -> ExtractionResult | None:
    """Read the e-invoice embedded in a PDF, or return None if it has none.

    Every XML attachment is tried, standard names first, and the first that
    is UBL or CII is read. XML that is unsafe raises, because a hybrid
    invoice that carries an attack should not pass as a plain PDF.
    """
    for attachment in list_xml_attachments(data):
        try:
            root = _unwrap_business_document(parse_untrusted_xml(attachment.content))
        except ExtractionError as error:
            if error.code == "unsafe_xml":
                raise
            logger.warning(
                "Skipped attachment %r of %s: %s", attachment.name, filename, error.code
            )
            continue
        found = _reader_for(root)
        if found is not None:
            logger.debug("Reading embedded %r of %s", attachment.name, filename)
            reader, _ = found
            return reader(root, filename, Source.FACTURX)
    return None


def _reader_for(root: etree._Element) -> tuple[Reader, Source] | None:
    if is_ubl(root):
        return read_ubl, Source.UBL
    if is_cii(root):
        return read_cii, Source.CII
    return None


def _unwrap_business_document(root: etree._Element) -> etree._Element:
    """Return the invoice inside a Standard Business Document, or ``root``."""
    if root.tag != _BUSINESS_DOCUMENT_TAG:
        return root
    for child in root:
        if is_ubl(child) or is_cii(child):
            return child
    return root


def _looks_like_xml(data: bytes) -> bool:
    for mark in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            data = data[len(mark) :]
            break
    start = data.lstrip(b" \t\r\n")
    return start.startswith(b"<") or start[:2] in _UTF16_XML_STARTS


def _reject_by_extension(filename: str) -> None:
    suffix = Path(filename).suffix.lower()
    if suffix == ".pdf":
        raise ExtractionError(
            "not_a_pdf",
            "The file is named .pdf but is not a PDF. Ask the sender for a new "
            "copy of the document.",
        )
    if suffix == ".xml":
        raise ExtractionError(
            "invalid_xml",
            "The file is named .xml but does not contain XML. Ask the sender "
            "for a new copy of the e-invoice.",
        )
