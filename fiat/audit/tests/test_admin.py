"""The admin shows audit records and offers no way to change them."""

import pytest
from django.urls import reverse

from fiat.audit.sealing import seal_events

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_en(admin_client):
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return admin_client


def test_event_list_searchable_by_object_id(admin_client_en, invoice_events):
    url = reverse("admin:audit_auditevent_changelist")

    response = admin_client_en.get(url, {"q": "77"})
    other = admin_client_en.get(url, {"q": "78"})

    assert response.status_code == 200
    assert response.context["cl"].result_count == 3
    assert other.context["cl"].result_count == 0


def test_event_list_filters_by_action(admin_client_en, invoice_events):
    url = reverse("admin:audit_auditevent_changelist")

    response = admin_client_en.get(url, {"action": "invoice.approved"})

    assert [event.pk for event in response.context["cl"].result_list] == [
        invoice_events[2].pk
    ]


def test_event_page_read_only(admin_client_en, invoice_events):
    event = invoice_events[0]
    change_url = reverse("admin:audit_auditevent_change", args=[event.pk])
    delete_url = reverse("admin:audit_auditevent_delete", args=[event.pk])

    page = admin_client_en.get(change_url)
    posted = admin_client_en.post(change_url, {"action": "invoice.rejected"})
    deleted = admin_client_en.post(delete_url, {"post": "yes"})
    added = admin_client_en.get(reverse("admin:audit_auditevent_add"))

    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert posted.status_code == 403
    assert deleted.status_code == 403
    assert added.status_code == 403


def test_seal_pages_read_only(admin_client_en, invoice_events):
    seal = seal_events()[0]

    listed = admin_client_en.get(reverse("admin:audit_auditseal_changelist"))
    deleted = admin_client_en.post(
        reverse("admin:audit_auditseal_delete", args=[seal.pk]), {"post": "yes"}
    )

    assert listed.status_code == 200
    assert deleted.status_code == 403
