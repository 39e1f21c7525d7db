"""Approvers deciding the same step at the same moment, each in its own connection.

The request row is locked before a decision is recorded, so exactly one of
many simultaneous decisions lands, the others get an error naming who decided, and the
invoice is booked once.
"""

import pytest

from fiat.approvals import engine
from fiat.approvals.errors import AlreadyDecidedError
from fiat.approvals.models import Decision, StepMode
from fiat.approvals.testing import make_policy
from fiat.approvals.tests.helpers import submitted_invoice
from fiat.core.models import Role
from fiat.ledger.models import JournalEntry
from fiat.payables.approval import PURCHASE_INVOICE
from fiat.payables.models import InvoiceStatus
from fiat.payables.tests.factories import make_supplier, make_user
from fiat.testing import run_together

pytestmark = pytest.mark.django_db(transaction=True)

APPROVERS = 50


def approve(step, user):
    return lambda: engine.decide(step, user=user, outcome="approved")


@pytest.mark.postgres
def test_fifty_approvals_give_one_decision():
    make_supplier()
    clerk = make_user("clerk", Role.AP_CLERK)
    fallback = make_user("fallback", Role.DIRECTOR)
    approvers = [
        make_user(f"c{number:02d}", Role.CONTROLLER) for number in range(APPROVERS)
    ]
    make_policy(
        PURCHASE_INVOICE,
        fallback,
        [{"name": "All", "steps": [("Controller", StepMode.ANY, [Role.CONTROLLER])]}],
    )
    invoice, request = submitted_invoice(clerk, "500.00")
    step = request.steps.get()

    outcomes = run_together(*(approve(step, user) for user in approvers))

    decisions = [outcome for outcome in outcomes if isinstance(outcome, Decision)]
    refusals = [
        outcome for outcome in outcomes if isinstance(outcome, AlreadyDecidedError)
    ]
    others = [
        outcome
        for outcome in outcomes
        if not isinstance(outcome, (Decision, AlreadyDecidedError))
    ]
    assert others == []
    assert len(decisions) == 1
    assert len(refusals) == APPROVERS - 1
    winner = decisions[0].decided_by
    assert all(
        refusal.details["decided_by"] == winner.get_full_name() for refusal in refusals
    )
    assert Decision.objects.count() == 1
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.BOOKED
    assert JournalEntry.objects.count() == 1


def test_two_tabs_of_one_approver_decide_once():
    make_supplier()
    clerk = make_user("clerk", Role.AP_CLERK)
    fallback = make_user("fallback", Role.DIRECTOR)
    controller = make_user("controller", Role.CONTROLLER)
    make_policy(
        PURCHASE_INVOICE,
        fallback,
        [{"name": "All", "steps": [("Controller", StepMode.ANY, [Role.CONTROLLER])]}],
    )
    _invoice, request = submitted_invoice(clerk, "500.00")
    step = request.steps.get()

    outcomes = run_together(approve(step, controller), approve(step, controller))

    assert sorted(type(outcome).__name__ for outcome in outcomes) == [
        "AlreadyDecidedError",
        "Decision",
    ]
    assert Decision.objects.count() == 1
    assert JournalEntry.objects.count() == 1
