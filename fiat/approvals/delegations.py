"""Setting and cancelling a stand-in for a range of dates.

A delegation only records who replaces whom, and when. Who may act on a task is
worked out from the delegations in force on the day someone acts (see
``fiat.approvals.approvers``), so setting or cancelling one rewrites no task.
Both changes are audit events on the delegation.
"""

from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from fiat.approvals.approvers import can_approve
from fiat.approvals.models import Delegation
from fiat.audit.services import record_event
from fiat.core.dates import business_date
from fiat.core.dates import now as current_time
from fiat.core.models import User


class DelegationError(Exception):
    """A delegation that cannot be set; ``field`` names the form field."""

    def __init__(self, message, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


def set_delegation(
    approver: User,
    stand_in: User,
    start_date: date,
    end_date: date,
    *,
    at: datetime | None = None,
) -> Delegation:
    """Let ``stand_in`` take ``approver``'s place from ``start_date`` to
    ``end_date``, both included.

    Raise DelegationError when the stand-in is the approver, inactive or
    holds no approving role, when the end is before the start, or when the
    end has passed.
    """
    at = at or current_time()
    if stand_in.pk == approver.pk:
        raise DelegationError(
            _("Choose someone else as stand-in: you cannot stand in for yourself."),
            field="stand_in",
        )
    if not stand_in.is_active:
        raise DelegationError(
            _("%(name)s is no longer an active user. Choose another stand-in.")
            % {"name": stand_in.get_full_name() or stand_in.username},
            field="stand_in",
        )
    if not can_approve(stand_in):
        raise DelegationError(
            _(
                "%(name)s holds no role that approves, so cannot stand in for "
                "you. Choose an approver, budget holder, controller or director."
            )
            % {"name": stand_in.get_full_name() or stand_in.username},
            field="stand_in",
        )
    if end_date < start_date:
        raise DelegationError(
            _("The last day must be on or after the first day."), field="end_date"
        )
    if end_date < business_date(at):
        raise DelegationError(
            _("The last day has passed already. Choose a date from today on."),
            field="end_date",
        )
    with transaction.atomic():
        delegation = Delegation.objects.create(
            approver=approver,
            stand_in=stand_in,
            start_date=start_date,
            end_date=end_date,
        )
        record_event(
            delegation,
            "delegation.created",
            actor=approver,
            data={
                "approver": approver.username,
                "stand_in": stand_in.username,
                "start_date": start_date.isoformat(),
                "end_date": end_date.isoformat(),
            },
            at=at,
        )
    return delegation


def cancel_delegation(
    delegation: Delegation, *, by: User, at: datetime | None = None
) -> Delegation:
    """Cancel a delegation; tasks go back to the approver at once.

    Cancelling one that was cancelled before changes nothing.
    """
    at = at or current_time()
    with transaction.atomic():
        locked = Delegation.objects.select_for_update().get(pk=delegation.pk)
        if locked.cancelled_at is not None:
            return locked
        locked.cancelled_at = at
        locked.save(update_fields=["cancelled_at"])
        record_event(
            locked,
            "delegation.cancelled",
            actor=by,
            data={"approver": locked.approver.username},
            at=at,
        )
    return locked
