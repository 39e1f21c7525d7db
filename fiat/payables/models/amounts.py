"""The amount field shared by the payables models."""

from django.db import models

# NOTE: amounts have 2 decimals, as in fiat.core; a currency with 3 minor
# digits (BHD, KWD) would lose its last digit.
AMOUNT_DIGITS = 16
AMOUNT_DECIMALS = 2


def amount_field(verbose_name: str, **options) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=AMOUNT_DIGITS,
        decimal_places=AMOUNT_DECIMALS,
        null=True,
        blank=True,
        **options,
    )
