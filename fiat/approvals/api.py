"""JSON endpoints of the approvals: my tasks, one request, deciding a step.

A request is visible to the people ``fiat.approvals.access`` names (its
submitter, its approvers and stand-ins, the fallback approver, administrators
and the document kind's viewers). Everyone else gets 404, as for a missing
id, so the API does not reveal which requests exist. A decision the engine
does not accept returns 409 with the reason in ``code``.
"""

from django.db.models import prefetch_related_objects
from django.http import Http404
from django.urls import reverse
from ninja import Router, Status

from fiat.approvals import engine
from fiat.approvals.access import acting_task, can_view_request
from fiat.approvals.errors import ApprovalError, CommentRequiredError
from fiat.approvals.kinds import request_document_type
from fiat.approvals.models import (
    ApprovalRequest,
    ApprovalStep,
    Assignment,
    DecisionChannel,
)
from fiat.approvals.queries import tasks_for
from fiat.approvals.schemas import (
    ApprovalErrorOut,
    DecisionIn,
    DecisionOut,
    RequestOut,
    TasksOut,
)
from fiat.core.dates import business_date
from fiat.core.models import User
from fiat.core.schemas import error_responses

router = Router(tags=["approvals"])


def _user_ref(user: User | None) -> dict | None:
    if user is None:
        return None
    return {"username": user.username, "name": user.get_full_name() or user.username}


@router.get("/tasks", response={200: TasksOut, **error_responses(401)})
def list_tasks(request) -> dict:
    """List everything waiting for your decision, oldest request first."""
    tasks = tasks_for(request.auth, business_date())
    prefetch_related_objects([task.request for task in tasks], "subject")
    counts: dict[str, int] = {}
    items = []
    for task in tasks:
        approval = task.request
        counts[approval.document_kind] = counts.get(approval.document_kind, 0) + 1
        items.append(
            {
                "assignment_id": task.assignment.pk,
                "step_id": task.step.pk,
                "step_position": task.step.position,
                "step_name": task.step.name,
                "mode": task.step.mode,
                "reason": task.assignment.reason,
                "assigned_at": task.assignment.created_at,
                "request_id": approval.pk,
                "document_kind": approval.document_kind,
                "title": approval.title,
                "amount": approval.amount,
                "currency": approval.currency,
                "document_amount": approval.document_amount,
                "document_currency": approval.document_currency,
                "document_type": request_document_type(approval),
                "submitted_by": _user_ref(approval.submitted_by),
                "requested_at": approval.created_at,
                "on_behalf_of": _user_ref(task.on_behalf_of),
                "as_fallback": task.as_fallback,
                "url": reverse("approvals:request", args=[approval.pk]),
            }
        )
    return {
        "total": len(items),
        "counts": [
            {"document_kind": kind, "count": count}
            for kind, count in sorted(counts.items())
        ],
        "items": items,
    }


@router.get(
    "/requests/{request_id}",
    response={200: RequestOut, **error_responses(401, 404)},
)
def get_request(request, request_id: int) -> dict:
    """Return an approval request with its steps, tasks and decisions."""
    approval = _visible_request(request.auth, request_id)
    return _request_out(approval, request.auth)


@router.post(
    "/steps/{step_id}/decision",
    response={
        201: DecisionOut,
        409: ApprovalErrorOut,
        **error_responses(401, 404, 422),
    },
)
def decide_step(request, step_id: int, payload: DecisionIn) -> Status:
    """Approve or reject a pending step as one of its approvers.

    Rejecting needs a comment, which the submitter reads. A refused decision
    (four eyes, not your task, decided already) is recorded in the trail and
    returns 409.
    """
    step = ApprovalStep.objects.select_related("request").filter(pk=step_id).first()
    if step is None:
        raise Http404
    _visible_request(request.auth, step.request_id)
    try:
        decision = engine.decide(
            step,
            user=request.auth,
            outcome=payload.outcome,
            comment=payload.comment,
            channel=DecisionChannel.API,
        )
    except ApprovalError as error:
        field = "comment" if isinstance(error, CommentRequiredError) else None
        return Status(
            409, {"code": error.code, "message": str(error.message), "field": field}
        )
    return Status(201, _decision_out(decision))


def _visible_request(user: User, request_id: int) -> ApprovalRequest:
    approval = (
        ApprovalRequest.objects.select_related("policy", "submitted_by")
        .filter(pk=request_id)
        .first()
    )
    if approval is None or not can_view_request(user, approval, business_date()):
        raise Http404
    return approval


def _request_out(approval: ApprovalRequest, user: User) -> dict:
    steps = approval.steps.order_by("position").prefetch_related(
        "decisions__decided_by", "decisions__on_behalf_of"
    )
    assignments_by_step: dict[int, list[Assignment]] = {}
    for assignment in (
        Assignment.objects.filter(step__request=approval)
        .select_related("approver")
        .order_by("created_at", "pk")
    ):
        assignments_by_step.setdefault(assignment.step_id, []).append(assignment)
    task = acting_task(user, approval, business_date())
    return {
        "id": approval.pk,
        "document_kind": approval.document_kind,
        "title": approval.title,
        "status": approval.status,
        "rule_name": approval.rule_name,
        "amount": approval.amount,
        "currency": approval.currency,
        "document_amount": approval.document_amount,
        "document_currency": approval.document_currency,
        "document_type": request_document_type(approval),
        "submitted_by": _user_ref(approval.submitted_by),
        "created_at": approval.created_at,
        "completed_at": approval.completed_at,
        "steps": [
            {
                "id": step.pk,
                "position": step.position,
                "name": step.name,
                "mode": step.mode,
                "status": step.status,
                "started_at": step.started_at,
                "completed_at": step.completed_at,
                "assignments": [
                    {
                        "id": assignment.pk,
                        "approver": _user_ref(assignment.approver),
                        "reason": assignment.reason,
                        "status": assignment.status,
                        "assigned_at": assignment.created_at,
                    }
                    for assignment in assignments_by_step.get(step.pk, [])
                ],
                "decisions": [
                    _decision_out(decision)
                    for decision in sorted(
                        step.decisions.all(), key=lambda d: (d.decided_at, d.pk)
                    )
                ],
            }
            for step in steps
        ],
        "my_task": (
            {
                "step_id": task.assignment.step_id,
                "assignment_id": task.assignment.pk,
                "on_behalf_of": _user_ref(task.on_behalf_of),
                "as_fallback": task.as_fallback,
            }
            if task is not None
            else None
        ),
    }


def _decision_out(decision) -> dict:
    return {
        "id": decision.pk,
        "step_id": decision.step_id,
        "assignment_id": decision.assignment_id,
        "outcome": decision.outcome,
        "decided_by": _user_ref(decision.decided_by),
        "on_behalf_of": _user_ref(decision.on_behalf_of),
        "comment": decision.comment,
        "channel": decision.channel,
        "decided_at": decision.decided_at,
    }
