"""Stored originals, intake channels and the extraction pipeline."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "fiat.documents"
    label = "documents"
    verbose_name = _("Documents")
