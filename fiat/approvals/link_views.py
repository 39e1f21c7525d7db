"""The page an e-mailed approval link opens, for deciding without a password.

Opening the page never uses the link up, because mail scanners open links
to look at them; only posting a decision does, inside the engine's
transaction. The form is on this page, so it carries a CSRF token like any
other form. A link that is invalid, expired or used shows why and offers to
sign in, after which the request's own page opens.
"""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from fiat.approvals import engine
from fiat.approvals.errors import ApprovalError, CommentRequiredError
from fiat.approvals.forms import DecisionForm
from fiat.approvals.kinds import get_kind, shown_request_amounts
from fiat.approvals.links import LinkRefusedError, check_token, request_id_of
from fiat.approvals.models import (
    ApprovalLink,
    AssignmentStatus,
    DecisionChannel,
    StepStatus,
)
from fiat.approvals.summary import render_summary
from fiat.approvals.views import page_image_response

# Status codes of the refusal page: an altered link was never ours, while an
# expired or used one is gone for good.
REFUSAL_STATUS = {"invalid": 404, "expired": 410, "used": 410}


@never_cache
def link_page(request: HttpRequest, token: str) -> HttpResponse:
    """Show the task behind the link; on POST record the decision."""
    try:
        link = check_token(token)
    except LinkRefusedError as refusal:
        return _refused(request, token, refusal)
    if request.method == "POST":
        return _decide(request, token, link)
    return _render_task(request, token, link, DecisionForm())


def _decide(request: HttpRequest, token: str, link: ApprovalLink) -> HttpResponse:
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _render_task(request, token, link, form, status=400)
    outcome = form.cleaned_data["outcome"]
    approval_request = link.assignment.step.request
    try:
        engine.decide(
            link.assignment.step,
            user=link.user,
            outcome=outcome,
            comment=form.cleaned_data["comment"],
            channel=DecisionChannel.LINK,
            link=link,
        )
    except LinkRefusedError as refusal:
        return _refused(request, token, refusal)
    except CommentRequiredError as error:
        form.add_error("comment", error.message)
        return _render_task(request, token, link, form, status=400)
    except ApprovalError as error:
        context = {
            "approval_request": approval_request,
            "error": error.message,
            "login_url": _login_url(approval_request.pk),
        }
        return render(request, "approvals/link_done.html", context, status=409)
    context = {
        "approval_request": approval_request,
        "outcome": outcome,
        "login_url": _login_url(approval_request.pk),
    }
    return render(request, "approvals/link_done.html", context)


def _render_task(
    request: HttpRequest,
    token: str,
    link: ApprovalLink,
    form: DecisionForm,
    status: int = 200,
) -> HttpResponse:
    assignment = link.assignment
    approval_request = assignment.step.request
    open_task = (
        approval_request.is_pending
        and assignment.status == AssignmentStatus.OPEN
        and assignment.step.status == StepStatus.PENDING
    )
    context = {
        "approval_request": approval_request,
        "kind_label": get_kind(approval_request.document_kind).label,
        "link_user": link.user,
        "step": assignment.step,
        "on_behalf_of": (
            assignment.approver if assignment.approver_id != link.user_id else None
        ),
        "open_task": open_task,
        "other_signed_in_user": _other_signed_in_user(request, link),
        "decision_form": form,
        "expires_at": link.expires_at,
        "token": token,
        "summary": render_summary(
            approval_request,
            lambda number: reverse("approvals:link-page", args=[token, number]),
        ),
        # Shown only when the task is no longer open.
        "login_url": "" if open_task else _login_url(approval_request.pk),
        "shown": shown_request_amounts(approval_request),
    }
    return render(request, "approvals/link.html", context, status=status)


def _other_signed_in_user(request: HttpRequest, link: ApprovalLink):
    """Return the signed-in user when it is not the user the link was sent to.

    The link decides in the name of its own user, so someone else signed in
    in the same browser is warned before deciding.
    """
    user = request.user
    if user.is_authenticated and user.pk != link.user_id:
        return user
    return None


def _refused(
    request: HttpRequest, token: str, refusal: LinkRefusedError
) -> HttpResponse:
    context = {
        "message": refusal.message,
        "reason": refusal.reason,
        "login_url": _login_url(request_id_of(token)),
    }
    return render(
        request,
        "approvals/link_refused.html",
        context,
        status=REFUSAL_STATUS[refusal.reason],
    )


def _login_url(request_id: int | None) -> str:
    """Return the login URL that leads on to the request page, or the inbox."""
    if request_id is None:
        target = reverse("approvals:inbox")
    else:
        target = reverse("approvals:request", args=[request_id])
    return reverse("login") + "?" + urlencode({"next": target})


@never_cache
def link_page_image(request: HttpRequest, token: str, number: int) -> HttpResponse:
    """Serve a page image of the link's document while the link can be used."""
    try:
        link = check_token(token)
    except LinkRefusedError as refusal:
        return HttpResponse(
            str(refusal.message),
            status=REFUSAL_STATUS[refusal.reason],
            content_type="text/plain; charset=utf-8",
        )
    return page_image_response(link.assignment.step.request, number)
