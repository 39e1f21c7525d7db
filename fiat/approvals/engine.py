"""Starting, deciding, withdrawing and reassigning approval requests.

These functions are the only code that writes the status of requests,
steps and assignments. Each locks the request row first, so two approvers
deciding the same step at the same moment are serialised. The first
decision is recorded, and the second finds the step decided and gets an
error that names who decided. Every change is an audit event on the request, in the same
transaction.
"""

import logging
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fiat.approvals import approvers as approver_lookup
from fiat.approvals.errors import (
    COMMENT_REQUIRED,
    AlreadyDecidedError,
    FourEyesError,
    InvalidReassignmentError,
    NoPolicyError,
    NotSubmitterError,
    NotYourTaskError,
    RequestClosedError,
)
from fiat.approvals.kinds import DocumentKind, get_kind
from fiat.approvals.links import LinkRefusedError
from fiat.approvals.models import (
    REQUEST_TRANSITIONS,
    STEP_TRANSITIONS,
    ApprovalLink,
    ApprovalRequest,
    ApprovalStep,
    Assignment,
    AssignmentReason,
    AssignmentStatus,
    Decision,
    DecisionChannel,
    DecisionOutcome,
    Policy,
    RequestStatus,
    StepMode,
    StepStatus,
)
from fiat.approvals.rules import matching_rule
from fiat.audit.services import record_event
from fiat.core.dates import business_date
from fiat.core.dates import now as current_time
from fiat.core.exchange import to_company_currency
from fiat.core.models import Role, User

logger = logging.getLogger(__name__)


class InvalidStatusChangeError(Exception):
    def __init__(self, obj, target: str) -> None:
        super().__init__(
            f"{type(obj).__name__} {obj.pk} is {obj.status} and cannot become {target}."
        )


def _set_request_status(request: ApprovalRequest, target: str, at: datetime) -> None:
    if target not in REQUEST_TRANSITIONS[request.status]:
        raise InvalidStatusChangeError(request, target)
    request.status = target
    request.completed_at = at
    # The users a decision excluded from later steps are saved with it.
    request.save(update_fields=["status", "completed_at", "excluded_user_ids"])


def _set_step_status(step: ApprovalStep, target: str, at: datetime) -> None:
    if target not in STEP_TRANSITIONS[step.status]:
        raise InvalidStatusChangeError(step, target)
    step.status = target
    if target == StepStatus.PENDING:
        step.started_at = at
        step.save(update_fields=["status", "started_at"])
    else:
        step.completed_at = at
        step.save(update_fields=["status", "completed_at"])


def _request_amounts(request: ApprovalRequest) -> dict:
    return {
        "amount": request.amount,
        "currency": request.currency,
        "document_amount": request.document_amount,
        "document_currency": request.document_currency,
    }


def _user_name(user_id: int | None) -> str:
    if user_id is None:
        return ""
    user = User.objects.filter(pk=user_id).first()
    return (user.get_full_name() or user.username) if user else ""


def kind_of(subject) -> DocumentKind:
    from fiat.approvals.kinds import registered_kinds

    model = type(subject)._meta.concrete_model
    for kind in registered_kinds():
        if kind.model is model:
            return kind
    return get_kind(model._meta.label_lower)


def lock_request(request_id: int) -> ApprovalRequest:
    return ApprovalRequest.objects.select_for_update().get(pk=request_id)


def _lock_request_of_step(step: ApprovalStep | int) -> ApprovalRequest:
    """Lock and return the request of a step, given as a row or by id.

    A step's request never changes, so a step row that was read before
    names the request to lock. Only the request row is locked. Raise
    ApprovalRequest.DoesNotExist when no such step exists.
    """
    requests = ApprovalRequest.objects.select_for_update(of=("self",))
    if isinstance(step, ApprovalStep):
        return requests.get(pk=step.request_id)
    return requests.get(steps=step)


# --- Starting -------------------------------------------------------------


def start_approval(
    subject, *, submitted_by: User | None, at: datetime | None = None
) -> ApprovalRequest | None:
    """Open an approval request for ``subject`` under its kind's policy.

    Must run inside ``transaction.atomic()``, with the document's own status
    change. Return None when the kind needs no approval and no rule matched.
    Raise NoPolicyError when the kind has no policy, and
    MissingExchangeRateError when the amount cannot be converted.
    """
    at = at or current_time()
    kind = kind_of(subject)
    policy = Policy.objects.filter(document_kind=kind.key).first()
    if policy is None:
        raise NoPolicyError(
            _(
                "There is no approval policy for %(kind)s. An administrator adds "
                "one under Approvals in the admin."
            )
            % {"kind": kind.label},
            kind=kind.key,
        )
    facts = kind.facts(subject)
    amount = to_company_currency(facts.amount, facts.currency, facts.rate_date)
    rule = matching_rule(policy, facts, amount, kind)
    if rule is None and not kind.approval_required:
        return None
    excluded = set(facts.excluded_user_ids)
    if submitted_by is not None:
        excluded.add(submitted_by.pk)
    request = ApprovalRequest.objects.create(
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        document_kind=kind.key,
        title=facts.title[:300],
        policy=policy,
        rule_name=rule.name if rule else "",
        submitted_by=submitted_by,
        excluded_user_ids=sorted(excluded),
        amount=amount,
        currency=_company_currency(),
        document_amount=facts.amount,
        document_currency=facts.currency,
    )
    if rule is not None:
        for rule_step in rule.steps.all().order_by("position", "pk"):
            ApprovalStep.objects.create(
                request=request,
                position=rule_step.position,
                name=rule_step.name,
                mode=rule_step.mode,
                approver_spec=approver_lookup.approver_spec(rule_step),
            )
    if not request.steps.exists():
        # No rule matched, or the rule has no steps: the fallback approver
        # decides, because a document never approves itself.
        ApprovalStep.objects.create(
            request=request,
            position=1,
            name=str(_("Fallback approver")),
            mode=StepMode.ANY,
            approver_spec=[],
        )
    record_event(
        request,
        "approval.requested",
        created=True,
        actor=submitted_by,
        amounts=_request_amounts(request),
        data={
            "document_kind": kind.key,
            "object_id": subject.pk,
            "rule": request.rule_name,
            "steps": list(request.steps.values_list("name", flat=True)),
        },
        at=at,
    )
    _start_next_step(request, kind, subject, at=at)
    return request


def _company_currency() -> str:
    from django.conf import settings

    return settings.FIAT_CURRENCY


def _start_next_step(
    request: ApprovalRequest,
    kind: DocumentKind,
    subject,
    *,
    at: datetime,
    actor: User | None = None,
    steps: list[ApprovalStep] | None = None,
) -> ApprovalStep | None:
    """Start the first waiting step, or approve the request when none is left.

    ``steps`` are the request's steps in order, when the caller has them.
    """
    if steps is None:
        steps = list(request.steps.filter(status=StepStatus.WAITING))
    step = next((step for step in steps if step.status == StepStatus.WAITING), None)
    if step is None:
        _set_request_status(request, RequestStatus.APPROVED, at)
        record_event(
            request,
            "approval.completed",
            amounts=_request_amounts(request),
            data={"outcome": RequestStatus.APPROVED},
            at=at,
        )
        kind.on_approved(subject, request, actor)
        return None
    _set_step_status(step, StepStatus.PENDING, at)
    facts = kind.facts(subject)
    excluded = frozenset(request.excluded_user_ids)
    named = approver_lookup.named_approvers(
        step.approver_spec, facts, request.submitted_by
    )
    allowed = [user for user in named if user.pk not in excluded]
    reason = AssignmentReason.RULE
    if not allowed:
        allowed = [_fallback_for(request, excluded)]
        reason = AssignmentReason.FALLBACK
    assignments = [
        Assignment.objects.create(
            step=step, approver=user, reason=reason, created_at=at
        )
        for user in allowed
    ]
    record_event(
        request,
        "approval.step_started",
        data={
            "step": step.position,
            "name": step.name,
            "mode": step.mode,
            "approvers": [user.username for user in allowed],
            "reason": reason,
            "excluded_by_four_eyes": [
                user.username for user in named if user.pk in excluded
            ],
        },
        at=at,
    )
    _notify_after_commit([assignment.pk for assignment in assignments])
    return step


def _fallback_for(request: ApprovalRequest, excluded: frozenset[int]) -> User:
    """Return the policy's fallback approver, or a director or administrator
    when four eyes excludes the fallback approver too."""
    fallback = request.policy.fallback_approver
    if fallback.pk not in excluded and fallback.is_active:
        return fallback
    for role in (Role.DIRECTOR, Role.ADMINISTRATOR):
        candidate = (
            User.objects.filter(role_grants__role=role, is_active=True)
            .exclude(pk__in=excluded)
            .order_by("pk")
            .first()
        )
        if candidate is not None:
            return candidate
    raise NoPolicyError(
        _(
            "Nobody may approve %(document)s: the fallback approver submitted or "
            "created it, and no other director or administrator exists."
        )
        % {"document": request.title}
    )


def _notify_after_commit(assignment_ids: list[int]) -> None:
    from fiat.approvals.notify import send_task_mails

    _after_commit(lambda: send_task_mails(assignment_ids), assignment_ids)


def _after_commit(send, ids) -> None:
    """Send mail once the change is committed; a failure there is logged only.

    The decision or task remains whatever happens to its mail, and the task
    is in the inbox in any case.
    """

    def send_logged() -> None:
        try:
            send()
        except Exception:
            logger.exception("Approval mail for %s failed", ids)

    transaction.on_commit(send_logged)


# --- Deciding -------------------------------------------------------------


def decide(
    step: ApprovalStep | int,
    *,
    user: User,
    outcome: str,
    comment: str = "",
    channel: str = DecisionChannel.WEB,
    link: ApprovalLink | None = None,
    at: datetime | None = None,
) -> Decision:
    """Record ``user``'s decision on a pending step and move the request on.

    Raise AlreadyDecidedError when the step or request was decided before
    (its message names who decided), FourEyesError when ``user`` submitted or
    created the document, NotYourTaskError when ``user`` has no task on the
    step, and CommentRequiredError for a rejection without a comment. A
    refused attempt is recorded in the trail all the same.
    """
    at = at or current_time()
    step_id = step if isinstance(step, int) else step.pk
    outcome = DecisionOutcome(outcome)
    comment = (comment or "").strip()
    try:
        with transaction.atomic():
            return _decide_locked(step, user, outcome, comment, channel, link, at)
    except (AlreadyDecidedError, FourEyesError, NotYourTaskError) as refusal:
        _record_refusal(step_id, user, outcome, channel, refusal.code, at)
        raise
    except LinkRefusedError as refusal:
        _record_refusal(step_id, user, outcome, channel, f"link_{refusal.reason}", at)
        raise


def _decide_locked(step_or_id, user, outcome, comment, channel, link, at) -> Decision:
    request = _lock_request_of_step(step_or_id)
    step_id = step_or_id if isinstance(step_or_id, int) else step_or_id.pk
    # The steps and tasks are read after the request's lock, which every
    # decision on the request takes, so their statuses are the ones the last
    # decision left.
    steps = list(request.steps.all())
    step = next(step for step in steps if step.pk == step_id)
    if request.status != RequestStatus.PENDING or step.status != StepStatus.PENDING:
        raise _already_decided(request, step)
    if outcome == DecisionOutcome.REJECTED and not comment:
        from fiat.approvals.errors import CommentRequiredError

        raise CommentRequiredError(COMMENT_REQUIRED)
    open_tasks = list(step.assignments.filter(status=AssignmentStatus.OPEN))
    assignment, actor = _assignment_for(
        request, step, user, business_date(at), open_tasks
    )
    if assignment.approver_id == user.pk:
        # The trail names the approver, who is the user deciding.
        assignment.approver = user
    # The tasks of the step that stay open: the decided task and the task it
    # was escalated from are settled by this decision.
    settled = {assignment.pk, assignment.escalated_from_id}
    still_open = [task for task in open_tasks if task.pk not in settled]
    if link is not None:
        _use_link(link, assignment, user, at)
    decision = Decision.objects.create(
        assignment=assignment,
        step=step,
        outcome=outcome,
        decided_by=user,
        on_behalf_of_id=actor.on_behalf_of_id,
        comment=comment,
        channel=channel,
        decided_at=at,
    )
    assignment.status = (
        AssignmentStatus.APPROVED
        if outcome == DecisionOutcome.APPROVED
        else AssignmentStatus.REJECTED
    )
    assignment.save(update_fields=["status"])
    if any(task.pk == assignment.escalated_from_id for task in open_tasks):
        Assignment.objects.filter(pk=assignment.escalated_from_id).update(
            status=AssignmentStatus.CLOSED
        )
    excluded_changed = _exclude_from_later_steps(
        request, user.pk, actor.on_behalf_of_id
    )
    on_behalf_of = (
        User.objects.get(pk=actor.on_behalf_of_id) if actor.on_behalf_of_id else None
    )
    record_event(
        request,
        f"approval.{outcome}",
        actor=user,
        on_behalf_of=on_behalf_of,
        amounts=_request_amounts(request),
        data={
            "step": step.position,
            "name": step.name,
            "approver": assignment.approver.username,
            "as_fallback": actor.as_fallback,
            "channel": channel,
            "comment": comment,
        },
        at=at,
    )
    kind = get_kind(request.document_kind)
    if kind.lock_subject is None:
        subject = request.subject
    else:
        subject = kind.lock_subject(request.object_id)
    if outcome == DecisionOutcome.REJECTED:
        _reject(request, step, kind, subject, user, comment, at, still_open)
    elif step.mode == StepMode.ANY or not still_open:
        # One approval completes a step of "any"; a step of "all" is complete
        # when no task of it is open any more.
        if still_open:
            _close_open_assignments(step)
        _set_step_status(step, StepStatus.APPROVED, at)
        _start_next_step(request, kind, subject, at=at, actor=user, steps=steps)
    if excluded_changed and request.status == RequestStatus.PENDING:
        # A request that ended saved the excluded users with its status.
        request.save(update_fields=["excluded_user_ids"])
    logger.info(
        "Approval step %s %s by user %s",
        step.pk,
        outcome,
        user.pk,
        extra={"request_id": request.pk, "step_id": step.pk},
    )
    return decision


def _exclude_from_later_steps(request: ApprovalRequest, *user_ids: int | None) -> bool:
    """Exclude the user who decided a step, and the approver they stood in
    for, from the later steps, so that one person never approves two steps.

    Change the request in memory only; return whether it changed, so that
    the caller saves it.
    """
    excluded = set(request.excluded_user_ids)
    excluded.update(user_id for user_id in user_ids if user_id is not None)
    if excluded == set(request.excluded_user_ids):
        return False
    request.excluded_user_ids = sorted(excluded)
    return True


def _close_open_assignments(step: ApprovalStep) -> None:
    step.assignments.filter(status=AssignmentStatus.OPEN).update(
        status=AssignmentStatus.CLOSED
    )


def _reject(request, step, kind, subject, user, comment, at, still_open) -> None:
    if still_open:
        _close_open_assignments(step)
    _set_step_status(step, StepStatus.REJECTED, at)
    for later in request.steps.filter(status=StepStatus.WAITING):
        _set_step_status(later, StepStatus.CANCELLED, at)
    _set_request_status(request, RequestStatus.REJECTED, at)
    record_event(
        request,
        "approval.completed",
        actor=user,
        amounts=_request_amounts(request),
        data={"outcome": RequestStatus.REJECTED, "comment": comment},
        at=at,
    )
    kind.on_rejected(subject, request, user, comment)
    from fiat.approvals.notify import send_rejection_mail

    request_id = request.pk
    _after_commit(lambda: send_rejection_mail(request_id), [request_id])


def _assignment_for(request, step, user, day, open_assignments):
    """Return the open assignment ``user`` may act on, and as whom."""
    excluded = frozenset(request.excluded_user_ids)
    for assignment in open_assignments:
        # An approver always acts in their own name, delegation or not.
        if assignment.approver_id == user.pk:
            return assignment, approver_lookup.Actor(user.pk)
    fallback_id = request.policy.fallback_approver_id
    for assignment in open_assignments:
        for actor in approver_lookup.actors_for(assignment, day, excluded, fallback_id):
            if actor.user_id == user.pk:
                return assignment, actor
    if user.pk in excluded:
        decided_before = (
            Decision.objects.filter(step__request=request)
            .filter(Q(decided_by=user) | Q(on_behalf_of=user))
            .exists()
        )
        if decided_before:
            message = _(
                "You decided an earlier step of %(document)s, so another "
                "approver decides this one."
            )
        else:
            message = _(
                "You cannot approve or reject %(document)s, because you submitted "
                "or created it. Another approver decides."
            )
        raise FourEyesError(message % {"document": request.title}, step=step.pk)
    decided = step.decisions.filter(assignment__approver=user).first()
    if decided is not None:
        raise _already_decided(request, step)
    raise NotYourTaskError(
        _("This approval step is not assigned to you."), step=step.pk
    )


def _already_decided(
    request: ApprovalRequest, step: ApprovalStep
) -> AlreadyDecidedError:
    last = (
        Decision.objects.filter(step__request=request)
        .select_related("decided_by")
        .order_by("-decided_at", "-pk")
        .first()
    )
    if last is not None:
        name = last.decided_by.get_full_name() or last.decided_by.username
        message = _("%(name)s already decided this step: %(outcome)s on %(when)s.") % {
            "name": name,
            "outcome": DecisionOutcome(last.outcome).label.lower(),
            "when": timezone.localtime(last.decided_at).strftime("%Y-%m-%d %H:%M"),
        }
        return AlreadyDecidedError(message, decided_by=name, outcome=last.outcome)
    return AlreadyDecidedError(
        _("This request is no longer waiting for a decision: it is %(status)s.")
        % {"status": RequestStatus(request.status).label.lower()},
        status=request.status,
    )


def _record_refusal(step_id, user, outcome, channel, reason: str, at) -> None:
    # The request row is locked, as for a decision, so that many refusals at
    # once append to the request's audit chain one after another.
    with transaction.atomic():
        step = ApprovalStep.objects.get(pk=step_id)
        request = lock_request(step.request_id)
        record_event(
            request,
            "approval.decision_refused",
            actor=user,
            data={
                "step": step.position,
                "attempted": str(outcome),
                "channel": channel,
                "reason": reason,
            },
            at=at,
        )


def _use_link(link: ApprovalLink, assignment: Assignment, user: User, at) -> None:
    # One conditional UPDATE marks a usable link used. The row lock it takes
    # makes a second decision on the same link wait, and on PostgreSQL the
    # waiting UPDATE tests its conditions again on the committed row.
    used = ApprovalLink.objects.filter(
        pk=link.pk,
        used_at__isnull=True,
        expires_at__gt=at,
        user_id=user.pk,
        assignment_id=assignment.pk,
    ).update(used_at=at)
    if used:
        return
    locked = ApprovalLink.objects.select_for_update().get(pk=link.pk)
    if locked.used_at is not None:
        raise LinkRefusedError("used")
    if locked.expires_at <= at:
        raise LinkRefusedError("expired")
    if locked.user_id != user.pk or locked.assignment_id != assignment.pk:
        raise LinkRefusedError("invalid")
    locked.used_at = at
    locked.save(update_fields=["used_at"])


# --- Withdrawing and reassigning -----------------------------------------


def withdraw(
    request: ApprovalRequest,
    *,
    user: User,
    reason: str = "",
    at: datetime | None = None,
) -> ApprovalRequest:
    """End a pending request at its submitter's wish; the document goes back."""
    at = at or current_time()
    with transaction.atomic():
        locked = lock_request(request.pk)
        if locked.submitted_by_id != user.pk:
            raise NotSubmitterError(
                _("Only the person who submitted it can withdraw this request.")
            )
        if locked.status != RequestStatus.PENDING:
            raise RequestClosedError(
                _("This request is %(status)s and can no longer be withdrawn.")
                % {"status": RequestStatus(locked.status).label.lower()}
            )
        for step in locked.steps.filter(
            status__in=[StepStatus.WAITING, StepStatus.PENDING]
        ):
            _close_open_assignments(step)
            _set_step_status(step, StepStatus.CANCELLED, at)
        _set_request_status(locked, RequestStatus.WITHDRAWN, at)
        record_event(
            locked,
            "approval.withdrawn",
            actor=user,
            amounts=_request_amounts(locked),
            data={"reason": reason},
            at=at,
        )
        get_kind(locked.document_kind).on_withdrawn(locked.subject, locked, user)
        return locked


def reassign(
    assignment: Assignment, *, to_user: User, by: User, at: datetime | None = None
) -> Assignment:
    """Give an open task to another approver, as an administrator does."""
    at = at or current_time()
    with transaction.atomic():
        request = lock_request(assignment.step.request_id)
        current = Assignment.objects.select_related("step").get(pk=assignment.pk)
        if (
            current.status != AssignmentStatus.OPEN
            or current.step.status != StepStatus.PENDING
        ):
            raise InvalidReassignmentError(
                _("Only an open task of a pending step can be reassigned.")
            )
        if to_user.pk in request.excluded_user_ids:
            raise InvalidReassignmentError(
                _(
                    "%(name)s submitted or created this document, or decided an "
                    "earlier step of it, and cannot approve it."
                )
                % {"name": to_user.get_full_name() or to_user.username}
            )
        if not approver_lookup.can_approve(to_user):
            raise InvalidReassignmentError(
                _(
                    "%(name)s holds no role that approves: give the task to an "
                    "approver, budget holder, controller, director or administrator."
                )
                % {"name": to_user.get_full_name() or to_user.username}
            )
        if current.step.assignments.filter(
            approver=to_user, status=AssignmentStatus.OPEN
        ).exists():
            raise InvalidReassignmentError(
                _("%(name)s already has this task.")
                % {"name": to_user.get_full_name() or to_user.username}
            )
        current.status = AssignmentStatus.REASSIGNED
        current.save(update_fields=["status"])
        new = Assignment.objects.create(
            step=current.step,
            approver=to_user,
            reason=AssignmentReason.REASSIGNMENT,
            created_at=at,
        )
        record_event(
            request,
            "approval.reassigned",
            actor=by,
            data={
                "step": current.step.position,
                "from": current.approver.username,
                "to": to_user.username,
            },
            at=at,
        )
        _notify_after_commit([new.pk])
        return new


def escalate(
    assignment: Assignment, *, to_user: User, at: datetime | None = None
) -> Assignment | None:
    """Add ``to_user`` to a task that waited too long; either may decide.

    Return None when the task was settled or escalated in the meantime.
    """
    at = at or current_time()
    with transaction.atomic():
        request = lock_request(assignment.step.request_id)
        current = Assignment.objects.select_related("step", "approver").get(
            pk=assignment.pk
        )
        if (
            current.status != AssignmentStatus.OPEN
            or current.escalated_at is not None
            or current.step.status != StepStatus.PENDING
        ):
            return None
        current.escalated_at = at
        current.save(update_fields=["escalated_at"])
        already_open = current.step.assignments.filter(
            approver=to_user, status=AssignmentStatus.OPEN
        ).exists()
        if already_open or to_user.pk in request.excluded_user_ids:
            # There is no new approver to give the task to, for example when
            # an approver without a manager is the fallback approver too. The
            # task stays as it is.
            return None
        new = Assignment.objects.create(
            step=current.step,
            approver=to_user,
            reason=AssignmentReason.ESCALATION,
            escalated_from=current,
            created_at=at,
        )
        record_event(
            request,
            "approval.escalated",
            data={
                "step": current.step.position,
                "from": current.approver.username,
                "to": to_user.username,
            },
            at=at,
        )
        _notify_after_commit([new.pk])
        return new
