"""Mail is split into headers and the attachments worth reading."""

from datetime import UTC, datetime
from email.message import EmailMessage

from fiat.documents import filetypes
from fiat.documents.mail import parse_mail, safe_filename
from fiat.documents.tests import samples


def test_attachments_are_found_with_sniffed_types():
    raw = samples.mail(
        ("F2024-017.pdf", samples.invoice_pdf(), "application/pdf"),
        ("F2024-017.xml", samples.ubl_invoice(), "application/octet-stream"),
    )

    parsed = parse_mail(raw)

    assert [a.filename for a in parsed.attachments] == [
        "F2024-017.pdf",
        "F2024-017.xml",
    ]
    assert [a.content_type for a in parsed.attachments] == [
        filetypes.PDF,
        filetypes.XML,
    ]
    assert parsed.attachments[0].content == samples.invoice_pdf()


def test_headers_are_read():
    parsed = parse_mail(samples.mail())

    assert parsed.message_id == "<f2024-017@drukkerij-devries.example>"
    assert parsed.sender == "Drukkerij De Vries <facturen@drukkerij-devries.example>"
    assert parsed.subject == "Factuur F2024-017"
    assert parsed.sent_at == datetime(2024, 3, 15, 9, 30, tzinfo=UTC)


def test_body_text_is_not_an_attachment():
    parsed = parse_mail(samples.mail())

    assert parsed.attachments == []
    assert parsed.skipped == []


def test_unreadable_attachments_are_listed_as_skipped():
    raw = samples.mail(("terms.docx", b"PK\x03\x04docx", "application/msword"))

    parsed = parse_mail(raw)

    assert parsed.attachments == []
    assert parsed.skipped == ["terms.docx"]


def test_logo_in_html_body_is_left_out():
    message = EmailMessage()
    message["Subject"] = "Factuur"
    message.set_content("Zie bijlage.")
    message.add_alternative('<p>Zie bijlage.</p><img src="cid:logo">', subtype="html")
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    message.get_payload()[1].add_related(png, "image", "png", cid="<logo>")
    message.add_attachment(
        samples.invoice_pdf(), maintype="application", subtype="pdf", filename="f.pdf"
    )

    parsed = parse_mail(message.as_bytes())

    assert [a.filename for a in parsed.attachments] == ["f.pdf"]


def test_forwarded_mail_attachments_are_found():
    original = EmailMessage()
    original["Subject"] = "Factuur F2024-017"
    original.set_content("Bijgaand de factuur.")
    original.add_attachment(
        samples.invoice_pdf(), maintype="application", subtype="pdf", filename="f.pdf"
    )
    forward = EmailMessage()
    forward["Subject"] = "Fwd: Factuur F2024-017"
    forward.set_content("Kun jij deze boeken?")
    forward.add_attachment(original)

    parsed = parse_mail(forward.as_bytes())

    assert [a.filename for a in parsed.attachments] == ["f.pdf"]


def test_attachment_without_name_gets_one_from_its_type():
    message = EmailMessage()
    message["Subject"] = "Scan"
    message.set_content("Scan")
    message.add_attachment(samples.invoice_pdf(), maintype="application", subtype="pdf")

    parsed = parse_mail(message.as_bytes())

    assert [a.filename for a in parsed.attachments] == ["attachment-1.pdf"]


def test_missing_message_id_is_replaced_by_digest():
    raw = samples.mail(message_id=None)

    first = parse_mail(raw)
    second = parse_mail(raw)

    assert first.message_id.startswith("sha256:")
    assert first.message_id == second.message_id


def test_overlong_message_id_is_replaced_by_digest():
    raw = samples.mail(message_id="<" + "x" * 300 + "@example.net>")

    parsed = parse_mail(raw)

    assert parsed.message_id.startswith("sha256:")
    assert len(parsed.message_id) == 71


def test_safe_filename_keeps_the_last_path_component():
    assert safe_filename("C:\\scans\\maart\\factuur.pdf") == "factuur.pdf"
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename('fac"tuur\x07.pdf') == "fac_tuur_.pdf"
    assert safe_filename("  .hidden.pdf ") == "hidden.pdf"
    assert safe_filename("factuur-m\udce4rz.pdf") == "factuur-m\ufffdrz.pdf"


def test_safe_filename_shortens_long_names_keeping_suffix():
    name = safe_filename("a" * 300 + ".pdf")

    assert len(name) == 255
    assert name.endswith(".pdf")
