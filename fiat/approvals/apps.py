"""Approval policies, requests, steps, decisions, delegation and the task inbox."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "fiat.approvals"
    label = "approvals"
    verbose_name = _("Approvals")

    def navigation(self, user) -> list:
        from fiat.core.navigation import NavigationItem

        return [
            NavigationItem(
                "approvals:inbox",
                _("Tasks"),
                _("Everything waiting for your approval."),
                order=5,
            )
        ]
