"""Typed values from EN 16931 e-invoice XML, shared by the UBL and CII readers.

EN 16931 defines one semantic model of an invoice and two XML syntaxes for it:
OASIS UBL 2.1 and UN/CEFACT CII. Both write amounts and quantities as
xsd:decimal text with the currency in a ``currencyID`` attribute, and both
mark credit notes with the same UNTDID 1001 document type codes, so those
conversions live here. A value that cannot be converted becomes None plus a
warning for the clerk, never an exception, because one bad field should not
lose the rest of the invoice.
"""

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, Inexact, InvalidOperation, localcontext

from lxml import etree
from stdnum import iban

from fiat.core.identifiers import is_valid_iban
from fiat.core.money import to_decimal
from fiat.documents.extraction.result import DocumentType

# UNTDID 1001 codes that EN 16931 allows for a credit note (BT-3). Any other
# code, such as 380 (commercial invoice) or 384 (corrected invoice), is an
# invoice, even when its lines or totals are negative.
CREDIT_NOTE_TYPE_CODES = frozenset(
    {"81", "83", "261", "262", "296", "308", "381", "396", "420", "458", "532"}
)

# xsd:decimal also allows "5." and ".5", which to_decimal does not accept.
_XSD_DECIMAL_PATTERN = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
# xsd:date, optionally with a time zone, which a business date ignores.
_XSD_DATE_PATTERN = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})(?:Z|[+-][0-9]{2}:[0-9]{2})?"
)
# Amounts and quantities with more integer digits are rejected, so that sums
# and rounding stay within the decimal context's precision of 28 digits.
_MAX_INTEGER_DIGITS = 18
# CII date format code 102 (UNTDID 2379) is CCYYMMDD.
_CII_DAY_FORMAT = "102"
_CII_DAY_PATTERN = re.compile(r"[0-9]{8}")
_IBAN_SHAPE_PATTERN = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")

# Places kept when a price per base quantity (BT-149) does not divide to a
# finite decimal, such as 10.00 per 3 pieces.
_INEXACT_UNIT_PRICE_QUANTUM = Decimal("0.000001")


def document_type_for_code(type_code: str | None) -> DocumentType:
    if type_code in CREDIT_NOTE_TYPE_CODES:
        return DocumentType.CREDIT_NOTE
    return DocumentType.INVOICE


def unit_price(price: Decimal | None, base_quantity: Decimal | None) -> Decimal | None:
    """Return the price of one unit from a price given per base quantity.

    EN 16931 states an item price per base quantity (BT-146 per BT-149), so
    12.50 per 10 pieces is 1.25 per piece. A missing or zero base quantity
    means the price is per unit.
    """
    if price is None or base_quantity is None or base_quantity in (0, 1):
        return price
    with localcontext() as context:
        context.traps[Inexact] = True
        try:
            return price / base_quantity
        except Inexact:
            pass
    quotient = price / base_quantity
    try:
        return quotient.quantize(_INEXACT_UNIT_PRICE_QUANTUM, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        # More digits than the decimal context's precision of 28 allows.
        return quotient


class FieldReader:
    """Reader of typed values from one XML document, collecting warnings.

    ``parent`` may be None in every method, which then returns None, so a
    reader can follow optional groups without checking each step.
    """

    def __init__(self, namespaces: dict[str, str]) -> None:
        self.namespaces = namespaces
        self.warnings: list[str] = []

    def find(self, parent: etree._Element | None, path: str) -> etree._Element | None:
        if parent is None:
            return None
        return parent.find(path, self.namespaces)

    def findall(self, parent: etree._Element | None, path: str) -> list[etree._Element]:
        if parent is None:
            return []
        return parent.findall(path, self.namespaces)

    def text(self, parent: etree._Element | None, path: str) -> str | None:
        """Return the stripped text at ``path``, or None when empty or absent."""
        return _text_of(self.find(parent, path))

    def first_text(self, parents: list[etree._Element], path: str) -> str | None:
        """Return the first non-empty text at ``path`` under any of ``parents``."""
        for parent in parents:
            value = self.text(parent, path)
            if value is not None:
                return value
        return None

    def decimal(self, parent: etree._Element | None, path: str) -> Decimal | None:
        return self._decimal_of(self.find(parent, path))

    def amount_in_currency(
        self, parent: etree._Element | None, path: str, currency: str | None
    ) -> Decimal | None:
        """Return the amount at ``path`` in ``currency`` when it occurs twice.

        A document can state its VAT total a second time in the VAT
        accounting currency (BT-111 beside BT-110). The element whose
        ``currencyID`` is the document currency wins, then one without
        ``currencyID``, then the first.
        """
        element = self.pick_in_currency(self.findall(parent, path), currency)
        return self._decimal_of(element)

    def pick_in_currency(
        self,
        elements: list[etree._Element],
        currency: str | None,
        amount_path: str | None = None,
    ) -> etree._Element | None:
        """Return the element whose amount at ``amount_path`` is in ``currency``.

        Prefer a ``currencyID`` equal to ``currency``, then no ``currencyID``,
        then the first element. Without ``amount_path`` the element itself
        carries the amount.
        """
        without_currency = None
        for element in elements:
            amount = element if amount_path is None else self.find(element, amount_path)
            currency_id = amount.get("currencyID") if amount is not None else None
            if currency_id is not None and currency_id.strip() == currency:
                return element
            if currency_id is None and without_currency is None:
                without_currency = element
        if without_currency is not None:
            return without_currency
        return elements[0] if elements else None

    def iso_date(self, parent: etree._Element | None, path: str) -> date | None:
        """Return the xsd:date at ``path``, as used by UBL."""
        element = self.find(parent, path)
        text = _text_of(element)
        if text is None:
            return None
        match = _XSD_DATE_PATTERN.fullmatch(text)
        return self._date_or_warn(element, text, match.group(1) if match else None)

    def cii_date(self, parent: etree._Element | None, path: str) -> date | None:
        """Return the date in the ``udt:DateTimeString`` element at ``path``.

        Only format 102 (CCYYMMDD) is a day. A missing format attribute is
        read as 102 when the text is eight digits.
        """
        element = self.find(parent, path)
        text = _text_of(element)
        if element is None or text is None:
            return None
        date_format = element.get("format", _CII_DAY_FORMAT)
        if date_format != _CII_DAY_FORMAT or not _CII_DAY_PATTERN.fullmatch(text):
            return self._date_or_warn(element, text, None)
        return self._date_or_warn(element, text, f"{text[:4]}-{text[4:6]}-{text[6:]}")

    def iban(self, account_id: str | None) -> str | None:
        """Return the payee account as a compact IBAN, or None for another account.

        An account that has the shape of an IBAN but wrong check digits is
        kept, with a warning, so the clerk can compare it with the supplier's
        record. Other account numbers are left out with a warning.
        """
        if account_id is None:
            return None
        compact = iban.compact(account_id)
        if not _IBAN_SHAPE_PATTERN.fullmatch(compact):
            self.warnings.append(
                f"The payee account {account_id!r} is not an IBAN, so the "
                "supplier IBAN was left empty."
            )
            return None
        if not is_valid_iban(compact):
            self.warnings.append(
                f"The supplier IBAN {compact} is not a valid IBAN (wrong check "
                "digits or length). Check it with the supplier before paying."
            )
        return compact

    def _decimal_of(self, element: etree._Element | None) -> Decimal | None:
        text = _text_of(element)
        if element is None or text is None:
            return None
        name = etree.QName(element).localname
        if not _XSD_DECIMAL_PATTERN.fullmatch(text):
            self.warnings.append(
                f"The e-invoice contains the invalid number {text!r} in {name}, "
                "so that field was left empty."
            )
            return None
        sign = text[0] if text[0] in "+-" else ""
        integer, _, fraction = text.lstrip("+-").partition(".")
        if len(integer.lstrip("0")) > _MAX_INTEGER_DIGITS:
            self.warnings.append(
                f"The number {text!r} in {name} has more than "
                f"{_MAX_INTEGER_DIGITS} digits before the decimal point, so that "
                "field was left empty."
            )
            return None
        return to_decimal(
            f"{sign}{integer or '0'}" + (f".{fraction}" if fraction else "")
        )

    def _date_or_warn(
        self, element: etree._Element | None, text: str, iso_text: str | None
    ) -> date | None:
        if iso_text is not None:
            try:
                return date.fromisoformat(iso_text)
            except ValueError:
                pass
        name = etree.QName(element).localname if element is not None else "date"
        self.warnings.append(
            f"The e-invoice contains the invalid date {text!r} in {name}, so that "
            "field was left empty."
        )
        return None


def _text_of(element: etree._Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    return element.text.strip() or None
