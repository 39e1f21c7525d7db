"""Reminders and escalation of approval tasks that wait too long.

A task's waiting time is counted in working days (Monday to Friday) in the
company's time zone. After the policy's ``reminder_days`` the approver, or
the stand-in acting in their place, gets a reminder with a fresh link. After a
further ``escalation_days`` the task also goes to the approver's manager, or
to the fallback approver when the approver has no manager; either may then
decide. Public holidays are not known here, so they count as working days.
"""

import logging
from datetime import date, datetime, time, timedelta

from django.db import transaction

from fiat.approvals import engine
from fiat.approvals.models import Assignment, AssignmentStatus, StepStatus
from fiat.approvals.notify import send_reminder_mail
from fiat.audit.services import record_event
from fiat.core.dates import business_date
from fiat.scheduler.registry import periodic_job
from fiat.scheduler.schedules import CatchUp, Every

logger = logging.getLogger(__name__)


def working_days_between(start: date, end: date) -> int:
    """Count the weekdays after ``start`` up to and including ``end``."""
    if end <= start:
        return 0
    days = 0
    day = start + timedelta(days=1)
    while day <= end:
        if day.weekday() < 5:
            days += 1
        day += timedelta(days=1)
    return days


def _open_tasks():
    return Assignment.objects.filter(
        status=AssignmentStatus.OPEN, step__status=StepStatus.PENDING
    ).select_related("step__request__policy", "approver__manager")


def send_reminders(at: datetime) -> int:
    """Remind approvers of tasks waiting the policy's working days; return the count."""
    today = business_date(at)
    sent = 0
    for task in _open_tasks().filter(reminded_at__isnull=True):
        policy = task.step.request.policy
        if working_days_between(business_date(task.created_at), today) < (
            policy.reminder_days
        ):
            continue
        with transaction.atomic():
            claimed = Assignment.objects.filter(
                pk=task.pk, status=AssignmentStatus.OPEN, reminded_at__isnull=True
            ).update(reminded_at=at)
            if not claimed:
                continue
            record_event(
                task.step.request,
                "approval.reminded",
                data={"step": task.step.position, "approver": task.approver.username},
                at=at,
            )
        send_reminder_mail(task, at)
        sent += 1
    return sent


def escalation_target(task: Assignment):
    request = task.step.request
    manager = task.approver.manager
    if (
        manager is not None
        and manager.is_active
        and manager.pk != task.approver_id
        and manager.pk not in request.excluded_user_ids
    ):
        return manager
    return request.policy.fallback_approver


def escalate_overdue(at: datetime) -> int:
    """Escalate reminded tasks that waited a further period; return how many."""
    today = business_date(at)
    escalated = 0
    for task in _open_tasks().filter(
        reminded_at__isnull=False, escalated_at__isnull=True
    ):
        policy = task.step.request.policy
        if working_days_between(business_date(task.reminded_at), today) < (
            policy.escalation_days
        ):
            continue
        if engine.escalate(task, to_user=escalation_target(task), at=at):
            escalated += 1
    return escalated


@periodic_job(
    "approvals.remind_and_escalate",
    schedule=Every(timedelta(hours=1)),
    description="Remind approvers of tasks that wait too long, and escalate "
    "tasks that still wait after the reminder.",
    catch_up=CatchUp.LATEST,
)
def remind_and_escalate(slot_at: datetime) -> dict:
    # Mail goes out during office hours only.
    if not time(8, 0) <= _local_time(slot_at) < time(18, 0):
        return {"reminded": 0, "escalated": 0}
    result = {
        "escalated": escalate_overdue(slot_at),
        "reminded": send_reminders(slot_at),
    }
    logger.info(
        "Approval reminders sent: %(reminded)d, escalated: %(escalated)d", result
    )
    return result


def _local_time(at: datetime) -> time:
    from django.utils import timezone

    return timezone.localtime(at).time()
