"""Background task that runs one claimed slot of a periodic job."""

import logging

from django_tasks import task

from fiat.scheduler.registry import get_job
from fiat.scheduler.runs import record_failure, record_success, start_run

logger = logging.getLogger(__name__)

SCHEDULED_QUEUE = "scheduled"


@task(queue_name=SCHEDULED_QUEUE)
def run_scheduled_job(run_id: int) -> str | None:
    """Call the job function of run ``run_id`` and record how it ended.

    A failure is stored on the run and logged, then raised again so that the
    task result records it too. The job's next slot runs as usual. Returns
    the final status, or None when the run was not queued (already started).
    """
    run = start_run(run_id)
    if run is None:
        return None
    log_extra = {"job_name": run.job_name, "run_id": run.pk}
    try:
        get_job(run.job_name).function(run.slot_at)
    except BaseException as error:
        run = record_failure(run.pk, error)
        logger.exception(
            "Job %s failed for slot %s (run %s)",
            run.job_name,
            run.slot_at.isoformat(),
            run.pk,
            extra=log_extra,
        )
        raise
    run = record_success(run.pk)
    logger.info(
        "Job %s succeeded for slot %s (run %s) in %.1fs",
        run.job_name,
        run.slot_at.isoformat(),
        run.pk,
        (run.finished_at - run.started_at).total_seconds(),
        extra=log_extra,
    )
    return run.status
