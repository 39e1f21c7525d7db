"""Two processes taking in the same file or mail at once make one record.

These run on PostgreSQL, where two transactions can insert at the same time
and the unique constraints decide. In each test the first writer keeps its
transaction open until the second has started its own insert, so the
second one meets the constraint rather than the committed row.
"""

import logging
import threading
import time

import pytest
from django.db import connection, transaction

from fiat.documents.intake import receive_file, receive_mail
from fiat.documents.models import Channel, Document, InboundMessage, StoredFile
from fiat.documents.storage import store_file
from fiat.documents.tests import samples

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# How long the first writer keeps its transaction open after the second
# writer has started.
HOLD_SECONDS = 0.5


def race(first, second) -> list:
    """Run ``first`` in a transaction held open while ``second`` runs."""
    started = threading.Event()
    results: list = [None, None]
    errors: list[BaseException] = []

    def run_first() -> None:
        try:
            with transaction.atomic():
                results[0] = first()
                started.set()
                time.sleep(HOLD_SECONDS)
        except BaseException as error:
            errors.append(error)
            started.set()
        finally:
            connection.close()

    def run_second() -> None:
        started.wait()
        try:
            results[1] = second()
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


def test_same_file_uploaded_concurrently_is_one_document(caplog):
    def upload():
        return receive_file(samples.invoice_pdf(), "f.pdf", channel=Channel.UPLOAD)

    with caplog.at_level(logging.INFO, logger="fiat.documents"):
        first, second = race(upload, upload)

    assert "stored by another process at the same time" in caplog.text
    assert first.pk == second.pk
    assert StoredFile.objects.count() == 1
    assert Document.objects.count() == 1


def test_stored_file_received_concurrently_is_one_document(caplog):
    store_file(samples.invoice_pdf())

    def upload():
        return receive_file(samples.invoice_pdf(), "f.pdf", channel=Channel.API)

    with caplog.at_level(logging.INFO, logger="fiat.documents"):
        first, second = race(upload, upload)

    assert "became a document in another process" in caplog.text
    assert first.pk == second.pk
    assert Document.objects.count() == 1


def test_same_mail_polled_concurrently_is_taken_in_once(caplog):
    raw = samples.mail(("f.pdf", samples.invoice_pdf(), "application/pdf"))

    with caplog.at_level(logging.INFO, logger="fiat.documents"):
        first, second = race(lambda: receive_mail(raw), lambda: receive_mail(raw))

    assert "taken in by another process at the same time" in caplog.text
    assert first.created
    assert not second.created
    assert second.message.pk == first.message.pk
    assert InboundMessage.objects.count() == 1
    assert Document.objects.count() == 1
