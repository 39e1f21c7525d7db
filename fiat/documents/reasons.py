"""Explanations of quarantine reasons, each with its remedy, for the reader.

The readers in ``fiat.documents.extraction`` do not use Django, so the
message of their ``ExtractionError`` is English and names technical details.
The quarantine page shows the translated explanation below for each known
``Document.error_code`` and keeps that message as the technical detail.
"""

from django.utils.translation import gettext_lazy as _

from fiat.documents.intake import NO_ATTACHMENT_CODE

QUARANTINE_EXPLANATIONS = {
    "empty_file": _(
        "The file contains no data. Ask the sender for a new copy of the document."
    ),
    "not_a_pdf": _(
        "The file is not a readable PDF: it is damaged, incomplete or of another "
        "type. Ask the sender for a new copy of the document."
    ),
    "no_pages": _(
        "The PDF has no pages. Ask the sender for a complete copy of the document."
    ),
    "encrypted_pdf": _(
        "The PDF is protected with a password, so Fiat cannot read it. Ask the "
        "sender for a copy without a password."
    ),
    "invalid_xml": _(
        "The file is not well-formed XML, so it cannot be read as an e-invoice. "
        "Ask the supplier to send a corrected e-invoice."
    ),
    "unsafe_xml": _(
        "The XML file contains a document type declaration (DTD). E-invoices "
        "never need one, and it can be used to attack the server, so Fiat did "
        "not read the file. Ask the supplier to send a plain UBL or CII "
        "e-invoice."
    ),
    "too_large": _(
        "The XML file is larger than the limit for e-invoices. Ask the supplier "
        "for a smaller file."
    ),
    "not_an_einvoice": _(
        "The XML file is not a UBL or CII e-invoice. Ask the supplier to send "
        "the invoice as UBL, CII or PDF."
    ),
    "unsupported_type": _(
        "Fiat cannot read files of this type. Ask the sender for the invoice as "
        "a PDF, an image (PNG, JPEG or TIFF), or UBL or CII XML."
    ),
    "not_an_image": _(
        "The file is neither a PDF nor a readable image. Ask the sender for a new "
        "copy of the document."
    ),
    NO_ATTACHMENT_CODE: _(
        "The mail has no PDF, image or e-invoice attached. Ask the sender to "
        "send the invoice as an attachment."
    ),
    "ocr_unavailable": _(
        "Text recognition (Tesseract) is not installed on the server, so scans "
        "and photos cannot be read. Ask an administrator to install it, then "
        "retry."
    ),
    "ocr_timeout": _(
        "Text recognition took too long, which happens with large or many-page "
        "scans. Retry later, or ask the sender for a copy with fewer pages."
    ),
    "ocr_failed": _(
        "Text recognition failed on this file. Retry, and if it fails again, ask "
        "the sender for a sharper copy."
    ),
    "read_failed": _(
        "An unexpected error stopped the reading. Retry, and if it fails again, "
        "ask an administrator to check the log."
    ),
    "invoice_failed": _(
        "The document was read, but the invoice could not be created from it. "
        "Retry once the cause in the technical detail is fixed, or ask an "
        "administrator."
    ),
}


def quarantine_explanation(error_code: str) -> str | None:
    """Return the translated explanation of ``error_code``, or None if unknown."""
    explanation = QUARANTINE_EXPLANATIONS.get(error_code)
    return None if explanation is None else str(explanation)
