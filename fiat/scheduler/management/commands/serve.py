"""``fiat serve``: the embedded setup, web server and worker in one command.

Runs ``migrate`` and ``collectstatic``, then supervises gunicorn and one
``fiat worker`` (tasks plus scheduler) until SIGINT or SIGTERM. A child that
dies is restarted, as ``fiat.scheduler.supervisor`` describes.
"""

import sys
from argparse import ArgumentParser, ArgumentTypeError

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections

from fiat.scheduler.management.commands.worker import positive_int
from fiat.scheduler.runtime import child_environment, django_command
from fiat.scheduler.supervisor import Child, Supervisor

# Gunicorn's own graceful shutdown ends before the supervisor's stop timeout.
GUNICORN_GRACEFUL_SECONDS = 25


def gunicorn_command(host: str, port: int, web_workers: int, threads: int) -> list[str]:
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "fiat.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(web_workers),
        "--threads",
        str(threads),
        "--graceful-timeout",
        str(GUNICORN_GRACEFUL_SECONDS),
        "--access-logfile",
        "-",
        "--error-logfile",
        "-",
        # Otherwise gunicorn 27 opens a control socket at one fixed path per
        # user ($XDG_RUNTIME_DIR or ~/.gunicorn), shared by every instance.
        "--no-control-socket",
    ]


def tcp_port(value: str) -> int:
    port = int(value)
    if not 1 <= port <= 65_535:
        raise ArgumentTypeError(f"Port {value} is invalid; use 1 to 65535.")
    return port


def site_url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def mailed_base_url(host: str, port: int) -> str:
    """Return the address for links in mail when FIAT_BASE_URL is not set.

    A server bound to every interface is reached on the loopback address
    from this machine, so links name that instead of 0.0.0.0.
    """
    link_host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)  # noqa: S104
    return site_url(link_host, port).rstrip("/")


class Command(BaseCommand):
    help = (
        "Migrate the database, collect static files, then run the web server "
        "(gunicorn) and a worker with the scheduler until SIGINT or SIGTERM."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--host",
            default="127.0.0.1",
            help="IP address to listen on (default: %(default)s). Use 0.0.0.0 to "
            "listen on all interfaces.",
        )
        parser.add_argument(
            "--port", type=tcp_port, default=8000, help="TCP port (default: 8000)."
        )
        parser.add_argument(
            "--web-workers",
            type=positive_int,
            default=2,
            help="Gunicorn worker processes (default: %(default)s).",
        )
        parser.add_argument(
            "--threads",
            type=positive_int,
            default=4,
            help="Threads per gunicorn worker process (default: %(default)s).",
        )

    def handle(
        self, *, host: str, port: int, web_workers: int, threads: int, **options
    ) -> None:
        verbosity = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=verbosity)
        call_command("collectstatic", interactive=False, verbosity=min(verbosity, 1))
        connections.close_all()

        environment = child_environment()
        # Links in mail (password reset, approvals) must reach this server.
        environment.setdefault("FIAT_BASE_URL", mailed_base_url(host, port))
        children = [
            Child(
                name="gunicorn",
                argv=gunicorn_command(host, port, web_workers, threads),
                env=environment,
            ),
            Child(name="worker", argv=django_command("worker"), env=environment),
        ]
        self.stdout.write(f"Fiat is serving at {site_url(host, port)}")
        self.stdout.flush()
        Supervisor(children).run()
        self.stdout.write("Fiat stopped.")
