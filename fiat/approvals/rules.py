"""Choosing the rule of a policy that applies to a document."""

from decimal import Decimal

from fiat.approvals.kinds import DocumentKind, SubjectFacts
from fiat.approvals.models import Policy, PurchaseOrderCondition, Rule


def rule_holds(
    rule: Rule, facts: SubjectFacts, amount: Decimal, kind: DocumentKind
) -> bool:
    """Return whether every condition of ``rule`` holds for the document.

    ``amount`` is the document's total in company currency.
    """
    if rule.amount_above is not None and not amount > rule.amount_above:
        return False
    if rule.amount_up_to is not None and not amount <= rule.amount_up_to:
        return False
    cost_centre_ids = {cc.pk for cc in rule.cost_centres.all()}
    if cost_centre_ids and facts.cost_centre_id not in cost_centre_ids:
        return False
    project_ids = {project.pk for project in rule.projects.all()}
    if project_ids and facts.project_id not in project_ids:
        return False
    party_ids = {party.pk for party in rule.parties.all()}
    if party_ids and facts.party_id not in party_ids:
        return False
    if (
        rule.purchase_order == PurchaseOrderCondition.WITH
        and not facts.has_purchase_order
    ):
        return False
    if (
        rule.purchase_order == PurchaseOrderCondition.WITHOUT
        and facts.has_purchase_order
    ):
        return False
    conditions = {condition.name: condition for condition in kind.extra_conditions}
    for name, setting in (rule.extra_conditions or {}).items():
        condition = conditions.get(name)
        if condition is None:
            # A condition this kind does not know can never hold; the admin
            # form rejects it, so only a hand-edited policy gets here.
            return False
        if not condition.holds(setting, facts.extra.get(name)):
            return False
    return True


def matching_rule(
    policy: Policy, facts: SubjectFacts, amount: Decimal, kind: DocumentKind
) -> Rule | None:
    """Return the first rule, by position, whose conditions hold."""
    rules = policy.rules.prefetch_related(
        "cost_centres", "projects", "parties", "steps__approvers"
    ).order_by("position", "pk")
    for rule in rules:
        if rule_holds(rule, facts, amount, kind):
            return rule
    return None
