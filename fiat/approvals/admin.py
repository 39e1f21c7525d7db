"""Admin for approval policies, requests, tasks and delegations.

Policies are edited here rule by rule, or downloaded and uploaded as YAML
(``fiat.approvals.policy_yaml``). Requests, steps, tasks and decisions are
read-only: they change only through the engine, and the one change an
administrator makes here, reassigning an open task, goes through
``engine.reassign`` so it is in the trail.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from fiat.approvals import engine
from fiat.approvals.approvers import approving_users
from fiat.approvals.errors import ApprovalError
from fiat.approvals.kinds import UnknownDocumentKindError, get_kind, kind_choices
from fiat.approvals.models import (
    ApprovalRequest,
    ApprovalStep,
    Assignment,
    AssignmentStatus,
    Decision,
    Delegation,
    Policy,
    Rule,
    RuleStep,
    StepApprover,
    StepStatus,
)
from fiat.approvals.policy_yaml import (
    PolicyImportError,
    export_policies,
    import_policies,
)
from fiat.core.models import User

YAML_CONTENT_TYPE = "application/yaml; charset=utf-8"
# A policy file is usually a few kilobytes, so this limit bounds what is parsed.
MAX_YAML_BYTES = 1024 * 1024


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


def yaml_download(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type=YAML_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Policies -------------------------------------------------------------


class PolicyForm(forms.ModelForm):
    document_kind = forms.ChoiceField(label=_("document kind"), choices=kind_choices)

    class Meta:
        model = Policy
        fields = [
            "document_kind",
            "name",
            "fallback_approver",
            "reminder_days",
            "escalation_days",
            "link_valid_hours",
        ]


class RuleInline(admin.TabularInline):
    model = Rule
    extra = 0
    fields = ["position", "name", "amount_above", "amount_up_to", "purchase_order"]
    show_change_link = True
    ordering = ["position"]


class YamlUploadForm(forms.Form):
    file = forms.FileField(
        label=_("YAML file"),
        help_text=_(
            "Replaces the policy of each document kind in the file; other kinds "
            "keep theirs. Requests already waiting keep their steps."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_YAML_BYTES:
            raise ValidationError(
                _("The file is larger than %(limit)d KB.")
                % {"limit": MAX_YAML_BYTES // 1024}
            )
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError as error:
            raise ValidationError(
                _("The file is not UTF-8 text: %(error)s") % {"error": error}
            ) from error


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    form = PolicyForm
    list_display = [
        "document_kind",
        "name",
        "fallback_approver",
        "rule_count",
        "reminder_days",
        "escalation_days",
        "link_valid_hours",
    ]
    inlines = [RuleInline]
    actions = ["download_yaml"]
    autocomplete_fields = ["fallback_approver"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(rule_total=Count("rules"))

    @admin.display(description=_("rules"), ordering="rule_total")
    def rule_count(self, policy: Policy) -> int:
        return policy.rule_total

    @admin.action(description=_("Download the selected policies as YAML"))
    def download_yaml(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse:
        return yaml_download(export_policies(queryset), "approval-policies.yaml")

    def get_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [
            path(
                "export/",
                wrap(self.export_view),
                name="approvals_policy_export",
            ),
            path(
                "import/",
                wrap(self.import_view),
                name="approvals_policy_import",
            ),
            *super().get_urls(),
        ]

    def export_view(self, request: HttpRequest) -> HttpResponse:
        """Download every policy as one YAML file."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        return yaml_download(export_policies(), "approval-policies.yaml")

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Import an uploaded YAML file of policies, or list every problem in it."""
        if not (
            self.has_add_permission(request) and self.has_change_permission(request)
        ):
            raise PermissionDenied
        form = YamlUploadForm(request.POST or None, request.FILES or None)
        errors: list[str] = []
        if request.method == "POST" and form.is_valid():
            try:
                policies = import_policies(
                    form.cleaned_data["file"], actor=request.user
                )
            except PolicyImportError as error:
                errors = error.errors
            else:
                self.message_user(
                    request,
                    _("Imported the approval policies for: %(kinds)s.")
                    % {"kinds": ", ".join(p.document_kind for p in policies)},
                    messages.SUCCESS,
                )
                return redirect("admin:approvals_policy_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import approval policies"),
            "form": form,
            "errors": errors,
        }
        return TemplateResponse(request, "admin/approvals/policy/import.html", context)


class RuleStepInline(admin.TabularInline):
    model = RuleStep
    extra = 0
    fields = ["position", "name", "mode", "approver_list"]
    readonly_fields = ["approver_list"]
    show_change_link = True
    ordering = ["position"]

    @admin.display(description=_("approvers"))
    def approver_list(self, step: RuleStep) -> str:
        if step.pk is None:
            return "-"
        approvers = step.approvers.select_related("user").order_by("pk")
        return ", ".join(str(approver) for approver in approvers) or "-"


class RuleForm(forms.ModelForm):
    class Meta:
        model = Rule
        fields = [
            "policy",
            "position",
            "name",
            "amount_above",
            "amount_up_to",
            "cost_centres",
            "projects",
            "parties",
            "purchase_order",
            "extra_conditions",
        ]

    def clean_extra_conditions(self):
        conditions = self.cleaned_data.get("extra_conditions") or {}
        if not isinstance(conditions, dict):
            raise ValidationError(
                _(
                    "Enter the conditions as a JSON object, such as "
                    '{"new_customer": true}.'
                )
            )
        policy = self.cleaned_data.get("policy") or getattr(
            self.instance, "policy", None
        )
        if policy is None or not conditions:
            return conditions
        try:
            kind = get_kind(policy.document_kind)
        except UnknownDocumentKindError:
            raise ValidationError(
                _("The policy's document kind %(kind)s is not registered.")
                % {"kind": policy.document_kind}
            ) from None
        known = {condition.name for condition in kind.extra_conditions}
        unknown = sorted(set(conditions) - known)
        if unknown:
            raise ValidationError(
                _("Unknown conditions for %(kind)s: %(unknown)s. Known: %(known)s.")
                % {
                    "kind": kind.label,
                    "unknown": ", ".join(unknown),
                    "known": ", ".join(sorted(known)) or "-",
                }
            )
        return conditions


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    form = RuleForm
    list_display = [
        "__str__",
        "policy",
        "amount_above",
        "amount_up_to",
        "purchase_order",
    ]
    list_filter = ["policy"]
    filter_horizontal = ["cost_centres", "projects", "parties"]
    inlines = [RuleStepInline]
    ordering = ["policy", "position"]


class StepApproverForm(forms.ModelForm):
    class Meta:
        model = StepApprover
        fields = ["approver_type", "role", "user"]


class StepApproverInline(admin.TabularInline):
    model = StepApprover
    form = StepApproverForm
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(RuleStep)
class RuleStepAdmin(admin.ModelAdmin):
    list_display = ["__str__", "rule", "mode"]
    list_filter = ["rule__policy"]
    inlines = [StepApproverInline]
    ordering = ["rule", "position"]


# --- Requests, steps and tasks -------------------------------------------


class ApprovalStepInline(ReadOnlyInline):
    model = ApprovalStep
    fields = ["position", "name", "mode", "status", "started_at", "completed_at"]
    readonly_fields = fields
    show_change_link = True


@admin.register(ApprovalRequest)
class ApprovalRequestAdmin(ReadOnlyAdmin):
    list_display = [
        "title",
        "document_kind",
        "status",
        "amount",
        "currency",
        "submitted_by",
        "created_at",
        "completed_at",
    ]
    list_filter = ["status", "document_kind"]
    search_fields = ["title"]
    date_hierarchy = "created_at"
    inlines = [ApprovalStepInline]
    readonly_fields = ["assignments_and_decisions"]
    exclude = ["content_type", "object_id", "excluded_user_ids"]

    @admin.display(description=_("tasks and decisions"))
    def assignments_and_decisions(self, request: ApprovalRequest) -> str:
        assignments = (
            Assignment.objects.filter(step__request=request)
            .select_related("step", "approver", "decision__decided_by")
            .order_by("step__position", "created_at", "pk")
        )
        rows = []
        for assignment in assignments:
            decision = getattr(assignment, "decision", None)
            rows.append(
                (
                    assignment.step.position,
                    assignment.step.name,
                    assignment.approver,
                    assignment.get_reason_display(),
                    assignment.get_status_display(),
                    _decision_text(decision),
                )
            )
        if not rows:
            return "-"
        return format_html(
            "<table><thead><tr><th>#</th><th>{}</th><th>{}</th><th>{}</th>"
            "<th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("step"),
            _("approver"),
            _("reason"),
            _("status"),
            _("decision"),
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
                "<td>{}</td></tr>",
                rows,
            ),
        )


def _decision_text(decision: Decision | None) -> str:
    if decision is None:
        return ""
    text = f"{decision.get_outcome_display()}: {decision.decided_by}"
    if decision.on_behalf_of_id:
        text += " " + str(_("on behalf of %(name)s") % {"name": decision.on_behalf_of})
    text += f", {timezone.localtime(decision.decided_at):%Y-%m-%d %H:%M}"
    if decision.comment:
        text += f" ({decision.comment})"
    return text


class AssignmentInline(ReadOnlyInline):
    model = Assignment
    fields = [
        "approver",
        "reason",
        "status",
        "created_at",
        "reminded_at",
        "escalated_at",
        "reassign_link",
    ]
    readonly_fields = fields
    fk_name = "step"

    @admin.display(description="")
    def reassign_link(self, assignment: Assignment) -> str:
        return _reassign_link(assignment)


class DecisionInline(ReadOnlyInline):
    model = Decision
    fields = [
        "outcome",
        "decided_by",
        "on_behalf_of",
        "channel",
        "comment",
        "decided_at",
    ]
    readonly_fields = fields


@admin.register(ApprovalStep)
class ApprovalStepAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "status", "started_at", "completed_at"]
    list_filter = ["status"]
    inlines = [AssignmentInline, DecisionInline]
    exclude = ["approver_spec"]


def _can_reassign(assignment: Assignment) -> bool:
    return (
        assignment.status == AssignmentStatus.OPEN
        and assignment.step.status == StepStatus.PENDING
    )


def _reassign_link(assignment: Assignment) -> str:
    if not _can_reassign(assignment):
        return ""
    return format_html(
        '<a href="{}">{}</a>',
        reverse("admin:approvals_assignment_reassign", args=[assignment.pk]),
        _("Reassign"),
    )


class ReassignForm(forms.Form):
    to_user = forms.ModelChoiceField(
        label=_("New approver"),
        queryset=approving_users(),
    )


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = [
        "request_title",
        "step_name",
        "approver",
        "reason",
        "status",
        "created_at",
        "reassign_link",
    ]
    list_filter = ["status", "reason"]
    search_fields = ["step__request__title", "approver__username"]
    list_select_related = ["step__request", "approver"]
    actions = ["reassign_selected"]

    @admin.display(description=_("document"), ordering="step__request__title")
    def request_title(self, assignment: Assignment) -> str:
        return assignment.step.request.title

    @admin.display(description=_("step"))
    def step_name(self, assignment: Assignment) -> str:
        return assignment.step.name

    @admin.display(description="")
    def reassign_link(self, assignment: Assignment) -> str:
        return _reassign_link(assignment)

    @admin.action(description=_("Reassign the selected open tasks"))
    def reassign_selected(self, request: HttpRequest, queryset: QuerySet):
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        return redirect(
            reverse("admin:approvals_assignment_reassign_many") + f"?ids={ids}"
        )

    def get_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:assignment_id>/reassign/",
                wrap(self.reassign_view),
                name="approvals_assignment_reassign",
            ),
            path(
                "reassign/",
                wrap(self.reassign_view),
                name="approvals_assignment_reassign_many",
            ),
            *super().get_urls(),
        ]

    def has_reassign_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("approvals.change_assignment")

    def reassign_view(
        self, request: HttpRequest, assignment_id: int | None = None
    ) -> HttpResponse:
        """Give one or more open tasks to another approver."""
        if not self.has_reassign_permission(request):
            raise PermissionDenied
        if assignment_id is not None:
            assignments = [get_object_or_404(Assignment, pk=assignment_id)]
        else:
            ids = [
                int(part)
                for part in request.GET.get("ids", "").split(",")
                if part.isdigit()
            ]
            assignments = list(
                Assignment.objects.filter(pk__in=ids).select_related(
                    "step__request", "approver"
                )
            )
        open_assignments = [a for a in assignments if _can_reassign(a)]
        if not open_assignments:
            self.message_user(
                request,
                _("Only open tasks of pending steps can be reassigned."),
                messages.WARNING,
            )
            return redirect("admin:approvals_assignment_changelist")
        form = ReassignForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            self._reassign(request, open_assignments, form.cleaned_data["to_user"])
            return redirect("admin:approvals_assignment_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Reassign approval tasks"),
            "form": form,
            "assignments": open_assignments,
            "skipped": len(assignments) - len(open_assignments),
        }
        return TemplateResponse(
            request, "admin/approvals/assignment/reassign.html", context
        )

    def _reassign(self, request: HttpRequest, assignments, to_user: User) -> None:
        for assignment in assignments:
            try:
                engine.reassign(assignment, to_user=to_user, by=request.user)
            except ApprovalError as error:
                self.message_user(
                    request,
                    f"{assignment.step.request.title}: {error.message}",
                    messages.ERROR,
                )
            else:
                self.message_user(
                    request,
                    _("%(document)s, step %(step)s: reassigned to %(name)s.")
                    % {
                        "document": assignment.step.request.title,
                        "step": assignment.step.name,
                        "name": to_user.get_full_name() or to_user.username,
                    },
                    messages.SUCCESS,
                )


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = ["approver", "stand_in", "start_date", "end_date", "cancelled_at"]
    list_filter = ["start_date"]
    search_fields = ["approver__username", "stand_in__username"]
    autocomplete_fields = ["approver", "stand_in"]
