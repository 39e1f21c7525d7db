"""``fiat import_sales_invoices FILE``: create sales invoices from a CSV file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fiat.receivables.csv_import import InvalidCsvError, import_sales_invoices


class Command(BaseCommand):
    help = (
        "Create sales invoices from a CSV file, one invoice line per row; rows "
        "with the same reference form one invoice. Invoices imported before "
        "are left alone."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="The CSV file, UTF-8 encoded.")

    def handle(self, *args, file: Path, **options) -> None:
        try:
            results = import_sales_invoices(file.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, InvalidCsvError) as error:
            raise CommandError(f"Cannot import {file}: {error}") from error
        for result in results:
            lines = ", ".join(str(number) for number in result.line_numbers)
            if result.problems:
                self.stdout.write(
                    f"{result.reference} (lines {lines}): not imported: "
                    + " ".join(result.problems)
                )
            elif result.duplicate:
                self.stdout.write(f"{result.reference}: imported before")
            else:
                invoice = result.invoice
                self.stdout.write(
                    f"{result.reference}: {invoice.number or f'draft {invoice.pk}'} "
                    f"{invoice.status}"
                )
        if any(result.problems for result in results):
            raise CommandError("Some invoices were not imported; see above.")
