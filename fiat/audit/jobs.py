"""Periodic jobs of the audit trail, found by the scheduler's autodiscovery."""

import logging
from datetime import datetime, timedelta

from fiat.audit.sealing import seal_events
from fiat.scheduler.registry import periodic_job
from fiat.scheduler.schedules import Every

logger = logging.getLogger(__name__)


@periodic_job(
    "audit.seal",
    schedule=Every(timedelta(minutes=1)),
    description="Seal new audit events into the chain of seals",
)
def seal_new_events(slot_at: datetime) -> None:
    """Seal the events recorded since the last seal.

    The seal time is the time of the run, not ``slot_at``, because a slot
    caught up after downtime runs later than planned.
    """
    seals = seal_events()
    logger.info(
        "Audit seal job for slot %s created %d seals",
        slot_at.isoformat(),
        len(seals),
        extra={"job": "audit.seal", "seal_count": len(seals)},
    )
