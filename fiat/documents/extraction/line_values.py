"""Values of one invoice line, read from the words under each column.

The quantity is the first number under the quantity header, the unit price
and the line amount the last amount under theirs, the VAT rate the first
percentage. Where the cells contradict each other, the amount wins,
because the totals confirm it. A price whose product with the quantity is
not the amount is dropped, unless the table has a discount column. An
unreadable quantity ("fl" for "1" in a scan) follows from amount and price
when they divide into a whole number.
"""

from __future__ import annotations

import re
from decimal import Decimal

from fiat.core.money import AmountError, parse_amount, round_money
from fiat.documents.extraction.amounts import find_rates
from fiat.documents.extraction.columns import Column, Header
from fiat.documents.extraction.context import DocumentContext
from fiat.documents.extraction.layout import Word
from fiat.documents.extraction.result import LineFields

_NUMBER = re.compile(r"[-\u2212]?\d+(?:[.,]\d+)*")
CENT = Decimal("0.01")
# ISO 4217 "no currency": amounts round to two decimals.
_NO_CURRENCY = "XXX"


def line_fields(
    header: Header,
    cells: dict[Column, list[Word]],
    description: str,
    context: DocumentContext,
) -> LineFields:
    """Read one invoice line from the words of its row, by column."""
    amount_column = Column.AMOUNT if Column.AMOUNT in cells else Column.AMOUNT_GROSS
    line = LineFields(
        description=description or None,
        quantity=_number(words_text(cells, Column.QUANTITY), context),
        unit_price=_amount(words_text(cells, Column.UNIT_PRICE), context),
        net_amount=_amount(words_text(cells, amount_column), context),
        vat_rate=_rate(words_text(cells, Column.VAT_RATE), context),
    )
    if _contradicts(line) and not header.has(Column.OTHER):
        # A misread price ("€779;50" for "€ 79,50") does not give the amount.
        line.unit_price = None
    if line.quantity is None and line.unit_price and line.net_amount is not None:
        quantity = line.net_amount / line.unit_price
        if quantity == quantity.to_integral_value():
            line.quantity = quantity.to_integral_value()
    return line


def words_text(cells: dict[Column, list[Word]], column: Column) -> str:
    return " ".join(word.text for word in cells.get(column, []))


def to_net(lines: list[LineFields]) -> list[LineFields]:
    """Turn line amounts that include VAT into net amounts.

    The net amount is quantity times unit price when the price excludes VAT
    (it differs from the line amount), else the amount less its VAT rate.
    """
    for line in lines:
        gross = line.net_amount
        line.net_amount = None
        if gross is None:
            continue
        if line.quantity is not None and line.unit_price is not None:
            net = round_money(line.quantity * line.unit_price, _NO_CURRENCY)
            if net != gross:
                line.net_amount = net
                continue
        if line.vat_rate is not None:
            net = gross / (1 + line.vat_rate / 100)
            line.net_amount = round_money(net, _NO_CURRENCY)
    return lines


def _contradicts(line: LineFields) -> bool:
    if None in (line.quantity, line.unit_price, line.net_amount):
        return False
    product = round_money(line.quantity * line.unit_price, _NO_CURRENCY)
    return abs(abs(product) - abs(line.net_amount)) > CENT


def _amount(text: str, context: DocumentContext) -> Decimal | None:
    amounts = context.amounts(text)
    if amounts:
        return amounts[-1].value
    return _number(text, context) if "." in text or "," in text else None


def _number(text: str, context: DocumentContext) -> Decimal | None:
    match = _NUMBER.search(text)
    if match is None:
        return None
    try:
        return parse_amount(
            match.group().replace("\u2212", "-"),
            decimal_separator=context.decimal_separator,
        )
    except AmountError:
        return None


def _rate(text: str, context: DocumentContext) -> Decimal | None:
    rates = find_rates(text)
    if rates:
        return rates[0]
    value = _number(text, context)
    return value if value is not None and 0 <= value < 100 else None
