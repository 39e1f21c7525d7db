"""Pipedrive: a deal whose status becomes "won" becomes a sales invoice.

Pipedrive's webhooks (version 2.0) carry no signature. They authenticate
with the HTTP Basic credentials set on the webhook, and their
``meta.timestamp`` (unix seconds) is checked like a signed timestamp, so a
delivery older than five minutes is rejected. On a ``change`` of a
``deal`` to status ``won``, Fiat reads the deal, its organization and its
products from the API v2 (``/api/v2/...``) with the API token, and turns
them into the generic deal event of ``fiat.receivables.deal_events``.

The event id is the deal's id: a deal becomes at most one invoice, however
often its won status is delivered.
"""

import base64
import binascii
import hmac

from django.conf import settings

from fiat.receivables.crm.http import JsonClient
from fiat.receivables.models import Product
from fiat.receivables.signatures import TOLERANCE_SECONDS, InvalidSignatureError

# The VAT rate of a deal product whose tax Pipedrive does not state.
DEFAULT_VAT_RATE = "21"


def verify_delivery(
    authorization: str | None, payload: dict, *, user: str, password: str, now: float
) -> None:
    """Raise InvalidSignatureError for wrong credentials or a stale delivery."""
    expected = f"{user}:{password}"
    scheme, _space, encoded = (authorization or "").partition(" ")
    try:
        given = base64.b64decode(encoded, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        given = ""
    if scheme.lower() != "basic" or not hmac.compare_digest(given, expected):
        raise InvalidSignatureError(
            "The webhook credentials do not match; check the HTTP auth user and "
            "password of the Pipedrive webhook."
        )
    timestamp = (payload.get("meta") or {}).get("timestamp")
    if not isinstance(timestamp, int):
        raise InvalidSignatureError("meta.timestamp is missing.")
    if abs(now - timestamp) > TOLERANCE_SECONDS:
        raise InvalidSignatureError(
            f"The delivery timestamp is {int(now - timestamp)} seconds from now; "
            f"at most {TOLERANCE_SECONDS} are accepted."
        )


def won_deal_id(payload: dict) -> str | None:
    """Return the deal id when the delivery reports a deal won, else None."""
    meta = payload.get("meta") or {}
    data = payload.get("data") or {}
    previous = payload.get("previous") or {}
    if meta.get("entity") != "deal" or meta.get("action") not in ("change", "update"):
        return None
    if data.get("status") != "won" or previous.get("status") == "won":
        return None
    return str(meta.get("entity_id") or data.get("id"))


def api_client() -> JsonClient:
    return JsonClient(
        settings.FIAT_PIPEDRIVE_API_URL,
        {"x-api-token": settings.FIAT_PIPEDRIVE_API_TOKEN},
    )


def fetch_deal_payload(client: JsonClient, deal_id: str) -> dict:
    """Read the deal, its organization and its products as a generic event."""
    deal = client.get(f"/api/v2/deals/{deal_id}").get("data") or {}
    organization = {}
    if deal.get("org_id"):
        organization = (
            client.get(f"/api/v2/organizations/{deal['org_id']}").get("data") or {}
        )
    products = client.get(f"/api/v2/deals/{deal_id}/products").get("data") or []
    return {
        "event_id": f"pipedrive-deal-{deal_id}",
        "type": "deal.won",
        "reference": deal.get("title") or f"Pipedrive {deal_id}",
        "currency": deal.get("currency") or "",
        "customer": _customer(organization),
        "lines": [_line(product) for product in products],
    }


def _customer(organization: dict) -> dict:
    address = organization.get("address") or {}
    street = " ".join(
        part for part in (address.get("route"), address.get("street_number")) if part
    )
    country = str(address.get("country") or "")
    return {
        "name": organization.get("name") or "",
        "street": street or address.get("value") or "",
        "postal_code": address.get("postal_code") or "",
        "city": address.get("locality") or "",
        # NOTE: Pipedrive stores the country as a name; only a two-letter ISO
        # code is taken, and anything else leaves the Dutch default.
        "country": country.upper() if len(country) == 2 else "",
    }


def _line(product: dict) -> dict:
    line = {
        "description": product.get("name") or "",
        "quantity": _text(product.get("quantity"), "1"),
        "unit_price": _text(product.get("item_price"), ""),
        "discount_percent": "0",
    }
    if product.get("discount_type", "percentage") == "percentage":
        line["discount_percent"] = _text(product.get("discount"), "0")
    code = product.get("product_code")
    if code and Product.objects.filter(code=code, is_active=True).exists():
        line["product"] = code
        return line
    line["vat_rate"] = _text(product.get("tax"), DEFAULT_VAT_RATE)
    return line


def _text(value: object, default: str) -> str:
    """Return a JSON number or string as decimal text, ``default`` if empty."""
    if value is None or value == "":
        return default
    return str(value)
