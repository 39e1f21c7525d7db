"""Gap-free numbering under rollbacks and concurrent writers."""

import json
import subprocess
import sys

import pytest
from django.db import connections, transaction

from fiat.core.numbering import NotInTransactionError, format_number, next_number
from fiat.testing import (
    database_url_for_subprocess,
    subprocess_environment,
)

# Takes numbers in a separate Python process, each in its own transaction,
# and prints them as JSON.
TAKE_NUMBERS = """
import json, sys, django
django.setup()
from django.db import transaction
from fiat.core.numbering import next_number
numbers = []
for _ in range(int(sys.argv[1])):
    with transaction.atomic():
        numbers.append(next_number("sales-invoice", "2026"))
print(json.dumps(numbers))
"""


@pytest.mark.django_db
def test_numbers_start_at_one_per_period():
    with transaction.atomic():
        first_2026 = next_number("sales-invoice", "2026")
        second_2026 = next_number("sales-invoice", "2026")
        first_2027 = next_number("sales-invoice", "2027")

    assert first_2026 == 1
    assert second_2026 == 2
    assert first_2027 == 1


@pytest.mark.django_db
def test_rolled_back_number_is_taken_again():
    with transaction.atomic():
        next_number("sales-invoice", "2026")

    def issue_invoice_that_fails() -> None:
        with transaction.atomic():
            next_number("sales-invoice", "2026")
            raise RuntimeError("the invoice failed to save")

    with pytest.raises(RuntimeError):
        issue_invoice_that_fails()

    with transaction.atomic():
        after_rollback = next_number("sales-invoice", "2026")
    assert after_rollback == 2


@pytest.mark.django_db(transaction=True)
def test_number_outside_transaction_is_rejected():
    with pytest.raises(NotInTransactionError):
        next_number("sales-invoice", "2026")


def test_format_number_pads_and_prefixes():
    assert format_number("F", "2026", 42) == "F2026-00042"
    assert format_number("CN", "", 7, width=3) == "CN007"


@pytest.mark.django_db(transaction=True)
def test_two_processes_get_distinct_gap_free_numbers():
    environment = subprocess_environment(DATABASE_URL=database_url_for_subprocess())
    connections.close_all()

    processes = [
        subprocess.Popen(
            [sys.executable, "-c", TAKE_NUMBERS, "200"],
            env=environment,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [json.loads(process.communicate(timeout=240)[0]) for process in processes]

    all_numbers = results[0] + results[1]
    assert [process.returncode for process in processes] == [0, 0]
    assert len(all_numbers) == 400
    assert sorted(all_numbers) == list(range(1, 401))
    assert results[0] == sorted(results[0])
    assert results[1] == sorted(results[1])
