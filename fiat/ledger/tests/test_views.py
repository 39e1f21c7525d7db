"""The journal entry page: access, lines, balance, source and approvals."""

import logging
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from fiat.core.models import Role
from fiat.ledger.posting import ApprovalRecord, post_entry, reverse_entry
from fiat.ledger.tests.factories import office_supplies_draft
from fiat.payables.tests.factories import make_user

pytestmark = pytest.mark.django_db

TRAIL = (
    ApprovalRecord(
        step=1,
        approver="Daan Jansen",
        decision="approved",
        decided_at=datetime(2026, 3, 3, 9, 15, tzinfo=UTC),
    ),
    ApprovalRecord(
        step=2,
        approver="Femke Jansen",
        on_behalf_of="Eva Jansen",
        decision="approved",
        decided_at=datetime(2026, 3, 4, 14, 0, tzinfo=UTC),
        comment="Within the marketing budget",
        step_name="Director or budget holder",
        amount=Decimal("1512.50"),
        currency="EUR",
    ),
)


@pytest.fixture
def entry(accounts):
    draft = replace(
        office_supplies_draft(accounts),
        source_kind="payables.purchaseinvoice",
        source_id="42",
        approvals=TRAIL,
    )
    return post_entry(draft, actor=make_user("anna", Role.AP_CLERK))


def entry_url(entry) -> str:
    return reverse("ledger:entry", args=[entry.number])


@pytest.mark.parametrize(
    "role", [Role.AP_CLERK, Role.CONTROLLER, Role.DIRECTOR, Role.AUDITOR]
)
def test_finance_roles_see_entry(client, entry, role):
    client.force_login(make_user("viewer", role))

    response = client.get(entry_url(entry))

    assert response.status_code == 200


def test_employee_gets_404(client, entry):
    client.force_login(make_user("femke", Role.EMPLOYEE, Role.APPROVER))

    response = client.get(entry_url(entry))

    assert response.status_code == 404


def test_employee_refusal_logs_no_traceback(client, entry, caplog):
    client.force_login(make_user("femke", Role.EMPLOYEE, Role.APPROVER))

    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get(entry_url(entry))

    request_records = [r for r in caplog.records if r.name == "django.request"]
    assert [r.getMessage() for r in request_records] == [
        f"Not Found: {entry_url(entry)}"
    ]
    assert request_records[0].exc_info is None


def test_signed_out_visitor_goes_to_login(client, entry):
    response = client.get(entry_url(entry))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_unknown_entry_is_404(client, accounts):
    client.force_login(make_user("daan", Role.CONTROLLER))

    response = client.get(reverse("ledger:entry", args=["2026-999999"]))

    assert response.status_code == 404


def test_entry_page_shows_lines_and_balance(client, entry):
    client.force_login(make_user("daan", Role.CONTROLLER))

    response = client.get(entry_url(entry))

    totals = response.context["totals"]
    assert totals.total_debit == Decimal("121.00")
    assert totals.total_credit == Decimal("121.00")
    assert totals.is_balanced
    assert [line.account.code for line in response.context["lines"]] == [
        "4300", "1530", "1600",
    ]  # fmt: skip
    html = response.content.decode()
    assert "Journal entry 2026-000001" in html
    assert "Balanced" in html
    assert "121.00" in html


def test_entry_page_links_source(client, entry):
    client.force_login(make_user("daan", Role.CONTROLLER))

    response = client.get(entry_url(entry))

    assert response.context["source_url"] == "/payables/42/"
    assert 'href="/payables/42/"' in response.content.decode()


def test_entry_page_shows_approval_trail(client, entry):
    client.force_login(make_user("daan", Role.CONTROLLER))

    response = client.get(entry_url(entry))

    approvals = response.context["approvals"]
    assert [approval["approver"] for approval in approvals] == [
        "Daan Jansen",
        "Femke Jansen",
    ]
    assert approvals[1]["on_behalf_of"] == "Eva Jansen"
    assert approvals[1]["decided_at"] == datetime(2026, 3, 4, 14, 0, tzinfo=UTC)
    html = response.content.decode()
    assert "Femke Jansen on behalf of Eva Jansen" in html
    assert "Within the marketing budget" in html
    assert "Step 2 · Director or budget holder: Approved" in html
    assert "EUR 1,512.50" in html


def test_entry_page_links_reversal(client, entry):
    reversal = reverse_entry(entry, None, "Booked twice")
    client.force_login(make_user("daan", Role.CONTROLLER))

    original_page = client.get(entry_url(entry)).content.decode()
    reversal_page = client.get(entry_url(reversal)).content.decode()

    assert f'href="{entry_url(reversal)}"' in original_page
    assert f'href="{entry_url(entry)}"' in reversal_page
