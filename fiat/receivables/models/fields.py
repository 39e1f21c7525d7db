"""Field helpers shared by the receivables models."""

from django.db import models

AMOUNT_DIGITS = 16
AMOUNT_DECIMALS = 2
# Unit prices may carry more decimals than the currency, as in 0.0125 per
# unit; EN 16931 allows that for the item net price (BT-146).
PRICE_DECIMALS = 4


def amount_field(verbose_name, **options) -> models.DecimalField:
    options.setdefault("default", 0)
    return models.DecimalField(
        verbose_name,
        max_digits=AMOUNT_DIGITS,
        decimal_places=AMOUNT_DECIMALS,
        **options,
    )


def price_field(verbose_name, **options) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=AMOUNT_DIGITS + 2,
        decimal_places=PRICE_DECIMALS,
        **options,
    )
