"""A request's history for its page, read from the audit trail.

The audit trail contains every change of the request (start, each step,
decisions, refused attempts, reassignments, escalations, withdrawal), so
the page shows exactly what an auditor reads.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from fiat.approvals.models import ApprovalRequest, DecisionChannel
from fiat.audit.models import AuditEvent

ACTION_LABELS = {
    "approval.requested": _("Submitted for approval"),
    "approval.step_started": _("Step started"),
    "approval.approved": _("Approved"),
    "approval.rejected": _("Rejected"),
    "approval.decision_refused": _("Decision refused"),
    "approval.completed": _("Request completed"),
    "approval.withdrawn": _("Withdrawn"),
    "approval.reassigned": _("Reassigned"),
    "approval.escalated": _("Escalated"),
    "approval.reminded": _("Reminder sent"),
}
REFUSAL_LABELS = {
    "four_eyes": _("the person who submitted or created the document may not decide"),
    "already_decided": _("the step was decided already"),
    "not_your_task": _("the step is not assigned to this person"),
}
OUTCOME_LABELS = {
    "approved": _("approved"),
    "rejected": _("rejected"),
}


@dataclass(frozen=True)
class HistoryEntry:
    occurred_at: datetime
    action: str
    label: str
    actor: str
    on_behalf_of: str
    details: str
    comment: str


def request_history(request: ApprovalRequest) -> list[HistoryEntry]:
    """Return the request's audit events as entries, oldest first."""
    events = (
        AuditEvent.objects.filter(
            object_type=request._meta.label_lower, object_id=str(request.pk)
        )
        .select_related("on_behalf_of")
        .order_by("sequence")
    )
    return [_entry(event) for event in events]


def _entry(event: AuditEvent) -> HistoryEntry:
    data = event.data or {}
    on_behalf_of = event.on_behalf_of
    return HistoryEntry(
        occurred_at=event.occurred_at,
        action=event.action,
        label=str(ACTION_LABELS.get(event.action, event.action)),
        actor=event.actor_label,
        on_behalf_of=(
            (on_behalf_of.get_full_name() or on_behalf_of.username)
            if on_behalf_of
            else ""
        ),
        details=_details(event.action, data),
        comment=str(data.get("comment") or ""),
    )


def _details(action: str, data: dict) -> str:
    """Describe in one sentence what the event changed."""
    if action == "approval.step_started":
        text = _("%(step)s: %(approvers)s") % {
            "step": data.get("name", ""),
            "approvers": ", ".join(data.get("approvers", [])),
        }
        if data.get("reason") == "fallback":
            text += " " + str(_("(fallback approver)"))
        excluded = data.get("excluded_by_four_eyes") or []
        if excluded:
            text += " " + str(
                _("Left out by four eyes: %(names)s.") % {"names": ", ".join(excluded)}
            )
        return str(text)
    if action in ("approval.approved", "approval.rejected"):
        text = str(data.get("name", ""))
        if data.get("as_fallback"):
            text += " " + str(_("(as fallback approver)"))
        if data.get("channel") == DecisionChannel.LINK:
            text += " " + str(_("(by e-mailed link)"))
        return text
    if action == "approval.decision_refused":
        reason = REFUSAL_LABELS.get(data.get("reason", ""), data.get("reason", ""))
        outcome = OUTCOME_LABELS.get(data.get("attempted", ""), "")
        return str(
            _("An attempt to mark it %(outcome)s was refused: %(reason)s.")
            % {"outcome": outcome, "reason": reason}
        )
    if action == "approval.completed":
        return str(OUTCOME_LABELS.get(data.get("outcome", ""), ""))
    if action in ("approval.reassigned", "approval.escalated"):
        return str(
            _("From %(from)s to %(to)s")
            % {"from": data.get("from"), "to": data.get("to")}
        )
    if action == "approval.withdrawn":
        return str(data.get("reason") or "")
    return ""
