"""Amounts, quantities, dates and labels as a printed sales invoice shows them.

The invoice is printed in the customer's language, not the reader's, so
each helper takes the language and formats with Django's locale formats
for it: "€ 1.234,56" and "3 maart 2026" in Dutch, "€1,234.56" and
"3 March 2026" in English.
"""

from datetime import date
from decimal import Decimal

from django.utils import formats, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fiat.core.money import currency_exponent, round_money

_CURRENCY_SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "$"}
# UN/ECE Recommendation 20 units that get a word after the quantity. Others,
# such as C62 (one piece), print the number alone.
UNIT_NAMES = {
    "HUR": pgettext_lazy("unit", "hours"),
    "DAY": pgettext_lazy("unit", "days"),
    "MON": pgettext_lazy("unit", "months"),
    "KGM": pgettext_lazy("unit", "kg"),
    "MTR": pgettext_lazy("unit", "m"),
}
DOCUMENT_TITLES = {
    "invoice": _("Invoice"),
    "credit_note": _("Credit note"),
    "corrective_invoice": _("Corrective invoice"),
}


def format_decimal(value: Decimal, decimals: int, language: str) -> str:
    """Return ``value`` with ``decimals`` places and grouped thousands."""
    with translation.override(language):
        return formats.number_format(
            value, decimal_pos=decimals, use_l10n=True, force_grouping=True
        )


def format_money(amount: Decimal, currency: str, language: str) -> str:
    """Return an amount with its currency symbol, as the language writes it.

    Dutch puts a no-break space between symbol and number, and English none.
    A currency without a symbol here is written by its ISO 4217 code.
    """
    rounded = round_money(amount, currency)
    number = format_decimal(rounded, currency_exponent(currency), language)
    return _with_symbol(number, currency, language)


def _with_symbol(number: str, currency: str, language: str) -> str:
    symbol = _CURRENCY_SYMBOLS.get(currency)
    if symbol is None:
        return f"{currency}\u00a0{number}"
    separator = "\u00a0" if language == "nl" else ""
    return f"{symbol}{separator}{number}"


def format_quantity(quantity: Decimal, language: str) -> str:
    """Return a quantity without trailing zeros: "2", "1,5" or "0,25"."""
    normalized = quantity.normalize()
    decimals = max(0, -normalized.as_tuple().exponent)
    return format_decimal(normalized, decimals, language)


def format_unit_price(price: Decimal, currency: str, language: str) -> str:
    """Return a unit price with the currency's decimals, or more if it has them.

    A price of 0.0125 keeps its four decimals, and 95 prints as 95,00.
    """
    normalized = price.normalize()
    decimals = max(currency_exponent(currency), -normalized.as_tuple().exponent)
    number = format_decimal(price, decimals, language)
    return _with_symbol(number, currency, language)


def format_rate(rate: Decimal, language: str) -> str:
    """Return a VAT rate as a percentage: "21%", "5,5%"."""
    return f"{format_quantity(rate, language)}%"


def format_date(value: date, language: str) -> str:
    """Return a date written out: "3 maart 2026", "3 March 2026"."""
    with translation.override(language):
        return formats.date_format(value, "j F Y")


def unit_name(unit_code: str, language: str) -> str:
    name = UNIT_NAMES.get(unit_code)
    if name is None:
        return ""
    with translation.override(language):
        return str(name)
