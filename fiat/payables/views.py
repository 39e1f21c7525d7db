"""The clerk's review pages: the queue and the review screen of one invoice.

Only users with a role in INVOICE_VIEWERS see these pages; everyone else
gets 404. Auditors see everything read-only, and a change they send is
refused with 403. Views parse the request, call the functions that change
invoices and render the result; the rules live in those functions.
"""

import logging

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fiat.approvals.errors import ApprovalError
from fiat.core.exchange import MissingExchangeRateError
from fiat.payables.approval_status import approval_status
from fiat.payables.booking import (
    BOOKING_FAILURES,
    book_approved_invoice,
    booking_failure_reason,
)
from fiat.payables.checks import recheck_invoice
from fiat.payables.findings import Severity
from fiat.payables.forms import (
    CancelForm,
    InvoiceLineFormSet,
    InvoiceReviewForm,
    ReturnToReviewForm,
)
from fiat.payables.models import InvoiceStatus, PurchaseInvoice
from fiat.payables.permissions import (
    can_edit_invoices,
    invoice_viewer_required,
    require_editor,
)
from fiat.payables.review import NotEditableError, save_review
from fiat.payables.review_context import review_context
from fiat.payables.suppliers import SupplierExistsError, create_supplier_from_invoice
from fiat.payables.workflow import (
    BlockingChecksError,
    InvalidTransitionError,
    cancel_invoice,
    return_to_review,
    submit_for_approval,
)

logger = logging.getLogger(__name__)

INVOICES_PER_PAGE = 50
SUBMIT = "submit"


@invoice_viewer_required
def queue(request: HttpRequest) -> HttpResponse:
    """List invoices of one status, oldest first, with counts per status."""
    status = request.GET.get("status", InvoiceStatus.IN_REVIEW)
    if status not in InvoiceStatus.values:
        status = InvoiceStatus.IN_REVIEW
    counts = dict(
        PurchaseInvoice.objects.values_list("status").annotate(count=Count("pk"))
    )
    page = Paginator(_queue_invoices(status), INVOICES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "status": status,
        "status_label": InvoiceStatus(status).label,
        "statuses": [
            (choice, choice.label, counts.get(choice, 0)) for choice in InvoiceStatus
        ],
    }
    return render(request, "payables/queue.html", context)


def _queue_invoices(status: str) -> QuerySet[PurchaseInvoice]:
    return (
        PurchaseInvoice.objects.filter(status=status)
        .select_related("supplier")
        .annotate(
            blocking_count=Count(
                "checks", filter=Q(checks__severity=Severity.BLOCKING)
            ),
            warning_count=Count("checks", filter=Q(checks__severity=Severity.WARNING)),
        )
        .order_by("created_at", "pk")
    )


def _get_invoice(pk: int) -> PurchaseInvoice:
    return get_object_or_404(
        PurchaseInvoice.objects.select_related(
            "supplier", "document", "companion", "purchase_order"
        ),
        pk=pk,
    )


@invoice_viewer_required
def invoice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the review screen; on POST save the corrections or submit."""
    invoice = _get_invoice(pk)
    editable = invoice.is_editable and can_edit_invoices(request.user)
    if request.method == "POST":
        require_editor(request.user)
        return _post_review(request, invoice)
    form = InvoiceReviewForm(instance=invoice)
    lines = InvoiceLineFormSet(instance=invoice)
    if not editable:
        # Set before the formset builds its forms: no empty line, no delete.
        lines.extra = 0
        lines.can_delete = False
        _disable(form, lines)
    context = review_context(request, invoice, form, lines, editable=editable)
    context.update(_status_context(request, invoice))
    return render(request, "payables/invoice_detail.html", context)


def _status_context(request: HttpRequest, invoice: PurchaseInvoice) -> dict:
    """Return the approval status and what an editor may do with a rejection."""
    rejected = invoice.status == InvoiceStatus.REJECTED
    return {
        "approval": approval_status(invoice, request.user),
        "rejection_actions": rejected and can_edit_invoices(request.user),
        "booking_action": (
            invoice.status == InvoiceStatus.APPROVED
            and can_edit_invoices(request.user)
        ),
        "return_form": ReturnToReviewForm(),
    }


def _disable(form: InvoiceReviewForm, lines) -> None:
    for field in form.fields.values():
        field.disabled = True
    for line_form in lines.forms:
        for field in line_form.fields.values():
            field.disabled = True


def _post_review(request: HttpRequest, invoice: PurchaseInvoice) -> HttpResponse:
    if not invoice.is_editable:
        messages.error(request, _("This invoice is no longer in review."))
        return redirect("payables:invoice", pk=invoice.pk)
    form = InvoiceReviewForm(request.POST, instance=invoice)
    lines = InvoiceLineFormSet(request.POST, instance=invoice)
    if not (form.is_valid() and lines.is_valid()):
        context = review_context(request, invoice, form, lines, editable=True)
        return render(request, "payables/invoice_detail.html", context, status=400)
    try:
        invoice = save_review(form, lines, request.user)
    except NotEditableError:
        messages.error(request, _("This invoice is no longer in review."))
        return redirect("payables:invoice", pk=invoice.pk)
    if request.POST.get("action") == SUBMIT:
        return _submit(request, invoice)
    messages.success(request, _("Saved, and checked again."))
    return redirect("payables:invoice", pk=invoice.pk)


def _submit(request: HttpRequest, invoice: PurchaseInvoice) -> HttpResponse:
    try:
        submit_for_approval(invoice, request.user)
    except BlockingChecksError as error:
        messages.error(
            request,
            _(
                "Saved, but not submitted: resolve the %(count)d blocking "
                "findings first."
            )
            % {"count": len(error.checks)},
        )
        return redirect("payables:invoice", pk=invoice.pk)
    except InvalidTransitionError:
        messages.error(request, _("This invoice is no longer in review."))
        return redirect("payables:invoice", pk=invoice.pk)
    except (ApprovalError, MissingExchangeRateError) as error:
        messages.error(
            request,
            _("Saved, but not submitted: %(reason)s") % {"reason": error},
        )
        return redirect("payables:invoice", pk=invoice.pk)
    messages.success(
        request,
        _("Invoice %(number)s was submitted for approval.")
        % {"number": invoice.invoice_number},
    )
    return redirect("payables:queue")


@require_POST
@invoice_viewer_required
def create_supplier(request: HttpRequest, pk: int) -> HttpResponse:
    """Create the supplier from what was read, then check the invoice again."""
    require_editor(request.user)
    invoice = _get_invoice(pk)
    if not invoice.is_editable:
        messages.error(request, _("This invoice is no longer in review."))
        return redirect("payables:invoice", pk=invoice.pk)
    try:
        supplier = create_supplier_from_invoice(invoice, request.user)
    except SupplierExistsError:
        messages.error(request, _("This invoice has a supplier already."))
        return redirect("payables:invoice", pk=invoice.pk)
    invoice.refresh_from_db()
    recheck_invoice(invoice)
    messages.success(
        request,
        _("Supplier %(name)s was created, and the invoice checked again.")
        % {"name": supplier.name},
    )
    return redirect("payables:invoice", pk=invoice.pk)


@require_POST
@invoice_viewer_required
def back_to_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a rejected invoice back into review, with a reason for the trail."""
    require_editor(request.user)
    invoice = _get_invoice(pk)
    form = ReturnToReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason to put the invoice back into review."))
        return redirect(reverse("payables:invoice", args=[invoice.pk]) + "#rejection")
    if invoice.status != InvoiceStatus.REJECTED:
        messages.error(request, _("Only a rejected invoice can go back into review."))
        return redirect("payables:invoice", pk=invoice.pk)
    try:
        return_to_review(invoice, request.user, form.cleaned_data["reason"])
    except InvalidTransitionError:
        messages.error(request, _("Only a rejected invoice can go back into review."))
        return redirect("payables:invoice", pk=invoice.pk)
    messages.success(
        request, _("The invoice is back in review: correct it and submit it again.")
    )
    return redirect("payables:invoice", pk=invoice.pk)


@require_POST
@invoice_viewer_required
def book(request: HttpRequest, pk: int) -> HttpResponse:
    """Book an approved invoice whose booking failed, once it is corrected."""
    require_editor(request.user)
    invoice = _get_invoice(pk)
    try:
        entry = book_approved_invoice(invoice, actor=request.user)
    except InvalidTransitionError as error:
        logger.info("Invoice %s not booked from its page: %s", invoice.pk, error)
        messages.error(
            request, _("Only an approved invoice that is not booked can be booked.")
        )
    except BOOKING_FAILURES as error:
        messages.error(
            request,
            _("The invoice is still not booked: %(reason)s")
            % {"reason": booking_failure_reason(error)},
        )
    else:
        if entry is None:
            messages.success(request, _("The invoice was booked."))
        else:
            messages.success(
                request,
                _("The invoice was booked as journal entry %(number)s.")
                % {"number": entry.number},
            )
    return redirect("payables:invoice", pk=invoice.pk)


@require_POST
@invoice_viewer_required
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel an invoice in review, with a reason for the audit trail."""
    require_editor(request.user)
    invoice = _get_invoice(pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason to cancel the invoice."))
        return redirect(reverse("payables:invoice", args=[invoice.pk]) + "#cancel")
    try:
        cancel_invoice(invoice, request.user, form.cleaned_data["reason"])
    except InvalidTransitionError:
        messages.error(request, _("This invoice can no longer be cancelled."))
        return redirect("payables:invoice", pk=invoice.pk)
    messages.success(request, _("The invoice was cancelled."))
    return redirect("payables:queue")
