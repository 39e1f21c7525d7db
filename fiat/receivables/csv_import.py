"""Importing sales invoices from a CSV file, one invoice line per row.

The first row names the columns, in any order and case:

- ``reference`` (required): rows with the same reference form one invoice,
  and the reference is printed as its order reference;
- ``customer_name`` (required), ``customer_vat_number``,
  ``customer_coc_number``, ``customer_email``, ``customer_country``,
  ``customer_language``: the customer, found or created as for the webhook;
- ``description``, ``quantity``, ``unit_price``, ``vat_rate``,
  ``discount_percent``, or ``product`` (a product code) instead of the
  description, price and VAT rate;
- ``project`` (a project code) and ``currency``.

Columns are separated by commas, semicolons or tabs, and numbers may be
written 1234.56, 1.234,56 or 1,234.56. Each invoice is checked and created
on its own, so a wrong invoice does not stop the others. The report lists
each one with the line numbers of its rows. An invoice is idempotent by its
reference, so importing a file twice creates nothing new.
"""

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field

from fiat.core.money import AmountError, parse_amount
from fiat.receivables.deal_events import (
    InvalidEventError,
    parse_deal_event,
    receive_deal_event,
)
from fiat.receivables.models import SalesInvoice, TriggerSource

REQUIRED_COLUMNS = ("reference", "customer_name")
CUSTOMER_COLUMNS = {
    "customer_name": "name",
    "customer_vat_number": "vat_number",
    "customer_coc_number": "coc_number",
    "customer_email": "email",
    "customer_country": "country",
    "customer_language": "language",
}
NUMBER_COLUMNS = ("quantity", "unit_price", "vat_rate", "discount_percent")
_DELIMITERS = ",;\t"


class InvalidCsvError(ValueError):
    """A file that cannot be read as an invoice CSV at all."""


@dataclass
class ImportedInvoice:
    """The outcome of one reference: the invoice, or why there is none."""

    reference: str
    line_numbers: list[int]
    invoice: SalesInvoice | None = None
    duplicate: bool = False
    problems: list[str] = field(default_factory=list)


def import_sales_invoices(text: str) -> list[ImportedInvoice]:
    """Create an invoice for each reference in the CSV ``text``.

    Raise InvalidCsvError for a file without a header row or without a
    required column. The errors of the approval engine, the exchange rates
    and the ledger propagate, because they need the setup fixed first.
    """
    rows = _read_rows(text)
    groups: dict[str, list[tuple[int, dict]]] = defaultdict(list)
    for line_number, row in rows:
        groups[row["reference"].strip()].append((line_number, row))
    return [_import_group(reference, group) for reference, group in groups.items()]


def _read_rows(text: str) -> list[tuple[int, dict]]:
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=_DELIMITERS)
    except csv.Error as error:
        raise InvalidCsvError(f"The file has no header row: {error}") from error
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    reader.fieldnames = [name.strip().lower() for name in reader.fieldnames or ()]
    missing = [name for name in REQUIRED_COLUMNS if name not in reader.fieldnames]
    if missing:
        raise InvalidCsvError(
            f"The file lacks the column(s) {', '.join(missing)}; the header row "
            f"has {', '.join(reader.fieldnames) or 'nothing'}."
        )
    return [
        (reader.line_num, {key: (value or "").strip() for key, value in row.items()})
        for row in reader
        if any((value or "").strip() for value in row.values())
    ]


def _import_group(reference: str, group: list[tuple[int, dict]]) -> ImportedInvoice:
    result = ImportedInvoice(reference, [number for number, _row in group])
    first = group[0][1]
    payload = {
        "event_id": f"csv-{reference}",
        "reference": reference,
        "project": first.get("project") or None,
        "currency": first.get("currency") or "",
        "customer": {
            key: first.get(column, "") for column, key in CUSTOMER_COLUMNS.items()
        },
        "lines": [],
    }
    for line_number, row in group:
        line = _line(row, line_number, result.problems)
        if line is not None:
            payload["lines"].append(line)
    if not reference:
        result.problems.append("reference is empty.")
    if result.problems:
        return result
    try:
        event = parse_deal_event(payload)
    except InvalidEventError as error:
        result.problems.extend(error.problems)
        return result
    record, created = receive_deal_event(event, payload, TriggerSource.CSV_IMPORT)
    result.invoice = record.invoice
    result.duplicate = not created
    return result


def _line(row: dict, line_number: int, problems: list[str]) -> dict | None:
    line = {"description": row.get("description", "")}
    if row.get("product"):
        line["product"] = row["product"]
    for column in NUMBER_COLUMNS:
        text = row.get(column, "")
        if not text:
            continue
        try:
            line[column] = str(parse_amount(text))
        except AmountError as error:
            problems.append(f"line {line_number}, {column}: {error}")
            return None
    return line
