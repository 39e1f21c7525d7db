"""The scheduler polls mailboxes and scans the drop folder every minute."""

import os
from datetime import UTC, datetime, timedelta

import pytest

from fiat.documents.jobs import scan_drop_folder_job
from fiat.documents.models import Document
from fiat.documents.tests import samples
from fiat.scheduler.registry import get_job
from fiat.scheduler.schedules import Every


@pytest.mark.parametrize(
    "name", ["documents.poll_mailboxes", "documents.scan_drop_folder"]
)
def test_intake_job_runs_every_minute(name):
    job = get_job(name)

    assert isinstance(job.schedule, Every)
    assert job.schedule.interval == timedelta(minutes=1)


@pytest.mark.django_db
def test_scan_job_takes_in_old_enough_files(settings):
    folder = settings.FIAT_DROP_DIR
    folder.mkdir()
    path = folder / "scan.pdf"
    path.write_bytes(samples.invoice_pdf())
    os.utime(path, (0, 0))

    taken_in = scan_drop_folder_job(datetime(2024, 3, 15, 9, 0, tzinfo=UTC))

    assert taken_in == 1
    assert Document.objects.get().filename == "scan.pdf"
