"""Admin pages: every periodic job with its last and next run, and all runs."""

from datetime import datetime

from django.contrib import admin
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from fiat.scheduler.models import RunStatus, ScheduledJob, ScheduledRun
from fiat.scheduler.registry import JobNotRegisteredError, get_job


def _latest_run_field(field: str) -> Subquery:
    latest_runs = ScheduledRun.objects.filter(job_name=OuterRef("name")).order_by(
        "-slot_at"
    )
    return Subquery(latest_runs.values(field)[:1])


# Symbols that stand in for the run status in the narrow "last run" column.
# The status label is in the cell's title.
STATUS_SYMBOLS = {
    RunStatus.CLAIMED: "…",
    RunStatus.QUEUED: "…",
    RunStatus.RUNNING: "▶",
    RunStatus.SUCCEEDED: "✓",
    RunStatus.FAILED: "✗",
}
# Day, month and time fit one narrow column, and the cell's title has the
# whole date and time.
COMPACT_DATETIME_FORMAT = "j M H:i"


def _compact_datetime(value: datetime) -> str:
    return date_format(timezone.localtime(value), COMPACT_DATETIME_FORMAT)


def _full_datetime(value: datetime) -> str:
    return date_format(timezone.localtime(value), "DATETIME_FORMAT")


@admin.register(ScheduledJob)
class ScheduledJobAdmin(admin.ModelAdmin):
    # The description is on the change page and is searched, but left out of
    # the list so that all columns fit a 1280 px wide window. An "enabled"
    # column is left out too, because "next run" shows "disabled" then.
    list_display = ["name", "schedule_text", "last_run", "next_run"]
    list_filter = ["enabled"]
    search_fields = ["name", "description"]
    fields = ["name", "description", "schedule", "enabled", "created_at"]
    readonly_fields = ["name", "description", "schedule", "created_at"]
    actions = ["enable_jobs", "disable_jobs"]

    class Media:
        css = {"all": ["scheduler/admin.css"]}

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
    def last_run(self, job: ScheduledJob) -> str | None:
        """Render the status symbol and slot, with the details in the title."""
        if job.last_slot_at is None:
            return None
        status = RunStatus(job.last_status)
        placeholders = {
            "status": status.label,
            "slot": _full_datetime(job.last_slot_at),
        }
        if job.last_finished_at is None:
            details = _("%(status)s, slot %(slot)s") % placeholders
        else:
            placeholders["finished"] = _full_datetime(job.last_finished_at)
            details = (
                _("%(status)s, slot %(slot)s, finished %(finished)s") % placeholders
            )
        return format_html(
            '<span title="{}">{} {}</span>',
            details,
            STATUS_SYMBOLS[status],
            _compact_datetime(job.last_slot_at),
        )

    @admin.display(description=_("next run"))
    def next_run(self, job: ScheduledJob) -> str:
        if not job.enabled:
            return _("disabled")
        try:
            schedule = get_job(job.name).schedule
        except JobNotRegisteredError:
            return _("not registered")
        next_slot = schedule.next_slot(timezone.now())
        return format_html(
            '<span title="{}">{}</span>',
            _full_datetime(next_slot),
            _compact_datetime(next_slot),
        )

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
