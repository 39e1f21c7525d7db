"""Run every benchmark and print the table; see ``fiat.bench``."""

import os
import platform
import sys

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fiat.settings")
    django.setup()
    from django.core.management import call_command

    from fiat.bench import (
        format_table,
        foundation,  # noqa: F401  (registers benchmarks)
        reading,  # noqa: F401  (registers benchmarks)
        registered,
        sales,  # noqa: F401  (registers benchmarks)
    )

    call_command("migrate", verbosity=0)
    measurements = [run() for run in registered()]
    sys.stdout.write(
        f"Fiat benchmarks on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}\n\n"
    )
    sys.stdout.write(format_table(measurements) + "\n")


main()
