"""Render a sample invoice as a PDF, a Factur-X PDF/A-3 or a scanned page.

The HTML template ``sampledocs/supplier_invoice.html`` is filled with the
invoice in the supplier's language and rendered by WeasyPrint, so the PDF has
a text layer as an accounting package would produce. ``factur_x_pdf`` renders
the same page as PDF/A-3b and embeds the EN 16931 CII XML as
``factur-x.xml`` with the factur-x library. ``scanned_pdf`` turns the page
into what an office scanner makes of a printout: a grey, slightly rotated and
noisy raster image in a PDF without any text.
"""

import io
import random
from dataclasses import dataclass
from datetime import UTC, datetime, time
from decimal import Decimal
from enum import StrEnum
from functools import cache
from pathlib import Path

import facturx
import pypdfium2
import weasyprint
from django.template import Context, Engine
from PIL import Image, ImageChops, ImageFilter

from fiat.core.vat import VatCategory
from fiat.sampledocs.cii import cii_xml
from fiat.sampledocs.formatting import (
    COUNTRY_NAMES,
    LABELS,
    DateStyle,
    format_amount,
    format_date,
    format_iban,
    format_quantity,
    format_rate,
)
from fiat.sampledocs.model import SupplierInvoice

TEMPLATE_NAME = "sampledocs/supplier_invoice.html"
_TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
_LEGAL_FORMS = frozenset({"B.V.", "BV", "N.V.", "GmbH", "SPRL", "Inc.", "V.O.F."})

# Scan simulation at 200 dpi, a usual setting for office document scanners.
# Paper comes out light grey and toner dark grey. Noise, blur and JPEG
# loss were lowered from stronger settings until Tesseract 5.3 (nld,
# --psm 4, on a 300 dpi render) read every amount of the demo scan.
SCAN_DPI = 200
SCAN_ANGLE_DEGREES = 1.2
_PAPER_GREY = 246
_TONER_GREY = 40
_SCANNER_BED_GREY = 214
_NOISE_MAX = 22
_SHADING_MAX = 12
_BLUR_RADIUS = 0.5
_SCAN_TIME = time(9, 30)
_JPEG_QUALITY = 75


class LetterheadLayout(StrEnum):
    CLASSIC = "classic"  # logo and name left, contact right, a rule below
    BANNER = "banner"  # a full-width coloured band across the top
    CENTRED = "centred"  # name in capitals centred above a double rule


@dataclass(frozen=True)
class Letterhead:
    """The look of one supplier's invoices: colour, layout, font, fine print.

    ``font_family`` names an installed font. The demo letterheads use the
    Liberation and DejaVu families (Debian packages fonts-liberation and
    fonts-dejavu-core). WeasyPrint substitutes another font for a missing
    one, so the page still renders but looks different.
    """

    accent_colour: str = "#1f4e79"
    layout: LetterheadLayout = LetterheadLayout.CLASSIC
    font_family: str = "Liberation Sans"
    tagline: str = ""
    conditions: str = ""
    date_style: DateStyle = DateStyle.NUMERIC


DEFAULT_LETTERHEAD = Letterhead()


def render_html(
    invoice: SupplierInvoice,
    *,
    letterhead: Letterhead = DEFAULT_LETTERHEAD,
    stamp: str = "",
) -> str:
    """Fill the invoice template. ``stamp`` is a mark such as "HERINNERING"."""
    context = _invoice_context(invoice, letterhead)
    context["stamp"] = stamp
    return _template_engine().get_template(TEMPLATE_NAME).render(Context(context))


def invoice_pdf(
    invoice: SupplierInvoice,
    *,
    letterhead: Letterhead = DEFAULT_LETTERHEAD,
    stamp: str = "",
) -> bytes:
    """Render the invoice as a PDF with a text layer and no embedded XML."""
    html = render_html(invoice, letterhead=letterhead, stamp=stamp)
    return weasyprint.HTML(string=html).write_pdf()


def factur_x_pdf(
    invoice: SupplierInvoice, *, letterhead: Letterhead = DEFAULT_LETTERHEAD
) -> bytes:
    """Render the invoice as PDF/A-3b with its CII XML as ``factur-x.xml``.

    The factur-x library checks the XML against the Factur-X EN 16931 schema
    before it embeds it and raises if the XML is invalid. It also writes the
    Factur-X XMP metadata, whose dates are the time of the call, so two calls
    return different bytes.
    """
    html = render_html(invoice, letterhead=letterhead)
    pdf = weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/a-3b")
    title = _title(invoice)
    return facturx.generate_from_binary(
        pdf,
        cii_xml(invoice),
        flavor="factur-x",
        level="en16931",
        check_xsd=True,
        lang=invoice.language,
        pdf_metadata={
            "author": invoice.supplier.name,
            "keywords": "Factur-X",
            "title": f"{invoice.supplier.name}: {title} {invoice.number}",
            "subject": f"{title} {invoice.number} {invoice.customer.name}",
        },
    )


def scanned_pdf(
    invoice: SupplierInvoice,
    *,
    letterhead: Letterhead = DEFAULT_LETTERHEAD,
    stamp: str = "",
) -> bytes:
    """Render the invoice as a scanner would: one grey JPEG image per page.

    The noise comes from a generator seeded with the invoice number and the
    scan is dated on the issue date, so the same invoice always gives the
    same bytes.
    """
    pdf = invoice_pdf(invoice, letterhead=letterhead, stamp=stamp)
    pages = [
        # Noise for a picture, not a secret, so a seeded generator is right.
        _degrade(image, random.Random(f"{invoice.number}/{index}"))  # noqa: S311
        for index, image in enumerate(_render_pages(pdf, SCAN_DPI))
    ]
    buffer = io.BytesIO()
    # The scan date goes into the PDF info dictionary, which Pillow fills
    # from a UTC struct_time. A fixed date keeps the bytes the same from one
    # call to the next.
    scanned_at = datetime.combine(
        invoice.issue_date, _SCAN_TIME, tzinfo=UTC
    ).utctimetuple()
    pages[0].save(
        buffer,
        "PDF",
        resolution=SCAN_DPI,
        creationDate=scanned_at,
        modDate=scanned_at,
        save_all=True,
        append_images=pages[1:],
        quality=_JPEG_QUALITY,
    )
    return buffer.getvalue()


@cache
def _template_engine() -> Engine:
    # This package is no Django app, so the project's template loaders do not
    # search its folder. A separate engine keeps the template beside the code.
    return Engine(dirs=[str(_TEMPLATE_DIR)], autoescape=True)


def _title(invoice: SupplierInvoice) -> str:
    labels = LABELS[invoice.language]
    return labels["credit_note"] if invoice.is_credit_note else labels["invoice"]


def _invoice_context(invoice: SupplierInvoice, letterhead: Letterhead) -> dict:
    language = invoice.language
    supplier, customer = invoice.supplier, invoice.customer
    countries = COUNTRY_NAMES[language]
    return {
        "invoice": invoice,
        "supplier": supplier,
        "customer": customer,
        "letterhead": letterhead,
        "language": language,
        "labels": LABELS[language],
        "title": _title(invoice),
        "monogram": _monogram(supplier.name),
        "foreign_supplier": supplier.address.country != customer.address.country,
        "supplier_country": countries.get(supplier.address.country, ""),
        "customer_country": countries.get(customer.address.country, ""),
        "meta_rows": _meta_rows(invoice, letterhead.date_style),
        "lines": _line_rows(invoice),
        **_total_rows(invoice),
        "payment_text": _payment_text(invoice, letterhead.date_style),
        "legal_notes": _legal_notes(invoice),
        "footer_items": _footer_items(invoice),
    }


def _monogram(name: str) -> str:
    """Return the initials of a name, leaving out the legal form."""
    words = [word for word in name.split() if word not in _LEGAL_FORMS]
    if len(words) > 1:
        return words[0][0] + words[-1][0]
    capitals = [letter for letter in words[0] if letter.isupper()]
    return "".join(capitals[:2]) if len(capitals) > 1 else words[0][:2]


def _meta_rows(invoice: SupplierInvoice, style: DateStyle) -> list[tuple[str, str]]:
    labels = LABELS[invoice.language]
    credit = invoice.is_credit_note

    def when(value):
        return format_date(value, invoice.language, style)

    rows = [
        (labels["credit_note_number" if credit else "invoice_number"], invoice.number),
        (
            labels["credit_note_date" if credit else "invoice_date"],
            when(invoice.issue_date),
        ),
    ]
    if invoice.delivery_date != invoice.issue_date:
        rows.append((labels["delivery_date"], when(invoice.delivery_date)))
    if not credit:
        rows.append((labels["due_date"], when(invoice.due_date)))
    optional_rows = (
        ("your_vat_number", invoice.customer.vat_number),
        ("your_reference", invoice.buyer_reference),
        ("po_reference", invoice.po_reference),
        ("preceding_invoice", invoice.preceding_invoice_number),
    )
    rows.extend((labels[key], value) for key, value in optional_rows if value)
    if invoice.payment_reference and invoice.payment_reference != invoice.number:
        rows.append((labels["payment_reference"], invoice.payment_reference))
    return rows


def _printed_amount(invoice: SupplierInvoice, value: Decimal) -> str:
    # Credit notes print their amounts negative, as Dutch accounting packages
    # do, although the model and the XML keep them positive.
    signed = -value if invoice.is_credit_note and value else value
    return format_amount(signed, invoice.currency, invoice.language)


def _line_rows(invoice: SupplierInvoice) -> list[dict[str, str]]:
    language = invoice.language
    return [
        {
            "description": line.description,
            "article_number": line.article_number,
            "quantity": format_quantity(line.quantity, language),
            "unit_price": format_amount(line.unit_price, invoice.currency, language),
            "vat_rate": f"{format_rate(line.vat_rate, language)}%",
            "net_amount": _printed_amount(invoice, net_amount),
        }
        for line, net_amount in zip(
            invoice.lines, invoice.line_net_amounts, strict=True
        )
    ]


def _total_rows(invoice: SupplierInvoice) -> dict:
    labels = LABELS[invoice.language]
    vat_rows = []
    for group in invoice.vat_totals.breakdown:
        if group.category is VatCategory.REVERSE_CHARGE:
            label, base = labels["reverse_charge"], ""
        else:
            label = labels["vat_rate"].format(
                rate=format_rate(group.rate, invoice.language)
            )
            base = f"{labels['vat_over']} {_printed_amount(invoice, group.base_amount)}"
        amount = _printed_amount(invoice, group.vat_amount)
        vat_rows.append({"label": label, "base": base, "amount": amount})
    return {
        "subtotal": _printed_amount(invoice, invoice.total_net_amount),
        "vat_rows": vat_rows,
        "total": _printed_amount(invoice, invoice.total_gross_amount),
    }


def _payment_text(invoice: SupplierInvoice, style: DateStyle) -> str:
    labels = LABELS[invoice.language]
    values = {
        "amount": format_amount(invoice.amount_due, invoice.currency, invoice.language),
        "due_date": format_date(invoice.due_date, invoice.language, style),
        "iban": format_iban(invoice.supplier.iban),
        "name": invoice.supplier.name,
        "reference": invoice.payment_reference or invoice.number,
    }
    key = "refund_notice" if invoice.is_credit_note else "payment_request"
    return labels[key].format(**values)


def _legal_notes(invoice: SupplierInvoice) -> list[str]:
    categories = {group.category for group in invoice.vat_totals.breakdown}
    if VatCategory.REVERSE_CHARGE not in categories:
        return []
    note = LABELS[invoice.language]["reverse_charge_note"]
    return [note.format(customer_vat=invoice.customer.vat_number)]


def _footer_items(invoice: SupplierInvoice) -> list[tuple[str, str]]:
    labels = LABELS[invoice.language]
    supplier = invoice.supplier
    items = [
        ("", supplier.name),
        (labels["coc"], supplier.coc_number),
        (labels["vat_number"], supplier.vat_number),
        (labels["iban"], format_iban(supplier.iban)),
        (labels["bic"], supplier.bic),
    ]
    return [(label, value) for label, value in items if value]


def _render_pages(pdf: bytes, dpi: int) -> list[Image.Image]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [
            page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            for page in document
        ]
    finally:
        document.close()


def _degrade(page: Image.Image, rng: random.Random) -> Image.Image:
    """Give a clean page render the look of a scan, in a deterministic way."""
    contrast = (_PAPER_GREY - _TONER_GREY) / 255
    toned = page.point(lambda value: _TONER_GREY + round(value * contrast))
    rotated = toned.rotate(
        SCAN_ANGLE_DEGREES,
        resample=Image.Resampling.BICUBIC,
        fillcolor=_SCANNER_BED_GREY,
    )
    blurred = rotated.filter(ImageFilter.GaussianBlur(_BLUR_RADIUS))
    width, height = blurred.size
    noise = Image.frombytes("L", blurred.size, rng.randbytes(width * height))
    noise = noise.point(lambda value: value * _NOISE_MAX // 255)
    # Uneven lighting: the page gets darker towards the scanner's hinge.
    shading = Image.linear_gradient("L").resize(blurred.size)
    shading = shading.point(lambda value: value * _SHADING_MAX // 255)
    return ImageChops.subtract(ImageChops.subtract(blurred, noise), shading)
