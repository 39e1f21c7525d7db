"""Approval latency on PostgreSQL: ``python -m fiat.bench.approvals``.

Fifty simulated approvers each open an e-mailed approval link and approve
once a second, against gunicorn serving Fiat on PostgreSQL. Every decision
completes its invoice's request, so it includes booking the invoice. The
bench prints the p50 and p95 of the approval page and of the approve action,
then raises the number of clients deciding back to back and prints the most
decisions a second the server sustained.

The database named by FIAT_BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/fiat_bench) is dropped and created anew.
Client and server share the machine, so the client's own work is inside the
measured times. The bench also prints the CPU time that gunicorn, PostgreSQL
and the client used per decision while the 50 users decided, read from
/proc, which shows how many decisions a second the machine can carry.
"""

import gc
import http.client
import os
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/fiat_bench"
USERS = 50
RATE_SECONDS = 20
THROUGHPUT_CLIENTS = (4, 8, 16)
THROUGHPUT_SECONDS = 5
# Invoices for the rate phase plus a reserve for the throughput phase.
INVOICES_PER_USER = RATE_SECONDS + 25
GUNICORN_WORKERS = 4
PORT = 8765
CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def bench_invoice(serial: int):
    """Take in an invoice with its own number and amount, as suppliers send them.

    Equal amounts on one date would make every invoice a possible duplicate
    of all earlier ones, which no real supplier does.
    """
    from decimal import Decimal

    from fiat.documents.extraction.result import LineFields, VatBreakdownFields
    from fiat.payables.intake import create_invoice_from_document
    from fiat.payables.tests.factories import make_document, make_result

    number = f"B-{serial:05d}"
    net = Decimal(100 + serial).quantize(Decimal("0.01"))
    vat = (net * Decimal("0.21")).quantize(Decimal("0.01"))
    result = make_result(
        invoice_number=number,
        total_net=net,
        total_vat=vat,
        total_gross=net + vat,
        vat_breakdown=[VatBreakdownFields(Decimal("21"), net, vat)],
        lines=[LineFields("Consulting", Decimal("1"), net, net, Decimal("21"))],
    )
    document = make_document(f"{number}.pdf", f"%PDF-1.4 bench {number}".encode())
    return create_invoice_from_document(document, result)


def seed() -> dict[int, list[str]]:
    """Create 50 approvers with invoices waiting for them; return their link tokens.

    Each approver is the budget holder of one cost centre, and the policy sends
    every invoice to its cost centre's budget holder, so each task has one
    approver.
    """
    from django.core.management import call_command
    from django.db import transaction

    from fiat.approvals.links import make_link
    from fiat.approvals.models import ApproverType, Assignment, StepMode
    from fiat.approvals.testing import make_policy
    from fiat.core.models import CostCentre, Role
    from fiat.payables.approval import PURCHASE_INVOICE
    from fiat.payables.tests.factories import make_supplier, make_user
    from fiat.payables.workflow import submit_for_approval

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    make_supplier()
    clerk = make_user("clerk", Role.AP_CLERK)
    fallback = make_user("fallback", Role.DIRECTOR)
    make_policy(
        PURCHASE_INVOICE,
        fallback,
        [
            {
                "name": "Budget holder",
                "steps": [
                    ("Budget holder", StepMode.ANY, [ApproverType.BUDGET_HOLDER])
                ],
            }
        ],
    )
    tokens: dict[int, list[str]] = {}
    for number in range(USERS):
        holder = make_user(f"approver{number:02d}", Role.APPROVER)
        centre = CostCentre.objects.create(
            code=f"CC{number:02d}", name=f"Cost centre {number}", budget_holder=holder
        )
        for sequence in range(INVOICES_PER_USER):
            with transaction.atomic():
                invoice = bench_invoice(number * INVOICES_PER_USER + sequence)
                invoice.cost_centre = centre
                invoice.save(update_fields=["cost_centre"])
                submit_for_approval(invoice, clerk)
        tokens[holder.pk] = [
            make_link(assignment, holder, hours=24)
            for assignment in Assignment.objects.filter(approver=holder).order_by("pk")
        ]
    return tokens


def settle_database() -> None:
    """Vacuum, analyse and checkpoint the freshly seeded database.

    Seeding writes thousands of rows at once. Without this, autovacuum and
    the checkpoint of that burst run during the measured phase, which a
    server in steady use does not see.
    """
    from django.db import DatabaseError, connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        try:
            cursor.execute("CHECKPOINT")
        except DatabaseError as error:
            # CHECKPOINT needs a superuser or the pg_checkpoint role.
            sys.stdout.write(f"No checkpoint before measuring: {error}\n")


def start_server(environment: dict, log_path: Path) -> subprocess.Popen:
    """Start gunicorn, its output going to ``log_path``, and wait for the login page."""
    gunicorn = Path(sys.executable).with_name("gunicorn")
    log = log_path.open("w")
    server = subprocess.Popen(
        [
            str(gunicorn),
            "fiat.wsgi",
            "--preload",
            "--workers",
            str(GUNICORN_WORKERS),
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    status = None
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            connection.request("GET", "/login/")
            response = connection.getresponse()
            response.read()
            status = response.status
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.terminate()
    raise RuntimeError(
        f"gunicorn did not serve the login page on port {PORT} within 30 s "
        f"(last status {status}); see {log_path}"
    )


def process_cpu_seconds(command_names: tuple[str, ...]) -> float | None:
    """Return the CPU seconds used so far by processes with one of these names.

    Read from /proc, so it counts PostgreSQL's server processes as well as
    gunicorn's. Return None where /proc is missing.
    """
    proc = Path("/proc")
    if not proc.is_dir():
        return None
    ticks_per_second = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat_file in proc.glob("[0-9]*/stat"):
        try:
            text = stat_file.read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        if not name.startswith(command_names):
            continue
        fields = text.rsplit(")", 1)[1].split()
        # Fields 14 and 15 of proc(5): user and system time in clock ticks.
        total += (int(fields[11]) + int(fields[12])) / ticks_per_second
    return total


@dataclass
class CpuUse:
    """CPU milliseconds per decision of the server, the database and the client."""

    server: float | None
    database: float | None
    client: float


CPU_SOURCES = {"server": ("gunicorn",), "database": ("postgres",)}


def cpu_snapshot() -> dict[str, float | None]:
    snapshot = {
        source: process_cpu_seconds(names) for source, names in CPU_SOURCES.items()
    }
    snapshot["client"] = time.process_time()
    return snapshot


def cpu_per_decision(
    before: dict[str, float | None], after: dict[str, float | None], decisions: int
) -> CpuUse:
    def per_decision(source: str) -> float | None:
        if before[source] is None or after[source] is None or not decisions:
            return None
        return (after[source] - before[source]) * 1000 / decisions

    return CpuUse(
        server=per_decision("server"),
        database=per_decision("database"),
        client=per_decision("client") or 0.0,
    )


@dataclass
class Results:
    page_ms: list[float] = field(default_factory=list)
    approve_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def decide_once(connection: http.client.HTTPConnection, token: str, results: Results):
    """Open the link page, then approve; record both times in milliseconds."""
    path = f"/approvals/l/{token}/"
    started = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    page_ms = (time.perf_counter() - started) * 1000
    match = CSRF_FIELD.search(body)
    if response.status != 200 or match is None:
        with results.lock:
            results.errors.append(f"GET {response.status}")
        return
    cookie = SimpleCookie(response.getheader("Set-Cookie") or "")
    csrf_cookie = cookie["csrftoken"].value if "csrftoken" in cookie else ""
    form = urlencode(
        {"csrfmiddlewaretoken": match.group(1).decode(), "outcome": "approved"}
    )
    started = time.perf_counter()
    connection.request(
        "POST",
        path,
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf_cookie}",
            "Referer": f"http://127.0.0.1:{PORT}{path}",
        },
    )
    response = connection.getresponse()
    response.read()
    approve_ms = (time.perf_counter() - started) * 1000
    with results.lock:
        if response.status != 200:
            results.errors.append(f"POST {response.status}")
            return
        results.page_ms.append(page_ms)
        results.approve_ms.append(approve_ms)


def paced_user(tokens: list[str], offset: float, start: float, results: Results):
    """Decide once a second, on ticks shifted by ``offset`` seconds."""
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    for tick in range(RATE_SECONDS):
        delay = start + offset + tick - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        decide_once(connection, tokens.pop(0), results)


def back_to_back(pool: list[str], until: float, results: Results):
    """Decide again as soon as the last decision returned, until ``until``."""
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    while time.monotonic() < until:
        with results.lock:
            if not pool:
                return
            token = pool.pop()
        decide_once(connection, token, results)


def warm_up(tokens: dict[int, list[str]]) -> None:
    """Let every gunicorn worker load its templates and translations.

    Each worker does that on its first requests, which a server that has
    been running for a while has long behind it. Every user's first link
    page is opened, and two reserve invoices per worker are decided, from
    tokens that the measured phases do not use.
    """
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    for user_tokens in tokens.values():
        connection.request("GET", f"/approvals/l/{user_tokens[0]}/")
        connection.getresponse().read()
    warm_up_results = Results()
    for user_tokens in list(tokens.values())[: GUNICORN_WORKERS * 2]:
        decide_once(connection, user_tokens.pop(), warm_up_results)
    if warm_up_results.errors:
        raise RuntimeError(f"Warming up failed: {warm_up_results.errors[:5]}")


def run_threads(targets) -> None:
    threads = [threading.Thread(target=target, args=args) for target, args in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def format_milliseconds(value: float | None) -> str:
    return "not measured" if value is None else f"{value:.1f} ms"


def main() -> None:
    database_url = os.environ.get("FIAT_BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    try:
        recreate_database(database_url)
    except Exception as error:
        sys.stdout.write(
            f"approval bench skipped: no PostgreSQL at {database_url} ({error})\n"
        )
        return
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fiat.settings")
    os.environ["FIAT_EMAIL_DELIVERY"] = "none"
    import django

    django.setup()
    from fiat.bench import Measurement, format_table

    seeding_started = time.monotonic()
    tokens = seed()
    settle_database()
    seeding_seconds = time.monotonic() - seeding_started
    environment = {
        **os.environ,
        "FIAT_ALLOWED_HOSTS": "127.0.0.1",
        "FIAT_LOG_LEVEL": "WARNING",
    }
    log_path = Path(os.environ.get("FIAT_DATA_DIR", ".")) / "bench-gunicorn.log"
    server = start_server(environment, log_path)
    # Seeding left many objects in this process. A full garbage collection
    # would walk them all and stall every client thread for tens of
    # milliseconds, which would show as server latency.
    gc.collect()
    gc.freeze()
    try:
        warm_up(tokens)
        results = Results()
        start = time.monotonic() + 1
        cpu_before = cpu_snapshot()
        run_threads(
            (paced_user, (user_tokens, index / USERS, start, results))
            for index, user_tokens in enumerate(tokens.values())
        )
        cpu = cpu_per_decision(cpu_before, cpu_snapshot(), len(results.approve_ms))
        rate_errors = list(results.errors)
        pool = [token for user_tokens in tokens.values() for token in user_tokens]
        throughput = []
        for clients in THROUGHPUT_CLIENTS:
            burst = Results()
            started = time.monotonic()
            until = started + THROUGHPUT_SECONDS
            run_threads((back_to_back, (pool, until, burst)) for _ in range(clients))
            elapsed = time.monotonic() - started
            throughput.append((clients, len(burst.approve_ms) / elapsed, burst.errors))
    finally:
        server.terminate()
        server.wait(10)
    if not results.approve_ms:
        sys.stdout.write(f"No decision succeeded: {rate_errors[:5]}; see {log_path}\n")
        raise SystemExit(1)
    measurements = [
        Measurement(
            f"approval page, {USERS} users at 1/s (PostgreSQL)",
            "ms",
            results.page_ms,
            "p95 < 50",
        ),
        Measurement(
            f"approve action with booking, {USERS} users at 1/s (PostgreSQL)",
            "ms",
            results.approve_ms,
            "p95 < 50",
        ),
    ]
    sys.stdout.write(
        f"Approvals on PostgreSQL: gunicorn with {GUNICORN_WORKERS} workers, "
        f"{os.cpu_count()} cores; {USERS * INVOICES_PER_USER} invoices seeded in "
        f"{seeding_seconds:.0f} s\n\n"
    )
    sys.stdout.write(format_table(measurements) + "\n\n")
    sys.stdout.write(f"errors at {USERS} users: {len(rate_errors)} {rate_errors[:5]}\n")
    sys.stdout.write(
        f"CPU per decision (page and approve) at {USERS} users: "
        f"gunicorn {format_milliseconds(cpu.server)}, "
        f"PostgreSQL {format_milliseconds(cpu.database)}, "
        f"client {format_milliseconds(cpu.client)}\n"
    )
    for clients, rate, errors in throughput:
        sys.stdout.write(
            f"{clients} clients back to back: {rate:.0f} decisions a second"
            f" ({len(errors)} errors)\n"
        )
    best = max(rate for _clients, rate, _errors in throughput)
    sys.stdout.write(f"most decisions a second sustained: {best:.0f}\n")


if __name__ == "__main__":
    main()
