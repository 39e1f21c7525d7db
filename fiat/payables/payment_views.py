"""The ready-for-payment page: booked purchase invoices by due date."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fiat.core.dates import business_date
from fiat.payables.permissions import invoice_viewer_required
from fiat.payables.ready_for_payment import (
    payment_rows,
    ready_invoices,
    totals_by_currency,
)

INVOICES_PER_PAGE = 50


@invoice_viewer_required
def ready_for_payment(request: HttpRequest) -> HttpResponse:
    today = business_date()
    page = Paginator(ready_invoices(), INVOICES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "rows": payment_rows(list(page.object_list), today),
        "totals": totals_by_currency(today),
        "today": today,
    }
    return render(request, "payables/ready_for_payment.html", context)
