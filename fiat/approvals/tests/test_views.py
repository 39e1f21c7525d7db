"""The inbox and a request's page: who sees what, and deciding from the web."""

from datetime import date

import pytest
from django.urls import reverse

from fiat.approvals.errors import COMMENT_REQUIRED
from fiat.approvals.models import (
    AssignmentReason,
    AssignmentStatus,
    Decision,
    DecisionChannel,
    Delegation,
    RequestStatus,
    StepStatus,
)
from fiat.approvals.tests.helpers import open_approvers, submitted_invoice
from fiat.audit.models import AuditEvent
from fiat.core.models import Role
from fiat.payables.models import InvoiceStatus
from fiat.payables.tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def big_request(people, supplier, demo_like_policy):
    """A 1,500 EUR invoice: a controller, then the director or budget holder."""
    _invoice, request = submitted_invoice(people["clerk"], "1500.00", number="BIG")
    return request


def request_url(approval_request) -> str:
    return reverse("approvals:request", args=[approval_request.pk])


def decide_url(approval_request) -> str:
    return reverse("approvals:decide", args=[approval_request.pk])


def test_inbox_lists_tasks_oldest_first(client, people, supplier, demo_like_policy):
    _first, first = submitted_invoice(people["clerk"], "100.00", number="FIRST")
    _second, second = submitted_invoice(people["clerk"], "200.00", number="SECOND")
    client.force_login(people["controller"])

    response = client.get(reverse("approvals:inbox"))

    assert response.status_code == 200
    assert [row.task.request.pk for row in response.context["rows"]] == [
        first.pk,
        second.pk,
    ]
    assert response.context["counts"] == [("Purchase invoices", 2)]
    content = response.content.decode()
    assert content.index("FIRST") < content.index("SECOND")
    assert request_url(first) in content


def test_inbox_marks_stand_in_tasks(client, people, supplier, demo_like_policy):
    stand_in = make_user("standin", Role.APPROVER)
    Delegation.objects.create(
        approver=people["controller"],
        stand_in=stand_in,
        start_date=date(2000, 1, 1),
        end_date=date(2999, 12, 31),
    )
    submitted_invoice(people["clerk"], "100.00", number="AWAY")
    client.force_login(stand_in)

    content = client.get(reverse("approvals:inbox")).content.decode()

    assert "AWAY" in content
    assert "on behalf of Controller Jansen" in content


def test_inbox_without_tasks(client, people):
    client.force_login(people["holder"])

    response = client.get(reverse("approvals:inbox"))

    assert "Nothing is waiting for your approval." in response.content.decode()


def test_inbox_needs_login(client):
    response = client.get(reverse("approvals:inbox"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_request_page_visible_to_approver_submitter_and_viewers(
    client, people, big_request
):
    auditor = make_user("auditor", Role.AUDITOR)
    for user in (people["controller"], people["clerk"], auditor, people["fallback"]):
        client.force_login(user)

        response = client.get(request_url(big_request))

        assert response.status_code == 200, user.username


def test_request_page_hidden_from_others(client, people, big_request):
    outsider = make_user("outsider", Role.EMPLOYEE)
    client.force_login(outsider)

    assert client.get(request_url(big_request)).status_code == 404
    assert (
        client.post(decide_url(big_request), {"outcome": "approved"}).status_code == 404
    )


def test_request_page_shows_summary_steps_and_buttons(client, people, big_request):
    client.force_login(people["controller"])

    response = client.get(request_url(big_request))

    content = response.content.decode()
    assert "Drukkerij De Vries B.V." in content
    assert "EUR 1,500.00" in content
    assert "Director or budget holder" in content
    assert 'value="approved"' in content
    assert 'value="rejected"' in content
    assert "Submitted for approval" in content
    assert response.context["task"].assignment.approver == people["controller"]


def test_submitter_sees_no_buttons_but_withdraw(client, people, big_request):
    client.force_login(people["clerk"])

    response = client.get(request_url(big_request))

    content = response.content.decode()
    assert response.context["task"] is None
    assert 'value="approved"' not in content
    assert "Withdraw the request" in content


def test_approve_from_request_page(client, people, big_request):
    client.force_login(people["controller"])

    response = client.post(decide_url(big_request), {"outcome": "approved"})

    assert response.status_code == 302
    assert response["Location"] == reverse("approvals:inbox")
    decision = Decision.objects.get(step__request=big_request)
    assert decision.decided_by == people["controller"]
    assert decision.channel == DecisionChannel.WEB
    big_request.refresh_from_db()
    assert open_approvers(big_request) == ["director"]


def test_reject_needs_comment(client, people, big_request):
    client.force_login(people["controller"])

    response = client.post(decide_url(big_request), {"outcome": "rejected"})

    assert response.status_code == 400
    assert str(COMMENT_REQUIRED) in response.content.decode()
    assert big_request.steps.get(position=1).status == StepStatus.PENDING
    assert not Decision.objects.filter(step__request=big_request).exists()


def test_reject_with_comment_sends_invoice_back(client, people, big_request):
    client.force_login(people["controller"])

    client.post(
        decide_url(big_request),
        {"outcome": "rejected", "comment": "Wrong cost centre."},
    )

    big_request.refresh_from_db()
    assert big_request.status == RequestStatus.REJECTED
    assert big_request.subject.status == InvoiceStatus.REJECTED
    page = client.get(request_url(big_request)).content.decode()
    assert "Wrong cost centre." in page


def test_submitter_decision_is_refused_and_in_history(client, people, big_request):
    people["clerk"].role_grants.create(role=Role.CONTROLLER)
    client.force_login(people["clerk"])

    response = client.post(
        decide_url(big_request), {"outcome": "approved"}, follow=True
    )

    content = response.content.decode()
    assert "because you submitted or created it" in content
    assert not Decision.objects.filter(step__request=big_request).exists()
    assert AuditEvent.objects.filter(
        object_id=str(big_request.pk), action="approval.decision_refused"
    ).exists()
    assert "Decision refused" in content


def test_stale_page_names_who_decided(client, people, big_request):
    step = big_request.steps.get(position=1)
    client.force_login(people["controller"])
    client.post(decide_url(big_request), {"outcome": "approved", "step": step.pk})
    client.force_login(people["controller2"])

    response = client.post(
        decide_url(big_request),
        {"outcome": "approved", "step": step.pk},
        follow=True,
    )

    assert "Controller Jansen already decided this step" in response.content.decode()
    assert Decision.objects.filter(step__request=big_request).count() == 1


def test_no_task_on_pending_step(client, people, big_request):
    client.force_login(people["controller"])
    client.post(decide_url(big_request), {"outcome": "approved"})
    client.force_login(people["controller2"])

    response = client.post(
        decide_url(big_request), {"outcome": "approved"}, follow=True
    )

    assert "This approval step is not assigned to you." in response.content.decode()
    assert Decision.objects.filter(step__request=big_request).count() == 1


def test_submitter_withdraws(client, people, big_request):
    client.force_login(people["clerk"])

    client.post(reverse("approvals:withdraw", args=[big_request.pk]))

    big_request.refresh_from_db()
    assert big_request.status == RequestStatus.WITHDRAWN
    assert big_request.subject.status == InvoiceStatus.IN_REVIEW


def test_approver_cannot_withdraw(client, people, big_request):
    client.force_login(people["controller"])

    response = client.post(
        reverse("approvals:withdraw", args=[big_request.pk]), follow=True
    )

    assert "Only the person who submitted it" in response.content.decode()
    big_request.refresh_from_db()
    assert big_request.status == RequestStatus.PENDING


def test_administrator_reassigns_open_task(client, people, big_request):
    assignment = big_request.steps.get(position=1).assignments.get(
        approver=people["controller"]
    )
    client.force_login(people["fallback"])
    page = client.get(request_url(big_request)).content.decode()
    assert "Reassign" in page

    client.post(
        reverse("approvals:reassign", args=[big_request.pk]),
        {"assignment": assignment.pk, "to_user": people["director"].pk},
    )

    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.REASSIGNED
    new = big_request.steps.get(position=1).assignments.get(approver=people["director"])
    assert new.reason == AssignmentReason.REASSIGNMENT


def test_reassign_to_submitter_is_refused(client, people, big_request):
    assignment = big_request.steps.get(position=1).assignments.get(
        approver=people["controller"]
    )
    people["clerk"].role_grants.create(role=Role.APPROVER)
    client.force_login(people["fallback"])

    response = client.post(
        reverse("approvals:reassign", args=[big_request.pk]),
        {"assignment": assignment.pk, "to_user": people["clerk"].pk},
        follow=True,
    )

    assert "submitted or created this document" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.OPEN


def test_only_administrators_reassign(client, people, big_request):
    assignment = big_request.steps.get(position=1).assignments.get(
        approver=people["controller"]
    )
    client.force_login(people["controller"])

    response = client.post(
        reverse("approvals:reassign", args=[big_request.pk]),
        {"assignment": assignment.pk, "to_user": people["director"].pk},
    )

    assert response.status_code == 404
    assert "Reassign" not in client.get(request_url(big_request)).content.decode()


def test_request_page_image_without_pages_is_404(client, people, big_request):
    client.force_login(people["controller"])

    response = client.get(reverse("approvals:request-page", args=[big_request.pk, 1]))

    assert response.status_code == 404


def test_budget_holder_gets_no_document_link(
    client, people, supplier, demo_like_policy, cost_centre
):
    _invoice, holder_request = submitted_invoice(
        people["clerk"], "1500.00", number="MKT-1", cost_centre=cost_centre
    )
    engine_decide_first_step(holder_request, people["controller"])
    client.force_login(people["holder"])

    response = client.get(request_url(holder_request))

    assert response.status_code == 200
    assert response.context["document_url"] == ""
    assert "Open the document" not in response.content.decode()


def test_invoice_viewer_gets_document_link(client, people, big_request):
    client.force_login(people["controller"])

    response = client.get(request_url(big_request))

    document_url = reverse("payables:invoice", args=[big_request.object_id])
    assert response.context["document_url"] == document_url
    assert f'href="{document_url}"' in response.content.decode()
    assert client.get(document_url).status_code == 200


def engine_decide_first_step(approval_request, user) -> None:
    from fiat.approvals import engine

    engine.decide(
        approval_request.steps.get(position=1), user=user, outcome="approved"
    )
