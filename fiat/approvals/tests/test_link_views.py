"""The e-mailed link page: deciding without a password, once, while fresh."""

from datetime import timedelta

import pytest
import weasyprint
from django.urls import reverse

from fiat.approvals.links import make_link
from fiat.approvals.models import (
    ApprovalLink,
    Assignment,
    Decision,
    DecisionChannel,
    StepStatus,
)
from fiat.approvals.tests.helpers import submitted_invoice
from fiat.core.dates import now
from fiat.payables.intake import create_invoice_from_document
from fiat.payables.tests.factories import make_document, make_result
from fiat.payables.workflow import submit_for_approval

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_visitor(client) -> None:
    """Link pages are opened without login, in the browser's language."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def task(people, supplier, demo_like_policy):
    """The controller's task on a 500 EUR invoice, and a fresh link to it."""
    _invoice, request = submitted_invoice(people["clerk"], "500.00", number="L-1")
    assignment = request.steps.get().assignments.get(approver=people["controller"])
    token = make_link(assignment, people["controller"], hours=72)
    return request, assignment, token


def link_url(token: str) -> str:
    return reverse("approvals:link", args=[token])


def login_next(request) -> str:
    return reverse("approvals:request", args=[request.pk]).replace("/", "%2F")


def test_open_link_without_login(client, task):
    request, _assignment, token = task

    response = client.get(link_url(token))

    content = response.content.decode()
    assert response.status_code == 200
    assert request.title in content
    assert 'value="approved"' in content
    assert "Drukkerij De Vries B.V." in content


def test_opening_does_not_use_link(client, task):
    _request, _assignment, token = task

    client.get(link_url(token))
    client.get(link_url(token))

    assert ApprovalLink.objects.get().used_at is None
    assert client.get(link_url(token)).status_code == 200


def test_approve_by_link(client, people, task):
    request, _assignment, token = task

    response = client.post(link_url(token), {"outcome": "approved"})

    assert response.status_code == 200
    assert "You approved it." in response.content.decode()
    decision = Decision.objects.get(step__request=request)
    assert decision.decided_by == people["controller"]
    assert decision.channel == DecisionChannel.LINK
    assert ApprovalLink.objects.get().used_at is not None


def test_link_used_twice_is_refused(client, task):
    request, _assignment, token = task
    client.post(link_url(token), {"outcome": "approved"})

    response = client.post(link_url(token), {"outcome": "approved"})

    content = response.content.decode()
    assert response.status_code == 410
    assert "This approval link has been used already." in content
    assert f"/login/?next={login_next(request)}" in content
    assert Decision.objects.filter(step__request=request).count() == 1
    assert client.get(link_url(token)).status_code == 410


def test_expired_link_is_refused(client, people, task):
    request, assignment, _token = task
    token = make_link(
        assignment, people["controller"], hours=1, at=now() - timedelta(hours=2)
    )

    response = client.get(link_url(token))
    posted = client.post(link_url(token), {"outcome": "approved"})

    assert response.status_code == 410
    assert "This approval link has expired." in response.content.decode()
    assert f"/login/?next={login_next(request)}" in response.content.decode()
    assert posted.status_code == 410
    assert not Decision.objects.filter(step__request=request).exists()


def test_altered_link_is_refused(client, task):
    request, _assignment, token = task
    position = len(token) // 2
    altered = (
        token[:position]
        + ("A" if token[position] != "A" else "B")
        + token[position + 1 :]
    )

    response = client.get(link_url(altered))
    posted = client.post(link_url(altered), {"outcome": "approved"})

    assert response.status_code == 404
    assert "This approval link is not valid." in response.content.decode()
    assert "/login/?next=%2Fapprovals%2F" in response.content.decode()
    assert posted.status_code == 404
    assert not Decision.objects.filter(step__request=request).exists()


def test_reject_by_link_needs_comment(client, task):
    request, _assignment, token = task

    response = client.post(link_url(token), {"outcome": "rejected"})

    assert response.status_code == 400
    assert "Say why you reject it" in response.content.decode()
    assert ApprovalLink.objects.get().used_at is None
    assert request.steps.get().status == StepStatus.PENDING


def test_reject_by_link_with_comment(client, task):
    request, _assignment, token = task

    response = client.post(
        link_url(token), {"outcome": "rejected", "comment": "Not ordered."}
    )

    assert "You rejected it." in response.content.decode()
    decision = Decision.objects.get(step__request=request)
    assert decision.comment == "Not ordered."


def test_link_after_other_approver_decided(client, people, task):
    request, _assignment, token = task
    client.force_login(people["controller2"])
    client.post(reverse("approvals:decide", args=[request.pk]), {"outcome": "approved"})
    client.logout()

    page = client.get(link_url(token))
    posted = client.post(link_url(token), {"outcome": "approved"})

    assert 'value="approved"' not in page.content.decode()
    assert "This task no longer waits for you" in page.content.decode()
    assert posted.status_code == 409
    assert "Controller2 Jansen already decided this step" in posted.content.decode()
    assert ApprovalLink.objects.get().used_at is None


def test_link_serves_page_images_until_used(client, people, supplier, demo_like_policy):
    pdf = weasyprint.HTML(string="<p>Factuur PAGES-1</p>").write_pdf()
    document = make_document("pages-1.pdf", pdf)
    document.page_count = 1
    document.save(update_fields=["page_count"])
    invoice = create_invoice_from_document(
        document, make_result(file="pages-1.pdf", invoice_number="PAGES-1")
    )
    submit_for_approval(invoice, people["clerk"])
    assignment = Assignment.objects.get(approver=people["controller"])
    token = make_link(assignment, people["controller"], hours=72)
    image_url = reverse("approvals:link-page", args=[token, 1])

    assert image_url in client.get(link_url(token)).content.decode()
    image = client.get(image_url)
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"
    assert image.content.startswith(b"\x89PNG")
    assert (
        client.get(reverse("approvals:link-page", args=[token, 2])).status_code == 404
    )

    client.post(link_url(token), {"outcome": "approved"})

    assert client.get(image_url).status_code == 410


def test_link_warns_other_signed_in_user(client, people, task):
    _request, _assignment, token = task
    client.force_login(people["director"])

    content = client.get(link_url(token)).content.decode()

    director, controller = people["director"], people["controller"]
    assert (
        f"You are signed in as {director}, but this link was sent to {controller}."
        in content
    )
    assert 'value="approved"' in content


def test_link_no_warning_for_own_user(client, people, task):
    _request, _assignment, token = task
    client.force_login(people["controller"])

    content = client.get(link_url(token)).content.decode()

    assert "You are signed in as" not in content
