"""Parse XML that comes from outside Fiat, safe against the classic XML attacks.

An e-invoice arrives from anyone who can send mail to the intake mailbox. An
XML document can declare entities that expand to gigabytes ("billion laughs"),
read local files or URLs through external entities (XXE), or load an external
DTD. UBL and CII never use a DTD, so a document whose document type
declaration has an internal subset or names an external DTD is rejected
before libxml2 reads it.

The parser is hardened as well, for encodings that check cannot read. It
never substitutes entities, loads a DTD or opens a network connection, and a
resolver returns an empty string for every external file it is asked for.

Two traps, seen with lxml 6.2.0 and libxml2 2.14.6: with ``collect_ids=False``
libxml2 opened a file named by an external parameter entity despite
``load_dtd=False``, and ``Resolver.resolve_empty()`` let the default loader
open the file after all. So the parser keeps ``collect_ids`` at its default
and the resolver returns ``resolve_string("")``. defusedxml's lxml module is
deprecated, so these checks are made here.
"""

import re

from lxml import etree

from fiat.documents.extraction.result import ExtractionError

# The largest e-invoice XML Fiat parses. Real invoices are well under 1 MB,
# and the big ones carry base64 attachments such as time sheets.
MAX_XML_BYTES = 20 * 1024 * 1024

# Byte order marks and the first bytes of "<" without one, per XML 1.0
# Appendix F, for each encoding whose markup is not ASCII bytes.
_WIDE_ENCODINGS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
)
_UTF8_BOM = b"\xef\xbb\xbf"
# Markup that may come before the document type declaration: the XML
# declaration, processing instructions, comments and white space.
_PROLOG_ITEM_PATTERN = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->)", re.DOTALL)
_DOCTYPE_HEAD_PATTERN = re.compile(r"<!DOCTYPE([^\[>]*)([\[>]?)")


def parse_untrusted_xml(data: bytes) -> etree._Element:
    """Parse ``data`` and return the root element.

    Raise ExtractionError with code ``too_large`` above MAX_XML_BYTES,
    ``unsafe_xml`` for a DTD with declarations or an external DTD, and
    ``invalid_xml`` for data that is not well-formed XML.
    """
    if len(data) > MAX_XML_BYTES:
        raise ExtractionError(
            "too_large",
            f"The XML file is {len(data):,} bytes, more than the "
            f"{MAX_XML_BYTES // (1024 * 1024)} MB limit for e-invoices. Enter "
            "the invoice by hand or ask the supplier for a smaller file.",
        )
    _check_prolog(_decode_for_scan(data))
    root = _parse(data)
    _reject_document_type(root.getroottree().docinfo)
    return root


def _decode_for_scan(data: bytes) -> str:
    """Decode ``data`` well enough to read its markup before parsing.

    UTF-8 and the other ASCII-based encodings write markup as ASCII bytes,
    which Latin-1 decodes unchanged, whatever their declared encoding.
    """
    for start, encoding in _WIDE_ENCODINGS:
        if data.startswith(start):
            return data.decode(encoding, errors="replace").lstrip("\ufeff")
    return data.removeprefix(_UTF8_BOM).decode("latin-1")


def _check_prolog(text: str) -> None:
    position = 0
    while match := _PROLOG_ITEM_PATTERN.match(text, position):
        position = match.end()
    rest = text[position:].lstrip()
    if not rest.startswith("<"):
        raise _invalid_xml_error("the file does not start with an XML element")
    doctype = _DOCTYPE_HEAD_PATTERN.match(rest)
    if doctype is None:
        return
    external_id = doctype.group(1).split()[1:]
    has_internal_subset = doctype.group(2) == "["
    if external_id or has_internal_subset:
        raise _unsafe_xml_error()


def _parse(data: bytes) -> etree._Element:
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        attribute_defaults=False,
        huge_tree=False,
    )
    parser.resolvers.add(_RejectingResolver())
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise _invalid_xml_error(error.msg) from error
    if root is None:
        raise _invalid_xml_error("the file contains no XML element")
    return root


class _RejectingResolver(etree.Resolver):
    """Resolver that returns empty text for every external file or DTD."""

    def resolve(self, system_url, public_id, context):
        return self.resolve_string("", context)


def _reject_document_type(docinfo: etree.DocInfo) -> None:
    if docinfo.system_url or docinfo.public_id:
        raise _unsafe_xml_error()
    dtd = docinfo.internalDTD
    if dtd is None:
        return
    if any(True for _ in dtd.entities()) or any(True for _ in dtd.iterelements()):
        raise _unsafe_xml_error()


def _invalid_xml_error(reason: str) -> ExtractionError:
    return ExtractionError(
        "invalid_xml",
        f"The file is not well-formed XML ({reason}). Ask the supplier to send "
        "a corrected e-invoice.",
    )


def _unsafe_xml_error() -> ExtractionError:
    return ExtractionError(
        "unsafe_xml",
        "The XML file contains a document type declaration (DTD) with its own "
        "declarations or a reference to an external DTD. E-invoices never need "
        "one, and such declarations are used in attacks that read server files "
        "or exhaust memory, so Fiat did not read the file. Ask the supplier to "
        "send a plain UBL or CII e-invoice.",
    )
