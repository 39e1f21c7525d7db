"""Periodic intake: polling the mailboxes and scanning the drop folder."""

from datetime import datetime, timedelta

from fiat.documents.dropfolder import scan_drop_folder
from fiat.documents.imap import poll_mailboxes
from fiat.scheduler.registry import periodic_job
from fiat.scheduler.schedules import CatchUp, Every


@periodic_job(
    "documents.poll_mailboxes",
    schedule=Every(timedelta(minutes=1)),
    description="Take in supplier invoices from the enabled IMAP mailboxes.",
    catch_up=CatchUp.LATEST,
)
def poll_mailboxes_job(slot_at: datetime) -> int:
    """Poll every enabled mailbox and return how many could not be polled."""
    results = poll_mailboxes()
    return sum(1 for result in results.values() if result is None)


@periodic_job(
    "documents.scan_drop_folder",
    schedule=Every(timedelta(minutes=1)),
    description="Take in the files saved in the drop folder.",
    catch_up=CatchUp.LATEST,
)
def scan_drop_folder_job(slot_at: datetime) -> int:
    """Take in the drop folder's files and return how many were taken in."""
    return len(scan_drop_folder().processed)
