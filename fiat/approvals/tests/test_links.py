"""Signed approval links: single use, expiring, bound to one approver and task."""

from datetime import timedelta

import pytest

from fiat.approvals import engine
from fiat.approvals.links import LinkRefusedError, check_token, make_link
from fiat.approvals.models import ApprovalLink, DecisionChannel
from fiat.approvals.tests.helpers import submitted_invoice
from fiat.core.dates import now

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(people, demo_like_policy, supplier):
    _invoice, request = submitted_invoice(people["clerk"], "100.00")
    return request.steps.get().assignments.get(approver=people["controller"])


def decide_with(token: str, at=None):
    link = check_token(token, at=at)
    return engine.decide(
        link.assignment.step,
        user=link.user,
        outcome="approved",
        channel=DecisionChannel.LINK,
        link=link,
        at=at,
    )


def test_fresh_link_decides(task, people):
    token = make_link(task, people["controller"], hours=72)

    decision = decide_with(token)

    assert decision.decided_by == people["controller"]
    assert decision.channel == DecisionChannel.LINK
    assert ApprovalLink.objects.get().used_at is not None


def test_checking_does_not_use_link(task, people):
    token = make_link(task, people["controller"], hours=72)

    check_token(token)
    check_token(token)

    assert ApprovalLink.objects.get().used_at is None


def test_link_used_twice_refused(task, people):
    token = make_link(task, people["controller"], hours=72)
    decide_with(token)

    with pytest.raises(LinkRefusedError) as refused:
        check_token(token)

    assert refused.value.reason == "used"


def test_expired_link_refused(task, people):
    issued = now()
    token = make_link(task, people["controller"], hours=72, at=issued)

    with pytest.raises(LinkRefusedError) as refused:
        check_token(token, at=issued + timedelta(hours=72))

    assert refused.value.reason == "expired"
    check_token(token, at=issued + timedelta(hours=71, minutes=59))


@pytest.mark.parametrize("position", [0, 10, -1, -20])
def test_altered_link_refused(task, people, position):
    token = make_link(task, people["controller"], hours=72)
    index = position % len(token)
    replacement = "A" if token[index] != "A" else "B"
    altered = token[:index] + replacement + token[index + 1 :]

    with pytest.raises(LinkRefusedError) as refused:
        check_token(altered)

    assert refused.value.reason == "invalid"


def test_link_of_other_user_cannot_decide(task, people):
    other_task = task.step.assignments.get(approver=people["controller2"])
    token = make_link(other_task, people["controller2"], hours=72)
    link = check_token(token)

    with pytest.raises(LinkRefusedError) as refused:
        engine.decide(
            task.step,
            user=people["controller"],
            outcome="approved",
            channel=DecisionChannel.LINK,
            link=link,
        )

    assert refused.value.reason == "invalid"


def test_link_after_other_decision_refused(task, people):
    token = make_link(task, people["controller"], hours=72)
    engine.decide(task.step, user=people["controller2"], outcome="approved")

    from fiat.approvals.errors import AlreadyDecidedError

    with pytest.raises(AlreadyDecidedError):
        decide_with(token)
