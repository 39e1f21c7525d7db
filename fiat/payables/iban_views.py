"""Pages for IBAN change requests: the list, and accept, confirm or reject.

The four-eyes rule itself lives in ``fiat.payables.iban_changes``; these
views only call it and report the outcome.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fiat.payables.iban_changes import (
    ACCEPT,
    CONFIRM,
    REJECT,
    FourEyesError,
    IbanChangeError,
    accept_iban_change,
    allowed_iban_actions,
    confirm_iban_change,
    reject_iban_change,
)
from fiat.payables.models import (
    OPEN_IBAN_CHANGE_STATUSES,
    IbanChangeRequest,
)
from fiat.payables.permissions import (
    can_edit_invoices,
    invoice_viewer_required,
    require_editor,
)
from fiat.payables.review import recheck_supplier_invoices
from fiat.payables.review_context import IBAN_STEPS

RECENT_DECISIONS = 20
STEP_DONE = {
    ACCEPT: gettext_lazy(
        "You accepted IBAN %(iban)s. A second person must now confirm it."
    ),
    CONFIRM: gettext_lazy("IBAN %(iban)s is confirmed and now the supplier's IBAN."),
    REJECT: gettext_lazy("IBAN %(iban)s was rejected; the supplier keeps its IBAN."),
}
STEPS = {
    ACCEPT: accept_iban_change,
    CONFIRM: confirm_iban_change,
    REJECT: reject_iban_change,
}


@invoice_viewer_required
def iban_changes(request: HttpRequest) -> HttpResponse:
    changes = IbanChangeRequest.objects.select_related(
        "supplier", "invoice", "requested_by", "accepted_by", "decided_by"
    )
    open_changes = changes.filter(status__in=OPEN_IBAN_CHANGE_STATUSES)
    editable = can_edit_invoices(request.user)
    context = {
        "open_changes": [
            (change, allowed_iban_actions(change, request.user) if editable else ())
            for change in open_changes
        ],
        "iban_steps": IBAN_STEPS,
        "decided_changes": changes.exclude(
            status__in=OPEN_IBAN_CHANGE_STATUSES
        ).order_by("-decided_at", "-pk")[:RECENT_DECISIONS],
    }
    return render(request, "payables/iban_changes.html", context)


@require_POST
@invoice_viewer_required
def iban_change_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Accept, confirm or reject one request, then go back where the user was."""
    require_editor(request.user)
    change = get_object_or_404(IbanChangeRequest, pk=pk)
    take_step = STEPS.get(step)
    if take_step is None:
        messages.error(request, _("Unknown step."))
        return _back(request)
    try:
        change = take_step(change, request.user)
    except FourEyesError:
        messages.error(
            request,
            _(
                "You accepted or requested this IBAN change, so another person "
                "must confirm it."
            ),
        )
        return _back(request)
    except IbanChangeError:
        messages.error(request, _("This IBAN change was already decided."))
        return _back(request)
    if step == CONFIRM:
        recheck_supplier_invoices(change.supplier)
    messages.success(request, str(STEP_DONE[step]) % {"iban": change.new_iban})
    return _back(request)


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("payables:iban-changes")
