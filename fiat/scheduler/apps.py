"""The scheduler of periodic jobs, the worker and the embedded server."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulerConfig(AppConfig):
    name = "fiat.scheduler"
    label = "scheduler"
    verbose_name = _("Scheduled jobs")
