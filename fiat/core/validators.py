"""Django field validators for business identifiers.

Each one turns ``InvalidIdentifierError`` from ``fiat.core.identifiers`` into
a ``ValidationError`` on the field, with the reason in the message.
"""

from django.core.exceptions import ValidationError

from fiat.core import identifiers


def _run(clean, value: str) -> None:
    try:
        clean(value)
    except identifiers.InvalidIdentifierError as error:
        raise ValidationError(str(error), code="invalid") from error


def validate_iban(value: str) -> None:
    _run(identifiers.clean_iban, value)


def validate_bic(value: str) -> None:
    _run(identifiers.clean_bic, value)


def validate_vat_number(value: str) -> None:
    _run(identifiers.clean_vat_number, value)


def validate_coc_number(value: str) -> None:
    _run(identifiers.clean_coc_number, value)
