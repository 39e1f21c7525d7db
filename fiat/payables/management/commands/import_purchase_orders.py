"""``fiat import_purchase_orders FILE.csv``: import purchase orders.

The file format is described in ``fiat.payables.order_import``. When any row
is wrong nothing is imported, every wrong row is printed with its line
number, and the command exits with status 1.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fiat.payables.order_import import import_purchase_orders


class Command(BaseCommand):
    help = (
        "Import purchase orders from a CSV file with one order line per row. "
        "Orders that exist already are left unchanged."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="The CSV file to import.")

    def handle(self, *args, **options) -> None:
        path: Path = options["file"]
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        report = import_purchase_orders(content, actor=None)
        for error in report.errors:
            self.stderr.write(f"{path}: {error}")
        if report.errors:
            raise CommandError(
                f"Nothing was imported because of the {len(report.errors)} "
                "errors above. Correct those lines and run the command again."
            )
        self.stdout.write(
            f"{len(report.created)} purchase orders imported, "
            f"{len(report.existing)} existed already."
        )
