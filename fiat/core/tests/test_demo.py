"""The demo company: every role can log in, and loading twice is harmless."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from fiat.core.demo import DEMO_USERS
from fiat.core.models import (
    Budget,
    Company,
    CostCentre,
    ExchangeRate,
    Party,
    Project,
    Role,
    User,
)


@pytest.fixture
def demo(db):
    call_command("demo", verbosity=0)


def test_demo_has_one_user_per_role(demo):
    roles_held = set()
    for user in User.objects.prefetch_related("role_grants"):
        roles_held |= user.role_codes()

    assert roles_held == {role.value for role in Role}


@pytest.mark.parametrize("demo_user", DEMO_USERS, ids=lambda user: user.username)
def test_demo_password_works(demo, demo_user):
    user = User.objects.get(username=demo_user.username)

    assert user.check_password(demo_user.password)
    assert user.has_role(*demo_user.roles)


def test_demo_links_managers_and_budget_holders(demo):
    employee = User.objects.get(username="employee")
    marketing = CostCentre.objects.get(code="MKT")

    assert employee.manager.username == "approver"
    assert marketing.budget_holder.username == "budgetholder"
    assert Budget.objects.filter(cost_centre=marketing).get().amount == Decimal(
        "40000.00"
    )
    assert Project.objects.get(code="P-001").lead.username == "budgetholder"


def test_demo_parties_pass_their_own_validation(demo):
    for party in Party.objects.all():
        party.full_clean()

    Company.current().full_clean()
    assert Party.objects.filter(is_supplier=True).count() == 5
    assert Party.objects.filter(is_customer=True).count() == 4


def test_demo_has_recent_exchange_rates(demo):
    assert ExchangeRate.objects.filter(currency="USD").count() == 20


def test_loading_demo_twice_changes_nothing(demo):
    counts = [model.objects.count() for model in (User, Party, ExchangeRate)]

    call_command("demo", verbosity=0)

    assert [model.objects.count() for model in (User, Party, ExchangeRate)] == counts


def test_demo_command_prints_logins(db, capsys):
    call_command("demo")

    output = capsys.readouterr().out
    assert "controller" in output
    assert "demo-controller" in output
