"""``fiat demo``: load the demo company and print its logins."""

from django.core.management.base import BaseCommand

from fiat.core.demo import DEMO_USERS, demo_is_loaded, load_demo
from fiat.core.models import User


class Command(BaseCommand):
    help = (
        "Load a demo company: users of every role, suppliers, customers, cost "
        "centres, budgets, projects and exchange rates. Safe to run twice."
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

    def handle(self, *args, if_empty: bool = False, **options) -> None:
        if if_empty and User.objects.exists() and not demo_is_loaded():
            self.stdout.write("The database has users of its own; no demo loaded.")
            return
        if not (if_empty and demo_is_loaded()):
            load_demo()
            self.stdout.write(self.style.SUCCESS("Demo company loaded."))
        self.stdout.write("Demo logins (username / password, role):")
        for user in DEMO_USERS:
            roles = ", ".join(str(role.label) for role in user.roles)
            self.stdout.write(f"  {user.username:<13} {user.password:<18} {roles}")
