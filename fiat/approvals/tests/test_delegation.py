"""Stand-ins: acting on behalf of an approver during a date range, and after it."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from fiat.approvals import engine
from fiat.approvals.errors import FourEyesError, NotYourTaskError
from fiat.approvals.models import Delegation, StepMode, StepStatus
from fiat.approvals.queries import tasks_for
from fiat.approvals.testing import make_policy
from fiat.approvals.tests.helpers import submitted_invoice
from fiat.audit.models import AuditEvent
from fiat.core.models import Role
from fiat.payables.approval import PURCHASE_INVOICE
from fiat.payables.tests.factories import make_user

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
AUGUST_1 = date(2026, 8, 1)
AUGUST_15 = date(2026, 8, 15)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=AMSTERDAM)


@pytest.fixture
def trio(people):
    """u2 approves every invoice; u3 stands in for u2 from 1 to 15 August."""
    u2 = make_user("u2", Role.APPROVER)
    u3 = make_user("u3", Role.APPROVER, Role.AP_CLERK)
    make_policy(
        PURCHASE_INVOICE,
        people["fallback"],
        [{"name": "All", "steps": [("u2", StepMode.ANY, [u2])]}],
    )
    return u2, u3


def pending(request):
    return request.steps.get(status=StepStatus.PENDING)


def test_stand_in_decides_all_three(people, supplier, trio):
    u2, u3 = trio
    _a, request_a = submitted_invoice(people["clerk"], "100.00", number="A")
    _b, request_b = submitted_invoice(people["clerk"], "200.00", number="B")
    Delegation.objects.create(
        approver=u2,
        stand_in=u3,
        start_date=date(2026, 8, 1),
        end_date=date(2026, 8, 15),
    )
    _c, request_c = submitted_invoice(people["clerk"], "300.00", number="C")

    tasks = tasks_for(u3, date(2026, 8, 5))

    assert [task.request.pk for task in tasks] == [
        request_a.pk,
        request_b.pk,
        request_c.pk,
    ]
    assert {task.on_behalf_of for task in tasks} == {u2}
    for request in (request_a, request_b, request_c):
        decision = engine.decide(
            pending(request), user=u3, outcome="approved", at=at(date(2026, 8, 5))
        )
        assert decision.on_behalf_of == u2
        assert decision.decided_by == u3
    event = AuditEvent.objects.filter(action="approval.approved").first()
    assert event.actor_label == "U3 Jansen"
    assert event.on_behalf_of == u2


def test_no_delegation_before_its_range(people, supplier, trio):
    u2, u3 = trio
    _a, request = submitted_invoice(people["clerk"], "100.00", number="A")
    Delegation.objects.create(
        approver=u2,
        stand_in=u3,
        start_date=date(2026, 8, 1),
        end_date=date(2026, 8, 15),
    )

    assert tasks_for(u3, date(2026, 7, 31)) == []
    with pytest.raises(NotYourTaskError):
        engine.decide(
            pending(request), user=u3, outcome="approved", at=at(date(2026, 7, 31))
        )


def test_stand_ins_own_invoice_goes_to_fallback(people, supplier, trio):
    u2, u3 = trio
    Delegation.objects.create(
        approver=u2,
        stand_in=u3,
        start_date=date(2026, 8, 1),
        end_date=date(2026, 8, 15),
    )
    _d, request_d = submitted_invoice(u3, "400.00", number="D")
    day = date(2026, 8, 5)

    assert tasks_for(u3, day) == []
    fallback_tasks = tasks_for(people["fallback"], day)
    assert [task.request.pk for task in fallback_tasks] == [request_d.pk]
    assert fallback_tasks[0].as_fallback
    with pytest.raises(FourEyesError):
        engine.decide(pending(request_d), user=u3, outcome="approved", at=at(day))
    decision = engine.decide(
        pending(request_d), user=people["fallback"], outcome="approved", at=at(day)
    )
    assert decision.on_behalf_of is None


def test_steps_return_after_range(people, supplier, trio):
    u2, u3 = trio
    Delegation.objects.create(
        approver=u2,
        stand_in=u3,
        start_date=date(2026, 8, 1),
        end_date=date(2026, 8, 15),
    )
    _a, request = submitted_invoice(people["clerk"], "100.00", number="A")
    day = date(2026, 8, 16)

    assert tasks_for(u3, day) == []
    assert [task.request.pk for task in tasks_for(u2, day)] == [request.pk]
    with pytest.raises(NotYourTaskError):
        engine.decide(pending(request), user=u3, outcome="approved", at=at(day))
    decision = engine.decide(pending(request), user=u2, outcome="approved", at=at(day))
    assert decision.on_behalf_of is None


def test_cancelled_delegation_ends_at_once(people, supplier, trio):
    u2, u3 = trio
    delegation = Delegation.objects.create(
        approver=u2,
        stand_in=u3,
        start_date=date(2026, 8, 1),
        end_date=date(2026, 8, 15),
    )
    submitted_invoice(people["clerk"], "100.00", number="A")
    delegation.cancelled_at = at(date(2026, 8, 3))
    delegation.save()

    assert tasks_for(u3, date(2026, 8, 5)) == []


def test_stand_in_needs_approving_role(people, trio):
    from fiat.approvals.delegations import DelegationError, set_delegation

    u2, _u3 = trio
    auditor = make_user("auditor", Role.AUDITOR)

    with pytest.raises(DelegationError) as refused:
        set_delegation(u2, auditor, AUGUST_1, AUGUST_15, at=at(date(2026, 7, 31)))

    assert refused.value.field == "stand_in"
