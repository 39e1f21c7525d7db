"""The delegation page: set a stand-in for a range of dates, list and cancel."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from fiat.approvals.models import Delegation
from fiat.audit.models import AuditEvent
from fiat.core.dates import business_date
from fiat.core.models import Role
from fiat.payables.tests.factories import make_user

pytestmark = pytest.mark.django_db

URL = "/approvals/delegation/"


@pytest.fixture
def approver(db):
    return make_user("marit", Role.APPROVER)


@pytest.fixture
def stand_in(db):
    return make_user("joost", Role.APPROVER)


def form_data(stand_in, start: date, end: date) -> dict:
    return {
        "stand_in": stand_in.pk,
        "start_date": start.isoformat(),
        "end_date": end.isoformat(),
    }


def test_url_name():
    assert reverse("approvals:delegation") == URL


def test_set_stand_in(client, approver, stand_in):
    today = business_date()
    client.force_login(approver)

    response = client.post(URL, form_data(stand_in, today, today + timedelta(days=14)))

    assert response.status_code == 302
    delegation = Delegation.objects.get()
    assert delegation.approver == approver
    assert delegation.stand_in == stand_in
    assert delegation.end_date == today + timedelta(days=14)
    assert AuditEvent.objects.filter(action="delegation.created").count() == 1
    page = client.get(URL).content.decode()
    assert "Joost Jansen, from" in page


def test_stand_in_not_yourself(client, approver):
    today = business_date()
    client.force_login(approver)

    response = client.post(URL, form_data(approver, today, today))

    assert response.status_code == 400
    assert "you cannot stand in for yourself" in response.content.decode()
    assert not Delegation.objects.exists()


def test_end_before_start(client, approver, stand_in):
    today = business_date()
    client.force_login(approver)

    response = client.post(URL, form_data(stand_in, today, today - timedelta(days=1)))

    assert response.status_code == 400
    assert "The last day must be on or after the first day." in (
        response.content.decode()
    )
    assert not Delegation.objects.exists()


def test_end_in_past(client, approver, stand_in):
    today = business_date()
    client.force_login(approver)

    response = client.post(
        URL, form_data(stand_in, today - timedelta(days=9), today - timedelta(days=2))
    )

    assert response.status_code == 400
    assert "The last day has passed already." in response.content.decode()


def test_inactive_stand_in(client, approver, stand_in):
    stand_in.is_active = False
    stand_in.save(update_fields=["is_active"])
    today = business_date()
    client.force_login(approver)

    response = client.post(URL, form_data(stand_in, today, today))

    assert response.status_code == 400
    assert "Joost Jansen is no longer an active user." in response.content.decode()
    assert not Delegation.objects.exists()


def test_inactive_users_not_offered(client, approver, stand_in):
    stand_in.is_active = False
    stand_in.save(update_fields=["is_active"])
    client.force_login(approver)

    page = client.get(URL).content.decode()

    assert "joost" not in page


def test_cancel_own_delegation(client, approver, stand_in):
    today = business_date()
    delegation = Delegation.objects.create(
        approver=approver, stand_in=stand_in, start_date=today, end_date=today
    )
    client.force_login(approver)

    client.post(reverse("approvals:delegation-cancel", args=[delegation.pk]))

    delegation.refresh_from_db()
    assert delegation.cancelled_at is not None
    assert AuditEvent.objects.filter(action="delegation.cancelled").count() == 1
    assert "No stand-in is set." in client.get(URL).content.decode()


def test_cannot_cancel_others_delegation(client, approver, stand_in):
    today = business_date()
    delegation = Delegation.objects.create(
        approver=approver, stand_in=stand_in, start_date=today, end_date=today
    )
    client.force_login(stand_in)

    response = client.post(reverse("approvals:delegation-cancel", args=[delegation.pk]))

    assert response.status_code == 404
    delegation.refresh_from_db()
    assert delegation.cancelled_at is None
    assert "Marit Jansen, from" in client.get(URL).content.decode()
