"""The people who may act on an approval task: approvers, stand-ins, the fallback.

The approvers a step names are found when the step starts. Who may act on
an approver's task is found when someone acts or opens their inbox, from the
delegations in force that day, so a delegation that ends gives the task back
to the approver without anything being rewritten.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from fiat.approvals.models import ApproverType, Assignment, Delegation
from fiat.core.models import CostCentre, Project, Role, RoleGrant, User

# Roles that may approve, stand in for an approver or be given a task. An
# auditor, an employee or a clerk without one of these never approves.
APPROVING_ROLES = (
    Role.APPROVER,
    Role.BUDGET_HOLDER,
    Role.CONTROLLER,
    Role.DIRECTOR,
    Role.ADMINISTRATOR,
)


def can_approve(user: User) -> bool:
    return user.is_active and user.has_role(*APPROVING_ROLES)


def approving_users():
    """Return the active users who hold a role that may approve."""
    return (
        User.objects.filter(is_active=True, role_grants__role__in=APPROVING_ROLES)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def approver_spec(rule_step) -> list[dict]:
    """Describe a rule step's approvers as plain data, kept on the request step."""
    spec = []
    for approver in rule_step.approvers.all():
        entry: dict = {"type": approver.approver_type}
        if approver.approver_type == ApproverType.ROLE:
            entry["role"] = approver.role
        elif approver.approver_type == ApproverType.USER:
            entry["user_id"] = approver.user_id
        spec.append(entry)
    return spec


def named_approvers(spec: list[dict], facts, submitter: User | None) -> list[User]:
    """Return the active users the step's spec names for this document, by id."""
    ids: set[int] = set()
    for entry in spec:
        kind = entry["type"]
        if kind == ApproverType.ROLE:
            ids.update(
                RoleGrant.objects.filter(role=entry["role"]).values_list(
                    "user_id", flat=True
                )
            )
        elif kind == ApproverType.USER:
            ids.add(entry["user_id"])
        elif kind == ApproverType.BUDGET_HOLDER and facts.cost_centre_id:
            holder = (
                CostCentre.objects.filter(pk=facts.cost_centre_id)
                .values_list("budget_holder_id", flat=True)
                .first()
            )
            if holder:
                ids.add(holder)
        elif kind == ApproverType.SUBMITTER_MANAGER and submitter is not None:
            if submitter.manager_id:
                ids.add(submitter.manager_id)
        elif kind == ApproverType.PROJECT_LEAD and facts.project_id:
            lead = (
                Project.objects.filter(pk=facts.project_id)
                .values_list("lead_id", flat=True)
                .first()
            )
            if lead:
                ids.add(lead)
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def active_delegation(approver_id: int, day: date) -> Delegation | None:
    return (
        Delegation.objects.filter(
            approver_id=approver_id,
            start_date__lte=day,
            end_date__gte=day,
            cancelled_at__isnull=True,
        )
        .select_related("stand_in")
        .order_by("-created_at")
        .first()
    )


@dataclass(frozen=True)
class Actor:
    """Someone who may act on a task, and in whose place."""

    user_id: int
    # Set when a stand-in acts for the approver.
    on_behalf_of_id: int | None = None
    # Set when the fallback approver acts because four eyes excluded the
    # stand-in.
    as_fallback: bool = False


def actors_for(
    assignment: Assignment, day: date, excluded: frozenset[int], fallback_id: int
) -> list[Actor]:
    """Return who may act on ``assignment`` on ``day``.

    The approver always may. During a delegation the stand-in may too, on
    the approver's behalf, unless four eyes excludes the stand-in from this
    document: then the fallback approver takes the stand-in's place.
    """
    actors = [Actor(assignment.approver_id)]
    delegation = active_delegation(assignment.approver_id, day)
    if delegation is None:
        return actors
    if delegation.stand_in_id not in excluded:
        actors.insert(
            0, Actor(delegation.stand_in_id, on_behalf_of_id=assignment.approver_id)
        )
    elif fallback_id not in excluded and fallback_id != assignment.approver_id:
        actors.insert(0, Actor(fallback_id, as_fallback=True))
    return actors


def delegators_of(user_id: int, day: date) -> list[int]:
    """Return the approvers whose place ``user_id`` takes on ``day``."""
    return list(
        Delegation.objects.filter(
            Q(stand_in_id=user_id),
            start_date__lte=day,
            end_date__gte=day,
            cancelled_at__isnull=True,
        ).values_list("approver_id", flat=True)
    )
