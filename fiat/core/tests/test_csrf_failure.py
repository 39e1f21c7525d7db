"""The page a form gets when its CSRF token no longer matches the session."""

import pytest
from django.test import Client
from django.urls import reverse

from fiat.core.models import Role
from fiat.payables.tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict_client() -> Client:
    return Client(enforce_csrf_checks=True, headers={"accept-language": "en"})


def test_expired_form_gets_friendly_page(strict_client):
    strict_client.force_login(make_user("daan", Role.CONTROLLER))

    response = strict_client.post(
        reverse("profile"), {}, headers={"referer": "http://testserver/approvals/"}
    )

    content = response.content.decode()
    assert response.status_code == 403
    assert "This form expired; reload the page and try again." in content
    assert 'href="http://testserver/approvals/"' in content
    assert 'class="topbar"' in content


def test_foreign_referer_links_home(strict_client):
    response = strict_client.post(
        reverse("login"), {}, headers={"referer": "https://evil.example/phish"}
    )

    assert response.status_code == 403
    assert response.context["back_url"] == reverse("home")
    assert "evil.example" not in response.content.decode()


def test_missing_referer_links_home(strict_client):
    response = strict_client.post(reverse("login"), {})

    assert response.context["back_url"] == reverse("home")


def test_expired_form_page_in_dutch():
    client = Client(enforce_csrf_checks=True, headers={"accept-language": "nl"})

    response = client.post(reverse("login"), {})

    assert "Dit formulier is verlopen" in response.content.decode()
