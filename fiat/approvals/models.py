"""Approval policies and the requests, steps and decisions made under them.

A ``Policy`` belongs to one document kind (purchase invoices, expense claims,
sales invoices, payment runs). Its ``Rule``s are tried in order and the first
whose conditions hold decides the ``RuleStep``s a document goes through. An
``ApprovalRequest`` copies those steps into ``ApprovalStep``s when it starts,
so a later change to the policy never changes a request in flight. Each step
has one ``Assignment`` per approver; a ``Decision`` is taken on an
assignment. Status changes go through ``fiat.approvals.engine``, which
follows the transition tables below.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from fiat.core.models import CostCentre, Party, Project, Role


def amount_field(verbose_name, **options) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=16, decimal_places=2, **options)


class Policy(models.Model):
    """The approval rules for documents of one kind."""

    document_kind = models.CharField(
        _("document kind"),
        max_length=40,
        unique=True,
        help_text=_("The kind of document this policy approves."),
    )
    name = models.CharField(_("name"), max_length=200)
    fallback_approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("fallback approver"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "Takes a step when four eyes leaves no one to approve it, and "
            "receives escalations of approvers without a manager."
        ),
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("reminder after working days"),
        default=2,
        help_text=_("Working days a step may wait before its approver is reminded."),
    )
    escalation_days = models.PositiveSmallIntegerField(
        _("escalation after further working days"),
        default=3,
        help_text=_(
            "Working days after the reminder before the step also goes to the "
            "approver's manager, or to the fallback approver."
        ),
    )
    link_valid_hours = models.PositiveSmallIntegerField(
        _("links valid for hours"),
        default=72,
        help_text=_("How long an e-mailed approval link can be used."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("approval policy")
        verbose_name_plural = _("approval policies")
        ordering = ["document_kind"]

    def __str__(self) -> str:
        return self.name


class PurchaseOrderCondition(models.TextChoices):
    ANY = "any", _("With or without a purchase order")
    WITH = "with", _("Only with a purchase order")
    WITHOUT = "without", _("Only without a purchase order")


class Rule(models.Model):
    """Conditions on a document and the steps it takes when they hold.

    Empty conditions hold for every document. The amount is the document's
    total including VAT in the company currency, converted at the rate of the
    document date; a rule holds when the amount is above ``amount_above``
    and at most ``amount_up_to``.
    """

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="rules")
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=200)
    amount_above = amount_field(_("amount above"), null=True, blank=True)
    amount_up_to = amount_field(_("amount up to"), null=True, blank=True)
    cost_centres = models.ManyToManyField(
        CostCentre, verbose_name=_("cost centres"), blank=True, related_name="+"
    )
    projects = models.ManyToManyField(
        Project, verbose_name=_("projects"), blank=True, related_name="+"
    )
    parties = models.ManyToManyField(
        Party,
        verbose_name=_("suppliers or customers"),
        blank=True,
        related_name="+",
    )
    purchase_order = models.CharField(
        _("purchase order"),
        max_length=10,
        choices=PurchaseOrderCondition.choices,
        default=PurchaseOrderCondition.ANY,
    )
    # Conditions that only one document kind defines, by name, such as
    # {"new_customer": true} or {"discount_above": "10"} for sales invoices.
    # Each kind lists the names it accepts in fiat.approvals.kinds.
    extra_conditions = models.JSONField(
        _("further conditions"), default=dict, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("approval rule")
        verbose_name_plural = _("approval rules")
        ordering = ["policy", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "position"], name="approvals_rule_position_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"

    def clean(self) -> None:
        if (
            self.amount_above is not None
            and self.amount_up_to is not None
            and self.amount_up_to <= self.amount_above
        ):
            raise ValidationError(
                {"amount_up_to": _("The upper amount must be above the lower amount.")}
            )


class ApproverType(models.TextChoices):
    ROLE = "role", _("Everyone with a role")
    USER = "user", _("A named user")
    BUDGET_HOLDER = "budget_holder", _("The cost centre's budget holder")
    SUBMITTER_MANAGER = "submitter_manager", _("The submitter's manager")
    PROJECT_LEAD = "project_lead", _("The project lead")


class StepMode(models.TextChoices):
    ANY = "any", _("One of them approves")
    ALL = "all", _("All of them approve")


class RuleStep(models.Model):
    """One step of a rule; a step may name several kinds of approvers.

    The step's approvers are everyone its ``approvers`` name together, so
    "the director or the cost centre's budget holder" is one step with two
    approver entries and mode ``any``.
    """

    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=200)
    mode = models.CharField(
        _("who must approve"),
        max_length=5,
        choices=StepMode.choices,
        default=StepMode.ANY,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        ordering = ["rule", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "position"], name="approvals_rulestep_position_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"


class StepApprover(models.Model):
    """An approver of a rule step: a role, a user, or a person named by the document."""

    step = models.ForeignKey(
        RuleStep, on_delete=models.CASCADE, related_name="approvers"
    )
    approver_type = models.CharField(
        _("approver"), max_length=20, choices=ApproverType.choices
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("step approver")
        verbose_name_plural = _("step approvers")

    def __str__(self) -> str:
        if self.approver_type == ApproverType.ROLE:
            return str(Role(self.role).label) if self.role else "?"
        if self.approver_type == ApproverType.USER:
            return str(self.user) if self.user_id else "?"
        return str(ApproverType(self.approver_type).label)

    def clean(self) -> None:
        if self.approver_type == ApproverType.ROLE and not self.role:
            raise ValidationError({"role": _("Choose the role that approves.")})
        if self.approver_type == ApproverType.USER and self.user_id is None:
            raise ValidationError({"user": _("Choose the user who approves.")})


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


REQUEST_TRANSITIONS: dict[str, frozenset[str]] = {
    RequestStatus.PENDING: frozenset(
        {RequestStatus.APPROVED, RequestStatus.REJECTED, RequestStatus.WITHDRAWN}
    ),
    RequestStatus.APPROVED: frozenset(),
    RequestStatus.REJECTED: frozenset(),
    RequestStatus.WITHDRAWN: frozenset(),
}


class ApprovalRequest(models.Model):
    """One document's way through the steps of the rule that matched it."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    document_kind = models.CharField(_("document kind"), max_length=40)
    title = models.CharField(_("document"), max_length=300)
    policy = models.ForeignKey(
        Policy, on_delete=models.PROTECT, related_name="requests"
    )
    rule_name = models.CharField(_("rule"), max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RequestStatus.choices,
        default=RequestStatus.PENDING,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Users four eyes keeps from approving: the submitter, the document's
    # creator, and for an expense claim the employee it pays.
    excluded_user_ids = models.JSONField(default=list)
    amount = amount_field(_("amount in company currency"))
    currency = models.CharField(_("company currency"), max_length=3)
    document_amount = amount_field(_("amount"))
    document_currency = models.CharField(_("currency"), max_length=3)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("approval request")
        verbose_name_plural = _("approval requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # At most one request in flight per document.
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=models.Q(status="pending"),
                name="approvals_one_pending_request",
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_pending(self) -> bool:
        return self.status == RequestStatus.PENDING


class StepStatus(models.TextChoices):
    WAITING = "waiting", _("Not started")
    PENDING = "pending", _("Waiting for a decision")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


STEP_TRANSITIONS: dict[str, frozenset[str]] = {
    StepStatus.WAITING: frozenset({StepStatus.PENDING, StepStatus.CANCELLED}),
    StepStatus.PENDING: frozenset(
        {StepStatus.APPROVED, StepStatus.REJECTED, StepStatus.CANCELLED}
    ),
    StepStatus.APPROVED: frozenset(),
    StepStatus.REJECTED: frozenset(),
    StepStatus.CANCELLED: frozenset(),
}


class ApprovalStep(models.Model):
    request = models.ForeignKey(
        ApprovalRequest, on_delete=models.CASCADE, related_name="steps"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=200)
    mode = models.CharField(
        _("who must approve"), max_length=5, choices=StepMode.choices
    )
    # The rule step's approvers as they were when the request started.
    approver_spec = models.JSONField(default=list)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=StepStatus.choices,
        default=StepStatus.WAITING,
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("request step")
        verbose_name_plural = _("request steps")
        ordering = ["request", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "position"], name="approvals_step_position_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.request} / {self.position}. {self.name}"


class AssignmentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    # The step completed without this approver's decision (another approver
    # of an "any" step decided, or the request ended).
    CLOSED = "closed", _("No longer needed")
    REASSIGNED = "reassigned", _("Reassigned")


class AssignmentReason(models.TextChoices):
    RULE = "rule", _("Named by the rule")
    FALLBACK = "fallback", _("Fallback approver")
    ESCALATION = "escalation", _("Escalation")
    REASSIGNMENT = "reassignment", _("Reassigned by an administrator")


class Assignment(models.Model):
    """An approver's task on one step; a stand-in may act on it."""

    step = models.ForeignKey(
        ApprovalStep, on_delete=models.CASCADE, related_name="assignments"
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approver"),
        on_delete=models.PROTECT,
        related_name="approval_assignments",
    )
    reason = models.CharField(
        _("reason"),
        max_length=20,
        choices=AssignmentReason.choices,
        default=AssignmentReason.RULE,
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.OPEN,
    )
    # The assignment this one took over by escalation: a decision here also
    # settles that one.
    escalated_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="escalations",
    )
    created_at = models.DateTimeField(_("assigned at"))
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("approval task")
        verbose_name_plural = _("approval tasks")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["step", "approver"],
                condition=models.Q(status="open"),
                name="approvals_one_open_assignment_per_approver",
            )
        ]
        indexes = [models.Index(fields=["status", "approver"])]

    def __str__(self) -> str:
        return f"{self.step}: {self.approver}"


class DecisionOutcome(models.TextChoices):
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class DecisionChannel(models.TextChoices):
    WEB = "web", _("Web page")
    LINK = "link", _("E-mailed link")
    API = "api", _("API")


class Decision(models.Model):
    """An approver's decision on one assignment; never changed afterwards."""

    assignment = models.OneToOneField(
        Assignment, on_delete=models.PROTECT, related_name="decision"
    )
    step = models.ForeignKey(
        ApprovalStep, on_delete=models.PROTECT, related_name="decisions"
    )
    outcome = models.CharField(
        _("decision"), max_length=10, choices=DecisionOutcome.choices
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    comment = models.TextField(_("comment"), blank=True)
    channel = models.CharField(
        _("channel"), max_length=5, choices=DecisionChannel.choices
    )
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.step}: {self.outcome} by {self.decided_by}"


class Delegation(models.Model):
    """A stand-in who takes an approver's place for a range of dates."""

    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approver"),
        on_delete=models.CASCADE,
        related_name="delegations",
    )
    stand_in = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("stand-in"),
        on_delete=models.PROTECT,
        related_name="stand_in_for",
    )
    # Both days included, as business dates in the company's time zone.
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["-start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="approvals_delegation_dates_in_order",
            ),
            models.CheckConstraint(
                condition=~models.Q(approver=models.F("stand_in")),
                name="approvals_delegation_not_to_self",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.approver} -> {self.stand_in} ({self.start_date}..{self.end_date})"
        )


class ApprovalLink(models.Model):
    """An e-mailed link that lets one approver decide one task without a password.

    The token in the link is signed and carries the row's id and a nonce; the
    row stores only the nonce's SHA-256. A link is used up when a decision is
    posted through it, never when its page is opened.
    """

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="links"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    nonce_digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("approval link")
        verbose_name_plural = _("approval links")

    def __str__(self) -> str:
        return f"link {self.pk} for {self.user}"
