"""Approval mails in Dutch and English: the task with its link, reminders,
rejections."""

import re
from datetime import date

import pytest

from fiat.approvals import engine
from fiat.approvals.models import Delegation
from fiat.approvals.notify import send_reminder_mail
from fiat.approvals.tests.helpers import submitted_invoice
from fiat.core.models import Role
from fiat.payables.tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_visitor(client) -> None:
    """Link pages are opened without login, in the browser's language."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def link_in(body: str) -> str:
    return re.search(r"http://\S+/approvals/l/[^/\s]+/", body).group(0)


def test_task_mail_in_english(
    django_capture_on_commit_callbacks, outbox, people, supplier, demo_like_policy
):
    with django_capture_on_commit_callbacks(execute=True):
        _invoice, request = submitted_invoice(people["clerk"], "1500.00", number="M-1")

    mail = outbox.get(template_name="approval_task", to=["controller@example.com"])
    assert mail.language == "en"
    assert mail.subject == f"Please approve: {request.title}"
    assert "Amount: EUR 1,500.00" in mail.body_text
    assert "Submitted by: Clerk Jansen" in mail.body_text
    assert link_in(mail.body_text) in mail.body_html
    assert "/approvals/" in mail.body_text


def test_task_mail_in_dutch(
    django_capture_on_commit_callbacks, outbox, people, supplier, demo_like_policy
):
    people["controller"].language = "nl"
    people["controller"].save(update_fields=["language"])

    with django_capture_on_commit_callbacks(execute=True):
        submitted_invoice(people["clerk"], "1500.00", number="M-2")

    mail = outbox.get(template_name="approval_task", to=["controller@example.com"])
    assert mail.language == "nl"
    assert mail.subject.startswith("Graag goedkeuren: ")
    assert "Bedrag: EUR 1.500,00" in mail.body_text
    assert link_in(mail.body_text)


def test_task_mail_to_stand_in_says_on_behalf_of(
    django_capture_on_commit_callbacks, outbox, people, supplier
):
    from fiat.approvals.models import StepMode
    from fiat.approvals.testing import make_policy
    from fiat.payables.approval import PURCHASE_INVOICE

    approver = make_user("u2", Role.APPROVER)
    stand_in = make_user("u3", Role.APPROVER)
    make_policy(
        PURCHASE_INVOICE,
        people["fallback"],
        [{"name": "All", "steps": [("u2", StepMode.ANY, [approver])]}],
    )
    Delegation.objects.create(
        approver=approver,
        stand_in=stand_in,
        start_date=date(2000, 1, 1),
        end_date=date(2999, 12, 31),
    )

    with django_capture_on_commit_callbacks(execute=True):
        submitted_invoice(people["clerk"], "100.00", number="M-3")

    mail = outbox.get(template_name="approval_task")
    assert mail.to == ["u3@example.com"]
    assert "You decide on behalf of U2 Jansen" in mail.body_text
    assert "on behalf of U2 Jansen" in mail.body_html


def test_link_from_mail_opens_task(
    client, django_capture_on_commit_callbacks, outbox, people, supplier,
    demo_like_policy,
):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        submitted_invoice(people["clerk"], "100.00", number="M-4")
    mail = outbox.get(template_name="approval_task", to=["controller@example.com"])
    path = link_in(mail.body_text).split("/", 3)[3]

    response = client.get("/" + path)

    assert response.status_code == 200
    assert "Drukkerij De Vries B.V. · M-4" in response.content.decode()


def test_reminder_mail(outbox, people, supplier, demo_like_policy):
    _invoice, request = submitted_invoice(people["clerk"], "100.00", number="M-5")
    assignment = request.steps.get().assignments.get(approver=people["controller"])

    send_reminder_mail(assignment)

    mail = outbox.get(template_name="approval_reminder")
    assert mail.subject == f"Reminder, still waiting for your approval: {request.title}"
    assert "is still waiting for your decision" in mail.body_text
    assert link_in(mail.body_text)


def test_rejection_mail_carries_comment(
    django_capture_on_commit_callbacks, outbox, people, supplier, demo_like_policy
):
    _invoice, request = submitted_invoice(people["clerk"], "100.00", number="M-6")

    with django_capture_on_commit_callbacks(execute=True):
        engine.decide(
            request.steps.get(),
            user=people["controller"],
            outcome="rejected",
            comment="Wrong project code.",
        )

    mail = outbox.get(template_name="approval_rejected")
    assert mail.to == ["clerk@example.com"]
    assert mail.subject == f"Rejected: {request.title}"
    assert f"Controller Jansen rejected {request.title}" in mail.body_text
    assert "Wrong project code." in mail.body_text
    assert "Wrong project code." in mail.body_html
    assert f"/payables/{request.object_id}/" in mail.body_text
