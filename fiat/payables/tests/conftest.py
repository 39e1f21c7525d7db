"""Fixtures of the payables tests."""

import pytest

from fiat.approvals.models import Policy
from fiat.approvals.testing import make_single_step_policy
from fiat.core.models import Party, Role, User
from fiat.payables.approval import PURCHASE_INVOICE
from fiat.payables.tests.factories import make_supplier, make_user


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path) -> None:
    """Keep stored originals and page images of each test in its own folder."""
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture(autouse=True)
def _approval_policy(request) -> None:
    """Give database tests a policy: the controller role approves every invoice.

    Submitting an invoice opens an approval request, which needs a policy.
    Tests of approval rules make their own policy first, and this one then
    steps aside.
    """
    if "db" not in request.fixturenames and not request.node.get_closest_marker(
        "django_db"
    ):
        return
    request.getfixturevalue("db")
    if Policy.objects.filter(document_kind=PURCHASE_INVOICE).exists():
        return
    fallback = make_user("fallback", Role.DIRECTOR)
    make_single_step_policy(PURCHASE_INVOICE, fallback, Role.CONTROLLER)


@pytest.fixture
def clerk(db) -> User:
    return make_user("anna", Role.AP_CLERK)


@pytest.fixture
def second_clerk(db) -> User:
    return make_user("bert", Role.AP_CLERK)


@pytest.fixture
def controller(db) -> User:
    return make_user("daan", Role.CONTROLLER)


@pytest.fixture
def auditor(db) -> User:
    return make_user("hanna", Role.AUDITOR)


@pytest.fixture
def employee(db) -> User:
    return make_user("femke", Role.EMPLOYEE, Role.APPROVER)


@pytest.fixture
def supplier(db) -> Party:
    return make_supplier()
