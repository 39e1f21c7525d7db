"""The demo company's sales side: products, customer settings, branding.

``fiat demo`` calls ``load_demo_sales`` after the approval policy. It adds
priced products, the invoicing settings and addresses of the demo
customers, the invoice layout with a generated logo, one earlier invoice
to Bakkerij Jansen (so that the demo policy's "new customer" rule leaves
its next deal routine) and, unless FIAT_SALES_WEBHOOK_SECRET is set, a
generated webhook secret. It also defines the two deals of the page
"Demo: win a deal". Loading twice changes nothing.
"""

import io
import logging
from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageDraw, ImageFont

from fiat.core.dates import business_date
from fiat.core.models import Party
from fiat.ledger.models import VatCode
from fiat.receivables.drafting import LineData, create_draft
from fiat.receivables.models import (
    LOCKED_STATUSES,
    CustomerSettings,
    EInvoiceProfile,
    InvoiceBranding,
    Product,
    SalesInvoice,
)
from fiat.receivables.release import release_invoice
from fiat.receivables.terms import PaymentTermKind
from fiat.receivables.webhook_secret import ensure_demo_secret

logger = logging.getLogger(__name__)

# code, Dutch name, English name, UN/ECE unit code, net price, VAT code
PRODUCTS = (
    ("WEB-DESIGN", "Webdesign per uur", "Web design per hour", "HUR",
     Decimal("95.00"), "V21"),
    ("HOSTING", "Hosting per maand", "Hosting per month", "MON",
     Decimal("25.00"), "V21"),
    ("HANDBOOK", "Handboek webbeheer", "Web management handbook", "C62",
     Decimal("39.50"), "V9"),
)  # fmt: skip

# The demo customer whose deals the demo page wins. Its VAT number is made
# up, so finding it also tells that the sales demo is loaded.
DEAL_CUSTOMER = {
    "name": "Bakkerij Jansen B.V.",
    "vat_number": "NL081234600B01",
    "coc_number": "81234600",
    "email": "facturen@bakkerij-jansen.demo.fiat.invalid",
    "street": "Oudegracht 12",
    "postal_code": "3511 AL",
    "city": "Utrecht",
    "country": "NL",
    "language": "nl",
}
DEAL_PROJECT = "P-001"

# name, KvK number, street, postal code, city, e-invoice profile, payment
# term. NLCIUS needs the KvK number of a Dutch business customer.
CUSTOMER_SETTINGS = (
    ("Bakkerij Jansen B.V.", "81234600", "Oudegracht 12", "3511 AL", "Utrecht",
     EInvoiceProfile.NLCIUS, PaymentTermKind.NET_DAYS),
    ("Atelier Lumière SPRL", "", "Rue Haute 80", "1000", "Bruxelles",
     EInvoiceProfile.PEPPOL, PaymentTermKind.END_OF_NEXT_MONTH),
    ("Acme Trading Inc.", "", "500 Market Street", "94105", "San Francisco",
     EInvoiceProfile.PEPPOL, PaymentTermKind.NET_DAYS),
    ("J. de Boer", "", "Lindelaan 3", "9712 AB", "Groningen",
     EInvoiceProfile.PEPPOL, PaymentTermKind.NET_DAYS),
)  # fmt: skip

BRANDING = {
    "accent_colour": "#0f5c4c",
    "phone": "+31 20 123 4567",
    "website": "vos-partners.demo.fiat.invalid",
    "footer_text": "Algemene voorwaarden / terms and conditions: "
    "vos-partners.demo.fiat.invalid/voorwaarden",
}

# The deals of the demo page, as line lists of the generic event. The
# routine one comes to EUR 1,785.46 including VAT; the large one to
# EUR 7,260.00, above the demo policy's review threshold of EUR 5,000.
ROUTINE_DEAL_LINES = (
    {"product": "WEB-DESIGN", "quantity": "12"},
    {"product": "HOSTING", "quantity": "12"},
    {"product": "HANDBOOK", "quantity": "1"},
)
LARGE_DEAL_LINES = (
    {"product": "WEB-DESIGN", "quantity": "60"},
    {"product": "HOSTING", "quantity": "12"},
)


def load_demo_sales() -> int:
    """Load the sales demo data where missing; return 0 documents taken in."""
    with transaction.atomic():
        _load_products()
        _load_customer_settings()
        _load_branding()
        _release_earlier_invoice()
    if ensure_demo_secret():
        logger.info("Generated the demo's sales webhook secret into the data folder")
    return 0


def sales_demo_is_loaded() -> bool:
    """Return whether the demo customer and the demo deals' products exist."""
    codes = {line["product"] for line in ROUTINE_DEAL_LINES + LARGE_DEAL_LINES}
    has_products = Product.objects.filter(code__in=codes, is_active=True).count()
    return (
        has_products == len(codes)
        and Party.objects.filter(
            vat_number=DEAL_CUSTOMER["vat_number"], is_customer=True
        ).exists()
    )


def _load_products() -> None:
    vat_codes = {vat_code.code: vat_code for vat_code in VatCode.objects.all()}
    for code, name, name_en, unit_code, price, vat_code in PRODUCTS:
        Product.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "unit_code": unit_code,
                "unit_price": price,
                "vat_code": vat_codes[vat_code],
            },
        )


def _load_customer_settings() -> None:
    for row in CUSTOMER_SETTINGS:
        name, coc_number, street, postal_code, city, profile, term = row
        party = Party.objects.filter(name=name, is_customer=True).first()
        if party is None:
            continue
        # NOTE: this writes core's party table. The KvK numbers and addresses
        # belong in the core demo data, where they can move unchanged.
        Party.objects.filter(pk=party.pk, street="").update(
            coc_number=coc_number, street=street, postal_code=postal_code, city=city
        )
        CustomerSettings.objects.get_or_create(
            party=party,
            defaults={"einvoice_profile": profile, "payment_term": term.value},
        )


def _load_branding() -> None:
    if InvoiceBranding.objects.exists():
        return
    branding = InvoiceBranding(**BRANDING)
    branding.logo.save("vos-partners.png", ContentFile(_logo_png()), save=False)
    branding.save()


def _logo_png() -> bytes:
    """Draw the demo company's logo: its initials on the accent colour."""
    image = Image.new("RGBA", (360, 120), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, 359, 119), radius=24, fill=BRANDING["accent_colour"])
    font = ImageFont.load_default(size=64)
    draw.text((180, 60), "V&P", fill="white", font=font, anchor="mm")
    output = io.BytesIO()
    image.save(output, format="PNG")
    return output.getvalue()


def _release_earlier_invoice() -> None:
    """Release one invoice to the deal customer, dated a month ago."""
    customer = Party.objects.filter(name=DEAL_CUSTOMER["name"]).first()
    if customer is None:
        return
    if SalesInvoice.objects.filter(
        customer=customer, status__in=LOCKED_STATUSES
    ).exists():
        return
    line = LineData(product=Product.objects.get(code="WEB-DESIGN"), quantity=Decimal(8))
    draft = create_draft(
        customer,
        lines=[line],
        issue_date=business_date() - timedelta(days=30),
        order_reference="DEAL-0001",
    )
    release_invoice(draft, None)
