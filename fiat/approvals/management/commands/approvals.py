"""``fiat approvals export [FILE]`` and ``fiat approvals import FILE``.

The YAML format is described in ``fiat.approvals.policy_yaml``. When the
file has any problem, nothing is imported, every problem is printed with its
place in the file, and the command exits with status 1.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fiat.approvals.policy_yaml import (
    PolicyImportError,
    export_policies,
    import_policies,
)


class Command(BaseCommand):
    help = "Export the approval policies as YAML, or import them from a YAML file."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser(
            "export", help="Write every approval policy as YAML."
        )
        export.add_argument(
            "file",
            nargs="?",
            type=Path,
            help="The file to write; standard output when left out.",
        )
        load = actions.add_parser(
            "import",
            help=(
                "Read approval policies from a YAML file and replace the policy "
                "of each document kind it names."
            ),
        )
        load.add_argument("file", type=Path, help="The YAML file to import.")
        load.add_argument(
            "--keep-existing",
            action="store_true",
            help=(
                "Refuse the import when a document kind in the file has a "
                "policy already, instead of replacing that policy."
            ),
        )

    def handle(self, *args, **options) -> None:
        if options["action"] == "export":
            self._export(options["file"])
        else:
            self._import(options["file"], replace=not options["keep_existing"])

    def _export(self, path: Path | None) -> None:
        text = export_policies()
        if path is None:
            self.stdout.write(text, ending="")
            return
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror}.") from error
        self.stdout.write(f"Approval policies written to {path}.")

    def _import(self, path: Path, *, replace: bool) -> None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            raise CommandError(f"Cannot read {path}: {reason}.") from error
        try:
            policies = import_policies(text, replace=replace)
        except PolicyImportError as error:
            for problem in error.errors:
                self.stderr.write(f"{path}: {problem}")
            raise CommandError(
                f"Nothing was imported because of the {len(error.errors)} "
                "problems above. Correct the file and run the command again."
            ) from error
        kinds = ", ".join(policy.document_kind for policy in policies)
        self.stdout.write(f"{len(policies)} approval policies imported: {kinds}.")
