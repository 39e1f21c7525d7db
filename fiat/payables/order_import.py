"""Importing purchase orders from a CSV file, one order line per row.

The first row names the columns, in any order and case:

- ``order_number`` (required): rows with the same number form one order;
- ``supplier_vat_number``, ``supplier_coc_number`` or ``supplier_name``: at
  least one, to find an existing supplier (tried in that order);
- ``order_date`` (required): 2026-03-31, 31-03-2026 or 31/03/2026;
- ``currency``: ISO 4217, the company currency when empty;
- ``description``: of the order;
- ``line_description``, ``quantity``, ``unit_price`` (required).

Columns are separated by commas, semicolons or tabs, and amounts may be
written 1234.56, 1.234,56 or 1,234.56. The file is checked whole first: if
any row is wrong, nothing is imported and every wrong row is reported with
its line number in the file. Orders that exist already (same normalised
number) are left unchanged, so importing a file twice creates nothing new.
"""

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from fiat.core import identifiers
from fiat.core.models import Party, User
from fiat.core.money import (
    AmountError,
    InvalidCurrencyError,
    currency_exponent,
    parse_amount,
)
from fiat.payables.orders import (
    OrderInput,
    OrderLineInput,
    create_purchase_order,
)
from fiat.payables.suppliers import active_suppliers

REQUIRED_COLUMNS = (
    "order_number",
    "order_date",
    "line_description",
    "quantity",
    "unit_price",
)
SUPPLIER_COLUMNS = ("supplier_vat_number", "supplier_coc_number", "supplier_name")
# Columns that describe the order, so every row of one order must agree on them.
ORDER_COLUMNS = ("order_date", "currency", "description", *SUPPLIER_COLUMNS)
# A date written day first, as Dutch spreadsheets do: 31-03-2026, 31/03/2026.
_DAY_FIRST_DATE = re.compile(r"(?P<day>\d{2})[-/.](?P<month>\d{2})[-/.](?P<year>\d{4})")
_DELIMITERS = ",;\t"


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return _("Line %(line)d: %(message)s") % {
            "line": self.line,
            "message": self.message,
        }


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


class RowInvalidError(ValueError):
    """One value of a row that cannot be used; the message names it."""


def import_purchase_orders(content: bytes, *, actor: User | None) -> ImportReport:
    """Check the whole file, then create its new orders in one transaction."""
    report = ImportReport()
    rows, header_error = _read_rows(content)
    if header_error is not None:
        report.errors.append(header_error)
        return report
    orders = _orders_from_rows(rows, report.errors)
    if report.errors:
        return report
    with transaction.atomic():
        for order_input in orders:
            order, created = create_purchase_order(order_input, actor=actor)
            (report.created if created else report.existing).append(order.number)
    return report


def _decode(content: bytes) -> str:
    # Spreadsheets on Windows often save CSV as Windows-1252, not UTF-8.
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _read_rows(content: bytes) -> tuple[list[tuple[int, dict]], RowError | None]:
    """Return (line number, row) pairs, or the error in the header."""
    text = _decode(content)
    first_line = text.split("\n", 1)[0]
    delimiter = max(_DELIMITERS, key=first_line.count)
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    columns = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if not any(name in columns for name in SUPPLIER_COLUMNS):
        missing.append(" or ".join(SUPPLIER_COLUMNS))
    if missing:
        message = _("the header lacks the columns %(columns)s.") % {
            "columns": ", ".join(missing)
        }
        return [], RowError(1, message)
    reader.fieldnames = columns
    rows = []
    for row in reader:
        values = {key: (value or "").strip() for key, value in row.items() if key}
        if any(values.values()):
            rows.append((reader.line_num, values))
    return rows, None


def _orders_from_rows(
    rows: list[tuple[int, dict]], errors: list[RowError]
) -> list[OrderInput]:
    by_number: dict[str, list[tuple[int, dict]]] = defaultdict(list)
    for line, row in rows:
        if not row.get("order_number"):
            errors.append(RowError(line, _("order_number is empty.")))
            continue
        by_number[row["order_number"]].append((line, row))
    orders = []
    for number, order_rows in by_number.items():
        order = _order(number, order_rows, errors)
        if order is not None:
            orders.append(order)
    return orders


def _order(
    number: str, rows: list[tuple[int, dict]], errors: list[RowError]
) -> OrderInput | None:
    first_line, first = rows[0]
    count = len(errors)
    for line, row in rows[1:]:
        for column in ORDER_COLUMNS:
            if row.get(column, "") != first.get(column, ""):
                errors.append(
                    RowError(
                        line,
                        _("%(column)s differs from line %(first)d of order %(number)s.")
                        % {"column": column, "first": first_line, "number": number},
                    )
                )
    header = _collect(first_line, errors, lambda: _order_header(first))
    lines = [
        _collect(line, errors, lambda row=row: _order_line(row)) for line, row in rows
    ]
    if len(errors) > count:
        return None
    supplier, order_date, currency, description = header
    return OrderInput(number, supplier, order_date, currency, description, lines)


def _collect(line: int, errors: list[RowError], build):
    try:
        return build()
    except RowInvalidError as error:
        errors.append(RowError(line, str(error)))
        return None


def _order_header(row: dict) -> tuple[Party, date, str, str]:
    return (
        _supplier(row),
        _date(row.get("order_date", "")),
        _currency(row.get("currency", "")),
        row.get("description", "")[:500],
    )


def _order_line(row: dict) -> OrderLineInput:
    description = row.get("line_description", "")
    if not description:
        raise RowInvalidError(_("line_description is empty."))
    quantity = _amount("quantity", row.get("quantity", ""))
    if quantity == 0:
        raise RowInvalidError(_("quantity is 0."))
    return OrderLineInput(
        description[:500], quantity, _amount("unit_price", row.get("unit_price", ""))
    )


def _supplier(row: dict) -> Party:
    vat_number = row.get("supplier_vat_number", "")
    coc_number = row.get("supplier_coc_number", "")
    name = row.get("supplier_name", "")
    suppliers = active_suppliers()
    if vat_number:
        supplier = suppliers.filter(
            vat_number=_clean(identifiers.clean_vat_number, vat_number)
        ).first()
    elif coc_number:
        supplier = suppliers.filter(
            coc_number=_clean(identifiers.clean_coc_number, coc_number)
        ).first()
    else:
        supplier = suppliers.filter(name__iexact=name).first()
    if supplier is None:
        raise RowInvalidError(
            _(
                "no supplier has VAT number, KvK number or name %(value)s; add the "
                "supplier first."
            )
            % {"value": vat_number or coc_number or name or "—"}
        )
    return supplier


def _clean(clean, value: str) -> str:
    try:
        return clean(value)
    except identifiers.InvalidIdentifierError as error:
        raise RowInvalidError(str(error)) from error


def _date(text: str) -> date:
    match = _DAY_FIRST_DATE.fullmatch(text)
    iso_text = f"{match['year']}-{match['month']}-{match['day']}" if match else text
    try:
        return date.fromisoformat(iso_text)
    except ValueError:
        pass
    raise RowInvalidError(
        _("order_date %(value)r is not a date; write it as 2026-03-31.")
        % {"value": text}
    )


def _currency(text: str) -> str:
    code = text.upper() or settings.FIAT_CURRENCY
    try:
        currency_exponent(code)
    except InvalidCurrencyError as error:
        raise RowInvalidError(
            _("currency %(value)r is not an ISO 4217 code such as EUR.")
            % {"value": text}
        ) from error
    return code


def _amount(column: str, text: str) -> Decimal:
    try:
        return parse_amount(text)
    except AmountError as error:
        raise RowInvalidError(f"{column}: {error}") from error
