"""Approval policies as YAML: export, import, checks and the demo policy."""

from decimal import Decimal
from io import StringIO

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.utils import translation

from fiat.approvals.demo import DEMO_POLICY, load_demo_policy
from fiat.approvals.models import (
    ApproverType,
    Policy,
    PurchaseOrderCondition,
    Rule,
    StepApprover,
)
from fiat.approvals.policy_yaml import (
    PolicyImportError,
    export_policies,
    import_policies,
)
from fiat.approvals.tests.helpers import open_approvers, submitted_invoice
from fiat.audit.models import AuditEvent
from fiat.core.models import CostCentre, Party, Project, Role


@pytest.fixture(autouse=True)
def _english():
    """Compare messages in English; the site's default language is Dutch."""
    with translation.override("en"):
        yield


FULL_POLICY = """\
policies:
- document_kind: purchase_invoice
  name: Purchase invoices
  fallback_approver: fallback
  reminder_days: 1
  escalation_days: 4
  link_valid_hours: 48
  rules:
  - name: Marketing up to 500
    amount_above: '0.00'
    amount_up_to: '500.00'
    cost_centres:
    - MKT
    projects:
    - P-001
    parties:
    - Drukkerij De Vries
    purchase_order: without
    steps:
    - name: Budget holder
      mode: any
      approvers:
      - budget_holder: true
      - project_lead: true
  - name: Everything else
    steps:
    - name: Manager and controller
      mode: all
      approvers:
      - submitter_manager: true
      - user: controller
      - role: controller
"""


@pytest.fixture
def references(people, cost_centre):
    Project.objects.create(
        code="P-001", name="Website", lead=people["holder"], cost_centre=cost_centre
    )
    Party.objects.create(
        name="Drukkerij De Vries", is_supplier=True, vat_number="NL081234582B01"
    )


def test_round_trip_gives_same_text(references):
    import_policies(FULL_POLICY)

    assert export_policies() == FULL_POLICY


def test_import_writes_rules_steps_approvers(people, references):
    (policy,) = import_policies(FULL_POLICY)

    assert policy.document_kind == "purchase_invoice"
    assert policy.fallback_approver == people["fallback"]
    assert policy.reminder_days == 1
    assert policy.escalation_days == 4
    assert policy.link_valid_hours == 48
    first, second = policy.rules.order_by("position")
    assert (first.position, second.position) == (1, 2)
    assert first.amount_above == Decimal("0.00")
    assert first.amount_up_to == Decimal("500.00")
    assert [cc.code for cc in first.cost_centres.all()] == ["MKT"]
    assert [p.code for p in first.projects.all()] == ["P-001"]
    assert [p.name for p in first.parties.all()] == ["Drukkerij De Vries"]
    assert first.purchase_order == PurchaseOrderCondition.WITHOUT
    assert second.amount_above is None
    assert second.amount_up_to is None
    assert second.purchase_order == PurchaseOrderCondition.ANY
    (step,) = second.steps.all()
    assert step.mode == "all"
    approvers = list(step.approvers.order_by("pk"))
    assert [a.approver_type for a in approvers] == [
        ApproverType.SUBMITTER_MANAGER,
        ApproverType.USER,
        ApproverType.ROLE,
    ]
    assert approvers[1].user == people["controller"]
    assert approvers[2].role == Role.CONTROLLER


def test_party_found_by_vat_number(people, references):
    text = FULL_POLICY.replace("- Drukkerij De Vries", "- nl081234582b01")

    (policy,) = import_policies(text)

    party = policy.rules.get(position=1).parties.get()
    assert party.name == "Drukkerij De Vries"


def test_export_names_party_by_vat_when_names_clash(people, references):
    Party.objects.create(name="Drukkerij De Vries", vat_number="NL081234570B01")
    text = FULL_POLICY.replace("- Drukkerij De Vries", "- NL081234582B01")

    import_policies(text)

    assert export_policies() == text


def test_ambiguous_party_name_rejected(people, references):
    Party.objects.create(name="Drukkerij De Vries", vat_number="NL081234570B01")

    with pytest.raises(PolicyImportError) as raised:
        import_policies(FULL_POLICY)

    assert raised.value.errors == [
        (
            "policies[0].rules[0].parties[0]: 2 suppliers or customers are called "
            "'Drukkerij De Vries'; use the VAT number"
        )
    ]


BROKEN_POLICY = """\
policies:
- document_kind: purchase_invoice
  name: Broken
  fallback_approver: nobody
  rules:
  - name: Reversed
    amount_above: '900.00'
    amount_up_to: '100.00'
    cost_centres: [ZZZ]
    conditions: {new_customer: true}
    steps:
    - name: Boss
      approvers:
      - role: boss
      - user: ghost
  - name: No steps
    steps: []
  - name: Float
    amount_up_to: 100.5
    steps:
    - name: Empty
      mode: some
      approvers: []
- document_kind: sales_order
  name: Unknown
  fallback_approver: fallback
"""


def test_import_reports_every_error_with_path(people):
    with pytest.raises(PolicyImportError) as raised:
        import_policies(BROKEN_POLICY)

    assert sorted(raised.value.errors) == sorted(
        [
            "policies[0].fallback_approver: unknown user 'nobody'",
            (
                "policies[0].rules[0].amount_up_to: amount_up_to 100.00 must be above "
                "amount_above 900.00"
            ),
            "policies[0].rules[0].cost_centres[0]: unknown cost centre 'ZZZ'",
            (
                "policies[0].rules[0].conditions: unknown condition 'new_customer'; "
                "this document kind has no further conditions"
            ),
            (
                "policies[0].rules[0].steps[0].approvers[0]: unknown role 'boss'; the "
                "roles are: ap_clerk, approver, budget_holder, controller, director, "
                "employee, administrator, auditor"
            ),
            "policies[0].rules[0].steps[0].approvers[1]: unknown user 'ghost'",
            "policies[0].rules[1].steps: a rule needs at least one step",
            (
                "policies[0].rules[2].amount_up_to: write the amount as a quoted "
                'decimal string, such as "100.50"'
            ),
            "policies[0].rules[2].steps[0].mode: expected one of any, all, not 'some'",
            (
                "policies[0].rules[2].steps[0].approvers: a step needs at least one "
                "approver"
            ),
            (
                "policies[1].document_kind: unknown document kind 'sales_order'; the "
                "kinds are: purchase_invoice, sales_invoice"
            ),
        ]
    )


def test_import_with_errors_changes_nothing(people, references):
    import_policies(FULL_POLICY)
    before = export_policies()
    broken = FULL_POLICY.replace("role: controller", "role: boss")

    with pytest.raises(PolicyImportError):
        import_policies(broken)

    assert export_policies() == before
    assert AuditEvent.objects.filter(action="approval.policy_imported").count() == 1


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("- a\n- b\n", "The text must be a YAML mapping with the key 'policies'."),
        ("just text", "The text must be a YAML mapping with the key 'policies'."),
        ("", "The text must be a YAML mapping with the key 'policies'."),
        ("policies: []\n", "policies: expected a list of at least one policy"),
        ("policies:\n- 3\n", "policies[0]: expected a mapping of keys to values"),
    ],
)
def test_import_rejects_non_mapping(db, text, error):
    with pytest.raises(PolicyImportError) as raised:
        import_policies(text)

    assert raised.value.errors == [error]


def test_import_rejects_invalid_yaml(db):
    with pytest.raises(PolicyImportError) as raised:
        import_policies("policies: [unclosed\n")

    assert raised.value.errors[0].startswith("The text is not valid YAML:")


def test_import_refuses_python_tags(db):
    text = "policies: !!python/object/apply:os.system ['true']\n"

    with pytest.raises(PolicyImportError) as raised:
        import_policies(text)

    assert raised.value.errors[0].startswith("The text is not valid YAML:")


@pytest.mark.parametrize(
    ("amount", "error"),
    [
        ("'-5.00'", "the amount -5.00 is negative"),
        ("'1.005'", "the amount 1.005 has more than 2 decimal places"),
        ("'1,000'", "invalid amount '1,000'"),
        ("'NaN'", "invalid amount 'NaN'"),
        ("'100000000000000'", "the amount 100000000000000 is too large"),
        ("true", "invalid amount True"),
    ],
)
def test_import_rejects_bad_amount(people, amount, error):
    text = (
        "policies:\n- document_kind: purchase_invoice\n  name: P\n"
        "  fallback_approver: fallback\n  rules:\n  - name: R\n"
        f"    amount_up_to: {amount}\n"
        "    steps:\n    - name: S\n      approvers:\n      - role: controller\n"
    )

    with pytest.raises(PolicyImportError) as raised:
        import_policies(text)

    assert raised.value.errors == [f"policies[0].rules[0].amount_up_to: {error}"]


def test_import_rejects_unknown_keys(people):
    text = FULL_POLICY.replace("  reminder_days: 1", "  remind_days: 1")

    with pytest.raises(PolicyImportError) as raised:
        import_policies(text)

    assert raised.value.errors[0].startswith("policies[0]: unknown key 'remind_days'")


def test_import_rejects_second_policy_for_kind(people, references):
    entry = FULL_POLICY.split("policies:\n", 1)[1]
    text = FULL_POLICY + entry

    with pytest.raises(PolicyImportError) as raised:
        import_policies(text)

    assert raised.value.errors == [
        "policies[1].document_kind: a second policy for 'purchase_invoice'"
    ]


def test_import_without_replace_keeps_existing(people, references):
    import_policies(FULL_POLICY)

    with pytest.raises(PolicyImportError) as raised:
        import_policies(FULL_POLICY, replace=False)

    assert raised.value.errors == [
        (
            "policies[0].document_kind: a policy for 'purchase_invoice' exists "
            "already; import with replace to change it"
        )
    ]


def test_import_rejects_inactive_fallback(people):
    people["fallback"].is_active = False
    people["fallback"].save()
    text = DEMO_POLICY.read_text().replace(
        "fallback_approver: director", "fallback_approver: fallback", 1
    )

    with pytest.raises(PolicyImportError) as raised:
        import_policies(text)

    assert raised.value.errors == [
        "policies[0].fallback_approver: user 'fallback' is not active"
    ]


def test_replace_leaves_requests_in_flight(people, demo_like_policy, supplier):
    _invoice, request = submitted_invoice(people["clerk"], "1210.00", supplier=supplier)
    steps_before = list(request.steps.values_list("position", "name", "approver_spec"))
    text = """\
policies:
- document_kind: purchase_invoice
  name: Directors only
  fallback_approver: fallback
  rules:
  - name: Everything
    steps:
    - name: Director
      approvers:
      - role: director
"""

    (policy,) = import_policies(text, actor=people["fallback"])

    assert policy.pk == demo_like_policy.pk
    assert list(policy.rules.values_list("name", flat=True)) == ["Everything"]
    request.refresh_from_db()
    assert request.status == "pending"
    assert request.rule_name == "Above 1,000"
    after = list(request.steps.values_list("position", "name", "approver_spec"))
    assert after == steps_before
    assert open_approvers(request) == ["controller", "controller2"]
    event = AuditEvent.objects.get(action="approval.policy_imported")
    assert event.data["rules"] == ["Everything"]
    assert event.actor_label == people["fallback"].get_full_name()


def test_import_replaces_rules_not_adds(people, references):
    import_policies(FULL_POLICY)
    import_policies(FULL_POLICY)

    assert Policy.objects.count() == 1
    assert Rule.objects.count() == 2
    assert StepApprover.objects.count() == 5


def test_demo_policy_loaded_once(db):
    from fiat.core.demo import load_demo

    load_demo()

    load_demo_policy()
    load_demo_policy()

    assert sorted(Policy.objects.values_list("document_kind", flat=True)) == [
        "purchase_invoice",
        "sales_invoice",
    ]
    policy = Policy.objects.get(document_kind="purchase_invoice")
    assert policy.fallback_approver.username == "director"
    small, large = policy.rules.order_by("position")
    assert small.amount_above is None
    assert small.amount_up_to == Decimal("1000.00")
    assert [s.name for s in small.steps.all()] == ["Controller"]
    assert large.amount_above == Decimal("1000.00")
    assert large.amount_up_to is None
    controller, second = large.steps.order_by("position")
    assert list(controller.approvers.values_list("approver_type", "role")) == [
        ("role", "controller")
    ]
    assert second.mode == "any"
    assert sorted(second.approvers.values_list("approver_type", "role")) == [
        ("budget_holder", ""),
        ("role", "director"),
    ]


def test_demo_policy_keeps_administrators_policy(people, demo_like_policy):
    load_demo_policy()

    assert Policy.objects.get().name == demo_like_policy.name


def test_demo_policy_file_round_trips(db):
    from fiat.core.demo import load_demo

    load_demo()
    text = DEMO_POLICY.read_text()

    load_demo_policy()

    assert yaml.safe_load(export_policies()) == yaml.safe_load(text)


def test_demo_policy_approves_as_described(db):
    """Up to 1,000 the controller; above, the controller then director or holder."""
    from fiat.core.demo import load_demo
    from fiat.core.models import User

    load_demo()
    load_demo_policy()
    clerk = User.objects.get(username="clerk")
    marketing = CostCentre.objects.get(code="MKT")

    _small, small_request = submitted_invoice(clerk, "900.00", cost_centre=marketing)
    _large, large_request = submitted_invoice(clerk, "1210.00", cost_centre=marketing)

    assert small_request.rule_name == "Up to 1,000"
    assert small_request.steps.count() == 1
    assert open_approvers(small_request) == ["controller"]
    assert large_request.rule_name == "Above 1,000"
    assert list(large_request.steps.values_list("name", flat=True)) == [
        "Controller",
        "Director or budget holder",
    ]


def test_command_export_to_stdout(people, references):
    import_policies(FULL_POLICY)
    out = StringIO()

    call_command("approvals", "export", stdout=out)

    assert out.getvalue() == FULL_POLICY


def test_command_export_and_import_file(people, references, tmp_path):
    import_policies(FULL_POLICY)
    path = tmp_path / "policies.yaml"
    call_command("approvals", "export", str(path), stdout=StringIO())
    Policy.objects.all().delete()
    out = StringIO()

    call_command("approvals", "import", str(path), stdout=out)

    assert out.getvalue() == "1 approval policies imported: purchase_invoice.\n"
    assert export_policies() == FULL_POLICY


def test_command_import_reports_errors(people, tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN_POLICY)
    err = StringIO()

    with pytest.raises(CommandError, match="because of the 11 problems above"):
        call_command("approvals", "import", str(path), stderr=err)

    assert f"{path}: policies[0].fallback_approver: unknown user 'nobody'" in (
        err.getvalue()
    )
    assert not Policy.objects.exists()


def test_command_import_keep_existing(people, references, tmp_path):
    import_policies(FULL_POLICY)
    path = tmp_path / "policies.yaml"
    path.write_text(FULL_POLICY)

    with pytest.raises(CommandError):
        call_command(
            "approvals", "import", str(path), "--keep-existing", stderr=StringIO()
        )


def test_command_import_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("approvals", "import", str(tmp_path / "missing.yaml"))


def test_rule_without_approver_user_rejected(people):
    text = DEMO_POLICY.read_text().replace("- role: controller", "- user: {}", 1)

    with pytest.raises(PolicyImportError) as raised:
        import_policies(text)

    assert raised.value.errors == [
        "policies[0].rules[0].steps[0].approvers[0]: expected a username"
    ]


MINIMAL_POLICY = """\
policies:
- document_kind: purchase_invoice
  name: Minimal
  fallback_approver: fallback
"""


def test_missing_numbers_take_defaults(people):
    (policy,) = import_policies(MINIMAL_POLICY)

    assert policy.reminder_days == 2
    assert policy.escalation_days == 3
    assert policy.link_valid_hours == 72
    assert not policy.rules.exists()


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ("reminder_days: -1", "reminder_days: -1 is outside 0 to 32767"),
        ("escalation_days: yes", "escalation_days: expected a whole number, not True"),
        ("link_valid_hours: 0", "link_valid_hours: 0 is outside 1 to 32767"),
        (
            "link_valid_hours: '72'",
            "link_valid_hours: expected a whole number, not '72'",
        ),
    ],
)
def test_import_rejects_bad_numbers(people, line, error):
    with pytest.raises(PolicyImportError) as raised:
        import_policies(MINIMAL_POLICY + f"  {line}\n")

    assert raised.value.errors == [f"policies[0].{error}"]


def test_import_errors_translated(people):
    with translation.override("nl"), pytest.raises(PolicyImportError) as raised:
        import_policies(MINIMAL_POLICY.replace(": fallback", ": nobody"))

    assert raised.value.errors == [
        "policies[0].fallback_approver: onbekende gebruiker 'nobody'"
    ]


@pytest.mark.django_db
def test_demo_without_documents_loads_policy():
    from io import StringIO

    from django.core.management import call_command

    from fiat.approvals.models import Policy
    from fiat.payables.models import PurchaseInvoice

    call_command("demo", "--without-documents", stdout=StringIO())

    policy = Policy.objects.get(document_kind="purchase_invoice")
    assert policy.fallback_approver.username == "director"
    assert PurchaseInvoice.objects.count() == 0


def test_yaml_aliases_rejected(db):
    from fiat.approvals.policy_yaml import PolicyImportError, parse_policies

    levels = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for level in range(1, 9):
        previous = f"*a{level - 1}"
        levels.append(f"a{level}: &a{level} [{', '.join([previous] * 9)}]")
    bomb = "\n".join(levels) + "\npolicies: *a8\n"

    with pytest.raises(PolicyImportError) as raised:
        parse_policies(bomb)

    assert "aliases" in str(raised.value.errors[0])
    assert len(str(raised.value.errors[0])) < 500
