"""``fiat ingest PATH...``: take in files or folders as purchase invoices."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fiat.documents.intake import Received, receive_any
from fiat.documents.models import Channel
from fiat.documents.paths import expand_paths
from fiat.documents.reading import read_document


class Command(BaseCommand):
    help = (
        "Take in files, or every file in folders (recursively), as purchase "
        "invoices. Each file is stored and queued to be read by the worker; "
        "a file taken in before is reported and not added again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument(
            "--read-now",
            action="store_true",
            help="Read each new document in this process instead of in the worker.",
        )

    def handle(self, *args, paths: list[Path], read_now: bool, **options) -> None:
        failed = 0
        for path in expand_paths(paths):
            try:
                content = path.read_bytes()
            except OSError as error:
                self.stderr.write(f"{path}: cannot be read: {error.strerror}")
                failed += 1
                continue
            received = receive_any(content, path.name, channel=Channel.CLI)
            for item in received:
                self._report(path, item, read_now=read_now)
        if failed:
            raise CommandError(f"{failed} paths could not be taken in.")

    def _report(self, path: Path, item: Received, *, read_now: bool) -> None:
        document = item.document
        if not item.created:
            self.stdout.write(
                f"{path}: received before as document {document.pk} ({document.status})"
            )
            return
        if read_now:
            read_document.call(document.pk)
            document.refresh_from_db()
        line = f"{path}: document {document.pk} {document.status}"
        if document.error_code:
            line += f": {document.error_message}"
        self.stdout.write(line)
