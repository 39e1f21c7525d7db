"""Scheduled jobs and their runs.

``ScheduledJob`` mirrors the registry of ``@periodic_job`` functions so an
administrator can see every job and switch one off. ``ScheduledRun`` is one
run of a job for one slot. Its (job_name, slot_at) pair is unique, which makes
each slot run once, however many schedulers compete for it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    # The scheduler inserted the row. It enqueues the task and moves the run
    # to queued in the same transaction, so this state is never committed.
    CLAIMED = "claimed", _("Claimed")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


# The allowed changes of ScheduledRun.status. Only runs.py writes the status.
RUN_TRANSITIONS: dict[str, frozenset[str]] = {
    RunStatus.CLAIMED: frozenset({RunStatus.QUEUED}),
    RunStatus.QUEUED: frozenset({RunStatus.RUNNING}),
    RunStatus.RUNNING: frozenset({RunStatus.SUCCEEDED, RunStatus.FAILED}),
    RunStatus.SUCCEEDED: frozenset(),
    RunStatus.FAILED: frozenset(),
}
FINISHED_RUN_STATUSES = frozenset({RunStatus.SUCCEEDED, RunStatus.FAILED})


class InvalidRunTransitionError(ValueError):
    """A run was asked to move to a status its current status does not allow."""

    def __init__(self, run: "ScheduledRun", new_status: str) -> None:
        super().__init__(
            f"Run {run.pk} of {run.job_name} at {run.slot_at.isoformat()} is "
            f"{run.status} and cannot become {new_status}."
        )
        self.run = run
        self.new_status = new_status


class ScheduledJob(models.Model):
    """A registered periodic job as stored for the admin, keyed by its name."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    schedule = models.CharField(_("schedule"), max_length=200)
    enabled = models.BooleanField(
        _("enabled"),
        default=True,
        help_text=_(
            "A disabled job is not scheduled; its missed slots are "
            "caught up when it is enabled again."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")

    def __str__(self) -> str:
        return self.name


class ScheduledRun(models.Model):
    """One run of a periodic job for one slot."""

    job_name = models.CharField(_("job"), max_length=100)
    slot_at = models.DateTimeField(_("slot"))
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.CLAIMED
    )
    task_result_id = models.CharField(_("task result id"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    claimed_by = models.CharField(_("claimed by"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-slot_at", "job_name"]
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        constraints = [
            models.UniqueConstraint(
                fields=["job_name", "slot_at"], name="scheduler_one_run_per_slot"
            )
        ]
        indexes = [models.Index(fields=["status"], name="scheduler_run_status_idx")]

    def __str__(self) -> str:
        return f"{self.job_name} @ {self.slot_at.isoformat()}"

    def can_become(self, new_status: str) -> bool:
        return new_status in RUN_TRANSITIONS[self.status]
