"""The approvals admin: policies and YAML, read-only requests, reassignment."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fiat.approvals.demo import DEMO_POLICY
from fiat.approvals.models import (
    Assignment,
    AssignmentReason,
    AssignmentStatus,
    Delegation,
    Policy,
    Rule,
)
from fiat.approvals.policy_yaml import export_policies, import_policies
from fiat.approvals.tests.helpers import open_approvers, submitted_invoice
from fiat.audit.models import AuditEvent
from fiat.core.models import Role, User

pytestmark = pytest.mark.django_db

NEW_POLICY = """\
policies:
- document_kind: purchase_invoice
  name: Directors only
  fallback_approver: fallback
  reminder_days: 2
  escalation_days: 3
  link_valid_hours: 72
  rules:
  - name: Everything
    steps:
    - name: Director
      mode: any
      approvers:
      - role: director
"""


@pytest.fixture
def admin_client(client, people):
    superuser = User.objects.create_superuser(
        "root", "root@example.com", "demo-root", first_name="Root", language="en"
    )
    client.force_login(superuser)
    client.superuser = superuser
    return client


@pytest.fixture
def pending_request(people, demo_like_policy, supplier):
    _invoice, request = submitted_invoice(people["clerk"], "900.00")
    return request


def upload(client, text: str):
    return client.post(
        reverse("admin:approvals_policy_import"),
        {
            "file": SimpleUploadedFile(
                "policies.yaml", text.encode(), "application/yaml"
            )
        },
    )


def test_policy_list_links_yaml_pages(admin_client, demo_like_policy):
    response = admin_client.get(reverse("admin:approvals_policy_changelist"))

    assert response.status_code == 200
    assert reverse("admin:approvals_policy_export") in response.text
    assert reverse("admin:approvals_policy_import") in response.text


def test_export_downloads_yaml(admin_client, demo_like_policy):
    response = admin_client.get(reverse("admin:approvals_policy_export"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/yaml; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="approval-policies.yaml"'
    )
    assert response.content.decode() == export_policies()


def test_download_action_exports_selected(admin_client, demo_like_policy):
    response = admin_client.post(
        reverse("admin:approvals_policy_changelist"),
        {"action": "download_yaml", "_selected_action": [demo_like_policy.pk]},
    )

    assert response.status_code == 200
    assert response.content.decode() == export_policies()


def test_upload_replaces_policy(admin_client, demo_like_policy):
    response = upload(admin_client, NEW_POLICY)

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:approvals_policy_changelist")
    assert export_policies() == NEW_POLICY
    assert Policy.objects.get().pk == demo_like_policy.pk
    event = AuditEvent.objects.get(action="approval.policy_imported")
    assert event.actor_label == "Root"


def test_upload_with_errors_lists_them(admin_client, demo_like_policy):
    before = export_policies()
    broken = NEW_POLICY.replace("role: director", "role: boss").replace(
        "fallback_approver: fallback", "fallback_approver: ghost"
    )

    response = upload(admin_client, broken)

    assert response.status_code == 200
    assert "Nothing was imported" in response.text
    assert "policies[0].fallback_approver: unknown user &#x27;ghost&#x27;" in (
        response.text
    )
    assert "policies[0].rules[0].steps[0].approvers[0]: unknown role" in (response.text)
    assert export_policies() == before


def test_upload_rejects_non_utf8(admin_client, demo_like_policy):
    response = admin_client.post(
        reverse("admin:approvals_policy_import"),
        {"file": SimpleUploadedFile("policies.yaml", b"\xff\xfe\x00", "text/plain")},
    )

    assert response.status_code == 200
    assert "The file is not UTF-8 text" in response.text


def test_upload_needs_staff(client, people, demo_like_policy):
    client.force_login(people["clerk"])

    response = upload(client, NEW_POLICY)

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert Policy.objects.get().name == demo_like_policy.name


def test_policy_page_lists_rules_with_links(admin_client, demo_like_policy):
    rule = demo_like_policy.rules.get(position=1)

    response = admin_client.get(
        reverse("admin:approvals_policy_change", args=[demo_like_policy.pk])
    )

    assert response.status_code == 200
    assert reverse("admin:approvals_rule_change", args=[rule.pk]) in response.text
    assert '<option value="purchase_invoice" selected>' in response.text


def test_rule_page_lists_steps(admin_client, people):
    policies = import_policies(DEMO_POLICY.read_text())
    policy = next(p for p in policies if p.document_kind == "purchase_invoice")
    rule = policy.rules.get(position=2)
    step = rule.steps.get(position=2)

    response = admin_client.get(reverse("admin:approvals_rule_change", args=[rule.pk]))

    assert response.status_code == 200
    assert reverse("admin:approvals_rulestep_change", args=[step.pk]) in response.text
    assert "Director, The cost centre&#x27;s budget holder" in response.text


def test_rule_step_page_lists_approvers(admin_client, demo_like_policy):
    step = demo_like_policy.rules.get(position=1).steps.get()

    response = admin_client.get(
        reverse("admin:approvals_rulestep_change", args=[step.pk])
    )

    assert response.status_code == 200
    assert 'name="approvers-0-approver_type"' in response.text


def rule_form_data(rule: Rule, **changes) -> dict:
    data = {
        "policy": rule.policy_id,
        "position": rule.position,
        "name": rule.name,
        "amount_above": "",
        "amount_up_to": "1000.00",
        "purchase_order": "any",
        "extra_conditions": "{}",
        "steps-TOTAL_FORMS": "0",
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_rule_rejects_unknown_condition(admin_client, demo_like_policy):
    rule = demo_like_policy.rules.get(position=1)

    response = admin_client.post(
        reverse("admin:approvals_rule_change", args=[rule.pk]),
        rule_form_data(rule, extra_conditions='{"new_customer": true}'),
    )

    assert response.status_code == 200
    assert "Unknown conditions for Purchase invoices: new_customer" in response.text
    rule.refresh_from_db()
    assert rule.extra_conditions == {}


def test_rule_saves_without_conditions(admin_client, demo_like_policy):
    rule = demo_like_policy.rules.get(position=1)

    response = admin_client.post(
        reverse("admin:approvals_rule_change", args=[rule.pk]),
        rule_form_data(rule, name="Small invoices"),
    )

    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.name == "Small invoices"


def test_rule_rejects_reversed_amounts(admin_client, demo_like_policy):
    rule = demo_like_policy.rules.get(position=1)

    response = admin_client.post(
        reverse("admin:approvals_rule_change", args=[rule.pk]),
        rule_form_data(rule, amount_above="2000.00"),
    )

    assert response.status_code == 200
    assert "The upper amount must be above the lower amount." in response.text


def test_request_page_is_read_only(admin_client, pending_request):
    response = admin_client.get(
        reverse("admin:approvals_approvalrequest_change", args=[pending_request.pk])
    )

    assert response.status_code == 200
    assert 'name="_save"' not in response.text
    step = pending_request.steps.get()
    assert reverse("admin:approvals_approvalstep_change", args=[step.pk]) in (
        response.text
    )
    assert "Controller2 Jansen" in response.text


def test_request_cannot_be_changed(admin_client, pending_request):
    response = admin_client.post(
        reverse("admin:approvals_approvalrequest_change", args=[pending_request.pk]),
        {"title": "Changed", "status": "approved"},
    )

    assert response.status_code == 403
    pending_request.refresh_from_db()
    assert pending_request.status == "pending"


def test_step_page_links_reassign(admin_client, pending_request):
    step = pending_request.steps.get()
    assignment = step.assignments.get(approver__username="controller")

    response = admin_client.get(
        reverse("admin:approvals_approvalstep_change", args=[step.pk])
    )

    assert response.status_code == 200
    url = reverse("admin:approvals_assignment_reassign", args=[assignment.pk])
    assert url in response.text


def test_reassign_page_moves_task(admin_client, people, pending_request):
    assignment = Assignment.objects.get(
        step__request=pending_request, approver=people["controller"]
    )
    url = reverse("admin:approvals_assignment_reassign", args=[assignment.pk])

    page = admin_client.get(url)
    response = admin_client.post(url, {"to_user": people["director"].pk})

    assert page.status_code == 200
    assert pending_request.title in page.text
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.REASSIGNED
    new = Assignment.objects.get(
        step__request=pending_request, approver=people["director"]
    )
    assert new.reason == AssignmentReason.REASSIGNMENT
    assert open_approvers(pending_request) == ["controller2", "director"]
    event = AuditEvent.objects.get(action="approval.reassigned")
    assert event.actor_label == "Root"
    assert event.data["from"] == "controller"
    assert event.data["to"] == "director"


def test_reassign_to_submitter_refused(admin_client, people, pending_request):
    assignment = Assignment.objects.get(
        step__request=pending_request, approver=people["controller"]
    )
    url = reverse("admin:approvals_assignment_reassign", args=[assignment.pk])
    people["clerk"].role_grants.create(role=Role.APPROVER)

    response = admin_client.post(url, {"to_user": people["clerk"].pk}, follow=True)

    assert "submitted or created this document" in response.text
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.OPEN
    assert not AuditEvent.objects.filter(action="approval.reassigned").exists()


def test_reassign_action_moves_selected(admin_client, people, pending_request):
    _invoice, other_request = submitted_invoice(people["clerk"], "800.00")
    selected = Assignment.objects.filter(approver=people["controller"]).order_by("pk")
    assert selected.count() == 2
    response = admin_client.post(
        reverse("admin:approvals_assignment_changelist"),
        {
            "action": "reassign_selected",
            "_selected_action": [a.pk for a in selected],
        },
    )
    assert response.status_code == 302

    page = admin_client.get(response["Location"])
    done = admin_client.post(response["Location"], {"to_user": people["holder"].pk})

    assert page.status_code == 200
    assert done.status_code == 302
    assert open_approvers(pending_request) == ["controller2", "holder"]
    assert open_approvers(other_request) == ["controller2", "holder"]
    assert AuditEvent.objects.filter(action="approval.reassigned").count() == 2


def test_reassign_to_current_approver_refused(admin_client, people, pending_request):
    assignment = Assignment.objects.get(
        step__request=pending_request, approver=people["controller"]
    )
    url = reverse("admin:approvals_assignment_reassign", args=[assignment.pk])

    response = admin_client.post(
        url, {"to_user": people["controller2"].pk}, follow=True
    )

    assert "Controller2 Jansen already has this task." in response.text
    assert open_approvers(pending_request) == ["controller", "controller2"]


def test_reassign_closed_task_refused(admin_client, people, pending_request):
    from fiat.approvals import engine

    step = pending_request.steps.get()
    engine.decide(step, user=people["controller"], outcome="approved")
    assignment = step.assignments.get(approver=people["controller2"])
    url = reverse("admin:approvals_assignment_reassign", args=[assignment.pk])

    response = admin_client.get(url, follow=True)

    assert "Only open tasks of pending steps can be reassigned." in response.text
    assert not AuditEvent.objects.filter(action="approval.reassigned").exists()


def test_reassign_needs_staff(client, people, pending_request):
    assignment = Assignment.objects.filter(step__request=pending_request).first()
    client.force_login(people["controller"])

    response = client.post(
        reverse("admin:approvals_assignment_reassign", args=[assignment.pk]),
        {"to_user": people["controller"].pk},
    )

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert not AuditEvent.objects.filter(action="approval.reassigned").exists()


def test_delegation_added_in_admin(admin_client, people):
    response = admin_client.post(
        reverse("admin:approvals_delegation_add"),
        {
            "approver": people["controller"].pk,
            "stand_in": people["controller2"].pk,
            "start_date": "2026-08-01",
            "end_date": "2026-08-15",
        },
    )

    assert response.status_code == 302
    delegation = Delegation.objects.get()
    assert delegation.stand_in == people["controller2"]
    assert delegation.start_date == date(2026, 8, 1)
    assert delegation.end_date == date(2026, 8, 15)


def test_delegation_dates_checked(admin_client, people):
    response = admin_client.post(
        reverse("admin:approvals_delegation_add"),
        {
            "approver": people["controller"].pk,
            "stand_in": people["controller2"].pk,
            "start_date": "2026-08-15",
            "end_date": "2026-08-01",
        },
    )

    assert response.status_code == 200
    assert not Delegation.objects.exists()
