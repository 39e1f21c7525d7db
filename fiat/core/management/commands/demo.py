"""``fiat demo``: load the demo company and print its logins."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from fiat.core.demo import DEMO_USERS, demo_is_loaded, load_demo
from fiat.core.models import User

# Demo content of the apps built on core, loaded after the company itself
# and in this order: the approval policy comes before the invoices that need
# it. Each loader returns how many documents it took in; --without-documents
# leaves out the loaders that take in documents.
APP_DEMO_LOADERS = {
    "approvals": "fiat.approvals.demo.load_demo_policy",
    "payables": "fiat.payables.demo.load_demo_purchases",
    "receivables": "fiat.receivables.demo.load_demo_sales",
}
DOCUMENT_LOADERS = frozenset({"payables"})


class Command(BaseCommand):
    help = (
        "Load a demo company: users of every role, suppliers, customers, cost "
        "centres, budgets, projects, exchange rates, a purchase order and a "
        "dozen supplier invoices for the worker to read. Safe to run twice."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help=(
                "Load the demo only into a database without users; print the "
                "demo logins when the demo is there."
            ),
        )
        parser.add_argument(
            "--without-documents",
            action="store_true",
            help=(
                "Leave out the purchase order and the supplier invoices; the "
                "approval policy is loaded all the same."
            ),
        )

    def handle(self, *args, **options) -> None:
        if_empty = options["if_empty"]
        if if_empty and User.objects.exists() and not demo_is_loaded():
            self.stdout.write("The database has users of its own; no demo loaded.")
            return
        if not (if_empty and demo_is_loaded()):
            load_demo()
            self._load_app_demos(with_documents=not options["without_documents"])
            self.stdout.write(self.style.SUCCESS("Demo company loaded."))
        self._print_logins()

    def _load_app_demos(self, *, with_documents: bool) -> None:
        for app_label, loader_path in APP_DEMO_LOADERS.items():
            if not apps.is_installed(f"fiat.{app_label}"):
                continue
            if app_label in DOCUMENT_LOADERS and not with_documents:
                continue
            count = import_string(loader_path)()
            if count:
                self.stdout.write(
                    f"{count} supplier invoices taken in; the worker reads them."
                )

    def _print_logins(self) -> None:
        self.stdout.write("Demo logins (username / password, role):")
        for user in DEMO_USERS:
            roles = ", ".join(str(role.label) for role in user.roles)
            self.stdout.write(f"  {user.username:<13} {user.password:<18} {roles}")
