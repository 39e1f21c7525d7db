"""The main menu shows each user the apps their roles open."""

import pytest
from django.urls import reverse

from fiat.core.models import User
from fiat.core.navigation import navigation_for


@pytest.mark.django_db
def test_clerk_menu_has_purchase_invoices(demo_users):
    clerk = User.objects.get(username="clerk")

    urls = [item.url for item in navigation_for(clerk)]

    assert reverse("payables:queue") in urls


@pytest.mark.django_db
def test_employee_menu_lacks_purchase_invoices(demo_users):
    employee = User.objects.get(username="employee")

    urls = [item.url for item in navigation_for(employee)]

    assert reverse("payables:queue") not in urls


@pytest.mark.django_db
def test_home_page_links_the_menu(client, demo_users):
    client.login(username="clerk", password="demo-clerk")

    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert reverse("payables:queue") in response.content.decode()


@pytest.mark.django_db
def test_clerk_menu_has_upload_and_quarantine(demo_users):
    clerk = User.objects.get(username="clerk")

    urls = [item.url for item in navigation_for(clerk)]

    assert reverse("documents:upload") in urls
    assert reverse("documents:quarantine") in urls


@pytest.mark.django_db
def test_auditor_menu_lacks_upload(demo_users):
    auditor = User.objects.get(username="auditor")

    urls = [item.url for item in navigation_for(auditor)]

    assert reverse("documents:upload") not in urls
    assert reverse("payables:queue") in urls
