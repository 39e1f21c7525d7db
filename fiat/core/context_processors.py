"""Template context shared by every page."""

from django.conf import settings


def fiat(request) -> dict:
    return {
        "fiat_outbox_page": settings.FIAT_OUTBOX_PAGE,
        "fiat_currency": settings.FIAT_CURRENCY,
    }
