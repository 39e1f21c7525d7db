"""Pages of sales invoices: the list, a new draft, editing, preview, detail.

Only users with a role in SALES_VIEWERS see these pages, and everyone else
gets 404. A change sent by a viewer who may not edit gets 403. Views parse
the request, call the functions that change invoices and render the result;
the rules live in those functions.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fiat.approvals.errors import ApprovalError
from fiat.core.exchange import MissingExchangeRateError
from fiat.receivables.booking import BookingError
from fiat.receivables.credit import NotCorrectableError, create_correction
from fiat.receivables.drafting import create_draft, recalculate, replace_lines
from fiat.receivables.einvoice.document import invoice_document
from fiat.receivables.einvoice.ubl import ubl_xml
from fiat.receivables.forms import (
    DraftHeaderForm,
    LineFormSet,
    NewDraftForm,
    line_initial,
)
from fiat.receivables.models import InvoiceStatus, LockedInvoiceError, SalesInvoice
from fiat.receivables.permissions import (
    can_edit_sales,
    require_editor,
    sales_viewer_required,
)
from fiat.receivables.queries import failed_mailings, invoice_list
from fiat.receivables.release import EmptyInvoiceError, finalise_draft
from fiat.receivables.rendering import pdf_filename, render_invoice_pdf
from fiat.receivables.sending import NotSendableError, request_send
from fiat.receivables.workflow import InvalidTransitionError

INVOICES_PER_PAGE = 50


@sales_viewer_required
def invoice_list_page(request: HttpRequest) -> HttpResponse:
    """List invoices, newest first, by status, with failed mailings on top."""
    status = request.GET.get("status", "")
    if status not in InvoiceStatus.values:
        status = ""
    counts = dict(
        SalesInvoice.objects.values_list("status").annotate(count=Count("pk"))
    )
    page = Paginator(invoice_list(status), INVOICES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "status": status,
        "statuses": [
            (choice, choice.label, counts.get(choice, 0)) for choice in InvoiceStatus
        ],
        "failed_mailings": list(failed_mailings()[:20]),
        "can_edit": can_edit_sales(request.user),
    }
    return render(request, "receivables/invoice_list.html", context)


@sales_viewer_required
def new_draft(request: HttpRequest) -> HttpResponse:
    """Start a draft for a chosen customer, then open it for editing."""
    form = NewDraftForm(request.POST or None)
    if request.method == "POST":
        require_editor(request.user)
        if form.is_valid():
            draft = create_draft(form.cleaned_data["customer"], actor=request.user)
            return redirect("receivables:edit", pk=draft.pk)
    return render(request, "receivables/new_draft.html", {"form": form})


def _get_invoice(pk: int) -> SalesInvoice:
    return get_object_or_404(
        SalesInvoice.objects.select_related("customer", "corrected_invoice"), pk=pk
    )


@sales_viewer_required
def invoice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _get_invoice(pk)
    context = {
        "invoice": invoice,
        "lines": invoice.lines.select_related("vat_code"),
        "charges": invoice.charges.select_related("vat_code"),
        "mailings": invoice.mailings.select_related("mail")[:10],
        "corrections": invoice.corrections.all(),
        "can_edit": can_edit_sales(request.user),
        "approval_request": _approval_request(invoice),
    }
    return render(request, "receivables/invoice_detail.html", context)


def _approval_request(invoice: SalesInvoice):
    from fiat.approvals.models import ApprovalRequest

    return (
        ApprovalRequest.objects.filter(
            document_kind="sales_invoice", object_id=invoice.pk
        )
        .order_by("-pk")
        .first()
    )


@sales_viewer_required
def edit_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the header and lines of a draft; save, or save and finalise."""
    invoice = _get_invoice(pk)
    if not invoice.is_editable:
        messages.error(request, _("Only a draft can be edited."))
        return redirect("receivables:invoice", pk=invoice.pk)
    if request.method == "POST":
        require_editor(request.user)
        header = DraftHeaderForm(request.POST, instance=invoice)
        lines = LineFormSet(request.POST, prefix="lines")
        if header.is_valid() and lines.is_valid():
            header.save()
            replace_lines(invoice, _kept_lines(lines))
            if request.POST.get("action") == "finalise":
                return _finalise(request, invoice)
            messages.success(request, _("The draft was saved."))
            return redirect("receivables:edit", pk=invoice.pk)
    else:
        header = DraftHeaderForm(instance=invoice)
        lines = LineFormSet(initial=line_initial(invoice), prefix="lines")
    context = {"invoice": invoice, "header": header, "lines": lines}
    return render(request, "receivables/edit_draft.html", context)


def _kept_lines(lines) -> list:
    # An extra form left empty has no cleaned data and adds no line.
    return [
        form.line_data()
        for form in lines.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


def _finalise(request: HttpRequest, invoice: SalesInvoice) -> HttpResponse:
    try:
        finalised = finalise_draft(invoice, request.user)
    except (
        EmptyInvoiceError,
        ApprovalError,
        BookingError,
        MissingExchangeRateError,
        InvalidTransitionError,
    ) as error:
        messages.error(request, _("The invoice was not released: %s") % error)
        return redirect("receivables:edit", pk=invoice.pk)
    if finalised.status == InvoiceStatus.AWAITING_REVIEW:
        messages.success(request, _("The invoice now waits for review."))
    else:
        messages.success(
            request,
            _("Invoice %(number)s was released and is being sent.")
            % {"number": finalised.number},
        )
    return redirect("receivables:invoice", pk=invoice.pk)


@sales_viewer_required
def invoice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Return the PDF, as it is or will be sent; a draft's is its preview."""
    invoice = _get_invoice(pk)
    if invoice.is_editable:
        recalculate(invoice)
    response = HttpResponse(render_invoice_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf_filename(invoice)}"'
    return response


@sales_viewer_required
def invoice_ubl(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _get_invoice(pk)
    if not invoice.number:
        messages.error(request, _("A draft has no e-invoice yet."))
        return redirect("receivables:invoice", pk=invoice.pk)
    xml = ubl_xml(invoice_document(invoice), invoice.einvoice_profile)
    response = HttpResponse(xml, content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{invoice.number}.xml"'
    return response


@require_POST
@sales_viewer_required
def send_invoice(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue the invoice's mail again, on request."""
    require_editor(request.user)
    invoice = _get_invoice(pk)
    try:
        mailing = request_send(invoice, request.user)
    except NotSendableError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The invoice is being sent to %(address)s.")
            % {"address": mailing.recipient},
        )
    return redirect("receivables:invoice", pk=invoice.pk)


@require_POST
@sales_viewer_required
def credit_invoice(request: HttpRequest, pk: int) -> HttpResponse:
    """Create a draft credit note for the whole invoice and open it."""
    require_editor(request.user)
    invoice = _get_invoice(pk)
    try:
        draft = create_correction(invoice, request.user)
    except (NotCorrectableError, LockedInvoiceError) as error:
        messages.error(request, str(error))
        return redirect("receivables:invoice", pk=invoice.pk)
    messages.success(
        request,
        _("A draft credit note was made. Change or remove lines to credit part."),
    )
    return redirect("receivables:edit", pk=draft.pk)
