"""Company settings, people, parties and the reference data every flow uses."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "fiat.core"
    label = "core"
    verbose_name = _("Company and people")

    def ready(self) -> None:
        from fiat.core import signals  # noqa: F401
