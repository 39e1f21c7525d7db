"""The approvals endpoints of the JSON API: tasks, requests and decisions."""

from datetime import timedelta

import pytest

from fiat.approvals.models import (
    Decision,
    DecisionChannel,
    Delegation,
    RequestStatus,
)
from fiat.approvals.tests.helpers import submitted_invoice
from fiat.audit.models import AuditEvent
from fiat.core.dates import business_date
from fiat.core.models import Role
from fiat.core.tokens import create_token
from fiat.payables.models import InvoiceStatus
from fiat.payables.tests.factories import make_user

pytestmark = pytest.mark.django_db


def bearer(user) -> dict[str, str]:
    _token, raw = create_token(user, "tests")
    return {"Authorization": f"Bearer {raw}"}


def decide(client, user, step_id, outcome="approved", comment=""):
    return client.post(
        f"/api/v1/approvals/steps/{step_id}/decision",
        {"outcome": outcome, "comment": comment},
        content_type="application/json",
        headers=bearer(user),
    )


@pytest.fixture
def small_request(people, demo_like_policy, supplier):
    _invoice, request = submitted_invoice(people["clerk"], "900.00")
    return request


def test_tasks_listed_with_counts(client, people, small_request):
    response = client.get(
        "/api/v1/approvals/tasks", headers=bearer(people["controller"])
    )

    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 1
    assert body["counts"] == [{"document_kind": "purchase_invoice", "count": 1}]
    (task,) = body["items"]
    step = small_request.steps.get()
    assert task["request_id"] == small_request.pk
    assert task["step_id"] == step.pk
    assert task["step_name"] == "Controller"
    assert task["step_position"] == 1
    assert task["mode"] == "any"
    assert task["reason"] == "rule"
    assert task["document_kind"] == "purchase_invoice"
    assert task["title"] == small_request.title
    assert task["amount"] == "900.00"
    assert task["currency"] == "EUR"
    assert task["document_amount"] == "900.00"
    assert task["document_currency"] == "EUR"
    assert task["submitted_by"] == {"username": "clerk", "name": "Clerk Jansen"}
    assert task["on_behalf_of"] is None
    assert task["as_fallback"] is False
    assert task["url"] == f"/approvals/requests/{small_request.pk}/"


def test_tasks_empty_for_submitter(client, people, small_request):
    response = client.get("/api/v1/approvals/tasks", headers=bearer(people["clerk"]))

    assert response.json() == {"total": 0, "counts": [], "items": []}


def test_tasks_need_authentication(client):
    response = client.get("/api/v1/approvals/tasks")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_request_read_by_approver(client, people, small_request):
    response = client.get(
        f"/api/v1/approvals/requests/{small_request.pk}",
        headers=bearer(people["controller"]),
    )

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == small_request.pk
    assert body["status"] == "pending"
    assert body["rule_name"] == "Up to 1,000"
    assert body["amount"] == "900.00"
    (step,) = body["steps"]
    assert step["name"] == "Controller"
    assert step["status"] == "pending"
    assert step["decisions"] == []
    approvers = sorted(a["approver"]["username"] for a in step["assignments"])
    assert approvers == ["controller", "controller2"]
    assert {a["status"] for a in step["assignments"]} == {"open"}
    assert body["my_task"]["step_id"] == step["id"]
    assert body["my_task"]["on_behalf_of"] is None


def test_request_read_by_submitter(client, people, small_request):
    response = client.get(
        f"/api/v1/approvals/requests/{small_request.pk}",
        headers=bearer(people["clerk"]),
    )

    assert response.status_code == 200
    assert response.json()["my_task"] is None


def test_request_read_by_invoice_viewer(client, people, small_request):
    auditor = make_user("auditor", Role.AUDITOR)

    response = client.get(
        f"/api/v1/approvals/requests/{small_request.pk}", headers=bearer(auditor)
    )

    assert response.status_code == 200


def test_request_hidden_from_others(client, people, small_request):
    employee = make_user("employee", Role.EMPLOYEE)

    response = client.get(
        f"/api/v1/approvals/requests/{small_request.pk}", headers=bearer(employee)
    )

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_missing_request_is_404(client, people):
    response = client.get(
        "/api/v1/approvals/requests/999999", headers=bearer(people["controller"])
    )

    assert response.status_code == 404


def test_approve_through_api(client, people, small_request):
    step = small_request.steps.get()

    response = decide(client, people["controller"], step.pk, comment="Fine")

    assert response.status_code == 201
    body = response.json()
    decision = Decision.objects.get()
    assert body["id"] == decision.pk
    assert body["step_id"] == step.pk
    assert body["outcome"] == "approved"
    assert body["channel"] == "api"
    assert body["comment"] == "Fine"
    assert body["decided_by"]["username"] == "controller"
    assert body["on_behalf_of"] is None
    assert decision.channel == DecisionChannel.API
    small_request.refresh_from_db()
    assert small_request.status == RequestStatus.APPROVED
    assert small_request.subject.status == InvoiceStatus.BOOKED


def test_reject_needs_comment(client, people, small_request):
    step = small_request.steps.get()

    response = decide(client, people["controller"], step.pk, outcome="rejected")

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "comment_required"
    assert body["field"] == "comment"
    assert body["message"] == (
        "Say why you reject it: the submitter reads your comment."
    )
    assert not Decision.objects.exists()


def test_reject_with_comment(client, people, small_request):
    step = small_request.steps.get()

    response = decide(
        client, people["controller"], step.pk, outcome="rejected", comment="Wrong PO"
    )

    assert response.status_code == 201
    small_request.refresh_from_db()
    assert small_request.status == RequestStatus.REJECTED
    assert small_request.subject.status == InvoiceStatus.REJECTED


def test_submitter_decision_is_four_eyes_409(client, people, small_request):
    step = small_request.steps.get()

    response = decide(client, people["clerk"], step.pk)

    assert response.status_code == 409
    assert response.json()["code"] == "four_eyes"
    refused = AuditEvent.objects.get(action="approval.decision_refused")
    assert refused.data["channel"] == "api"
    assert refused.data["reason"] == "four_eyes"


def test_second_decision_names_first(client, people, small_request):
    step = small_request.steps.get()
    decide(client, people["controller"], step.pk)

    response = decide(client, people["controller2"], step.pk)

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "already_decided"
    assert body["message"].startswith("Controller Jansen already decided this step")
    assert Decision.objects.count() == 1


def test_viewer_without_task_gets_409(client, people, small_request):
    step = small_request.steps.get()

    response = decide(client, people["director"], step.pk)

    assert response.status_code == 409
    assert response.json()["code"] == "not_your_task"


def test_stranger_decision_is_404(client, people, small_request):
    employee = make_user("employee", Role.EMPLOYEE)
    step = small_request.steps.get()

    response = decide(client, employee, step.pk)

    assert response.status_code == 404
    assert not Decision.objects.exists()


def test_unknown_outcome_is_422(client, people, small_request):
    step = small_request.steps.get()

    response = decide(client, people["controller"], step.pk, outcome="maybe")

    assert response.status_code == 422
    assert response.json()["field"] == "outcome"


def test_openapi_lists_approval_enums(client):
    schema = client.get("/api/v1/openapi.json").json()
    components = schema["components"]["schemas"]

    assert components["DecisionOutcome"]["enum"] == ["approved", "rejected"]
    assert components["RequestStatus"]["enum"] == [
        "pending",
        "approved",
        "rejected",
        "withdrawn",
    ]
    assert "four_eyes" in components["ApprovalErrorCode"]["enum"]
    amount = components["TaskOut"]["properties"]["amount"]
    assert amount["type"] == "string"
    decision = schema["paths"]["/api/v1/approvals/steps/{step_id}/decision"]["post"]
    assert set(decision["responses"]) == {"201", "401", "404", "409", "422"}


def test_stand_in_decides_on_behalf(client, people, small_request):
    today = business_date()
    Delegation.objects.create(
        approver=people["controller"],
        stand_in=people["holder"],
        start_date=today - timedelta(days=1),
        end_date=today + timedelta(days=1),
    )
    tasks = client.get("/api/v1/approvals/tasks", headers=bearer(people["holder"]))
    (task,) = tasks.json()["items"]
    assert task["on_behalf_of"]["username"] == "controller"

    response = decide(client, people["holder"], task["step_id"])

    assert response.status_code == 201
    body = response.json()
    assert body["decided_by"]["username"] == "holder"
    assert body["on_behalf_of"]["username"] == "controller"
