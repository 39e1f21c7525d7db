"""HubSpot: a deal moved to a won stage becomes a sales invoice.

HubSpot posts a JSON array of events to the webhook, signed with the app's
client secret (signature version 3). The signature is the base64 HMAC-
SHA256 of the request method, the full request URL, the raw body and the
``X-HubSpot-Request-Timestamp`` header (unix milliseconds), in that order.
A request older than five minutes is rejected.

For each ``deal.propertyChange`` of ``dealstage`` to a won stage, Fiat
reads the deal with its associated company and line items from the CRM
v3 API (``/crm/v3/objects/...``) with the private app's access token. It
turns them into the generic deal event of ``fiat.receivables.deal_events``.
The event is idempotent by HubSpot's ``eventId``.
"""

import base64
import hashlib
import hmac
from urllib.parse import unquote

from django.conf import settings

from fiat.receivables.crm.http import JsonClient
from fiat.receivables.signatures import TOLERANCE_SECONDS, InvalidSignatureError

SIGNATURE_HEADER = "X-HubSpot-Signature-v3"
TIMESTAMP_HEADER = "X-HubSpot-Request-Timestamp"
DEAL_PROPERTIES = ("dealname", "deal_currency_code", "dealstage")
COMPANY_PROPERTIES = (
    "name", "address", "zip", "city", "country", "vat_number", "kvk_number",
    "invoice_email",
)  # fmt: skip
LINE_PROPERTIES = ("name", "quantity", "price", "hs_discount_percentage", "hs_sku")
# The VAT rate of a line item without a Fiat product: HubSpot line items
# carry no VAT rate of their own.
DEFAULT_VAT_RATE = "21"


def verify_signature(
    *,
    method: str,
    url: str,
    body: bytes,
    timestamp: str | None,
    signature: str | None,
    secret: str,
    now_ms: int,
) -> None:
    """Raise InvalidSignatureError unless HubSpot signed this request now."""
    if not signature or not timestamp or not timestamp.isdigit():
        raise InvalidSignatureError(
            f"The {SIGNATURE_HEADER} or {TIMESTAMP_HEADER} header is missing."
        )
    age_ms = now_ms - int(timestamp)
    if abs(age_ms) > TOLERANCE_SECONDS * 1000:
        raise InvalidSignatureError(
            f"The request timestamp is {age_ms // 1000} seconds from now; at most "
            f"{TOLERANCE_SECONDS} are accepted."
        )
    message = method.encode() + unquote(url).encode() + body + timestamp.encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    if not hmac.compare_digest(base64.b64encode(digest).decode(), signature):
        raise InvalidSignatureError(
            "The HubSpot signature does not match; check the app's client secret."
        )


def won_deal_ids(events: list) -> list[tuple[str, str]]:
    """Return (event id, deal id) of each event that moves a deal to won."""
    won_stages = set(settings.FIAT_HUBSPOT_WON_STAGES)
    return [
        (str(event["eventId"]), str(event["objectId"]))
        for event in events
        if isinstance(event, dict)
        and event.get("subscriptionType") == "deal.propertyChange"
        and event.get("propertyName") == "dealstage"
        and event.get("propertyValue") in won_stages
    ]


def api_client() -> JsonClient:
    return JsonClient(
        settings.FIAT_HUBSPOT_API_URL,
        {"Authorization": f"Bearer {settings.FIAT_HUBSPOT_ACCESS_TOKEN}"},
    )


def fetch_deal_payload(client: JsonClient, event_id: str, deal_id: str) -> dict:
    """Read the deal, its company and its line items as a generic event."""
    deal = client.get(
        f"/crm/v3/objects/deals/{deal_id}?properties={','.join(DEAL_PROPERTIES)}"
        "&associations=companies,line_items"
    )
    associations = deal.get("associations") or {}
    company_ids = _associated_ids(associations, "companies")
    company = {}
    if company_ids:
        company = client.get(
            f"/crm/v3/objects/companies/{company_ids[0]}"
            f"?properties={','.join(COMPANY_PROPERTIES)}"
        ).get("properties", {})
    line_ids = _associated_ids(associations, "line_items")
    items = []
    if line_ids:
        items = client.post(
            "/crm/v3/objects/line_items/batch/read",
            {
                "properties": list(LINE_PROPERTIES),
                "inputs": [{"id": line_id} for line_id in line_ids],
            },
        ).get("results", [])
    properties = deal.get("properties") or {}
    return {
        "event_id": f"hubspot-{event_id}",
        "type": "deal.won",
        "reference": properties.get("dealname") or f"HubSpot {deal_id}",
        "currency": properties.get("deal_currency_code") or "",
        "customer": _customer(company),
        "lines": [_line(item.get("properties") or {}) for item in items],
    }


def _associated_ids(associations: dict, name: str) -> list[str]:
    results = (associations.get(name) or {}).get("results") or []
    return [str(result["id"]) for result in results if "id" in result]


def _customer(company: dict) -> dict:
    country = str(company.get("country") or "").strip()
    return {
        "name": company.get("name") or "",
        "street": company.get("address") or "",
        "postal_code": company.get("zip") or "",
        "city": company.get("city") or "",
        # NOTE: HubSpot's country property is free text; only a two-letter
        # ISO code is taken, and anything else leaves the Dutch default.
        "country": country.upper() if len(country) == 2 else "",
        "vat_number": company.get("vat_number") or "",
        "coc_number": company.get("kvk_number") or "",
        "email": company.get("invoice_email") or "",
    }


def _line(properties: dict) -> dict:
    from fiat.receivables.models import Product

    line = {
        "description": properties.get("name") or "",
        "quantity": properties.get("quantity") or "1",
        "discount_percent": properties.get("hs_discount_percentage") or "0",
    }
    sku = properties.get("hs_sku")
    if sku and Product.objects.filter(code=sku, is_active=True).exists():
        line["product"] = sku
        if properties.get("price"):
            line["unit_price"] = properties["price"]
        return line
    line["unit_price"] = properties.get("price")
    line["vat_rate"] = DEFAULT_VAT_RATE
    return line
