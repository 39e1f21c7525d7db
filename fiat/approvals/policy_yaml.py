"""Approval policies as YAML text, for export, review and import.

The format, one entry per document kind::

    policies:
      - document_kind: purchase_invoice
        name: Purchase invoices
        fallback_approver: director          # a username
        reminder_days: 2                     # working days
        escalation_days: 3                   # working days after the reminder
        link_valid_hours: 72
        rules:                               # tried in this order
          - name: Up to 1,000
            amount_above: "0.00"             # optional, a decimal string
            amount_up_to: "1000.00"          # optional, a decimal string
            cost_centres: [ALG, MKT]         # optional, cost centre codes
            projects: [P-001]                # optional, project codes
            parties: [Drukkerij De Vries]    # optional, names or VAT numbers
            purchase_order: any              # optional: any, with or without
            conditions: {new_customer: true} # optional, the kind's own conditions
            steps:                           # in this order, at least one
              - name: Controller
                mode: any                    # any: one approves; all: all approve
                approvers:
                  - role: controller
                  - user: director
                  - budget_holder: true
                  - submitter_manager: true
                  - project_lead: true

Amounts are in the company currency, including VAT; a rule holds when the
amount is above ``amount_above`` and at most ``amount_up_to``. Empty
conditions hold for every document, and the export leaves them out.

``import_policies`` checks the whole text before it writes anything and
reports every problem with its place in the text, such as
``policies[0].rules[1].steps[0].approvers[0]: unknown role 'boss'``.
"""

from dataclasses import dataclass, field
from decimal import Decimal

import yaml
from django.db import transaction
from django.utils.translation import gettext as _

from fiat.approvals.kinds import (
    DocumentKind,
    UnknownDocumentKindError,
    get_kind,
    registered_kinds,
)
from fiat.approvals.models import (
    ApproverType,
    Policy,
    PurchaseOrderCondition,
    Rule,
    RuleStep,
    StepApprover,
    StepMode,
)
from fiat.audit.services import record_event
from fiat.core.models import CostCentre, Party, Project, Role, User
from fiat.core.money import InvalidAmountError, to_decimal

POLICY_KEYS = (
    "document_kind",
    "name",
    "fallback_approver",
    "reminder_days",
    "escalation_days",
    "link_valid_hours",
    "rules",
)
RULE_KEYS = (
    "name",
    "amount_above",
    "amount_up_to",
    "cost_centres",
    "projects",
    "parties",
    "purchase_order",
    "conditions",
    "steps",
)
STEP_KEYS = ("name", "mode", "approvers")
# Approver entries found from the document, written as ``key: true``.
FLAG_APPROVERS = (
    ApproverType.BUDGET_HOLDER,
    ApproverType.SUBMITTER_MANAGER,
    ApproverType.PROJECT_LEAD,
)
APPROVER_KEYS = (ApproverType.ROLE, ApproverType.USER, *FLAG_APPROVERS)

# The limits of the model fields the values go into.
MAX_NAME_LENGTH = 200
MAX_SMALL_INTEGER = 32767
MAX_AMOUNT_DIGITS = 16
AMOUNT_DECIMAL_PLACES = 2


class PolicyImportError(Exception):
    """The text has problems; ``errors`` lists each as "path: message"."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


# --- Export ---------------------------------------------------------------


def export_policies(policies=None) -> str:
    """Return ``policies`` (all policies by default) as YAML text."""
    if policies is None:
        policies = Policy.objects.all()
    policies = (
        policies.select_related("fallback_approver")
        .prefetch_related(
            "rules__cost_centres",
            "rules__projects",
            "rules__parties",
            "rules__steps__approvers__user",
        )
        .order_by("document_kind")
    )
    document = {"policies": [_policy_data(policy) for policy in policies]}
    return yaml.safe_dump(
        document, sort_keys=False, allow_unicode=True, default_flow_style=False
    )


def _policy_data(policy: Policy) -> dict:
    rules = sorted(policy.rules.all(), key=lambda rule: (rule.position, rule.pk))
    return {
        "document_kind": policy.document_kind,
        "name": policy.name,
        "fallback_approver": policy.fallback_approver.username,
        "reminder_days": policy.reminder_days,
        "escalation_days": policy.escalation_days,
        "link_valid_hours": policy.link_valid_hours,
        "rules": [_rule_data(rule) for rule in rules],
    }


def _rule_data(rule: Rule) -> dict:
    data: dict = {"name": rule.name}
    if rule.amount_above is not None:
        data["amount_above"] = _amount_text(rule.amount_above)
    if rule.amount_up_to is not None:
        data["amount_up_to"] = _amount_text(rule.amount_up_to)
    cost_centres = sorted(cost_centre.code for cost_centre in rule.cost_centres.all())
    if cost_centres:
        data["cost_centres"] = cost_centres
    projects = sorted(project.code for project in rule.projects.all())
    if projects:
        data["projects"] = projects
    parties = sorted(_party_reference(party) for party in rule.parties.all())
    if parties:
        data["parties"] = parties
    if rule.purchase_order != PurchaseOrderCondition.ANY:
        data["purchase_order"] = rule.purchase_order
    if rule.extra_conditions:
        data["conditions"] = dict(sorted(rule.extra_conditions.items()))
    steps = sorted(rule.steps.all(), key=lambda step: (step.position, step.pk))
    data["steps"] = [_step_data(step) for step in steps]
    return data


def _step_data(step: RuleStep) -> dict:
    approvers = []
    for approver in sorted(step.approvers.all(), key=lambda entry: entry.pk):
        if approver.approver_type == ApproverType.ROLE:
            approvers.append({"role": approver.role})
        elif approver.approver_type == ApproverType.USER:
            approvers.append({"user": approver.user.username})
        else:
            approvers.append({approver.approver_type: True})
    return {"name": step.name, "mode": step.mode, "approvers": approvers}


def _amount_text(amount: Decimal) -> str:
    return f"{amount:.{AMOUNT_DECIMAL_PLACES}f}"


def _party_reference(party: Party) -> str:
    """Return the party's name, or its VAT number when another party shares the name."""
    if party.vat_number and Party.objects.filter(name=party.name).count() > 1:
        return party.vat_number
    return party.name


# --- Import ---------------------------------------------------------------


@dataclass
class _ApproverPlan:
    approver_type: str
    role: str = ""
    user: User | None = None


@dataclass
class _StepPlan:
    name: str
    mode: str
    approvers: list[_ApproverPlan]


@dataclass
class _RulePlan:
    name: str
    amount_above: Decimal | None
    amount_up_to: Decimal | None
    cost_centres: list[CostCentre]
    projects: list[Project]
    parties: list[Party]
    purchase_order: str
    conditions: dict
    steps: list[_StepPlan]


@dataclass
class _PolicyPlan:
    document_kind: str
    name: str
    fallback_approver: User | None
    reminder_days: int
    escalation_days: int
    link_valid_hours: int
    rules: list[_RulePlan] = field(default_factory=list)


class _Checker:
    """Collects the problems found while reading the parsed YAML."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}" if path else message)

    def mapping(self, value, path: str, allowed: tuple[str, ...]) -> dict | None:
        if not isinstance(value, dict):
            self.error(path, _("expected a mapping of keys to values"))
            return None
        for key in value:
            if key not in allowed:
                self.error(
                    path,
                    _("unknown key %(key)r; the keys are: %(keys)s")
                    % {"key": key, "keys": ", ".join(allowed)},
                )
        return value

    def text(self, value, path: str, *, required: bool = True) -> str:
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.error(path, _("expected a non-empty text"))
            return ""
        if len(value) > MAX_NAME_LENGTH:
            self.error(
                path,
                _("the text is longer than %(limit)d characters")
                % {"limit": MAX_NAME_LENGTH},
            )
        return value.strip()

    def whole_number(self, value, path: str, default: int, minimum: int = 0) -> int:
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(
                path, _("expected a whole number, not %(value)r") % {"value": value}
            )
            return default
        if not minimum <= value <= MAX_SMALL_INTEGER:
            self.error(
                path,
                _("%(value)d is outside %(minimum)d to %(maximum)d")
                % {"value": value, "minimum": minimum, "maximum": MAX_SMALL_INTEGER},
            )
            return default
        return value

    def amount(self, value, path: str) -> Decimal | None:
        if value is None:
            return None
        if isinstance(value, float):
            self.error(
                path,
                _('write the amount as a quoted decimal string, such as "%(example)s"')
                % {"example": f"{value:.2f}"},
            )
            return None
        try:
            amount = to_decimal(value)
        except (TypeError, InvalidAmountError):
            self.error(path, _("invalid amount %(value)r") % {"value": value})
            return None
        if amount < 0:
            self.error(path, _("the amount %(value)s is negative") % {"value": value})
            return None
        if amount != amount.quantize(Decimal(1).scaleb(-AMOUNT_DECIMAL_PLACES)):
            self.error(
                path,
                _("the amount %(value)s has more than %(places)d decimal places")
                % {"value": value, "places": AMOUNT_DECIMAL_PLACES},
            )
            return None
        whole_digits = MAX_AMOUNT_DIGITS - AMOUNT_DECIMAL_PLACES
        if amount >= Decimal(10) ** whole_digits:
            self.error(path, _("the amount %(value)s is too large") % {"value": value})
            return None
        return amount

    def text_list(self, value, path: str) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(path, _("expected a list"))
            return []
        items = []
        for index, item in enumerate(value):
            if isinstance(item, bool) or not isinstance(item, str | int):
                self.error(f"{path}[{index}]", _("expected a text"))
                continue
            items.append(str(item))
        return items


class _NoAliasLoader(yaml.SafeLoader):
    """A safe loader that rejects anchors and aliases.

    A policy never needs them, and a few nested aliases (a "billion laughs"
    file of a few hundred bytes) expand to gigabytes once a value is copied
    or printed, as an error message does.
    """

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None,
                None,
                "aliases (*name) are not allowed in a policy file",
                event.start_mark,
            )
        return super().compose_node(parent, index)


def parse_policies(text: str) -> dict:
    """Parse YAML text into a mapping, raising PolicyImportError otherwise."""
    try:
        document = yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506
    except yaml.YAMLError as error:
        raise PolicyImportError(
            [_("The text is not valid YAML: %(error)s") % {"error": error}]
        ) from error
    if not isinstance(document, dict):
        raise PolicyImportError(
            [_("The text must be a YAML mapping with the key 'policies'.")]
        )
    return document


def check_policies(text: str, *, replace: bool = True) -> list[_PolicyPlan]:
    """Read and check the policies in ``text`` without writing anything.

    Raise PolicyImportError listing every problem found.
    """
    document = parse_policies(text)
    checker = _Checker()
    checker.mapping(document, "", ("policies",))
    entries = document.get("policies")
    plans: list[_PolicyPlan] = []
    if not isinstance(entries, list) or not entries:
        checker.error("policies", _("expected a list of at least one policy"))
    else:
        seen_kinds: set[str] = set()
        for index, entry in enumerate(entries):
            plan = _check_policy(checker, entry, f"policies[{index}]", replace)
            if plan is None:
                continue
            if plan.document_kind in seen_kinds:
                checker.error(
                    f"policies[{index}].document_kind",
                    _("a second policy for %(kind)r") % {"kind": plan.document_kind},
                )
            seen_kinds.add(plan.document_kind)
            plans.append(plan)
    if checker.errors:
        raise PolicyImportError(checker.errors)
    return plans


def _check_policy(checker, entry, path, replace) -> _PolicyPlan | None:
    entry = checker.mapping(entry, path, POLICY_KEYS)
    if entry is None:
        return None
    kind = _check_kind(checker, entry.get("document_kind"), path, replace)

    plan = _PolicyPlan(
        document_kind=kind.key if kind else "",
        name=checker.text(entry.get("name"), f"{path}.name"),
        fallback_approver=_check_user(
            checker, entry.get("fallback_approver"), f"{path}.fallback_approver"
        ),
        reminder_days=_check_policy_number(checker, entry, path, "reminder_days"),
        escalation_days=_check_policy_number(checker, entry, path, "escalation_days"),
        link_valid_hours=_check_policy_number(
            checker, entry, path, "link_valid_hours", minimum=1
        ),
    )

    rules = entry.get("rules")
    if rules is None:
        rules = []
    if not isinstance(rules, list):
        checker.error(f"{path}.rules", _("expected a list of rules"))
        return plan
    condition_names = {c.name for c in kind.extra_conditions} if kind else None
    for index, rule in enumerate(rules):
        rule_plan = _check_rule(
            checker, rule, f"{path}.rules[{index}]", condition_names
        )
        if rule_plan is not None:
            plan.rules.append(rule_plan)
    return plan


def _check_kind(checker, kind_key, path, replace) -> DocumentKind | None:
    if not isinstance(kind_key, str):
        checker.error(f"{path}.document_kind", _("missing document kind"))
        return None
    try:
        kind = get_kind(kind_key)
    except UnknownDocumentKindError:
        checker.error(
            f"{path}.document_kind",
            _("unknown document kind %(kind)r; the kinds are: %(kinds)s")
            % {
                "kind": kind_key,
                "kinds": ", ".join(known.key for known in registered_kinds()),
            },
        )
        return None
    if not replace and Policy.objects.filter(document_kind=kind.key).exists():
        checker.error(
            f"{path}.document_kind",
            _("a policy for %(kind)r exists already; import with replace to change it")
            % {"kind": kind.key},
        )
    return kind


def _check_policy_number(checker, entry, path, name, minimum=0) -> int:
    """Check a whole-number field of the policy, defaulting to the model's default."""
    default = Policy._meta.get_field(name).default
    return checker.whole_number(entry.get(name), f"{path}.{name}", default, minimum)


def _check_user(checker, username, path) -> User | None:
    if not isinstance(username, str) or not username:
        checker.error(path, _("expected a username"))
        return None
    user = User.objects.filter(username=username).first()
    if user is None:
        checker.error(path, _("unknown user %(name)r") % {"name": username})
        return None
    if not user.is_active:
        checker.error(path, _("user %(name)r is not active") % {"name": username})
        return None
    return user


def _check_rule(checker, rule, path, condition_names) -> _RulePlan | None:
    rule = checker.mapping(rule, path, RULE_KEYS)
    if rule is None:
        return None
    amount_above = checker.amount(rule.get("amount_above"), f"{path}.amount_above")
    amount_up_to = checker.amount(rule.get("amount_up_to"), f"{path}.amount_up_to")
    if (
        amount_above is not None
        and amount_up_to is not None
        and amount_up_to <= amount_above
    ):
        checker.error(
            f"{path}.amount_up_to",
            _("amount_up_to %(up_to)s must be above amount_above %(above)s")
            % {"up_to": amount_up_to, "above": amount_above},
        )
    purchase_order = rule.get("purchase_order", PurchaseOrderCondition.ANY)
    if purchase_order not in PurchaseOrderCondition.values:
        checker.error(
            f"{path}.purchase_order",
            _("expected one of %(choices)s, not %(value)r")
            % {
                "choices": ", ".join(PurchaseOrderCondition.values),
                "value": purchase_order,
            },
        )
        purchase_order = PurchaseOrderCondition.ANY
    steps = rule.get("steps")
    step_plans = []
    if not isinstance(steps, list) or not steps:
        checker.error(f"{path}.steps", _("a rule needs at least one step"))
    else:
        for index, step in enumerate(steps):
            step_plan = _check_step(checker, step, f"{path}.steps[{index}]")
            if step_plan is not None:
                step_plans.append(step_plan)
    return _RulePlan(
        name=checker.text(rule.get("name"), f"{path}.name"),
        amount_above=amount_above,
        amount_up_to=amount_up_to,
        cost_centres=_check_codes(
            checker,
            CostCentre,
            rule.get("cost_centres"),
            f"{path}.cost_centres",
            _("unknown cost centre %(code)r"),
        ),
        projects=_check_codes(
            checker,
            Project,
            rule.get("projects"),
            f"{path}.projects",
            _("unknown project %(code)r"),
        ),
        parties=_check_parties(checker, rule.get("parties"), f"{path}.parties"),
        purchase_order=purchase_order,
        conditions=_check_conditions(
            checker, rule.get("conditions"), f"{path}.conditions", condition_names
        ),
        steps=step_plans,
    )


def _check_codes(checker, model, value, path, unknown_message) -> list:
    codes = checker.text_list(value, path)
    found = {obj.code: obj for obj in model.objects.filter(code__in=codes)}
    objects = []
    for index, code in enumerate(codes):
        if code in found:
            objects.append(found[code])
        else:
            checker.error(f"{path}[{index}]", unknown_message % {"code": code})
    return objects


def _check_parties(checker, value, path) -> list[Party]:
    parties = []
    for index, reference in enumerate(checker.text_list(value, path)):
        by_vat = list(
            Party.objects.filter(vat_number__iexact=reference.replace(" ", ""))
        )
        matches = by_vat or list(Party.objects.filter(name=reference))
        if len(matches) == 1:
            parties.append(matches[0])
        elif not matches:
            checker.error(
                f"{path}[{index}]",
                _("unknown supplier or customer %(name)r") % {"name": reference},
            )
        else:
            checker.error(
                f"{path}[{index}]",
                _(
                    "%(count)d suppliers or customers are called %(name)r; "
                    "use the VAT number"
                )
                % {"count": len(matches), "name": reference},
            )
    return parties


def _check_conditions(checker, value, path, condition_names) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        checker.error(path, _("expected a mapping of condition names to settings"))
        return {}
    conditions = {}
    for name, setting in value.items():
        if condition_names is not None and name not in condition_names:
            if condition_names:
                message = _(
                    "unknown condition %(name)r; this document kind has: %(names)s"
                ) % {"name": name, "names": ", ".join(sorted(condition_names))}
            else:
                message = _(
                    "unknown condition %(name)r; this document kind has no "
                    "further conditions"
                ) % {"name": name}
            checker.error(path, message)
            continue
        if isinstance(setting, float):
            checker.error(
                f"{path}.{name}",
                _('write the number as a quoted decimal string, such as "10"'),
            )
            continue
        if not isinstance(setting, str | int | bool):
            checker.error(
                f"{path}.{name}", _("expected true, false, a number or a text")
            )
            continue
        conditions[name] = setting
    return conditions


def _check_step(checker, step, path) -> _StepPlan | None:
    step = checker.mapping(step, path, STEP_KEYS)
    if step is None:
        return None
    mode = step.get("mode", StepMode.ANY)
    if mode not in StepMode.values:
        checker.error(
            f"{path}.mode",
            _("expected one of %(choices)s, not %(value)r")
            % {"choices": ", ".join(StepMode.values), "value": mode},
        )
    approvers = step.get("approvers")
    approver_plans = []
    if not isinstance(approvers, list) or not approvers:
        checker.error(f"{path}.approvers", _("a step needs at least one approver"))
    else:
        for index, approver in enumerate(approvers):
            plan = _check_approver(checker, approver, f"{path}.approvers[{index}]")
            if plan is not None:
                approver_plans.append(plan)
    return _StepPlan(
        name=checker.text(step.get("name"), f"{path}.name"),
        mode=mode,
        approvers=approver_plans,
    )


def _check_approver(checker, approver, path) -> _ApproverPlan | None:
    approver = checker.mapping(approver, path, APPROVER_KEYS)
    if approver is None:
        return None
    if len(approver) != 1:
        checker.error(
            path,
            _("an approver entry has exactly one of the keys: %(keys)s")
            % {"keys": ", ".join(APPROVER_KEYS)},
        )
        return None
    ((key, value),) = approver.items()
    if key == ApproverType.ROLE:
        if value not in Role.values:
            checker.error(
                path,
                _("unknown role %(role)r; the roles are: %(roles)s")
                % {"role": value, "roles": ", ".join(Role.values)},
            )
            return None
        return _ApproverPlan(ApproverType.ROLE, role=value)
    if key == ApproverType.USER:
        user = _check_user(checker, value, path)
        return _ApproverPlan(ApproverType.USER, user=user) if user else None
    if key in FLAG_APPROVERS:
        if value is not True:
            checker.error(path, _("write %(key)s: true") % {"key": key})
            return None
        return _ApproverPlan(key)
    return None


def import_policies(
    text: str, *, replace: bool = True, actor: User | None = None
) -> list[Policy]:
    """Check ``text`` and write its policies, one per document kind.

    A kind's policy row is kept and its rules replaced, so requests in flight,
    which copied their steps when they started, stay as they are. Kinds that
    the text leaves out keep their policy. With ``replace=False`` a kind that
    has a policy already is an error. Nothing is written when the text has any
    problem: PolicyImportError then lists them all.
    """
    plans = check_policies(text, replace=replace)
    policies = []
    with transaction.atomic():
        for plan in plans:
            policies.append(_write_policy(plan, actor))
    return policies


def _write_policy(plan: _PolicyPlan, actor: User | None) -> Policy:
    policy = (
        Policy.objects.select_for_update()
        .filter(document_kind=plan.document_kind)
        .first()
    )
    values = {
        "name": plan.name,
        "fallback_approver": plan.fallback_approver,
        "reminder_days": plan.reminder_days,
        "escalation_days": plan.escalation_days,
        "link_valid_hours": plan.link_valid_hours,
    }
    if policy is None:
        policy = Policy.objects.create(document_kind=plan.document_kind, **values)
    else:
        for name, value in values.items():
            setattr(policy, name, value)
        policy.save()
        policy.rules.all().delete()
    for rule_position, rule_plan in enumerate(plan.rules, start=1):
        rule = Rule.objects.create(
            policy=policy,
            position=rule_position,
            name=rule_plan.name,
            amount_above=rule_plan.amount_above,
            amount_up_to=rule_plan.amount_up_to,
            purchase_order=rule_plan.purchase_order,
            extra_conditions=rule_plan.conditions,
        )
        rule.cost_centres.set(rule_plan.cost_centres)
        rule.projects.set(rule_plan.projects)
        rule.parties.set(rule_plan.parties)
        for step_position, step_plan in enumerate(rule_plan.steps, start=1):
            step = RuleStep.objects.create(
                rule=rule,
                position=step_position,
                name=step_plan.name,
                mode=step_plan.mode,
            )
            StepApprover.objects.bulk_create(
                StepApprover(
                    step=step,
                    approver_type=approver.approver_type,
                    role=approver.role,
                    user=approver.user,
                )
                for approver in step_plan.approvers
            )
    record_event(
        policy,
        "approval.policy_imported",
        actor=actor,
        data={
            "document_kind": policy.document_kind,
            "rules": [rule_plan.name for rule_plan in plan.rules],
        },
    )
    return policy
