"""Template context shared by every page."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from fiat.core.navigation import navigation_for


def fiat(request) -> dict:
    user = getattr(request, "user", None)
    return {
        "fiat_outbox_page": settings.FIAT_OUTBOX_PAGE,
        "fiat_currency": settings.FIAT_CURRENCY,
        "fiat_navigation": SimpleLazyObject(
            lambda: navigation_for(user) if user is not None else []
        ),
    }
