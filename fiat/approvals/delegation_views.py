"""The delegation page: set a stand-in for a range of dates, list and cancel."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fiat.approvals.delegations import (
    DelegationError,
    cancel_delegation,
    set_delegation,
)
from fiat.approvals.forms import DelegationForm
from fiat.approvals.models import Delegation
from fiat.core.dates import business_date


@login_required
def delegation(request: HttpRequest) -> HttpResponse:
    """List the user's delegations; on POST set a new one."""
    status = 200
    if request.method == "POST":
        form = DelegationForm(request.POST)
        if form.is_valid() and _set(request, form):
            return redirect("approvals:delegation")
        status = 400
    else:
        today = business_date()
        form = DelegationForm(initial={"start_date": today, "end_date": today})
    today = business_date()
    mine = Delegation.objects.filter(approver=request.user).select_related("stand_in")
    context = {
        "form": form,
        "delegations": [
            delegation
            for delegation in mine.order_by("-start_date", "-pk")
            if delegation.cancelled_at is None and delegation.end_date >= today
        ],
        "standing_in_for": Delegation.objects.filter(
            stand_in=request.user, cancelled_at__isnull=True, end_date__gte=today
        )
        .select_related("approver")
        .order_by("start_date", "pk"),
        "today": today,
    }
    return render(request, "approvals/delegation.html", context, status=status)


def _set(request: HttpRequest, form: DelegationForm) -> bool:
    data = form.cleaned_data
    try:
        created = set_delegation(
            request.user, data["stand_in"], data["start_date"], data["end_date"]
        )
    except DelegationError as error:
        form.add_error(error.field, error.message)
        return False
    messages.success(
        request,
        _("%(name)s stands in for you from %(start)s until %(end)s.")
        % {
            "name": created.stand_in,
            "start": date_format(created.start_date, "SHORT_DATE_FORMAT"),
            "end": date_format(created.end_date, "SHORT_DATE_FORMAT"),
        },
    )
    return True


@require_POST
@login_required
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel one of the user's own delegations."""
    delegation = get_object_or_404(Delegation, pk=pk, approver=request.user)
    cancel_delegation(delegation, by=request.user)
    messages.success(
        request,
        _("%(name)s no longer stands in for you.") % {"name": delegation.stand_in},
    )
    return redirect("approvals:delegation")
