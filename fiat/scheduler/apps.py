"""The scheduler of periodic jobs, the worker and the embedded server."""

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


def _sync_jobs_after_migrate(using: str = "default", **kwargs) -> None:
    """Store the registered jobs, unless the scheduler's tables are migrated away."""
    from fiat.scheduler.models import ScheduledJob
    from fiat.scheduler.runs import sync_jobs

    if ScheduledJob._meta.db_table in connections[using].introspection.table_names():
        sync_jobs()


class SchedulerConfig(AppConfig):
    name = "fiat.scheduler"
    label = "scheduler"
    verbose_name = _("Scheduled jobs")

    def ready(self) -> None:
        # Each app declares its periodic jobs in a ``jobs`` module.
        autodiscover_modules("jobs")
        post_migrate.connect(_sync_jobs_after_migrate, sender=self)
