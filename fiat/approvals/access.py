"""Access rules of approval requests: reading them, and deciding now.

A request is visible to its submitter, to everyone who has or had a task on
it or decided on it, to the policy's fallback approver, to administrators,
and to the roles its document kind names as viewers. Everyone else gets 404
from the pages, so the pages do not reveal which requests exist.
"""

from dataclasses import dataclass
from datetime import date

from fiat.approvals import approvers as approver_lookup
from fiat.approvals.kinds import get_kind
from fiat.approvals.models import (
    ApprovalRequest,
    Assignment,
    AssignmentStatus,
    Decision,
    StepStatus,
)
from fiat.core.models import Role, User


@dataclass(frozen=True)
class ActingTask:
    """An open task the user may decide now, and on whose behalf."""

    assignment: Assignment
    on_behalf_of: User | None
    as_fallback: bool


def is_administrator(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.ADMINISTRATOR)


def can_view_request(user: User, request: ApprovalRequest, day: date) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.pk in (request.submitted_by_id, request.policy.fallback_approver_id):
        return True
    if is_administrator(user):
        return True
    if user.has_role(*get_kind(request.document_kind).viewer_roles):
        return True
    if Assignment.objects.filter(step__request=request, approver=user).exists():
        return True
    if Decision.objects.filter(step__request=request, decided_by=user).exists():
        return True
    return acting_task(user, request, day) is not None


def acting_task(user: User, request: ApprovalRequest, day: date) -> ActingTask | None:
    """Return the open task of the pending step that ``user`` may decide.

    None when the request is not pending or the user has no such task,
    which includes a user whom four eyes excludes.
    """
    if not request.is_pending or not user.is_authenticated:
        return None
    excluded = frozenset(request.excluded_user_ids)
    if user.pk in excluded:
        return None
    open_assignments = Assignment.objects.filter(
        step__request=request,
        step__status=StepStatus.PENDING,
        status=AssignmentStatus.OPEN,
    ).select_related("approver", "step")
    fallback_id = request.policy.fallback_approver_id
    for assignment in open_assignments:
        for actor in approver_lookup.actors_for(assignment, day, excluded, fallback_id):
            if actor.user_id == user.pk:
                on_behalf_of = assignment.approver if actor.on_behalf_of_id else None
                return ActingTask(assignment, on_behalf_of, actor.as_fallback)
    return None
