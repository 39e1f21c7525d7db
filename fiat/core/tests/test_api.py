"""The JSON API at /api/v1: authentication, errors, core endpoints, OpenAPI."""

import json
import re
from datetime import date
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.test import Client
from playwright.sync_api import expect

from fiat.core.models import ApiToken, ExchangeRate, Party, Role, RoleGrant, User
from fiat.core.tokens import authenticate_token, create_token, revoke_token

pytestmark = pytest.mark.django_db

NOT_AUTHENTICATED = {
    "code": "not_authenticated",
    "message": (
        "Authentication failed. Send a valid API token in the header "
        "'Authorization: Bearer <token>', or sign in."
    ),
    "field": None,
    "errors": [],
}


def make_user(username: str, *roles: Role) -> User:
    user = User.objects.create_user(
        username,
        email=f"{username}@example.com",
        first_name=username.title(),
        last_name="Jansen",
        language="en",
    )
    for role in roles:
        RoleGrant.objects.create(user=user, role=role)
    return user


def bearer(user: User) -> dict[str, str]:
    _, raw = create_token(user, "tests")
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def controller() -> User:
    return make_user("carla", Role.CONTROLLER, Role.APPROVER)


@pytest.fixture
def suppliers() -> list[Party]:
    names = ["Bakkerij Brood", "Acme Supplies", "Delta Office", "Cafe Centraal"]
    parties = [Party.objects.create(name=name, is_supplier=True) for name in names]
    Party.objects.create(name="Acme Retail", is_customer=True)
    return parties


@pytest.fixture
def usd_rates() -> None:
    for rate_date, rate in [
        (date(2025, 12, 1), "1.05000000"),
        (date(2025, 12, 20), "1.08250000"),
        (date(2026, 1, 5), "1.10000000"),
    ]:
        ExchangeRate.objects.create(currency="USD", rate_date=rate_date, rate=rate)


def test_request_without_token_is_unauthorized(client):
    response = client.get("/api/v1/me", headers={"Accept-Language": "en"})

    assert response.status_code == 401
    assert response.json() == NOT_AUTHENTICATED
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="fiat"'


@pytest.mark.parametrize(
    "header",
    ["Bearer fiat_not-a-real-token", "Bearer ", "Basic YWxpY2U6c2VjcmV0", "fiat_x"],
)
def test_request_with_wrong_token_is_unauthorized(client, controller, header):
    create_token(controller, "tests")

    response = client.get(
        "/api/v1/me", headers={"Authorization": header, "Accept-Language": "en"}
    )

    assert response.status_code == 401
    assert response.json() == NOT_AUTHENTICATED


def test_request_with_revoked_token_is_unauthorized(client, controller):
    token, raw = create_token(controller, "tests")
    revoke_token(token)

    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_me_returns_profile_and_roles(client, controller):
    response = client.get("/api/v1/me", headers=bearer(controller))

    assert response.status_code == 200
    assert response.json() == {
        "username": "carla",
        "name": "Carla Jansen",
        "email": "carla@example.com",
        "language": "en",
        "roles": ["approver", "controller"],
    }


def test_token_request_uses_user_language(client, controller):
    controller.language = "nl"
    controller.save()

    response = client.get(
        "/api/v1/me", headers={**bearer(controller), "Accept-Language": "en"}
    )

    assert response.headers["Content-Language"] == "nl"


def test_me_records_token_use(client, controller):
    headers = bearer(controller)

    client.get("/api/v1/me", headers=headers)

    assert ApiToken.objects.get().last_used_at is not None


def test_me_with_session_login(client, controller):
    client.force_login(controller)

    response = client.get("/api/v1/me")

    assert response.status_code == 200
    assert response.json()["username"] == "carla"


def test_employee_cannot_list_parties(client, suppliers):
    employee = make_user("eva", Role.EMPLOYEE)

    response = client.get("/api/v1/parties", headers=bearer(employee))

    assert response.status_code == 403
    assert response.json() == {
        "code": "permission_denied",
        "message": (
            "This request needs one of these roles: Accounts-payable clerk, "
            "Controller, Director, Administrator, Auditor."
        ),
        "field": None,
        "errors": [],
    }


def test_employee_cannot_read_party(client, suppliers):
    employee = make_user("eva", Role.EMPLOYEE)

    response = client.get(
        f"/api/v1/parties/{suppliers[0].pk}", headers=bearer(employee)
    )

    assert response.status_code == 403


def test_controller_lists_suppliers_by_page(client, controller, suppliers):
    headers = bearer(controller)

    first = client.get("/api/v1/parties?kind=supplier&limit=3", headers=headers)
    second = client.get(
        "/api/v1/parties?kind=supplier&limit=3&offset=3", headers=headers
    )

    assert first.status_code == 200
    assert [item["name"] for item in first.json()["items"]] == [
        "Acme Supplies",
        "Bakkerij Brood",
        "Cafe Centraal",
    ]
    assert first.json()["count"] == 4
    assert [item["name"] for item in second.json()["items"]] == ["Delta Office"]
    assert second.json()["count"] == 4


def test_controller_searches_suppliers(client, controller, suppliers):
    response = client.get(
        "/api/v1/parties?kind=supplier&search=acme", headers=bearer(controller)
    )

    assert [item["name"] for item in response.json()["items"]] == ["Acme Supplies"]
    assert response.json()["count"] == 1


def test_parties_without_kind_include_customers(client, controller, suppliers):
    response = client.get("/api/v1/parties?search=acme", headers=bearer(controller))

    assert [item["name"] for item in response.json()["items"]] == [
        "Acme Retail",
        "Acme Supplies",
    ]


def test_parties_by_vat_number(client, controller, suppliers):
    Party.objects.filter(pk=suppliers[2].pk).update(vat_number="NL004495445B01")

    response = client.get(
        "/api/v1/parties?search=004495445", headers=bearer(controller)
    )

    assert [item["name"] for item in response.json()["items"]] == ["Delta Office"]


def test_parties_by_iban_with_spaces(client, controller, suppliers):
    Party.objects.filter(pk=suppliers[0].pk).update(iban="NL91ABNA0417164300")

    response = client.get(
        "/api/v1/parties?search=NL91%20ABNA", headers=bearer(controller)
    )

    assert [item["name"] for item in response.json()["items"]] == ["Bakkerij Brood"]


def test_parties_reject_invalid_limit(client, controller):
    response = client.get("/api/v1/parties?limit=0", headers=bearer(controller))

    body = response.json()
    assert response.status_code == 422
    assert body["code"] == "invalid"
    assert body["field"] == "limit"
    assert body["message"] == "limit: Input should be greater than or equal to 1"
    assert body["errors"] == [
        {
            "code": "greater_than_equal",
            "message": "Input should be greater than or equal to 1",
            "field": "limit",
        }
    ]


def test_parties_report_every_invalid_field(client, controller):
    response = client.get(
        "/api/v1/parties?limit=ten&offset=-1", headers=bearer(controller)
    )

    errors = response.json()["errors"]
    assert response.status_code == 422
    assert [error["field"] for error in errors] == ["limit", "offset"]
    assert [error["code"] for error in errors] == [
        "int_parsing",
        "greater_than_equal",
    ]


def test_parties_reject_unknown_kind(client, controller):
    response = client.get("/api/v1/parties?kind=employee", headers=bearer(controller))

    assert response.status_code == 422
    assert response.json()["field"] == "kind"


def test_get_party(client, controller, suppliers):
    party = suppliers[1]

    response = client.get(f"/api/v1/parties/{party.pk}", headers=bearer(controller))

    body = response.json()
    assert response.status_code == 200
    assert body["id"] == party.pk
    assert body["name"] == "Acme Supplies"
    assert body["is_supplier"] is True
    assert body["is_customer"] is False
    assert body["currency"] == "EUR"
    assert body["payment_terms_days"] == 30


def test_get_missing_party_is_not_found(client, controller):
    response = client.get("/api/v1/parties/999999", headers=bearer(controller))

    assert response.status_code == 404
    assert response.json() == {
        "code": "not_found",
        "message": "No supplier or customer has id 999999.",
        "field": None,
        "errors": [],
    }


def test_unknown_path_is_not_found(client, controller):
    response = client.get("/api/v1/nothing-here", headers=bearer(controller))

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_exchange_rate_latest_before_date(client, controller, usd_rates):
    response = client.get(
        "/api/v1/exchange-rates/USD?on=2026-01-02", headers=bearer(controller)
    )

    assert response.status_code == 200
    assert response.json() == {
        "currency": "USD",
        "rate_date": "2025-12-20",
        "rate": "1.08250000",
        "company_currency": "EUR",
    }


def test_exchange_rate_on_its_own_date(client, controller, usd_rates):
    response = client.get(
        "/api/v1/exchange-rates/usd?on=2026-01-05", headers=bearer(controller)
    )

    assert response.json()["rate_date"] == "2026-01-05"
    assert response.json()["rate"] == "1.10000000"


def test_exchange_rate_is_a_string_in_json(client, controller, usd_rates):
    response = client.get(
        "/api/v1/exchange-rates/USD?on=2026-01-02", headers=bearer(controller)
    )

    assert '"rate": "1.08250000"' in response.content.decode()
    assert Decimal(response.json()["rate"]) == Decimal("1.0825")


def test_exchange_rate_missing_before_date(client, controller, usd_rates):
    response = client.get(
        "/api/v1/exchange-rates/USD?on=2025-11-30", headers=bearer(controller)
    )

    assert response.status_code == 404
    assert response.json() == {
        "code": "missing_exchange_rate",
        "message": (
            "No exchange rate for USD on or before 2025-11-30. "
            "Add one under Exchange rates in the admin."
        ),
        "field": None,
        "errors": [],
    }


def test_exchange_rate_missing_for_currency(client, controller, usd_rates):
    response = client.get(
        "/api/v1/exchange-rates/GBP?on=2026-01-02", headers=bearer(controller)
    )

    assert response.status_code == 404
    assert response.json()["message"] == (
        "No exchange rate for GBP on or before 2026-01-02. "
        "Add one under Exchange rates in the admin."
    )


def test_exchange_rate_of_company_currency_is_one(client, controller):
    response = client.get(
        "/api/v1/exchange-rates/EUR?on=2026-01-02", headers=bearer(controller)
    )

    assert response.json() == {
        "currency": "EUR",
        "rate_date": "2026-01-02",
        "rate": "1.00000000",
        "company_currency": "EUR",
    }


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/exchange-rates/US?on=2026-01-02", "currency"),
        ("/api/v1/exchange-rates/USD?on=02-01-2026", "on"),
    ],
)
def test_exchange_rate_rejects_invalid_input(client, controller, path, field):
    response = client.get(path, headers=bearer(controller))

    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert response.json()["field"] == field


def test_api_docs_redirects_to_versioned_docs(client):
    response = client.get("/api/docs")

    assert response.status_code == 302
    assert response.headers["Location"] == "/api/v1/docs"


def test_docs_page_loads_nothing_from_other_hosts(client):
    response = client.get("/api/v1/docs")

    html = response.content.decode()
    references = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert response.status_code == 200
    assert "swagger-ui-bundle" in html
    assert len(references) >= 3
    for reference in references:
        assert urlsplit(reference).netloc == "", reference
    assert re.findall(r"https?://", html) == []


def test_docs_page_turns_off_online_validator(client):
    response = client.get("/api/v1/docs")

    html = response.content.decode()
    settings_json = re.search(
        r'<script type="application/json" id="swagger-settings">(.*?)</script>',
        html,
        re.DOTALL,
    ).group(1)
    assert json.loads(settings_json)["validatorUrl"] is None


@pytest.mark.browser
def test_docs_page_renders_from_local_files(page, live_server):
    requested_hosts = set()
    page.on(
        "request", lambda request: requested_hosts.add(urlsplit(request.url).netloc)
    )

    page.goto("/api/v1/docs")

    expect(page.get_by_role("heading", name=re.compile("Fiat API"))).to_be_visible()
    expect(page.get_by_text("/api/v1/exchange-rates/{currency}")).to_be_visible()
    assert requested_hosts == {urlsplit(live_server.url).netloc}


def test_openapi_version_and_role_enum(client):
    response = client.get("/api/v1/openapi.json")

    document = response.json()
    schemas = document["components"]["schemas"]
    assert response.status_code == 200
    assert document["openapi"] == "3.1.0"
    assert schemas["Role"]["enum"] == [role.value for role in Role]
    assert schemas["Role"]["type"] == "string"


def test_openapi_rates_are_decimal_strings(client):
    document = client.get("/api/v1/openapi.json").json()

    rate = document["components"]["schemas"]["ExchangeRateOut"]["properties"]["rate"]
    assert rate["type"] == "string"
    assert rate["format"] == "decimal"


def test_openapi_declares_both_authentications(client):
    document = client.get("/api/v1/openapi.json").json()

    assert document["components"]["securitySchemes"] == {
        "TokenAuth": {"type": "http", "scheme": "bearer"},
        "SessionAuth": {"type": "apiKey", "in": "cookie", "name": "sessionid"},
    }
    assert document["paths"]["/api/v1/me"]["get"]["security"] == [
        {"TokenAuth": []},
        {"SessionAuth": []},
    ]


def test_session_post_without_csrf_token_is_rejected(controller):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(controller)
    token, raw = create_token(controller, "tests")

    response = browser.post(
        "/api/v1/tokens/revoke",
        {"prefix": token.prefix},
        content_type="application/json",
    )

    assert response.status_code == 403
    assert response.json() == {
        "code": "csrf_failed",
        "message": (
            "CSRF verification failed. Send the value of the csrftoken cookie "
            "in the X-CSRFToken header."
        ),
        "field": None,
        "errors": [],
    }
    assert authenticate_token(raw) == controller


def test_session_post_with_csrf_token(controller):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(controller)
    token, raw = create_token(controller, "tests")
    docs = browser.get("/api/v1/docs").content.decode()
    csrf_token = re.search(r'data-csrf-token="([^"]+)"', docs).group(1)

    response = browser.post(
        "/api/v1/tokens/revoke",
        {"prefix": token.prefix},
        content_type="application/json",
        headers={"X-CSRFToken": csrf_token},
    )

    assert response.status_code == 200
    assert response.json()["prefix"] == token.prefix
    assert response.json()["revoked_at"] is not None
    assert authenticate_token(raw) is None


def test_token_post_needs_no_csrf_token(controller):
    client = Client(enforce_csrf_checks=True)
    token, raw = create_token(controller, "tests")

    response = client.post(
        "/api/v1/tokens/revoke",
        {"prefix": token.prefix},
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )

    assert response.status_code == 200
    assert authenticate_token(raw) is None


def test_wrong_token_post_is_unauthorized(controller):
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        "/api/v1/tokens/revoke",
        {"prefix": "fiat_1234567"},
        content_type="application/json",
        headers={"Authorization": "Bearer fiat_wrong", "Accept-Language": "en"},
    )

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_revoke_rejects_token_of_other_user(client, controller):
    other = make_user("otto", Role.CONTROLLER)
    other_token, other_raw = create_token(other, "tests")

    response = client.post(
        "/api/v1/tokens/revoke",
        {"prefix": other_token.prefix},
        content_type="application/json",
        headers=bearer(controller),
    )

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert response.json()["field"] == "prefix"
    assert authenticate_token(other_raw) == other


def test_revoke_rejects_short_prefix(client, controller):
    response = client.post(
        "/api/v1/tokens/revoke",
        {"prefix": "fiat_"},
        content_type="application/json",
        headers=bearer(controller),
    )

    assert response.status_code == 422
    assert response.json()["field"] == "prefix"


def test_revoke_rejects_malformed_json(client, controller):
    response = client.post(
        "/api/v1/tokens/revoke",
        "{not json",
        content_type="application/json",
        headers=bearer(controller),
    )

    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_unknown_api_path_is_json_404(client, method):
    response = getattr(client, method)(
        "/api/v1/nonexistent", headers={"Accept-Language": "en"}
    )

    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {
        "code": "not_found",
        "message": "/api/v1/nonexistent was not found.",
        "field": None,
        "errors": [],
    }
