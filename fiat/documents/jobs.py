"""Periodic intake: polling the mailboxes, scanning the drop folder, and
resuming reads that a stopped worker left unfinished."""

import logging
from datetime import datetime, timedelta

from django.utils import timezone

from fiat.documents.dropfolder import scan_drop_folder
from fiat.documents.imap import poll_mailboxes
from fiat.documents.lifecycle import STALE_READING_AFTER, InvalidTransitionError
from fiat.documents.models import Document, DocumentStatus
from fiat.documents.reading import retry_document
from fiat.scheduler.registry import periodic_job
from fiat.scheduler.schedules import CatchUp, Every

logger = logging.getLogger(__name__)


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


@periodic_job(
    "documents.resume_interrupted_reads",
    schedule=Every(timedelta(minutes=10)),
    description="Read again the documents whose reading stopped with its worker.",
    catch_up=CatchUp.LATEST,
)
def resume_interrupted_reads_job(slot_at: datetime) -> int:
    """Send documents READING for longer than STALE_READING_AFTER to be read again.

    Such a read was cut off, as when its worker was killed. Return how many
    documents were sent back.
    """
    cutoff = timezone.now() - STALE_READING_AFTER
    interrupted = Document.objects.filter(
        status=DocumentStatus.READING, updated_at__lt=cutoff
    ).order_by("pk")
    resumed = 0
    for document in interrupted:
        try:
            retry_document(document)
        except InvalidTransitionError as error:
            # Another worker or a person retried it in the meantime.
            logger.info(
                "Interrupted read of document %s not resumed: %s", document.pk, error
            )
            continue
        resumed += 1
    if resumed:
        logger.warning("Resumed %d interrupted document reads", resumed)
    return resumed
