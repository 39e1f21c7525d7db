"""Builders of approval policies for tests of any app whose documents are approved."""

from decimal import Decimal

from fiat.approvals.models import (
    ApproverType,
    Policy,
    Rule,
    RuleStep,
    StepApprover,
    StepMode,
)
from fiat.core.models import Role, User


def make_policy(
    document_kind: str, fallback: User, rules: list[dict] | None = None, **fields
) -> Policy:
    """Create a policy from plain data.

    Each rule is a dict with ``name``, optional ``amount_above`` and
    ``amount_up_to`` (decimal strings), other Rule fields, and ``steps``: a
    list of (name, mode, approvers), where an approver is a Role, a User,
    or one of the ApproverType members that need no argument (a member, not
    its string, since "budget_holder" is also a role).
    """
    policy = Policy.objects.create(
        document_kind=document_kind,
        name=fields.pop("name", document_kind),
        fallback_approver=fallback,
        **fields,
    )
    for position, spec in enumerate(rules or [], start=1):
        spec = dict(spec)
        steps = spec.pop("steps")
        for bound in ("amount_above", "amount_up_to"):
            if spec.get(bound) is not None:
                spec[bound] = Decimal(spec[bound])
        rule = Rule.objects.create(policy=policy, position=position, **spec)
        for step_position, (name, mode, approvers) in enumerate(steps, start=1):
            step = RuleStep.objects.create(
                rule=rule, position=step_position, name=name, mode=mode
            )
            for approver in approvers:
                _add_approver(step, approver)
    return policy


def _add_approver(step: RuleStep, approver) -> None:
    if isinstance(approver, User):
        StepApprover.objects.create(
            step=step, approver_type=ApproverType.USER, user=approver
        )
    elif isinstance(approver, ApproverType):
        StepApprover.objects.create(step=step, approver_type=approver)
    elif approver in Role.values:
        StepApprover.objects.create(
            step=step, approver_type=ApproverType.ROLE, role=approver
        )
    else:
        raise ValueError(f"{approver!r} is neither a user, a role nor an approver type")


def make_single_step_policy(document_kind: str, fallback: User, role: str) -> Policy:
    """Create a policy where everyone with ``role`` approves every document."""
    return make_policy(
        document_kind,
        fallback,
        [{"name": "Everything", "steps": [("Approval", StepMode.ANY, [role])]}],
    )
