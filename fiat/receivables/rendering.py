"""Render a sales invoice as a branded PDF/A-3b with its Factur-X XML.

The HTML template ``receivables/invoice_document.html`` is filled in the
invoice's language from the same ``InvoiceDocument`` that the CII and UBL
writers use, so the page and the XML show the same figures. WeasyPrint
renders it as PDF/A-3b, and the factur-x library embeds the EN 16931 CII
XML as ``factur-x.xml`` with the Factur-X XMP metadata. A draft renders the
same way, with "CONCEPT" ("DRAFT") in place of its number and as a mark
across the page.

The renderer fetches nothing: the logo goes into the page as a data URL
and every other URL is refused, so a template or a logo cannot make the
server reach out.
"""

import base64
import mimetypes

import facturx
import weasyprint
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from fiat.core.models import Company
from fiat.receivables.einvoice.cii import cii_xml
from fiat.receivables.einvoice.document import (
    DRAFT_NUMBER,
    InvoiceDocument,
    invoice_document,
)
from fiat.receivables.models import InvoiceBranding, SalesInvoice
from fiat.receivables.printing import (
    DOCUMENT_TITLES,
    format_date,
    format_money,
    format_quantity,
    format_rate,
    format_unit_price,
    unit_name,
)

TEMPLATE_NAME = "receivables/invoice_document.html"
PDF_VARIANT = "pdf/a-3b"
FACTURX_LEVEL = "en16931"
_ALLOWED_URL_SCHEMES = ("data",)


def render_invoice_pdf(invoice: SalesInvoice) -> bytes:
    """Return ``invoice`` as PDF/A-3b with its CII XML as ``factur-x.xml``.

    factur-x checks the XML against the Factur-X EN 16931 schema before it
    embeds it and raises on an invalid one. Its XMP dates are the time of
    the call, so two renderings differ in those bytes.
    """
    document = invoice_document(invoice)
    html = render_invoice_html(invoice, document)
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols=_ALLOWED_URL_SCHEMES)
    pdf = weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf(
        pdf_variant=PDF_VARIANT
    )
    with translation.override(document.language):
        title = f"{DOCUMENT_TITLES[invoice.document_type]} {document.number}"
    return facturx.generate_from_binary(
        pdf,
        cii_xml(document),
        flavor="factur-x",
        level=FACTURX_LEVEL,
        check_xsd=True,
        lang=document.language,
        pdf_metadata={
            "author": document.seller.name,
            "keywords": "Factur-X",
            "title": f"{document.seller.name}: {title}",
            "subject": f"{title} {document.buyer.name}",
        },
    )


def pdf_filename(invoice: SalesInvoice) -> str:
    """Return the attachment name, as "factuur-F2026-00001.pdf".

    A draft is named by its id, as "factuur-concept-17.pdf".
    """
    with translation.override(invoice.language):
        title = str(DOCUMENT_TITLES[invoice.document_type]).lower().replace(" ", "-")
        draft = str(DRAFT_NUMBER).lower()
    if invoice.number:
        return f"{title}-{invoice.number}.pdf"
    return f"{title}-{draft}-{invoice.pk}.pdf"


def render_invoice_html(
    invoice: SalesInvoice, document: InvoiceDocument | None = None
) -> str:
    """Return the invoice page as HTML in the invoice's language."""
    document = document or invoice_document(invoice)
    with translation.override(document.language):
        context = _page_context(invoice, document)
        return render_to_string(TEMPLATE_NAME, context)


def _page_context(invoice: SalesInvoice, document: InvoiceDocument) -> dict:
    branding = InvoiceBranding.current()
    language = document.language
    currency = document.currency
    return {
        "language": language,
        "document": document,
        "title": DOCUMENT_TITLES[invoice.document_type],
        "branding": branding,
        "logo_url": _logo_data_url(branding),
        "company": Company.current(),
        "meta_rows": _meta_rows(invoice, document),
        "lines": [_line_row(line, currency, language) for line in document.lines],
        "charges": [
            {
                "reason": charge.reason,
                "rate": format_rate(charge.rate, language),
                "amount": format_money(
                    charge.amount if charge.is_charge else -charge.amount,
                    currency,
                    language,
                ),
            }
            for charge in document.charges
        ],
        "totals": _total_rows(document),
        "payable": format_money(document.amounts.payable_amount, currency, language),
        "payment_text": _payment_text(document),
        "vat_statement": _vat_statement(document),
    }


def _logo_data_url(branding: InvoiceBranding) -> str:
    if not branding.logo:
        return ""
    mimetype = mimetypes.guess_type(branding.logo.name)[0] or "image/png"
    with branding.logo.open("rb") as logo:
        encoded = base64.b64encode(logo.read()).decode("ascii")
    return f"data:{mimetype};base64,{encoded}"


def _meta_rows(
    invoice: SalesInvoice, document: InvoiceDocument
) -> list[tuple[str, str]]:
    language = document.language
    rows = [
        (_("Number"), document.number),
        (_("Date"), format_date(document.issue_date, language)),
    ]
    if document.due_date and not document.is_credit_note:
        rows.append((_("Due date"), format_date(document.due_date, language)))
    if document.preceding_invoice_number:
        rows.append((_("Corrects invoice"), document.preceding_invoice_number))
    if document.buyer_reference:
        rows.append((_("Your reference"), document.buyer_reference))
    if document.order_reference:
        rows.append((_("Your order number"), document.order_reference))
    if document.buyer.vat_number:
        rows.append((_("Your VAT number"), document.buyer.vat_number))
    if document.payment_reference:
        rows.append((_("Payment reference"), document.payment_reference))
    if invoice.project_id:
        rows.append((_("Project"), str(invoice.project)))
    return rows


def _line_row(line, currency: str, language: str) -> dict:
    quantity = format_quantity(line.quantity, language)
    unit = unit_name(line.unit_code, language)
    return {
        "description": line.description,
        "quantity": f"{quantity} {unit}" if unit else quantity,
        "unit_price": format_unit_price(line.net_unit_price, currency, language),
        "discount": (
            format_rate(line.discount_percent, language)
            if line.discount_percent
            else ""
        ),
        "rate": format_rate(line.rate, language),
        "amount": format_money(line.net_amount, currency, language),
    }


def _total_rows(document: InvoiceDocument) -> list[tuple[str, str, str]]:
    """Return (label, note, amount) rows from the subtotal to the amount due."""
    amounts = document.amounts
    currency = document.currency
    language = document.language

    def money(value):
        return format_money(value, currency, language)

    rows = [(_("Subtotal"), "", money(amounts.line_total_amount))]
    if document.charges:
        rows.append((_("Total without VAT"), "", money(amounts.total_net_amount)))
    for group in document.vat_groups:
        label = _("VAT %(rate)s") % {"rate": format_rate(group.rate, language)}
        note = _("on %(base)s") % {"base": money(group.base_amount)}
        rows.append((label, note, money(group.vat_amount)))
    rows.append((_("Total with VAT"), "", money(amounts.total_gross_amount)))
    if amounts.rounding_amount:
        rows.append((_("Rounding"), "", money(amounts.rounding_amount)))
    return rows


def _payment_text(document: InvoiceDocument) -> str:
    seller = document.seller
    amount = format_money(
        document.amounts.payable_amount, document.currency, document.language
    )
    if document.is_credit_note or document.amounts.payable_amount < 0:
        return _(
            "We will refund %(amount)s to your account or settle it with your "
            "next invoice."
        ) % {"amount": amount}
    values = {
        "amount": amount,
        "due_date": format_date(document.due_date, document.language)
        if document.due_date
        else "",
        "iban": seller.iban,
        "name": seller.name,
        "reference": document.payment_reference,
    }
    if document.payment_reference:
        return (
            _(
                "Please pay %(amount)s by %(due_date)s to IBAN %(iban)s in the name of "
                "%(name)s, quoting payment reference %(reference)s."
            )
            % values
        )
    return (
        _(
            "Please pay %(amount)s by %(due_date)s to IBAN %(iban)s in the name of "
            "%(name)s. The payment reference is printed here once the invoice is "
            "released."
        )
        % values
    )


def _vat_statement(document: InvoiceDocument) -> str:
    categories = {group.category for group in document.vat_groups}
    if "AE" in categories:
        return _(
            "VAT reverse charged: the customer accounts for the VAT (Article 196 "
            "of Council Directive 2006/112/EC). Customer VAT number: %(vat)s."
        ) % {"vat": document.buyer.vat_number}
    if "G" in categories:
        return _("Export outside the EU: zero rated.")
    return ""
