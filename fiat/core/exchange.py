"""Exchange rates into the company's currency.

The rate used for a date is the latest one on or before it, the way the ECB
reference rates are used for bookkeeping: a Friday rate serves the weekend.
A missing rate raises an error that names the rate to add, and Fiat never
guesses one.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext

from fiat.core.models import ExchangeRate
from fiat.core.money import round_money, to_decimal


class MissingExchangeRateError(LookupError):
    def __init__(self, currency: str, on_date: date) -> None:
        super().__init__(
            gettext(
                "No exchange rate for %(currency)s on or before %(date)s. "
                "Add one under Exchange rates in the admin."
            )
            % {"currency": currency, "date": on_date.isoformat()}
        )
        self.currency = currency
        self.on_date = on_date


def rate_on(currency: str, on_date: date) -> ExchangeRate:
    """Return the rate of ``currency`` in force on ``on_date``."""
    rate = (
        ExchangeRate.objects.filter(currency=currency, rate_date__lte=on_date)
        .order_by("-rate_date")
        .first()
    )
    if rate is None:
        raise MissingExchangeRateError(currency, on_date)
    return rate


def to_company_currency(
    amount: Decimal | str | int, currency: str, on_date: date
) -> Decimal:
    """Convert ``amount`` in ``currency`` into company currency, rounded."""
    company_currency = settings.FIAT_CURRENCY
    amount = to_decimal(amount)
    if currency == company_currency:
        return round_money(amount, company_currency)
    return round_money(amount * rate_on(currency, on_date).rate, company_currency)
