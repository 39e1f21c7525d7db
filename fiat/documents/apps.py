"""Stored originals, intake channels and the extraction pipeline."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "fiat.documents"
    label = "documents"
    verbose_name = _("Documents")

    def navigation(self, user) -> list:
        from fiat.core.navigation import NavigationItem
        from fiat.documents.permissions import can_handle_intake

        if not can_handle_intake(user):
            return []
        return [
            NavigationItem(
                "documents:upload",
                _("Upload"),
                _("Add supplier invoices: PDF, e-invoice XML or scans."),
                order=20,
            ),
            NavigationItem(
                "documents:quarantine",
                _("Quarantine"),
                _("Files that could not be read, with the reason and a retry."),
                order=30,
            ),
        ]
