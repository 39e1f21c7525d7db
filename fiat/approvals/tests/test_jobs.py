"""Reminders and escalation of waiting approval tasks, counted in working days."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from fiat.approvals import engine
from fiat.approvals.jobs import (
    escalate_overdue,
    remind_and_escalate,
    send_reminders,
    working_days_between,
)
from fiat.approvals.models import Assignment, AssignmentReason
from fiat.approvals.tests.helpers import submitted_invoice
from fiat.audit.models import AuditEvent

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def at(day: int, hour: int = 10) -> datetime:
    """An instant in December 2026; the 7th is a Monday."""
    return datetime(2026, 12, day, hour, 0, tzinfo=AMSTERDAM)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 12, 7), date(2026, 12, 7), 0),
        (date(2026, 12, 7), date(2026, 12, 8), 1),
        (date(2026, 12, 4), date(2026, 12, 7), 1),  # Friday to Monday
        (date(2026, 12, 5), date(2026, 12, 6), 0),  # the weekend
        (date(2026, 12, 7), date(2026, 12, 14), 5),
    ],
)
def test_working_days_between(start, end, expected):
    assert working_days_between(start, end) == expected


@pytest.fixture
def task(people, demo_like_policy, supplier):
    _invoice, request = submitted_invoice(people["clerk"], "100.00")
    task = request.steps.get().assignments.get(approver=people["controller"])
    Assignment.objects.filter(pk=task.pk).update(created_at=at(7))
    task.step.assignments.exclude(pk=task.pk).update(created_at=at(7))
    task.refresh_from_db()
    return task


@pytest.mark.django_db
def test_no_reminder_before_two_working_days(task):
    assert send_reminders(at(8)) == 0


@pytest.mark.django_db
def test_reminder_after_two_working_days(task, outbox):
    assert send_reminders(at(9)) == 2

    task.refresh_from_db()
    assert task.reminded_at == at(9)
    assert AuditEvent.objects.filter(action="approval.reminded").count() == 2
    assert send_reminders(at(10)) == 0


@pytest.mark.django_db
def test_escalation_to_manager(task, people):
    people["controller"].manager = people["director"]
    people["controller"].save()
    send_reminders(at(9))

    assert escalate_overdue(at(11)) == 0
    assert escalate_overdue(at(14)) == 2

    escalated = task.step.assignments.filter(reason=AssignmentReason.ESCALATION)
    assert sorted(escalated.values_list("approver__username", flat=True)) == [
        "director",
        "fallback",
    ]
    event = AuditEvent.objects.filter(action="approval.escalated").first()
    assert event.data["from"] in {"controller", "controller2"}


@pytest.mark.django_db
def test_escalated_manager_decides(task, people):
    people["controller"].manager = people["director"]
    people["controller"].save()
    send_reminders(at(9))
    escalate_overdue(at(14))

    engine.decide(task.step, user=people["director"], outcome="approved", at=at(14))

    task.refresh_from_db()
    assert task.status == "closed"
    task.step.refresh_from_db()
    assert task.step.status == "approved"


@pytest.mark.django_db
def test_job_quiet_at_night(task):
    assert remind_and_escalate(at(9, hour=3)) == {"reminded": 0, "escalated": 0}
    assert remind_and_escalate(at(9, hour=9)) == {"reminded": 2, "escalated": 0}


@pytest.mark.django_db
def test_escalation_to_self_changes_nothing(people, supplier):
    from fiat.approvals.models import StepMode
    from fiat.approvals.testing import make_policy
    from fiat.payables.approval import PURCHASE_INVOICE

    boss = people["fallback"]
    make_policy(
        PURCHASE_INVOICE,
        boss,
        [{"name": "All", "steps": [("Boss", StepMode.ANY, [boss])]}],
    )
    _invoice, request = submitted_invoice(people["clerk"], "100.00")
    task = request.steps.get().assignments.get()
    Assignment.objects.filter(pk=task.pk).update(created_at=at(7))
    send_reminders(at(9))

    assert escalate_overdue(at(14)) == 0

    assert request.steps.get().assignments.count() == 1
    assert not AuditEvent.objects.filter(action="approval.escalated").exists()
