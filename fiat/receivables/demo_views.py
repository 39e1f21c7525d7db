"""The page "Demo: win a deal": a won deal sent to the sales webhook.

The page builds the generic deal event for the demo customer, signs it
with the webhook's secret and passes the same bytes and headers to the
webhook view inside this process. It does not POST to its own server over
HTTP, for three reasons. A request that waits for a second request to the
same server deadlocks a server with a single worker. Behind a proxy the
server does not know an address of its own to call. And the tests' live
server shares one SQLite connection between its threads. The webhook
checks the delivery as it checks any other.

Only controllers, directors and administrators see the page, and only in
a database with the sales demo loaded; everyone else gets 404.
"""

import io
import json
import uuid

from django.contrib import messages
from django.core.handlers.wsgi import WSGIRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import resolve, reverse
from django.utils.translation import gettext as _

from fiat.core.dates import now
from fiat.receivables.deal_events import EVENT_TYPE
from fiat.receivables.demo import (
    DEAL_CUSTOMER,
    DEAL_PROJECT,
    LARGE_DEAL_LINES,
    ROUTINE_DEAL_LINES,
    sales_demo_is_loaded,
)
from fiat.receivables.models import InvoiceStatus
from fiat.receivables.permissions import can_edit_sales, sales_viewer_required
from fiat.receivables.signatures import SIGNATURE_HEADER, sign
from fiat.receivables.webhook_secret import webhook_secret

DEALS = {"routine": ROUTINE_DEAL_LINES, "large": LARGE_DEAL_LINES}
# The WSGI name of the signature header: upper case, "HTTP_" in front.
SIGNATURE_META_KEY = "HTTP_" + SIGNATURE_HEADER.upper().replace("-", "_")


def demo_event(deal: str) -> dict:
    """Return a new "deal won" event for the demo customer, with a fresh id."""
    event_id = uuid.uuid4().hex
    return {
        "event_id": f"demo-{event_id}",
        "type": EVENT_TYPE,
        "reference": f"DEAL-{event_id[:6].upper()}",
        "project": DEAL_PROJECT,
        "customer": DEAL_CUSTOMER,
        "lines": list(DEALS[deal]),
    }


def post_to_webhook(body: bytes, signature: str) -> tuple[int, dict]:
    """Pass a signed body to the deal webhook view; return status and JSON."""
    path = reverse("receivables:webhook-deal-won")
    webhook_request = WSGIRequest(
        {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": path,
            "SCRIPT_NAME": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "REMOTE_ADDR": "127.0.0.1",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(body)),
            SIGNATURE_META_KEY: signature,
            "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": "http",
        }
    )
    match = resolve(path)
    response = match.func(webhook_request, *match.args, **match.kwargs)
    return response.status_code, json.loads(response.content)


@sales_viewer_required
def win_deal(request: HttpRequest) -> HttpResponse:
    """Show the demo deals; on POST, send the chosen one to the webhook."""
    if not can_edit_sales(request.user) or not sales_demo_is_loaded():
        raise Http404("No such page.")
    if request.method == "POST":
        return _send_deal(request, request.POST.get("deal", ""))
    context = {
        "routine_event": json.dumps(demo_event("routine"), indent=2),
        "large_event": json.dumps(demo_event("large"), indent=2),
        "has_secret": bool(webhook_secret()),
        "signature_header": SIGNATURE_HEADER,
    }
    return render(request, "receivables/demo_deal.html", context)


def _send_deal(request: HttpRequest, deal: str) -> HttpResponse:
    if deal not in DEALS:
        messages.error(request, _("Choose the routine or the large deal."))
        return redirect("receivables:demo-deal")
    secret = webhook_secret()
    if not secret:
        messages.error(
            request,
            _(
                "No webhook secret is set: set FIAT_SALES_WEBHOOK_SECRET or run "
                "fiat demo, which generates one."
            ),
        )
        return redirect("receivables:demo-deal")
    body = json.dumps(demo_event(deal), indent=2).encode("utf-8")
    signature = sign(body, secret, int(now().timestamp()))
    status, result = post_to_webhook(body, signature)
    if status not in (200, 201):
        problems = result.get("errors") or [result.get("error", "")]
        messages.error(
            request,
            _("The webhook responded with %(status)s: %(problems)s")
            % {"status": status, "problems": " ".join(problems)},
        )
        return redirect("receivables:demo-deal")
    messages.success(request, _result_message(status, result))
    return redirect("receivables:invoice", pk=result["invoice_id"])


def _result_message(status: int, result: dict) -> str:
    if result["invoice_status"] == InvoiceStatus.AWAITING_REVIEW:
        return _(
            "The webhook responded with %(status)s: the invoice waits for the "
            "controller's review under Tasks."
        ) % {"status": status}
    return _(
        "The webhook responded with %(status)s: invoice %(number)s was released and "
        "is being sent."
    ) % {"status": status, "number": result["number"]}
