"""Read-only admin pages for audit events and seals.

No user may add, change or delete a record here, superusers included, because
the audit trail is append-only. Viewing needs the view permission.
"""

from django.contrib import admin
from django.http import HttpRequest

from fiat.audit.models import AuditEvent, AuditSeal


class ReadOnlyAdmin(admin.ModelAdmin):
    # Counting every row of a large trail on each page load is slow.
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = (
        "occurred_at",
        "action",
        "object_type",
        "object_id",
        "sequence",
        "actor_label",
        "seal__sequence",
    )
    list_filter = ("action", "object_type")
    # An exact match, so the lookup uses the index on object_id.
    search_fields = ("=object_id",)
    ordering = ("-occurred_at", "-id")
    list_select_related = ("seal",)


@admin.register(AuditSeal)
class AuditSealAdmin(ReadOnlyAdmin):
    list_display = ("sequence", "sealed_at", "event_count", "hash")
    ordering = ("-sequence",)
