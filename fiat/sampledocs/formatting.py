"""Labels, amounts and dates as a Dutch or English supplier prints them.

A sample invoice is printed in the supplier's language, not in the language
of Fiat's interface, so the labels live here per language instead of in the
translation catalogues. Dutch amounts group thousands with "." and use a
decimal comma ("€ 1.234,56"). English amounts do the reverse ("€1,234.56").
"""

from datetime import date
from decimal import Decimal
from enum import StrEnum

from schwifty import IBAN


class DateStyle(StrEnum):
    NUMERIC = "numeric"  # 15-03-2025
    LONG = "long"  # 15 maart 2025, 15 March 2025


MONTH_NAMES = {
    "nl": (
        "januari", "februari", "maart", "april", "mei", "juni", "juli",
        "augustus", "september", "oktober", "november", "december",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June", "July",
        "August", "September", "October", "November", "December",
    ),
}  # fmt: skip

_CURRENCY_SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "$"}

LABELS = {
    "nl": {
        "invoice": "Factuur",
        "credit_note": "Creditnota",
        "invoice_number": "Factuurnummer",
        "credit_note_number": "Creditnotanummer",
        "invoice_date": "Factuurdatum",
        "credit_note_date": "Datum",
        "due_date": "Vervaldatum",
        "delivery_date": "Leverdatum",
        "your_reference": "Uw referentie",
        "your_vat_number": "Uw btw-nummer",
        "po_reference": "Uw ordernummer",
        "payment_reference": "Betalingskenmerk",
        "preceding_invoice": "Betreft factuur",
        "attention": "t.a.v. Crediteurenadministratie",
        "description": "Omschrijving",
        "quantity": "Aantal",
        "price": "Prijs",
        "vat": "Btw",
        "amount": "Bedrag",
        "subtotal": "Subtotaal",
        "vat_rate": "Btw {rate}%",
        "vat_over": "over",
        "reverse_charge": "Btw verlegd",
        "total": "Totaal",
        "iban": "IBAN",
        "bic": "BIC",
        "coc": "KvK",
        "vat_number": "Btw-nummer",
        "phone": "T",
        "email": "E",
        "website": "W",
        "page": "Pagina",
        "of": "van",
        "reverse_charge_note": (
            "Btw verlegd naar de afnemer (artikel 196 Btw-richtlijn "
            "2006/112/EG). Btw-nummer afnemer: {customer_vat}."
        ),
        "payment_request": (
            "Wij verzoeken u vriendelijk het totaalbedrag van {amount} vóór "
            "{due_date} over te maken op IBAN {iban} ten name van {name}, onder "
            "vermelding van betalingskenmerk {reference}."
        ),
        "refund_notice": (
            "Het bedrag van {amount} verrekenen wij met uw volgende factuur of "
            "storten wij vóór {due_date} terug op uw rekening."
        ),
    },
    "en": {
        "invoice": "Invoice",
        "credit_note": "Credit note",
        "invoice_number": "Invoice number",
        "credit_note_number": "Credit note number",
        "invoice_date": "Invoice date",
        "credit_note_date": "Date",
        "due_date": "Due date",
        "delivery_date": "Delivery date",
        "your_reference": "Your reference",
        "your_vat_number": "Your VAT number",
        "po_reference": "Your order number",
        "payment_reference": "Payment reference",
        "preceding_invoice": "Relates to invoice",
        "attention": "Attn. Accounts Payable",
        "description": "Description",
        "quantity": "Qty",
        "price": "Unit price",
        "vat": "VAT",
        "amount": "Amount",
        "subtotal": "Subtotal",
        "vat_rate": "VAT {rate}%",
        "vat_over": "on",
        "reverse_charge": "VAT reverse charged",
        "total": "Total",
        "iban": "IBAN",
        "bic": "BIC",
        "coc": "Chamber of Commerce",
        "vat_number": "VAT number",
        "phone": "Phone",
        "email": "Email",
        "website": "Web",
        "page": "Page",
        "of": "of",
        "reverse_charge_note": (
            "Reverse charge: the customer accounts for the VAT (Article 196, "
            "Council Directive 2006/112/EC). Customer VAT number: {customer_vat}."
        ),
        "payment_request": (
            "Please transfer the total of {amount} by {due_date} to IBAN {iban}, "
            "account holder {name}, quoting payment reference {reference}."
        ),
        "refund_notice": (
            "We will set {amount} off against your next invoice or refund it to "
            "your account by {due_date}."
        ),
    },
}

COUNTRY_NAMES = {
    "nl": {"NL": "Nederland", "DE": "Duitsland", "BE": "België"},
    "en": {"NL": "The Netherlands", "DE": "Germany", "BE": "Belgium"},
}


def format_number(value: Decimal, language: str) -> str:
    """Group thousands and write the decimals as they are, never rounding.

    Decimal("1234.5") gives "1.234,5" in Dutch and "1,234.5" in English.
    """
    english = format(value, ",f")
    if language == "en":
        return english
    return english.translate(str.maketrans({",": ".", ".": ","}))


def format_amount(value: Decimal, currency: str, language: str) -> str:
    """Write an amount with its currency symbol: "€ 1.234,56" or "€1,234.56".

    A currency without a symbol here is written as its ISO code. A negative
    amount keeps its minus sign in front of the number: "€ -121,00".
    """
    symbol = _CURRENCY_SYMBOLS.get(currency, currency)
    number = format_number(value, language)
    if language == "en" and symbol != currency:
        return f"{symbol}{number}"
    return f"{symbol}\u00a0{number}"


def format_quantity(value: Decimal, language: str) -> str:
    """Write a quantity without trailing zeros: "2", "2,5" or "2.5"."""
    return format_number(
        value.normalize() if value % 1 else value.to_integral(), language
    )


def format_rate(value: Decimal | None, language: str) -> str:
    """Write a VAT rate percentage without trailing zeros: "21", "5,5"."""
    return format_quantity(value or Decimal(0), language)


def format_date(value: date, language: str, style: DateStyle) -> str:
    if style is DateStyle.NUMERIC:
        return value.strftime("%d-%m-%Y")
    month = MONTH_NAMES[language][value.month - 1]
    return f"{value.day} {month} {value.year}"


def format_iban(value: str) -> str:
    """Write an IBAN in groups of four, as printed on paper."""
    return IBAN(value).formatted
