"""The approval engine: rules, steps, four eyes, rejection, withdrawal, reassignment."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from fiat.approvals import engine
from fiat.approvals.errors import (
    AlreadyDecidedError,
    CommentRequiredError,
    FourEyesError,
    NotSubmitterError,
    NotYourTaskError,
)
from fiat.approvals.models import (
    REQUEST_TRANSITIONS,
    STEP_TRANSITIONS,
    AssignmentReason,
    RequestStatus,
    StepMode,
    StepStatus,
)
from fiat.approvals.testing import make_policy
from fiat.approvals.tests.helpers import open_approvers, submitted_invoice
from fiat.audit.models import AuditEvent
from fiat.audit.testing import recorded_actions
from fiat.core.exchange import MissingExchangeRateError
from fiat.core.models import ExchangeRate, Role
from fiat.payables.approval import PURCHASE_INVOICE
from fiat.payables.models import InvoiceStatus
from fiat.payables.tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Compare messages in English, whichever language an earlier test left on."""
    with translation.override("en"):
        yield



def pending_step(request):
    return request.steps.get(status=StepStatus.PENDING)


def test_every_status_has_transitions():
    assert set(REQUEST_TRANSITIONS) == set(RequestStatus)
    assert set(STEP_TRANSITIONS) == set(StepStatus)


def test_small_invoice_needs_one_step(people, demo_like_policy, supplier):
    _invoice, request = submitted_invoice(people["clerk"], "900.00")

    assert request.rule_name == "Up to 1,000"
    assert list(request.steps.values_list("name", flat=True)) == ["Controller"]
    assert request.amount == Decimal("900.00")
    assert open_approvers(request) == ["controller", "controller2"]


def test_large_invoice_needs_two_steps(people, demo_like_policy, supplier):
    _invoice, request = submitted_invoice(people["clerk"], "1000.01")

    assert request.rule_name == "Above 1,000"
    assert list(request.steps.values_list("name", flat=True)) == [
        "Controller",
        "Director or budget holder",
    ]


def test_limit_itself_needs_one_step(people, demo_like_policy, supplier):
    _invoice, request = submitted_invoice(people["clerk"], "1000.00")

    assert request.rule_name == "Up to 1,000"


def test_foreign_amount_converted_at_invoice_date(people, demo_like_policy, supplier):
    ExchangeRate.objects.create(
        currency="USD", rate_date=date(2026, 2, 27), rate=Decimal("0.9200")
    )
    ExchangeRate.objects.create(
        currency="USD", rate_date=date(2026, 3, 10), rate=Decimal("0.1000")
    )

    _invoice, request = submitted_invoice(
        people["clerk"], "4000.00", currency="USD", issue_date=date(2026, 3, 2)
    )

    assert request.amount == Decimal("3680.00")
    assert request.currency == "EUR"
    assert request.document_amount == Decimal("4000.00")
    assert request.document_currency == "USD"
    assert request.rule_name == "Above 1,000"
    assert request.steps.count() == 2


def test_euro_900_needs_no_second_step(people, demo_like_policy, supplier):
    ExchangeRate.objects.create(
        currency="USD", rate_date=date(2026, 2, 27), rate=Decimal("0.9200")
    )

    _invoice, request = submitted_invoice(people["clerk"], "900.00")

    assert request.steps.count() == 1


def test_missing_rate_stops_submission(people, demo_like_policy, supplier):
    with pytest.raises(MissingExchangeRateError):
        submitted_invoice(people["clerk"], "4000.00", currency="USD")


def test_missing_rate_leaves_invoice_in_review(people, demo_like_policy, supplier):
    from fiat.payables.models import PurchaseInvoice

    with pytest.raises(MissingExchangeRateError):
        submitted_invoice(people["clerk"], "4000.00", currency="USD", number="X-1")

    invoice = PurchaseInvoice.objects.get(invoice_number="X-1")
    assert invoice.status == InvoiceStatus.IN_REVIEW


def test_no_policy_stops_submission(people, supplier):
    from fiat.approvals.errors import NoPolicyError

    with pytest.raises(NoPolicyError):
        submitted_invoice(people["clerk"], "100.00")


def test_approval_moves_to_next_step(people, demo_like_policy, supplier, cost_centre):
    _invoice, request = submitted_invoice(
        people["clerk"], "2500.00", cost_centre=cost_centre
    )

    engine.decide(pending_step(request), user=people["controller"], outcome="approved")

    second = pending_step(request)
    assert second.name == "Director or budget holder"
    assert open_approvers(request) == ["director", "holder"]
    first = request.steps.get(position=1)
    assert first.status == StepStatus.APPROVED
    assert list(first.assignments.values_list("status", flat=True)) == [
        "approved",
        "closed",
    ]


def test_last_approval_books_invoice(people, demo_like_policy, supplier, cost_centre):
    invoice, request = submitted_invoice(
        people["clerk"], "2500.00", cost_centre=cost_centre
    )

    engine.decide(pending_step(request), user=people["controller"], outcome="approved")
    engine.decide(pending_step(request), user=people["holder"], outcome="approved")

    request.refresh_from_db()
    invoice.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    assert invoice.status == InvoiceStatus.BOOKED
    assert recorded_actions(request) == [
        "approval.requested",
        "approval.step_started",
        "approval.approved",
        "approval.step_started",
        "approval.approved",
        "approval.completed",
    ]


def test_rejection_needs_comment(people, demo_like_policy, supplier):
    _invoice, request = submitted_invoice(people["clerk"], "100.00")

    with pytest.raises(CommentRequiredError):
        engine.decide(
            pending_step(request), user=people["controller"], outcome="rejected"
        )

    assert pending_step(request).decisions.count() == 0


def test_rejection_returns_invoice_with_comment(
    people, demo_like_policy, supplier, django_capture_on_commit_callbacks, outbox
):
    invoice, request = submitted_invoice(people["clerk"], "2500.00")

    with django_capture_on_commit_callbacks(execute=True):
        engine.decide(
            pending_step(request),
            user=people["controller"],
            outcome="rejected",
            comment="Not ordered by us.",
        )

    request.refresh_from_db()
    invoice.refresh_from_db()
    assert request.status == RequestStatus.REJECTED
    assert invoice.status == InvoiceStatus.REJECTED
    assert list(request.steps.values_list("status", flat=True)) == [
        StepStatus.REJECTED,
        StepStatus.CANCELLED,
    ]
    mails = outbox.filter(template_name="approval_rejected")
    assert [mail.to for mail in mails] == [["clerk@example.com"]]
    assert "Not ordered by us." in mails[0].body_text
    event = AuditEvent.objects.get(
        object_type="payables.purchaseinvoice",
        object_id=str(invoice.pk),
        action="invoice.rejected",
    )
    assert event.data["reason"] == "Not ordered by us."


def test_second_decision_names_first(people, demo_like_policy, supplier):
    _invoice, request = submitted_invoice(people["clerk"], "100.00")
    step = pending_step(request)
    engine.decide(step, user=people["controller"], outcome="approved")

    with pytest.raises(AlreadyDecidedError) as refused:
        engine.decide(step, user=people["controller2"], outcome="approved")

    assert "Controller" in str(refused.value.message)
    assert refused.value.details["decided_by"] == "Controller Jansen"
    assert step.decisions.count() == 1


def test_stranger_cannot_decide(people, demo_like_policy, supplier):
    _invoice, request = submitted_invoice(people["clerk"], "100.00")

    with pytest.raises(NotYourTaskError):
        engine.decide(
            pending_step(request), user=people["director"], outcome="approved"
        )


def test_all_mode_waits_for_everyone(people, supplier):
    make_policy(
        PURCHASE_INVOICE,
        people["fallback"],
        [{"name": "All", "steps": [("Both", StepMode.ALL, [Role.CONTROLLER])]}],
    )
    _invoice, request = submitted_invoice(people["clerk"], "100.00")
    step = pending_step(request)

    engine.decide(step, user=people["controller"], outcome="approved")

    step.refresh_from_db()
    assert step.status == StepStatus.PENDING
    engine.decide(step, user=people["controller2"], outcome="approved")
    step.refresh_from_db()
    assert step.status == StepStatus.APPROVED


# --- Four eyes ---------------------------------------------------------------


@pytest.fixture
def approver_role_policy(people):
    return make_policy(
        PURCHASE_INVOICE,
        people["fallback"],
        [{"name": "All", "steps": [("Approver", StepMode.ANY, [Role.APPROVER])]}],
    )


def test_submitter_who_approves_is_refused(people, supplier, approver_role_policy):
    u1 = make_user("u1", Role.AP_CLERK, Role.APPROVER)
    make_user("u2", Role.APPROVER)
    _invoice, request = submitted_invoice(u1, "100.00")
    step = pending_step(request)

    assert "u1" not in open_approvers(request)
    assert "u2" in open_approvers(request)
    with pytest.raises(FourEyesError):
        engine.decide(step, user=u1, outcome="approved")

    step.refresh_from_db()
    assert step.status == StepStatus.PENDING
    assert step.decisions.count() == 0
    assert "approval.decision_refused" in recorded_actions(request)
    refusal = AuditEvent.objects.get(action="approval.decision_refused")
    assert refusal.actor_label == "U1 Jansen"
    assert refusal.data["reason"] == "four_eyes"


def test_only_approver_submitted_goes_to_fallback(people, supplier):
    u1 = make_user("u1", Role.AP_CLERK, Role.APPROVER)
    make_policy(
        PURCHASE_INVOICE,
        people["fallback"],
        [{"name": "All", "steps": [("Approver", StepMode.ANY, [u1])]}],
    )

    invoice, request = submitted_invoice(u1, "100.00")

    step = pending_step(request)
    assert open_approvers(request) == ["fallback"]
    assert step.assignments.get().reason == AssignmentReason.FALLBACK
    engine.decide(step, user=people["fallback"], outcome="approved")
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.BOOKED


def test_uploader_cannot_approve(people, supplier, approver_role_policy):
    u1 = make_user("u1", Role.AP_CLERK, Role.APPROVER)
    make_user("u2", Role.APPROVER)
    from fiat.payables.tests.factories import make_invoice

    invoice = make_invoice(invoice_number="UP-1")
    invoice.document.received_by = u1
    invoice.document.save(update_fields=["received_by"])
    from fiat.approvals.queries import latest_request
    from fiat.payables.workflow import submit_for_approval

    submit_for_approval(invoice, people["clerk"])
    request = latest_request(invoice)

    assert open_approvers(request) == ["controller", "u2"]


def test_fallback_who_submitted_hands_to_director(people, supplier):
    boss = people["fallback"]
    make_policy(
        PURCHASE_INVOICE,
        boss,
        [{"name": "All", "steps": [("Boss", StepMode.ANY, [boss])]}],
    )

    _invoice, request = submitted_invoice(boss, "100.00")

    assert open_approvers(request) == ["director"]


# --- Withdrawal and reassignment --------------------------------------------


def test_submitter_withdraws(people, demo_like_policy, supplier):
    invoice, request = submitted_invoice(people["clerk"], "100.00")

    engine.withdraw(request, user=people["clerk"], reason="Wrong supplier")

    request.refresh_from_db()
    invoice.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN
    assert invoice.status == InvoiceStatus.IN_REVIEW
    assert request.steps.get().status == StepStatus.CANCELLED
    assert recorded_actions(request)[-1] == "approval.withdrawn"


def test_other_user_cannot_withdraw(people, demo_like_policy, supplier):
    _invoice, request = submitted_invoice(people["clerk"], "100.00")

    with pytest.raises(NotSubmitterError):
        engine.withdraw(request, user=people["controller"])


def test_withdrawn_invoice_can_be_submitted_again(people, demo_like_policy, supplier):
    from fiat.approvals.queries import latest_request
    from fiat.payables.workflow import submit_for_approval

    invoice, request = submitted_invoice(people["clerk"], "100.00")
    engine.withdraw(request, user=people["clerk"])

    submit_for_approval(invoice, people["clerk"])

    again = latest_request(invoice)
    assert again.pk != request.pk
    assert again.status == RequestStatus.PENDING


def test_admin_reassigns_open_task(people, demo_like_policy, supplier):
    _invoice, request = submitted_invoice(people["clerk"], "100.00")
    task = pending_step(request).assignments.get(approver=people["controller"])

    new = engine.reassign(task, to_user=people["director"], by=people["fallback"])

    assert new.reason == AssignmentReason.REASSIGNMENT
    assert open_approvers(request) == ["controller2", "director"]
    event = AuditEvent.objects.get(action="approval.reassigned")
    assert event.data == {"step": 1, "from": "controller", "to": "director"}
    assert event.actor_label == "Fallback Jansen"
    engine.decide(pending_step(request), user=people["director"], outcome="approved")
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED


def test_reassign_to_submitter_refused(people, demo_like_policy, supplier):
    from fiat.approvals.errors import InvalidReassignmentError

    _invoice, request = submitted_invoice(people["clerk"], "100.00")
    task = pending_step(request).assignments.first()

    with pytest.raises(InvalidReassignmentError):
        engine.reassign(task, to_user=people["clerk"], by=people["fallback"])


# --- One person, one step ----------------------------------------------------


def test_first_step_approver_not_in_second(people, demo_like_policy, supplier):
    people["controller"].role_grants.create(role=Role.DIRECTOR)
    _invoice, request = submitted_invoice(people["clerk"], "2500.00")

    engine.decide(pending_step(request), user=people["controller"], outcome="approved")

    assert open_approvers(request) == ["director"]
    with pytest.raises(FourEyesError) as refused:
        engine.decide(
            pending_step(request), user=people["controller"], outcome="approved"
        )
    assert "earlier step" in str(refused.value.message)


def test_only_second_approver_decided_first(people, supplier):
    make_policy(
        PURCHASE_INVOICE,
        people["fallback"],
        [
            {
                "name": "Two steps",
                "steps": [
                    ("First", StepMode.ANY, [people["director"]]),
                    ("Second", StepMode.ANY, [people["director"]]),
                ],
            }
        ],
    )
    _invoice, request = submitted_invoice(people["clerk"], "100.00")

    engine.decide(pending_step(request), user=people["director"], outcome="approved")

    assert open_approvers(request) == ["fallback"]


def test_reassign_to_auditor_refused(people, demo_like_policy, supplier):
    from fiat.approvals.errors import InvalidReassignmentError

    auditor = make_user("auditor", Role.AUDITOR)
    _invoice, request = submitted_invoice(people["clerk"], "100.00")
    task = pending_step(request).assignments.first()

    with pytest.raises(InvalidReassignmentError) as refused:
        engine.reassign(task, to_user=auditor, by=people["fallback"])

    assert "holds no role that approves" in str(refused.value.message)


def test_already_decided_time_is_local(people, demo_like_policy, supplier):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    _invoice, request = submitted_invoice(people["clerk"], "100.00")
    step = pending_step(request)
    decided_at = datetime(2026, 12, 4, 19, 43, tzinfo=ZoneInfo("UTC"))
    engine.decide(step, user=people["controller"], outcome="approved", at=decided_at)

    with pytest.raises(AlreadyDecidedError) as refused:
        engine.decide(step, user=people["controller2"], outcome="approved")

    assert "2026-12-04 20:43" in str(refused.value.message)
