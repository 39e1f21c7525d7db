"""JSON endpoints of the core app: the signed-in user, parties, exchange rates.

Every endpoint needs an authenticated user (see ``fiat.api``). Reading
parties also needs one of the roles in ``PARTY_READERS``.
"""

from datetime import date
from decimal import Decimal
from typing import Annotated

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router

from fiat.core.exchange import MissingExchangeRateError, rate_on
from fiat.core.models import ApiToken, Party, Role, User
from fiat.core.schemas import (
    ErrorCode,
    ExchangeRateOut,
    InvalidInputError,
    MeOut,
    NotFoundError,
    PartyFilter,
    PartyKind,
    PartyOut,
    PartyPage,
    PermissionDeniedError,
    RevokeTokenIn,
    TokenOut,
    error_responses,
)
from fiat.core.tokens import (
    PREFIX_LENGTH,
    AmbiguousPrefixError,
    find_token_by_prefix,
    revoke_token,
)

router = Router()

PARTY_READERS = (
    Role.AP_CLERK,
    Role.CONTROLLER,
    Role.DIRECTOR,
    Role.ADMINISTRATOR,
    Role.AUDITOR,
)
RATE_SCALE = Decimal("0.00000001")

CurrencyCode = Annotated[
    str, Path(pattern=r"^[A-Za-z]{3}$", description="ISO 4217 code, such as USD.")
]


def require_role(user: User, *roles: Role) -> None:
    """Raise ``PermissionDeniedError`` unless ``user`` has one of ``roles``."""
    if not user.has_role(*roles):
        names = ", ".join(str(role.label) for role in roles)
        raise PermissionDeniedError(
            _("This request needs one of these roles: %(roles)s.") % {"roles": names}
        )


@router.get("/me", response={200: MeOut, **error_responses(401)}, tags=["users"])
def get_me(request) -> MeOut:
    """Return the authenticated user's profile and roles."""
    user: User = request.auth
    granted = user.role_codes()
    return MeOut(
        username=user.username,
        name=user.get_full_name(),
        email=user.email,
        language=user.language,
        roles=[role for role in Role if role in granted],
    )


@router.get(
    "/parties",
    response={200: PartyPage, **error_responses(401, 403, 422)},
    tags=["parties"],
)
def list_parties(request, filters: Query[PartyFilter]) -> dict:
    """List suppliers and customers by name, one page at a time."""
    require_role(request.auth, *PARTY_READERS)
    parties = _filter_parties(filters.kind, filters.search)
    page = parties[filters.offset : filters.offset + filters.limit]
    return {"items": list(page), "count": parties.count()}


def _filter_parties(kind: PartyKind | None, search: str | None) -> QuerySet[Party]:
    parties = Party.objects.order_by("name", "pk")
    if kind == PartyKind.SUPPLIER:
        parties = parties.filter(is_supplier=True)
    elif kind == PartyKind.CUSTOMER:
        parties = parties.filter(is_customer=True)
    if search:
        # Identifiers are stored compact, so "NL91 ABNA" finds NL91ABNA0417164300.
        compact = search.replace(" ", "")
        parties = parties.filter(
            Q(name__icontains=search)
            | Q(email__icontains=search)
            | Q(vat_number__icontains=compact)
            | Q(coc_number__icontains=compact)
            | Q(iban__icontains=compact)
        )
    return parties


@router.get(
    "/parties/{party_id}",
    response={200: PartyOut, **error_responses(401, 403, 404)},
    tags=["parties"],
)
def get_party(request, party_id: int) -> Party:
    """Return one supplier or customer."""
    require_role(request.auth, *PARTY_READERS)
    party = Party.objects.filter(pk=party_id).first()
    if party is None:
        raise NotFoundError(
            _("No supplier or customer has id %(id)s.") % {"id": party_id}
        )
    return party


@router.get(
    "/exchange-rates/{currency}",
    response={200: ExchangeRateOut, **error_responses(401, 404, 422)},
    tags=["exchange rates"],
)
def get_exchange_rate(
    request, currency: CurrencyCode, on: date | None = None
) -> ExchangeRateOut:
    """Return the rate in force on `on`, today by default.

    That is the latest rate dated on or before `on`. The company's own
    currency has rate 1 on every date.
    """
    currency = currency.upper()
    on = on or timezone.localdate()
    if currency == settings.FIAT_CURRENCY:
        rate_date, rate = on, Decimal(1)
    else:
        rate_date, rate = _rate_on(currency, on)
    return ExchangeRateOut(
        currency=currency,
        rate_date=rate_date,
        rate=rate.quantize(RATE_SCALE),
        company_currency=settings.FIAT_CURRENCY,
    )


def _rate_on(currency: str, on: date) -> tuple[date, Decimal]:
    try:
        latest = rate_on(currency, on)
    except MissingExchangeRateError as error:
        raise NotFoundError(str(error), code=ErrorCode.MISSING_EXCHANGE_RATE) from error
    return latest.rate_date, latest.rate


@router.post(
    "/tokens/revoke",
    response={200: TokenOut, **error_responses(401, 403, 404, 422)},
    tags=["tokens"],
)
def revoke_own_token(request, payload: RevokeTokenIn) -> ApiToken:
    """Revoke one of your own API tokens, found by its prefix.

    A request from a browser session must carry the CSRF token.
    """
    try:
        token = find_token_by_prefix(payload.prefix, user=request.auth)
    except AmbiguousPrefixError as error:
        raise InvalidInputError(
            str(error), code=ErrorCode.AMBIGUOUS_TOKEN_PREFIX, field="prefix"
        ) from error
    if token is None:
        raise NotFoundError(
            _("You have no active API token starting with %(prefix)s.")
            % {"prefix": payload.prefix[:PREFIX_LENGTH]},
            field="prefix",
        )
    revoke_token(token)
    return token
