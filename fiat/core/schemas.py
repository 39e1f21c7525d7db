"""Schemas of the JSON API, and the errors that it returns as ``ErrorOut``.

Amounts and rates travel as decimal strings (``"1.08250000"``), never as JSON
numbers, because many JSON parsers, JavaScript's among them, read a number
as a binary float.
Dates and datetimes are ISO 8601. Closed sets such as roles are enums in the
OpenAPI document, so clients can generate exhaustive types from it.
"""

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

from fiat.core.models import Language, Role
from fiat.core.tokens import MAX_TOKEN_LENGTH, PREFIX_LENGTH

DECIMAL_PATTERN = r"^-?\d+(\.\d+)?$"


def _reject_float(value: Any) -> Any:
    if isinstance(value, float):
        raise ValueError('Send decimal numbers as strings, such as "12.50".')
    return value


def format_decimal(value: Decimal) -> str:
    """Return ``value`` in plain notation with its own scale: ``"1.08250000"``."""
    return format(value, "f")


DecimalString = Annotated[
    Decimal,
    BeforeValidator(_reject_float),
    PlainSerializer(format_decimal, return_type=str),
    WithJsonSchema({"type": "string", "format": "decimal", "pattern": DECIMAL_PATTERN}),
]


class ErrorCode(enum.StrEnum):
    NOT_AUTHENTICATED = "not_authenticated"
    PERMISSION_DENIED = "permission_denied"
    CSRF_FAILED = "csrf_failed"
    NOT_FOUND = "not_found"
    MISSING_EXCHANGE_RATE = "missing_exchange_rate"
    INVALID = "invalid"
    AMBIGUOUS_TOKEN_PREFIX = "ambiguous_token_prefix"
    BAD_REQUEST = "bad_request"
    ERROR = "error"


class FieldErrorOut(Schema):
    code: str = Field(description="Pydantic's error type, such as `missing`.")
    message: str
    field: str | None


class ErrorOut(Schema):
    code: ErrorCode
    message: str
    field: str | None = Field(
        None, description="The input field that the error is about, if any."
    )
    errors: list[FieldErrorOut] = Field(
        default_factory=list,
        description="Every invalid field, for `invalid` errors.",
    )


class ApiError(Exception):
    """An error that the API returns as ``ErrorOut`` with ``status``."""

    status = 400
    code = ErrorCode.BAD_REQUEST

    def __init__(
        self, message: str, *, code: ErrorCode | None = None, field: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code


class PermissionDeniedError(ApiError):
    status = 403
    code = ErrorCode.PERMISSION_DENIED


class NotFoundError(ApiError):
    status = 404
    code = ErrorCode.NOT_FOUND


class InvalidInputError(ApiError):
    status = 422
    code = ErrorCode.INVALID


class CsrfFailedError(ApiError):
    status = 403
    code = ErrorCode.CSRF_FAILED


class MeOut(Schema):
    username: str
    name: str
    email: str
    language: Language
    roles: list[Role] = Field(description="The roles granted to the user.")


class PartyKind(enum.StrEnum):
    SUPPLIER = "supplier"
    CUSTOMER = "customer"


class PartyFilter(Schema):
    kind: PartyKind | None = None
    search: str | None = Field(
        None,
        max_length=200,
        description="Part of the name, VAT number, KvK number, IBAN or e-mail.",
    )
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class PartyOut(Schema):
    id: int
    name: str
    is_supplier: bool
    is_customer: bool
    is_consumer: bool
    vat_number: str
    coc_number: str = Field(description="Dutch Chamber of Commerce (KvK) number.")
    iban: str
    bic: str
    email: str
    invoice_email: str
    language: Language
    street: str
    postal_code: str
    city: str
    country: str = Field(description="ISO 3166-1 alpha-2 country code.")
    currency: str = Field(description="ISO 4217 currency code.")
    payment_terms_days: int
    is_active: bool
    created_at: datetime
    updated_at: datetime


class PartyPage(Schema):
    items: list[PartyOut]
    count: int = Field(description="The number of matches over all pages.")


class ExchangeRateOut(Schema):
    currency: str
    rate_date: date = Field(description="The date that the rate is valid from.")
    rate: DecimalString = Field(
        description="Company currency for one unit of `currency`."
    )
    company_currency: str


class TokenOut(Schema):
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class RevokeTokenIn(Schema):
    prefix: str = Field(
        min_length=PREFIX_LENGTH,
        max_length=MAX_TOKEN_LENGTH,
        description=f"The first {PREFIX_LENGTH} characters of the token, or all.",
    )


def error_responses(*statuses: int) -> dict[int, type[ErrorOut]]:
    """Return the ``response`` entries documenting ``ErrorOut`` for ``statuses``."""
    return dict.fromkeys(statuses, ErrorOut)
