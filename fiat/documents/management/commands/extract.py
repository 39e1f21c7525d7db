"""``fiat extract PATH... [--as receipt] --json``: read documents, store nothing.

With ``--json`` each file gives one JSON object on its own line, in the
shape of ``ExtractionResult.to_json``: ``file``, ``source``,
``document_type``, ``supplier``, ``customer``, the invoice fields, amounts
as decimal strings, dates in ISO 8601 and null for a field not found. A file
that cannot be read gives ``{"file": ..., "error": {"code": ...,
"message": ...}}``, and the command exits with status 1 after the last file.
"""

import json
import logging
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fiat.documents.extraction.result import ExtractionError, ExtractionResult
from fiat.documents.intake import max_document_bytes
from fiat.documents.paths import expand_paths
from fiat.documents.reading import extract

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Read invoices (or receipts) and print the fields found, one JSON "
        "object a line with --json. Nothing is stored. Exits with status 1 "
        "when a file cannot be read."
    )
    requires_system_checks = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument(
            "--as",
            dest="kind",
            choices=["invoice", "receipt"],
            default="invoice",
            help="Read the files as invoices (the default) or as receipts.",
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="Print one JSON object a line instead of a summary.",
        )

    def handle(self, *args, paths: list[Path], kind: str, **options) -> None:
        self.as_json = options["json"]
        files = expand_paths(paths)
        failed = 0
        limit = max_document_bytes()
        for path in files:
            try:
                _check_file(path, limit)
                result = extract(path, str(path), as_receipt=kind == "receipt")
            except ExtractionError as error:
                self._print_error(path, error.code, error.message)
            except FileNotFoundError:
                self._print_error(path, "not_found", f"{path} does not exist.")
            except OSError as error:
                reason = error.strerror or str(error)
                self._print_error(path, "unreadable", f"{path}: {reason}.")
            except Exception as error:
                logger.exception("Reading %s failed", path)
                self._print_error(path, "read_failed", f"Reading failed: {error}")
            else:
                self._print(result)
                continue
            failed += 1
        if failed:
            raise CommandError(f"{failed} of {len(files)} files could not be read.")

    def _print(self, result: ExtractionResult) -> None:
        if self.as_json:
            self.stdout.write(json.dumps(result.to_json(), ensure_ascii=False))
            return
        total = result.total_gross if result.total_gross is not None else "-"
        self.stdout.write(
            f"{result.file}: {result.source} {result.document_type}, "
            f"{result.supplier.name or '-'}, number {result.invoice_number or '-'}, "
            f"{result.issue_date or '-'}, {result.currency or ''} {total}"
        )

    def _print_error(self, path: Path, code: str, message: str) -> None:
        if self.as_json:
            error = {"file": str(path), "error": {"code": code, "message": message}}
            self.stdout.write(json.dumps(error, ensure_ascii=False))
        else:
            self.stderr.write(f"{path}: {message}")


def _check_file(path: Path, limit: int) -> None:
    """Raise ExtractionError for a path that is no regular file or is too large.

    A device or a named pipe would be read without end.
    """
    if path.exists() and not path.is_file():
        raise ExtractionError("not_a_file", f"{path} is not a regular file.")
    size = path.stat().st_size if path.exists() else 0
    if size > limit:
        raise ExtractionError(
            "too_large",
            f"{path} has {size} bytes, more than the {limit} that Fiat reads "
            "(FIAT_MAX_DOCUMENT_BYTES).",
        )
