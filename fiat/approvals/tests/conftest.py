"""Fixtures of the approval engine tests: people and a demo-like policy."""

import pytest

from fiat.approvals.models import ApproverType, StepMode
from fiat.approvals.testing import make_policy
from fiat.core.models import CostCentre, Role
from fiat.payables.approval import PURCHASE_INVOICE
from fiat.payables.tests.factories import make_supplier, make_user


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture
def people(db) -> dict:
    """A clerk, two controllers, a director, a budget holder and a fallback."""
    return {
        "clerk": make_user("clerk", Role.AP_CLERK),
        "controller": make_user("controller", Role.CONTROLLER, Role.APPROVER),
        "controller2": make_user("controller2", Role.CONTROLLER),
        "director": make_user("director", Role.DIRECTOR),
        "holder": make_user("holder", Role.BUDGET_HOLDER),
        "fallback": make_user("fallback", Role.ADMINISTRATOR),
    }


@pytest.fixture
def cost_centre(people) -> CostCentre:
    return CostCentre.objects.create(
        code="MKT", name="Marketing", budget_holder=people["holder"]
    )


@pytest.fixture
def demo_like_policy(people):
    """Up to 1,000 a controller; above, a controller, then director or budget holder."""
    return make_policy(
        PURCHASE_INVOICE,
        people["fallback"],
        [
            {
                "name": "Up to 1,000",
                "amount_up_to": "1000",
                "steps": [("Controller", StepMode.ANY, [Role.CONTROLLER])],
            },
            {
                "name": "Above 1,000",
                "amount_above": "1000",
                "steps": [
                    ("Controller", StepMode.ANY, [Role.CONTROLLER]),
                    (
                        "Director or budget holder",
                        StepMode.ANY,
                        [Role.DIRECTOR, ApproverType.BUDGET_HOLDER],
                    ),
                ],
            },
        ],
    )


@pytest.fixture
def supplier(db):
    return make_supplier()
