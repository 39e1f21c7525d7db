"""Structured payment references that let incoming payments be matched.

Two kinds are written on sales invoices:

- the Dutch betalingskenmerk of 16 digits, a check digit followed by 15
  digits. The digits are weighted 2, 4, 8, 5, 10, 9, 7, 3, 6, 1 from the
  rightmost digit leftwards, repeating after ten. The check digit is 11
  minus the weighted sum modulo 11, where 10 becomes 1 and 11 becomes 0
  (the specification of the Betaalvereniging Nederland).
- the ISO 11649 creditor reference ("RF" reference), "RF", two check digits
  (ISO 7064 MOD 97-10) and up to 21 letters or digits, accepted by banks
  across SEPA. python-stdnum computes and checks its digits.
"""

import re
from enum import StrEnum

from stdnum import iso11649
from stdnum.exceptions import ValidationError
from stdnum.iso7064 import mod_97_10

BETALINGSKENMERK_BODY_LENGTH = 15
_WEIGHTS = (2, 4, 8, 5, 10, 9, 7, 3, 6, 1)
_RF_BODY_PATTERN = re.compile(r"[0-9A-Z]{1,21}")


class PaymentReferenceKind(StrEnum):
    """The structured reference a company prints on its invoices."""

    BETALINGSKENMERK = "betalingskenmerk"
    RF = "rf"


class InvalidPaymentReferenceError(ValueError):
    """A payment reference whose format or check digits are wrong."""

    def __init__(self, value: str, reason: str) -> None:
        super().__init__(f"{value!r} is not a valid payment reference: {reason}")
        self.value = value
        self.reason = reason


def betalingskenmerk_check_digit(body: str) -> str:
    """Return the check digit of the 15 digits ``body``."""
    if not re.fullmatch(r"[0-9]{15}", body):
        raise InvalidPaymentReferenceError(body, "the body must be 15 digits")
    total = sum(
        int(digit) * _WEIGHTS[position % len(_WEIGHTS)]
        for position, digit in enumerate(reversed(body))
    )
    check = 11 - total % 11
    return {10: "1", 11: "0"}.get(check, str(check))


def make_betalingskenmerk(number: int) -> str:
    """Return the 16-digit betalingskenmerk for a number of up to 15 digits."""
    body = f"{number:0{BETALINGSKENMERK_BODY_LENGTH}d}"
    if number < 0 or len(body) > BETALINGSKENMERK_BODY_LENGTH:
        raise InvalidPaymentReferenceError(
            str(number), "the number must be 0 to 999999999999999"
        )
    return betalingskenmerk_check_digit(body) + body


def clean_betalingskenmerk(value: str) -> str:
    """Return the 16 digits of a betalingskenmerk written with spaces or dots.

    Raise InvalidPaymentReferenceError for a wrong length or check digit.
    """
    compact = re.sub(r"[\s.]", "", value)
    if not re.fullmatch(r"[0-9]{16}", compact):
        raise InvalidPaymentReferenceError(value, "it must have 16 digits")
    if betalingskenmerk_check_digit(compact[1:]) != compact[0]:
        raise InvalidPaymentReferenceError(value, "the check digit is wrong")
    return compact


def make_rf_reference(body: str) -> str:
    """Return the ISO 11649 reference for ``body``, letters and digits only.

    Characters other than letters and digits are dropped and letters
    upper-cased, so an invoice number "F2026-00042" gives "RF..F202600042".
    """
    compact = re.sub(r"[^0-9A-Za-z]", "", body).upper()
    if not _RF_BODY_PATTERN.fullmatch(compact):
        raise InvalidPaymentReferenceError(body, "it needs 1 to 21 letters or digits")
    check_digits = mod_97_10.calc_check_digits(compact + "RF")
    return f"RF{check_digits}{compact}"


def clean_rf_reference(value: str) -> str:
    """Return the compact ISO 11649 reference or raise an error."""
    try:
        return iso11649.validate(value)
    except ValidationError as error:
        raise InvalidPaymentReferenceError(value, str(error)) from error


def is_valid_payment_reference(value: str) -> bool:
    """Return whether ``value`` is a valid betalingskenmerk or RF reference."""
    for clean in (clean_betalingskenmerk, clean_rf_reference):
        try:
            clean(value)
        except InvalidPaymentReferenceError:
            continue
        return True
    return False
