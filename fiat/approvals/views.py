"""The signed-in approver's pages: the task inbox and a request's page.

Views parse the form, call the engine (``fiat.approvals.engine``) and show
its result; the engine's refusals reach the user as messages. A request is
shown only to the people ``fiat.approvals.access`` allows, and as 404 to
everyone else.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fiat.approvals import engine
from fiat.approvals.access import acting_task, can_view_request, is_administrator
from fiat.approvals.errors import ApprovalError, CommentRequiredError
from fiat.approvals.forms import DecisionForm, ReassignForm
from fiat.approvals.history import request_history
from fiat.approvals.kinds import get_kind, request_document_type, shown_amount
from fiat.approvals.models import (
    ApprovalRequest,
    Assignment,
    AssignmentStatus,
    DecisionOutcome,
    StepStatus,
)
from fiat.approvals.queries import Task, tasks_for
from fiat.approvals.summary import document_page, render_summary
from fiat.core.dates import business_date


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """List everything waiting for the user, oldest first, with counts per kind."""
    tasks = tasks_for(request.user, business_date())
    counts: dict[str, int] = {}
    for task in tasks:
        label = str(get_kind(task.request.document_kind).label)
        counts[label] = counts.get(label, 0) + 1
    prefetch_related_objects([task.request for task in tasks], "subject")
    context = {
        "tasks": tasks,
        "rows": [_inbox_row(task) for task in tasks],
        "counts": sorted(counts.items()),
    }
    return render(request, "approvals/inbox.html", context)


@dataclass(frozen=True)
class InboxRow:
    task: Task
    kind_label: str
    # The request's amounts as pages show them: negative on a credit note.
    document_amount: Decimal
    amount: Decimal


def _inbox_row(task: Task) -> InboxRow:
    approval_request = task.request
    document_type = request_document_type(approval_request)
    return InboxRow(
        task=task,
        kind_label=get_kind(approval_request.document_kind).label,
        document_amount=shown_amount(approval_request.document_amount, document_type),
        amount=shown_amount(approval_request.amount, document_type),
    )


def _visible_request(request: HttpRequest, pk: int) -> ApprovalRequest:
    approval_request = get_object_or_404(
        ApprovalRequest.objects.select_related("policy", "submitted_by"), pk=pk
    )
    if not can_view_request(request.user, approval_request, business_date()):
        raise Http404("No such approval request.")
    return approval_request


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the document, the steps and the history, with the actions the
    user may take."""
    approval_request = _visible_request(request, pk)
    return _render_detail(request, approval_request, DecisionForm())


def _render_detail(
    request: HttpRequest,
    approval_request: ApprovalRequest,
    decision_form: DecisionForm,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    task = acting_task(user, approval_request, business_date())
    administrator = is_administrator(user) and approval_request.is_pending
    kind = get_kind(approval_request.document_kind)
    subject = approval_request.subject
    context = {
        "approval_request": approval_request,
        "kind_label": kind.label,
        # Only users who may open the document get the link; the document's
        # page answers 404 to everyone else.
        "document_url": kind.url(subject)
        if subject is not None and user.has_role(*kind.viewer_roles)
        else "",
        "summary": render_summary(
            approval_request,
            lambda number: reverse(
                "approvals:request-page", args=[approval_request.pk, number]
            ),
        ),
        "shown_amount": shown_amount(
            approval_request.amount, request_document_type(approval_request)
        ),
        "steps": _steps(approval_request),
        "history": request_history(approval_request),
        "task": task,
        "decision_form": decision_form,
        "can_withdraw": approval_request.is_pending
        and approval_request.submitted_by_id == user.pk,
        "reassign_form": ReassignForm() if administrator else None,
    }
    return render(request, "approvals/request.html", context, status=status)


def _steps(approval_request: ApprovalRequest) -> list:
    steps = list(
        approval_request.steps.prefetch_related(
            "assignments__approver",
            "assignments__decision__decided_by",
            "assignments__decision__on_behalf_of",
        ).order_by("position")
    )
    for step in steps:
        step.shown_assignments = sorted(
            step.assignments.all(), key=lambda item: (item.created_at, item.pk)
        )
        step.is_open = step.status == StepStatus.PENDING
    return steps


@require_POST
@login_required
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve or reject the step the user may decide."""
    approval_request = _visible_request(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose Approve or Reject."))
        return redirect("approvals:request", pk=pk)
    step_id = _step_to_decide(request, approval_request, form.cleaned_data["step"])
    if step_id is None:
        messages.error(request, _("This request is no longer waiting for a decision."))
        return redirect("approvals:request", pk=pk)
    outcome = form.cleaned_data["outcome"]
    try:
        engine.decide(
            step_id,
            user=request.user,
            outcome=outcome,
            comment=form.cleaned_data["comment"],
        )
    except ApprovalError as error:
        if isinstance(error, CommentRequiredError):
            form.add_error("comment", error.message)
            return _render_detail(request, approval_request, form, status=400)
        messages.error(request, error.message)
        return redirect("approvals:request", pk=pk)
    if outcome == DecisionOutcome.APPROVED:
        text = _("You approved %(document)s.")
    else:
        text = _("You rejected %(document)s; the submitter has been told.")
    messages.success(request, text % {"document": approval_request.title})
    return redirect("approvals:inbox")


def _step_to_decide(
    request: HttpRequest, approval_request: ApprovalRequest, shown_step_id: int | None
) -> int | None:
    """Return the step the page showed, else the one the user may decide, else
    the pending one, so that the engine says why the user may not act."""
    if shown_step_id is not None:
        shown = approval_request.steps.filter(pk=shown_step_id)
        if shown.exists():
            return shown_step_id
    task = acting_task(request.user, approval_request, business_date())
    if task is not None:
        return task.assignment.step_id
    return (
        approval_request.steps.filter(status=StepStatus.PENDING)
        .values_list("pk", flat=True)
        .first()
    )


@require_POST
@login_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    approval_request = _visible_request(request, pk)
    try:
        engine.withdraw(approval_request, user=request.user)
    except ApprovalError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("You withdrew %(document)s; it is back with you.")
            % {"document": approval_request.title},
        )
    return redirect("approvals:request", pk=pk)


@require_POST
@login_required
def reassign(request: HttpRequest, pk: int) -> HttpResponse:
    """Give an open task to another user, as an administrator."""
    approval_request = _visible_request(request, pk)
    if not is_administrator(request.user):
        raise Http404("No such page.")
    form = ReassignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the user who gets the task."))
        return redirect("approvals:request", pk=pk)
    assignment = get_object_or_404(
        Assignment.objects.select_related("step", "approver"),
        pk=form.cleaned_data["assignment"],
        step__request=approval_request,
        status=AssignmentStatus.OPEN,
    )
    to_user = form.cleaned_data["to_user"]
    try:
        engine.reassign(assignment, to_user=to_user, by=request.user)
    except ApprovalError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The task of %(from)s now goes to %(to)s.")
            % {"from": assignment.approver, "to": to_user},
        )
    return redirect("approvals:request", pk=pk)


@login_required
def request_page_image(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    approval_request = _visible_request(request, pk)
    return page_image_response(approval_request, number)


def page_image_response(approval_request: ApprovalRequest, number: int) -> HttpResponse:
    png = document_page(approval_request, number)
    if png is None:
        raise Http404("No such page.")
    response = HttpResponse(png, content_type="image/png")
    # The image of a stored file never changes; "private" keeps it out of
    # shared caches, because it is served without a session on link pages.
    response["Cache-Control"] = "private, max-age=86400"
    return response
