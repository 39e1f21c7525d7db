"""Admin for mailboxes, received mail, documents and stored files.

The form never shows the stored mailbox password, and leaving the field
empty keeps it. Documents and mail are records of
what arrived, so they are read-only, with actions to read a document again
and to poll a mailbox now.
"""

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from fiat.documents.imap import MailboxPollError, poll_mailbox
from fiat.documents.lifecycle import InvalidTransitionError
from fiat.documents.models import (
    RETRYABLE_STATUSES,
    Document,
    DocumentStatus,
    InboundMessage,
    Mailbox,
    StoredFile,
)
from fiat.documents.reading import enqueue_read, retry_document


class MailboxForm(forms.ModelForm):
    password = forms.CharField(
        label=_("password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Leave empty to keep the stored password."),
    )

    class Meta:
        model = Mailbox
        fields = [
            "name",
            "enabled",
            "host",
            "port",
            "security",
            "username",
            "password",
            "folder",
            "processed_folder",
            "quarantine_folder",
        ]

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if password:
            return password
        if self.instance.pk:
            return Mailbox.objects.get(pk=self.instance.pk).password
        raise forms.ValidationError(
            _("Enter the password of the mail account."), code="required"
        )


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    form = MailboxForm
    list_display = [
        "name",
        "username",
        "host",
        "enabled",
        "last_polled_at",
        "last_error_short",
    ]
    list_filter = ["enabled"]
    readonly_fields = ["last_polled_at", "last_error", "created_at"]
    fieldsets = [
        (None, {"fields": ["name", "enabled"]}),
        (
            _("Server"),
            {"fields": ["host", "port", "security", "username", "password"]},
        ),
        (
            _("Folders"),
            {"fields": ["folder", "processed_folder", "quarantine_folder"]},
        ),
        (_("Status"), {"fields": ["last_polled_at", "last_error", "created_at"]}),
    ]
    actions = ["poll_now"]

    @admin.display(description=_("last error"))
    def last_error_short(self, mailbox: Mailbox) -> str:
        return mailbox.last_error[:80]

    @admin.action(description=_("Poll the selected mailboxes now"))
    def poll_now(self, request: HttpRequest, queryset: QuerySet[Mailbox]) -> None:
        for mailbox in queryset:
            try:
                result = poll_mailbox(mailbox)
            except MailboxPollError as error:
                self.message_user(request, f"{mailbox}: {error}", messages.ERROR)
                continue
            self.message_user(
                request,
                _(
                    "%(mailbox)s: %(taken_in)d mails taken in, %(quarantined)d "
                    "quarantined, %(duplicates)d seen before, %(failed)d failed."
                )
                % {
                    "mailbox": mailbox,
                    "taken_in": result.taken_in,
                    "quarantined": result.quarantined,
                    "duplicates": result.duplicates,
                    "failed": result.failed,
                },
                messages.WARNING if result.failed else messages.SUCCESS,
            )


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class DocumentInline(admin.TabularInline):
    model = Document
    fields = ["filename", "status", "error_code", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(InboundMessage)
class InboundMessageAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "sender", "subject", "mailbox", "channel"]
    list_filter = ["channel", "mailbox"]
    search_fields = ["subject", "sender", "message_id"]
    date_hierarchy = "received_at"
    fields = [
        "channel",
        "mailbox",
        "message_id",
        "sender",
        "subject",
        "sent_at",
        "received_at",
        "raw_mail_link",
    ]
    readonly_fields = fields
    inlines = [DocumentInline]

    @admin.display(description=_("raw mail"))
    def raw_mail_link(self, message: InboundMessage) -> str:
        url = reverse("documents:message-original", args=[message.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download .eml"))


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "filename",
        "status",
        "channel",
        "source",
        "error_code",
        "attempts",
    ]
    list_filter = ["status", "channel", "source", "error_code"]
    search_fields = ["filename", "stored_file__sha256", "message__subject"]
    date_hierarchy = "created_at"
    fields = [
        "filename",
        "original_link",
        "status",
        "channel",
        "message",
        "received_by",
        "companion",
        "source",
        "page_count",
        "error_code",
        "error_message",
        "attempts",
        "extraction",
        "created_at",
        "read_at",
    ]
    readonly_fields = fields
    actions = ["read_again"]

    @admin.display(description=_("original"))
    def original_link(self, document: Document) -> str:
        url = reverse("documents:original", args=[document.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download"))

    def has_read_again_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("documents.change_document")

    @admin.action(
        description=_("Read the selected documents again"),
        permissions=["read_again"],
    )
    def read_again(self, request: HttpRequest, queryset: QuerySet[Document]) -> None:
        # Listed before the retries, which make documents RECEIVED too.
        waiting = list(queryset.filter(status=DocumentStatus.RECEIVED))
        retried = 0
        for document in queryset.filter(status__in=RETRYABLE_STATUSES):
            try:
                retry_document(document, actor=request.user)
            except InvalidTransitionError:
                # A worker is still reading it.
                continue
            retried += 1
        for document in waiting:
            enqueue_read(document.pk)
        skipped = queryset.count() - retried - len(waiting)
        self.message_user(
            request,
            _(
                "%(retried)d documents sent to be read again, %(waiting)d "
                "waiting ones queued again, %(skipped)d read or being read."
            )
            % {"retried": retried, "waiting": len(waiting), "skipped": skipped},
            messages.SUCCESS,
        )


@admin.register(StoredFile)
class StoredFileAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "sha256", "content_type", "size"]
    list_filter = ["content_type"]
    search_fields = ["sha256"]
    fields = ["sha256", "file", "size", "content_type", "created_at"]
    readonly_fields = fields
