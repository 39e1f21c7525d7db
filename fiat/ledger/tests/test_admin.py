"""The journal in the admin: listed and shown, never added, changed or deleted."""

import pytest
from django.urls import reverse

from fiat.ledger.models import JournalEntry
from fiat.ledger.posting import post_entry
from fiat.ledger.tests.factories import office_supplies_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(accounts):
    return post_entry(office_supplies_draft(accounts), actor=None)


def test_entries_listed(admin_client, entry):
    response = admin_client.get(reverse("admin:ledger_journalentry_changelist"))

    assert response.status_code == 200
    assert entry.number in response.content.decode()


def test_entry_shown_read_only(admin_client, entry):
    url = reverse("admin:ledger_journalentry_change", args=[entry.pk])

    response = admin_client.get(url)

    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    assert admin_client.post(url, {"description": "Changed"}).status_code == 403
    entry.refresh_from_db()
    assert entry.description == "Paper and toner"


@pytest.mark.parametrize(
    "url_name",
    ["admin:ledger_journalentry_add", "admin:ledger_journalline_add"],
)
def test_nothing_added_in_admin(admin_client, url_name):
    assert admin_client.get(reverse(url_name)).status_code == 403


def test_entry_not_deleted_in_admin(admin_client, entry):
    url = reverse("admin:ledger_journalentry_delete", args=[entry.pk])

    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert JournalEntry.objects.filter(pk=entry.pk).exists()


def test_line_shown_read_only(admin_client, entry):
    line = entry.lines.first()
    url = reverse("admin:ledger_journalline_change", args=[line.pk])

    response = admin_client.get(url)

    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
