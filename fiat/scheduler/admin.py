"""Admin pages: every periodic job with its last and next run, and all runs."""

from datetime import datetime

from django.contrib import admin
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fiat.scheduler.models import RunStatus, ScheduledJob, ScheduledRun
from fiat.scheduler.registry import JobNotRegisteredError, get_job


def _latest_run_field(field: str) -> Subquery:
    latest_runs = ScheduledRun.objects.filter(job_name=OuterRef("name")).order_by(
        "-slot_at"
    )
    return Subquery(latest_runs.values(field)[:1])


@admin.register(ScheduledJob)
class ScheduledJobAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "description",
        "schedule_text",
        "enabled",
        "last_run_slot",
        "last_run_status",
        "last_run_finished",
        "next_run",
    ]
    list_filter = ["enabled"]
    search_fields = ["name", "description"]
    fields = ["name", "description", "schedule", "enabled", "created_at"]
    readonly_fields = ["name", "description", "schedule", "created_at"]
    actions = ["enable_jobs", "disable_jobs"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ScheduledJob]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                last_slot_at=_latest_run_field("slot_at"),
                last_status=_latest_run_field("status"),
                last_finished_at=_latest_run_field("finished_at"),
            )
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Jobs come from the code, and a row without a function would never run.
        return False

    @admin.display(description=_("schedule"))
    def schedule_text(self, job: ScheduledJob) -> str:
        try:
            return get_job(job.name).schedule.describe()
        except JobNotRegisteredError:
            return job.schedule

    @admin.display(description=_("last run"), ordering="last_slot_at")
    def last_run_slot(self, job: ScheduledJob) -> datetime | None:
        return job.last_slot_at

    @admin.display(description=_("last run status"))
    def last_run_status(self, job: ScheduledJob) -> str | None:
        if job.last_status is None:
            return None
        return RunStatus(job.last_status).label

    @admin.display(description=_("last run finished"))
    def last_run_finished(self, job: ScheduledJob) -> datetime | None:
        return job.last_finished_at

    @admin.display(description=_("next run"))
    def next_run(self, job: ScheduledJob) -> datetime | str | None:
        if not job.enabled:
            return _("disabled")
        try:
            schedule = get_job(job.name).schedule
        except JobNotRegisteredError:
            return _("not registered")
        return schedule.next_slot(timezone.now())

    @admin.action(description=_("Enable selected jobs"))
    def enable_jobs(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = queryset.update(enabled=True)
        self.message_user(request, _("Enabled %(count)d jobs.") % {"count": count})

    @admin.action(description=_("Disable selected jobs"))
    def disable_jobs(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = queryset.update(enabled=False)
        self.message_user(request, _("Disabled %(count)d jobs.") % {"count": count})


@admin.register(ScheduledRun)
class ScheduledRunAdmin(admin.ModelAdmin):
    list_display = [
        "job_name",
        "slot_at",
        "status",
        "claimed_by",
        "started_at",
        "finished_at",
    ]
    list_filter = ["status", "job_name"]
    search_fields = ["job_name"]
    date_hierarchy = "slot_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: ScheduledRun | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: ScheduledRun | None = None
    ) -> bool:
        # Deleting the latest run of a job would make the scheduler claim its
        # slot again.
        return False
