"""Fixtures of the receivables tests."""

import pytest
import yaml

from fiat.approvals.demo import DEMO_POLICY
from fiat.approvals.policy_yaml import import_policies
from fiat.core.models import Role, User
from fiat.receivables.approval import SALES_INVOICE
from fiat.receivables.tests.einvoices import make_company
from fiat.receivables.tests.factories import make_user


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path) -> None:
    """Keep the attachments and the demo webhook secret in each test's folder."""
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.DATA_DIR = tmp_path


@pytest.fixture
def controller(db) -> User:
    return make_user("carla", Role.CONTROLLER)


@pytest.fixture
def sales_policy(db) -> None:
    """Import the sales invoice block of the demo policy, with its company.

    The policy's fallback approver is the user "director", made here.
    """
    make_company()
    make_user("director", Role.DIRECTOR, Role.APPROVER)
    policies = yaml.safe_load(DEMO_POLICY.read_text(encoding="utf-8"))["policies"]
    sales = [entry for entry in policies if entry["document_kind"] == SALES_INVOICE]
    import_policies(yaml.safe_dump({"policies": sales}))
