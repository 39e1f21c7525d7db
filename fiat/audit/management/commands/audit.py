"""``fiat audit verify`` and ``fiat audit seal``: check and seal the audit trail.

``verify`` exits with status 0 when every chain and seal matches, and with
status 1 after printing the first broken record and every problem found.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fiat.audit.sealing import seal_events
from fiat.audit.verification import TrailReport, verify_trail


class Command(BaseCommand):
    help = "Verify the audit trail's hash chains and seals, or seal new events."

    def add_arguments(self, parser) -> None:
        subcommands = parser.add_subparsers(
            dest="subcommand", required=True, metavar="{verify,seal}"
        )
        subcommands.add_parser(
            "verify",
            help="Recompute every event chain and seal; exit 1 if one is broken.",
        )
        subcommands.add_parser("seal", help="Seal the events that no seal covers yet.")

    def handle(self, *args, subcommand: str, **options) -> None:
        if subcommand == "verify":
            self.verify()
        else:
            self.seal()

    def verify(self) -> None:
        report = verify_trail()
        if not report.is_intact:
            self.write_problems(report)
            raise CommandError(
                ngettext(
                    "Audit trail broken: %(count)s problem in %(events)s events "
                    "and %(seals)s seals.",
                    "Audit trail broken: %(count)s problems in %(events)s events "
                    "and %(seals)s seals.",
                    len(report.problems),
                )
                % {
                    "count": len(report.problems),
                    "events": report.event_count,
                    "seals": report.seal_count,
                },
                returncode=1,
            )
        self.stdout.write(self.style.SUCCESS(_summary(report)))
        if report.latest_seal is not None:
            self.stdout.write(
                _("Latest seal %(sequence)s has hash %(hash)s.")
                % {
                    "sequence": report.latest_seal.sequence,
                    "hash": report.latest_seal.hash,
                }
            )

    def write_problems(self, report: TrailReport) -> None:
        """Write the first problem on its own line, then the full list."""
        self.stdout.write(report.first_problem.describe())
        count = len(report.problems)
        self.stdout.write(
            ngettext("%(count)s problem found:", "%(count)s problems found:", count)
            % {"count": count}
        )
        for problem in report.problems:
            self.stdout.write(f"- {problem.kind}: {problem.describe()}")

    def seal(self) -> None:
        seals = seal_events()
        if not seals:
            self.stdout.write(_("No new audit events to seal."))
        for seal in seals:
            self.stdout.write(
                _("Sealed %(count)s events in seal %(sequence)s (hash %(hash)s).")
                % {
                    "count": seal.event_count,
                    "sequence": seal.sequence,
                    "hash": seal.hash,
                }
            )


def _summary(report: TrailReport) -> str:
    return _(
        "Audit trail intact: %(events)s events in %(seals)s seals, %(unsealed)s "
        "not sealed yet"
    ) % {
        "events": report.event_count,
        "seals": report.seal_count,
        "unsealed": report.unsealed_event_count,
    }
