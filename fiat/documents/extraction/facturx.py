"""Find the e-invoice XML embedded in a Factur-X, ZUGFeRD or XRechnung PDF.

A hybrid invoice is a PDF/A-3 whose embedded file is the invoice as XML. The
standards name the file ``factur-x.xml`` (Factur-X 1.0, ZUGFeRD 2.1 and
later), ``zugferd-invoice.xml`` (ZUGFeRD 2.0), ``ZUGFeRD-invoice.xml``
(ZUGFeRD 1.0) or ``xrechnung.xml``, but producers in the wild also write
paths such as ``C:/TEMP/factur-x.xml`` or other names. So every XML file
attached to the document is a candidate, the standard names first.

Attachments are found in two places. The first is the EmbeddedFiles name
tree of the document catalogue, which every PDF viewer lists. The second is
the catalogue's /AF array of associated files, which PDF/A-3 requires and
which can reference a file that the name tree lacks.
"""

import logging
import re
from dataclasses import dataclass
from io import BytesIO

from pypdf import PdfReader
from pypdf.errors import DependencyError, PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, StreamObject

from fiat.documents.extraction.result import ExtractionError
from fiat.documents.extraction.safexml import MAX_XML_BYTES

logger = logging.getLogger(__name__)

STANDARD_ATTACHMENT_NAMES = (
    "factur-x.xml",
    "zugferd-invoice.xml",
    "xrechnung.xml",
)
_XML_SUBTYPES = ("/text/xml", "/application/xml", "/text#2Fxml", "/application#2Fxml")
# A name tree deeper than this is malformed or built to exhaust the reader.
_MAX_NAME_TREE_DEPTH = 32
# On damaged files pypdf 7.1 also raises built-in errors, such as KeyError for
# a missing /Root and NotImplementedError for an unknown stream filter.
_PDF_READ_ERRORS = (
    PyPdfError,
    AttributeError,
    KeyError,
    NotImplementedError,
    TypeError,
    ValueError,
)


@dataclass(frozen=True)
class PdfAttachment:
    name: str
    content: bytes


def list_xml_attachments(data: bytes) -> list[PdfAttachment]:
    """Return the XML files embedded in the PDF ``data``, standard names first.

    Raise ExtractionError with code ``not_a_pdf`` when pypdf cannot read
    the file, ``encrypted_pdf`` when it needs a password and ``no_pages``
    when it has no page. An attachment that cannot be decoded is skipped
    with a logged warning.
    """
    try:
        reader = PdfReader(BytesIO(data), strict=False)
        _decrypt(reader)
        page_count = len(reader.pages)
        file_specs = _file_specs(reader.trailer["/Root"].get_object())
    except ExtractionError:
        raise
    except _PDF_READ_ERRORS as error:
        raise ExtractionError(
            "not_a_pdf",
            "The file is not a readable PDF: it is damaged or incomplete. Ask the "
            "sender for a new copy of the document.",
        ) from error
    if page_count == 0:
        raise ExtractionError(
            "no_pages",
            "The PDF has no pages. Ask the sender for a complete copy of the document.",
        )
    attachments = [
        attachment
        for name, file_spec in file_specs
        if (attachment := _xml_attachment(name, file_spec)) is not None
    ]
    return sorted(attachments, key=_standard_name_rank)


def _decrypt(reader: PdfReader) -> None:
    """Open an encrypted PDF that has an empty user password, or raise."""
    if not reader.is_encrypted:
        return
    try:
        opened = reader.decrypt("")
    except (DependencyError, NotImplementedError) as error:
        logger.warning("Cannot decrypt PDF: %s", error)
        opened = 0
    if not opened:
        raise ExtractionError(
            "encrypted_pdf",
            "The PDF is protected with a password, so Fiat cannot read it. Ask "
            "the sender for a copy without a password.",
        )


def _file_specs(catalog: DictionaryObject) -> list[tuple[str, DictionaryObject]]:
    """Return (name, file specification) of every embedded file, once each."""
    found: list[tuple[str, DictionaryObject]] = []
    names = catalog.get("/Names")
    names = names.get_object() if names is not None else None
    if isinstance(names, DictionaryObject) and "/EmbeddedFiles" in names:
        _walk_name_tree(names["/EmbeddedFiles"].get_object(), found, depth=0)
    associated = catalog.get("/AF")
    associated = associated.get_object() if associated is not None else None
    if isinstance(associated, ArrayObject):
        found.extend(("", spec.get_object()) for spec in associated)
    unique: dict[int, tuple[str, DictionaryObject]] = {}
    for name, spec in found:
        if isinstance(spec, DictionaryObject):
            unique.setdefault(id(spec), (name, spec))
    return list(unique.values())


def _walk_name_tree(
    node: object, found: list[tuple[str, DictionaryObject]], depth: int
) -> None:
    if not isinstance(node, DictionaryObject) or depth > _MAX_NAME_TREE_DEPTH:
        return
    pairs = node.get("/Names")
    pairs = pairs.get_object() if pairs is not None else None
    if isinstance(pairs, ArrayObject):
        for index in range(0, len(pairs) - 1, 2):
            found.append(
                (str(pairs[index].get_object()), pairs[index + 1].get_object())
            )
    kids = node.get("/Kids")
    kids = kids.get_object() if kids is not None else None
    if isinstance(kids, ArrayObject):
        for kid in kids:
            _walk_name_tree(kid.get_object(), found, depth + 1)


def _xml_attachment(tree_name: str, spec: DictionaryObject) -> PdfAttachment | None:
    """Return the attachment if its name or media type marks it as XML."""
    name = _spec_name(spec) or tree_name
    try:
        stream = _embedded_stream(spec)
        if stream is None:
            return None
        subtype = str(stream.get("/Subtype", ""))
        if not name.lower().endswith(".xml") and subtype not in _XML_SUBTYPES:
            return None
        content = stream.get_data()
    except _PDF_READ_ERRORS as error:
        logger.warning("Skipped unreadable PDF attachment %r: %s", name, error)
        return None
    if len(content) > MAX_XML_BYTES:
        logger.warning("Skipped PDF attachment %r of %d bytes", name, len(content))
        return None
    return PdfAttachment(name=name, content=content)


def _spec_name(spec: DictionaryObject) -> str:
    # PDF 2.0 (ISO 32000-2, 7.11.3): a reader uses /UF when present, then /F.
    for key in ("/UF", "/F"):
        value = spec.get(key)
        if value is not None:
            return str(value.get_object())
    return ""


def _embedded_stream(spec: DictionaryObject) -> StreamObject | None:
    embedded = spec.get("/EF")
    embedded = embedded.get_object() if embedded is not None else None
    if not isinstance(embedded, DictionaryObject):
        return None
    for key in ("/UF", "/F"):
        stream = embedded.get(key)
        stream = stream.get_object() if stream is not None else None
        if isinstance(stream, StreamObject):
            return stream
    return None


def _standard_name_rank(attachment: PdfAttachment) -> int:
    """Rank an attachment by its file name without folders, ignoring case."""
    base_name = re.split(r"[/\\]", attachment.name)[-1].lower()
    if base_name in STANDARD_ATTACHMENT_NAMES:
        return STANDARD_ATTACHMENT_NAMES.index(base_name)
    return len(STANDARD_ATTACHMENT_NAMES)
