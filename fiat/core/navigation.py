"""The main menu, assembled from what each installed app offers a user.

An app contributes entries by giving its AppConfig a ``navigation(user)``
method that returns ``NavigationItem``s for the pages that user may open.
Core stays unaware of the apps built on it.
"""

from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse


@dataclass(frozen=True)
class NavigationItem:
    url_name: str
    label: str
    description: str = ""
    # Lower numbers come first in the menu.
    order: int = 100

    @property
    def url(self) -> str:
        return reverse(self.url_name)


def navigation_for(user) -> list[NavigationItem]:
    if not user.is_authenticated:
        return []
    items = []
    for app_config in apps.get_app_configs():
        contribute = getattr(app_config, "navigation", None)
        if contribute is not None:
            items.extend(contribute(user))
    return sorted(items, key=lambda item: (item.order, str(item.label)))
