"""Outbox admin: recorded mail is read-only, with a resend action."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from fiat.notifications.delivery import Delivery, configured_delivery, resend_failed
from fiat.notifications.models import MailAttachment, MailStatus, OutgoingMail


class MailAttachmentInline(admin.TabularInline):
    model = MailAttachment
    fields = ["position", "name", "content_type", "size", "file"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "recipient_list",
        "subject",
        "status",
        "attempts",
        "template_name",
    ]
    list_filter = ["status", "template_name", "language"]
    search_fields = ["subject", "recipients__address"]
    date_hierarchy = "created_at"
    inlines = [MailAttachmentInline]
    actions = ["resend"]

    @admin.display(description=_("to"))
    def recipient_list(self, mail: OutgoingMail) -> str:
        return ", ".join(mail.to)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_resend_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("notifications.change_outgoingmail")

    @admin.action(description=_("Resend failed mail"), permissions=["resend"])
    def resend(self, request: HttpRequest, queryset: QuerySet[OutgoingMail]) -> None:
        if configured_delivery() is not Delivery.SMTP:
            self.message_user(
                request,
                _(
                    "Mail delivery is off (FIAT_EMAIL_DELIVERY=none), so nothing "
                    "was resent."
                ),
                messages.WARNING,
            )
            return
        skipped = queryset.exclude(status=MailStatus.FAILED).count()
        sent, failed = resend_failed(queryset.filter(status=MailStatus.FAILED))
        self.message_user(
            request,
            _(
                "Resent: %(sent)d sent, %(failed)d failed again, %(skipped)d "
                "skipped because they had not failed."
            )
            % {"sent": sent, "failed": failed, "skipped": skipped},
            messages.WARNING if failed else messages.SUCCESS,
        )
