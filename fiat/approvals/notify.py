"""Mail about approvals: a new task with its signed link, reminders, rejections.

Mail is sent after the transaction that made the task commits, so a rolled
back decision never mails anyone. A mail that fails is logged and kept in
the outbox as failed; the task stays in the approver's inbox regardless.
"""

import logging
from datetime import datetime, timedelta

from fiat.approvals import approvers as approver_lookup
from fiat.approvals.kinds import get_kind, shown_request_amounts
from fiat.approvals.links import make_link
from fiat.approvals.models import ApprovalRequest, Assignment, AssignmentStatus
from fiat.core.dates import business_date
from fiat.core.dates import now as current_time
from fiat.core.models import User
from fiat.notifications.mail import absolute_url, send_templated_mail

logger = logging.getLogger(__name__)


def _recipient(assignment: Assignment, day) -> tuple[User, User | None]:
    """Return who should act on the task that day, and on whose behalf."""
    request = assignment.step.request
    actor = approver_lookup.actors_for(
        assignment,
        day,
        frozenset(request.excluded_user_ids),
        request.policy.fallback_approver_id,
    )[0]
    user = User.objects.get(pk=actor.user_id)
    on_behalf_of = assignment.approver if actor.on_behalf_of_id else None
    return user, on_behalf_of


def _send_task_mail(template: str, assignment: Assignment, at: datetime) -> None:
    request = assignment.step.request
    user, on_behalf_of = _recipient(assignment, business_date(at))
    if not user.email:
        logger.warning(
            "Approval task %s: user %s has no e-mail address; the task is only "
            "in the inbox",
            assignment.pk,
            user.pk,
        )
        return
    hours = request.policy.link_valid_hours
    token = make_link(assignment, user, hours=hours, at=at)
    kind = get_kind(request.document_kind)
    context = {
        "user": user,
        "on_behalf_of": on_behalf_of,
        "request": request,
        "step": assignment.step,
        "kind_label": kind.label,
        "shown": shown_request_amounts(request),
        "link_url": absolute_url("approvals:link", token=token),
        "inbox_url": absolute_url("approvals:inbox"),
        "link_expires_at": at + timedelta(hours=hours),
    }
    send_templated_mail(
        template, user.email, context, language=user.language, fail_silently=True
    )


def send_task_mails(assignment_ids: list[int], at: datetime | None = None) -> None:
    at = at or current_time()
    assignments = Assignment.objects.filter(
        pk__in=assignment_ids, status=AssignmentStatus.OPEN
    ).select_related("step__request__policy", "approver")
    for assignment in assignments:
        _send_task_mail("approval_task", assignment, at)


def send_reminder_mail(assignment: Assignment, at: datetime | None = None) -> None:
    _send_task_mail("approval_reminder", assignment, at or current_time())


def send_rejection_mail(request_id: int) -> None:
    """Tell the submitter that the document came back, with the comment."""
    request = ApprovalRequest.objects.select_related("submitted_by").get(pk=request_id)
    submitter = request.submitted_by
    if submitter is None or not submitter.email:
        return
    decision = (
        request.steps.filter(decisions__outcome="rejected")
        .values_list("decisions__comment", "decisions__decided_by")
        .first()
    )
    comment, decided_by_id = decision if decision else ("", None)
    decided_by = User.objects.filter(pk=decided_by_id).first()
    kind = get_kind(request.document_kind)
    context = {
        "user": submitter,
        "request": request,
        "comment": comment,
        "decided_by": decided_by,
        "document_url": kind.url(request.subject)
        if request.subject is not None
        else "",
        "next_step": kind.rejected_next_step,
    }
    if context["document_url"].startswith("/"):
        from django.conf import settings

        context["document_url"] = settings.FIAT_BASE_URL + context["document_url"]
    send_templated_mail(
        "approval_rejected",
        submitter.email,
        context,
        language=submitter.language,
        fail_silently=True,
    )
