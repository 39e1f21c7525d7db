"""``fiat audit verify`` and ``fiat audit seal``: output and exit status."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from fiat.audit.hashing import EVENT_HASH_FIELDS, compute_event_hash
from fiat.audit.models import AuditEvent
from fiat.audit.sealing import seal_events
from fiat.audit.tests.conftest import execute_sql
from fiat.cli import main

pytestmark = pytest.mark.django_db

CHANGED_AMOUNTS = {"total_gross_amount": "9210.00", "currency": "EUR"}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _run_audit(*args: str) -> str:
    stdout = StringIO()
    call_command("audit", *args, stdout=stdout)
    return stdout.getvalue()


def _change_amounts(event: AuditEvent) -> str:
    """Change the event's amounts by SQL; return the hash its fields now have."""
    execute_sql(
        "UPDATE audit_auditevent SET amounts = %s WHERE id = %s",
        [json.dumps(CHANGED_AMOUNTS), event.id],
    )
    fields = {name: getattr(event, name) for name in EVENT_HASH_FIELDS}
    return compute_event_hash({**fields, "amounts": CHANGED_AMOUNTS})


def test_verify_empty_trail():
    output = _run_audit("verify")

    assert output == "Audit trail intact: 0 events in 0 seals, 0 not sealed yet\n"


def test_verify_intact_trail(invoice_events):
    seal = seal_events()[0]

    output = _run_audit("verify")

    assert output == (
        "Audit trail intact: 3 events in 1 seals, 0 not sealed yet\n"
        f"Latest seal 1 has hash {seal.hash}.\n"
    )


def test_verify_names_first_broken_event(invoice_events):
    submitted = invoice_events[1]
    computed_hash = _change_amounts(submitted)
    stdout = StringIO()

    with pytest.raises(CommandError) as raised:
        call_command("audit", "verify", stdout=stdout)

    first_line, *problem_lines = stdout.getvalue().splitlines()
    assert first_line == (
        f"Audit event {submitted.id} (purchases.invoice 77, action "
        f"invoice.submitted) was changed: stored hash {submitted.hash} does "
        f"not match {computed_hash}, the hash of its fields."
    )
    assert problem_lines == [
        "1 problem found:",
        f"- event hash mismatch: {first_line}",
    ]
    assert raised.value.returncode == 1
    assert str(raised.value) == (
        "Audit trail broken: 1 problem in 3 events and 0 seals."
    )


def test_seal_reports_new_seal(invoice_events):
    output = _run_audit("seal")

    seal = AuditEvent.objects.get(pk=invoice_events[0].pk).seal
    assert output == f"Sealed 3 events in seal 1 (hash {seal.hash}).\n"


def test_seal_with_nothing_new():
    output = _run_audit("seal")

    assert output == "No new audit events to seal.\n"


# Through the console script, which closes the database connection when the
# command ends, so these tests commit their data instead of rolling back.


@pytest.mark.django_db(transaction=True)
def test_console_verify_exits_zero_when_intact(invoice_events, capsys):
    main(["fiat", "audit", "verify"])

    assert capsys.readouterr().out == (
        "Audit trail intact: 3 events in 0 seals, 3 not sealed yet\n"
    )


@pytest.mark.django_db(transaction=True)
def test_console_verify_exits_one_when_broken(invoice_events, capsys):
    _change_amounts(invoice_events[2])

    with pytest.raises(SystemExit) as exited:
        main(["fiat", "audit", "verify"])

    assert exited.value.code == 1
    output = capsys.readouterr()
    assert output.out.startswith(f"Audit event {invoice_events[2].id} ")
    assert output.err == (
        "CommandError: Audit trail broken: 1 problem in 3 events and 0 seals.\n"
    )
