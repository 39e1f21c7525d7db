"""Read models of the approval engine: a user's tasks and a request's history."""

from dataclasses import dataclass
from datetime import date

from fiat.approvals import approvers as approver_lookup
from fiat.approvals.models import (
    ApprovalRequest,
    Assignment,
    AssignmentStatus,
    Decision,
    RequestStatus,
    StepStatus,
)
from fiat.core.models import User


@dataclass(frozen=True)
class Task:
    """An open assignment as one user sees it in their inbox."""

    assignment: Assignment
    # Set when the user acts in another approver's place.
    on_behalf_of: User | None
    as_fallback: bool

    @property
    def step(self):
        return self.assignment.step

    @property
    def request(self) -> ApprovalRequest:
        return self.assignment.step.request


def _open_assignments():
    return Assignment.objects.filter(
        status=AssignmentStatus.OPEN,
        step__status=StepStatus.PENDING,
        step__request__status=RequestStatus.PENDING,
    ).select_related("step__request__policy", "step__request__submitted_by", "approver")


def tasks_for(user: User, day: date) -> list[Task]:
    """Return everything waiting for ``user`` on ``day``, oldest first.

    That is the user's own open tasks, the tasks of approvers whose stand-in
    the user is that day, and, as fallback approver, tasks whose stand-in
    four eyes excludes.
    """
    tasks: dict[int, Task] = {}
    for assignment in _open_assignments().filter(approver=user):
        tasks[assignment.pk] = Task(assignment, None, as_fallback=False)
    delegators = approver_lookup.delegators_of(user.pk, day)
    if delegators:
        for assignment in _open_assignments().filter(approver_id__in=delegators):
            if user.pk in assignment.step.request.excluded_user_ids:
                continue
            tasks.setdefault(
                assignment.pk, Task(assignment, assignment.approver, as_fallback=False)
            )
    for assignment in (
        _open_assignments()
        .filter(step__request__policy__fallback_approver=user)
        .exclude(approver=user)
    ):
        request = assignment.step.request
        excluded = frozenset(request.excluded_user_ids)
        actors = approver_lookup.actors_for(
            assignment, day, excluded, request.policy.fallback_approver_id
        )
        if any(actor.user_id == user.pk and actor.as_fallback for actor in actors):
            tasks.setdefault(assignment.pk, Task(assignment, None, as_fallback=True))
    return sorted(
        tasks.values(),
        key=lambda task: (task.request.created_at, task.assignment.created_at),
    )


def task_counts(user: User, day: date) -> dict[str, int]:
    """Count the user's tasks per document kind, with the total under "all"."""
    counts: dict[str, int] = {"all": 0}
    for task in tasks_for(user, day):
        kind = task.request.document_kind
        counts[kind] = counts.get(kind, 0) + 1
        counts["all"] += 1
    return counts


def requests_for_subject(subject) -> list[ApprovalRequest]:
    from django.contrib.contenttypes.models import ContentType

    return list(
        ApprovalRequest.objects.filter(
            content_type=ContentType.objects.get_for_model(subject),
            object_id=subject.pk,
        )
        .prefetch_related(
            "steps__assignments__approver",
            "steps__decisions__decided_by",
            "steps__decisions__on_behalf_of",
        )
        .order_by("-created_at", "-pk")
    )


def latest_request(subject) -> ApprovalRequest | None:
    requests = requests_for_subject(subject)
    return requests[0] if requests else None


def approval_trail(request: ApprovalRequest) -> list[dict]:
    """Return the request's decisions as plain data, oldest first.

    Booking copies this into the journal entry, so the entry shows who
    approved what, when and for what amount.
    """
    decisions = (
        Decision.objects.filter(step__request=request)
        .select_related("step", "decided_by", "on_behalf_of")
        .order_by("step__position", "decided_at", "pk")
    )
    trail = []
    for decision in decisions:
        step = decision.step
        by = decision.decided_by
        on_behalf = decision.on_behalf_of
        trail.append(
            {
                "request": request.pk,
                "step": step.position,
                "step_name": step.name,
                "decision": decision.outcome,
                "approver": by.get_full_name() or by.username,
                "on_behalf_of": (
                    (on_behalf.get_full_name() or on_behalf.username)
                    if on_behalf
                    else ""
                ),
                "decided_at": decision.decided_at.isoformat(),
                "comment": decision.comment,
                "amount": str(request.amount),
                "currency": request.currency,
            }
        )
    return trail
