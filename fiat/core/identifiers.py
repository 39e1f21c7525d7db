"""Business identifiers: IBAN, BIC, EU VAT numbers and Dutch KvK numbers.

Each identifier has the same three functions: ``clean_*`` normalises the text
(case, spaces, separators) and returns the compact form or raises
``InvalidIdentifierError``; ``is_valid_*`` wraps it as a boolean. IBAN and BIC
checks come from schwifty (ISO 13616 and ISO 9362), VAT numbers from
python-stdnum's per-country rules. A KvK number (Kamer van Koophandel, the
Dutch chamber of commerce) is eight digits with no check digit.
"""

import re

from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException
from stdnum.eu import vat
from stdnum.exceptions import ValidationError


class InvalidIdentifierError(ValueError):
    """An identifier that fails its format or check-digit rules."""

    def __init__(self, kind: str, value: str, reason: str) -> None:
        super().__init__(f"{value!r} is not a valid {kind}: {reason}")
        self.kind = kind
        self.value = value
        self.reason = reason


def clean_iban(value: str) -> str:
    try:
        return IBAN(value).compact
    except SchwiftyException as error:
        raise InvalidIdentifierError("IBAN", value, str(error)) from error


def clean_bic(value: str) -> str:
    try:
        return BIC(value).compact
    except SchwiftyException as error:
        raise InvalidIdentifierError("BIC", value, str(error)) from error


def clean_vat_number(value: str) -> str:
    """Return the compact VAT number with its country prefix (NL, DE, BE...)."""
    try:
        return vat.validate(value)
    except ValidationError as error:
        raise InvalidIdentifierError("VAT number", value, str(error)) from error


def clean_coc_number(value: str) -> str:
    compact = re.sub(r"[\s.\-]", "", value)
    if not re.fullmatch(r"\d{8}", compact):
        raise InvalidIdentifierError("KvK number", value, "it must have 8 digits")
    return compact


def _is_valid(clean, value: str) -> bool:
    try:
        clean(value)
    except InvalidIdentifierError:
        return False
    return True


def is_valid_iban(value: str) -> bool:
    return _is_valid(clean_iban, value)


def is_valid_bic(value: str) -> bool:
    return _is_valid(clean_bic, value)


def is_valid_vat_number(value: str) -> bool:
    return _is_valid(clean_vat_number, value)


def is_valid_coc_number(value: str) -> bool:
    return _is_valid(clean_coc_number, value)
