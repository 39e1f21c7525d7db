"""The sales webhooks: a signed "deal won" event becomes an invoice.

POST /sales/webhooks/deal-won/ takes the JSON that
``fiat.receivables.deal_events`` describes, with a ``Fiat-Signature``
header as ``fiat.receivables.signatures`` describes. The response is JSON:
201 with the new invoice, 200 for an event delivered before, 400 for
invalid content, 401 for a missing, wrong or stale signature, 422 for an
event that cannot become an invoice yet (no approval policy, no exchange
rate), and 503 while no secret is set (``fiat.receivables.webhook_secret``
describes where the secret comes from). The HubSpot and Pipedrive webhooks
read the won deal from the CRM's API and respond the same way.
"""

import json
import logging
from decimal import Decimal

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from fiat.approvals.errors import ApprovalError
from fiat.core.dates import now
from fiat.core.exchange import MissingExchangeRateError
from fiat.receivables.booking import BookingError
from fiat.receivables.crm import hubspot, pipedrive
from fiat.receivables.crm.http import CrmApiError
from fiat.receivables.deal_events import (
    InvalidEventError,
    parse_deal_event,
    receive_deal_event,
)
from fiat.receivables.models import TriggerSource
from fiat.receivables.release import EmptyInvoiceError
from fiat.receivables.signatures import (
    SIGNATURE_HEADER,
    InvalidSignatureError,
    verify,
)
from fiat.receivables.webhook_secret import webhook_secret

logger = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def deal_won(request: HttpRequest) -> JsonResponse:
    secret = webhook_secret()
    if not secret:
        logger.error("Sales webhook called, but FIAT_SALES_WEBHOOK_SECRET is not set")
        return JsonResponse(
            {"error": "The webhook is not set up: no signing secret is configured."},
            status=503,
        )
    try:
        verify(
            request.headers.get(SIGNATURE_HEADER),
            request.body,
            secret,
            now=now().timestamp(),
        )
    except InvalidSignatureError as error:
        logger.warning(
            "Sales webhook delivery from %s rejected: %s",
            request.META.get("REMOTE_ADDR"),
            error,
        )
        return JsonResponse({"error": str(error)}, status=401)
    try:
        payload = json.loads(request.body, parse_float=Decimal)
    except ValueError as error:
        return _invalid([f"The body is not valid JSON: {error}"])
    try:
        event = parse_deal_event(payload)
    except InvalidEventError as error:
        return _invalid(error.problems)
    result, status = _receive(event, payload, TriggerSource.WEBHOOK)
    return JsonResponse(result, status=status)


# Problems that keep an event from becoming an invoice until someone fixes
# the setup; the sender's retry then succeeds.
SETUP_ERRORS = (
    ApprovalError,
    MissingExchangeRateError,
    BookingError,
    EmptyInvoiceError,
)


def _receive(event, payload: dict, source: str) -> tuple[dict, int]:
    """Create the event's invoice and return the JSON response and its status."""
    try:
        record, created = receive_deal_event(event, payload, source)
    except SETUP_ERRORS as error:
        logger.error(
            "%s event %s could not become an invoice: %s",
            source,
            event.event_id,
            error,
            extra={"event_id": event.event_id},
        )
        return {"event_id": event.event_id, "error": str(error)}, 422
    invoice = record.invoice
    result = {
        "event_id": record.event_id,
        "duplicate": not created,
        "invoice_id": invoice.pk,
        "invoice_status": invoice.status,
        "number": invoice.number,
    }
    return result, 201 if created else 200


@csrf_exempt
@require_POST
def hubspot_webhook(request: HttpRequest) -> JsonResponse:
    """Turn each HubSpot event that moves a deal to a won stage into an invoice.

    HubSpot retries a delivery that does not get a 2xx response, so a CRM API
    failure returns 502 and the retry fetches the deal again.
    """
    secret = settings.FIAT_HUBSPOT_CLIENT_SECRET
    if not secret:
        logger.error(
            "HubSpot webhook called, but FIAT_HUBSPOT_CLIENT_SECRET is not set"
        )
        return JsonResponse({"error": "HubSpot is not set up."}, status=503)
    try:
        hubspot.verify_signature(
            method=request.method,
            url=request.build_absolute_uri(),
            body=request.body,
            timestamp=request.headers.get(hubspot.TIMESTAMP_HEADER),
            signature=request.headers.get(hubspot.SIGNATURE_HEADER),
            secret=secret,
            now_ms=int(now().timestamp() * 1000),
        )
    except InvalidSignatureError as error:
        logger.warning(
            "HubSpot webhook delivery from %s rejected: %s",
            request.META.get("REMOTE_ADDR"),
            error,
        )
        return JsonResponse({"error": str(error)}, status=401)
    try:
        events = json.loads(request.body)
    except ValueError as error:
        return _invalid([f"The body is not valid JSON: {error}"])
    if not isinstance(events, list):
        return _invalid(["The body must be a JSON array of events."])
    results = []
    for event_id, deal_id in hubspot.won_deal_ids(events):
        try:
            payload = hubspot.fetch_deal_payload(
                hubspot.api_client(), event_id, deal_id
            )
        except CrmApiError as error:
            logger.error("Reading HubSpot deal %s failed: %s", deal_id, error)
            return JsonResponse({"error": str(error)}, status=502)
        try:
            event = parse_deal_event(payload)
        except InvalidEventError as error:
            logger.warning("HubSpot deal %s rejected: %s", deal_id, error)
            results.append({"deal_id": deal_id, "errors": error.problems})
            continue
        result, _status = _receive(event, payload, TriggerSource.HUBSPOT)
        results.append({"deal_id": deal_id, **result})
    return JsonResponse({"results": results}, status=200)


def _invalid(problems: list[str]) -> JsonResponse:
    logger.warning("Sales webhook delivery rejected: %s", " ".join(problems))
    return JsonResponse({"errors": problems}, status=400)


@csrf_exempt
@require_POST
def pipedrive_webhook(request: HttpRequest) -> JsonResponse:
    """Turn a Pipedrive deal whose status became "won" into an invoice."""
    user = settings.FIAT_PIPEDRIVE_WEBHOOK_USER
    password = settings.FIAT_PIPEDRIVE_WEBHOOK_PASSWORD
    if not user or not password:
        logger.error("Pipedrive webhook called, but its credentials are not set")
        return JsonResponse({"error": "Pipedrive is not set up."}, status=503)
    try:
        payload = json.loads(request.body)
    except ValueError as error:
        return _invalid([f"The body is not valid JSON: {error}"])
    if not isinstance(payload, dict):
        return _invalid(["The body must be a JSON object."])
    try:
        pipedrive.verify_delivery(
            request.headers.get("Authorization"),
            payload,
            user=user,
            password=password,
            now=now().timestamp(),
        )
    except InvalidSignatureError as error:
        logger.warning(
            "Pipedrive webhook delivery from %s rejected: %s",
            request.META.get("REMOTE_ADDR"),
            error,
        )
        return JsonResponse({"error": str(error)}, status=401)
    deal_id = pipedrive.won_deal_id(payload)
    if deal_id is None:
        return JsonResponse({"result": "ignored"}, status=200)
    try:
        deal = pipedrive.fetch_deal_payload(pipedrive.api_client(), deal_id)
    except CrmApiError as error:
        logger.error("Reading Pipedrive deal %s failed: %s", deal_id, error)
        return JsonResponse({"error": str(error)}, status=502)
    try:
        event = parse_deal_event(deal)
    except InvalidEventError as error:
        logger.warning("Pipedrive deal %s rejected: %s", deal_id, error)
        return JsonResponse({"deal_id": deal_id, "errors": error.problems}, status=200)
    result, status = _receive(event, deal, TriggerSource.PIPEDRIVE)
    return JsonResponse({"deal_id": deal_id, **result}, status=status)
