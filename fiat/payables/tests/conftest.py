"""Fixtures of the payables tests."""

import pytest

from fiat.core.models import Party, Role, User
from fiat.payables.tests.factories import make_supplier, make_user


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path) -> None:
    """Keep stored originals and page images of each test in its own folder."""
    settings.MEDIA_ROOT = tmp_path / "files"


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
