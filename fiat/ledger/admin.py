"""Admin pages for the chart of accounts, VAT codes and the journal.

Journal entries and lines are read-only here: they are posted and reversed
only through ``fiat.ledger.posting``.
"""

from django.contrib import admin

from fiat.ledger.models import Account, JournalEntry, JournalLine, VatCode


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "account_type", "is_active"]
    list_filter = ["account_type", "is_active"]
    search_fields = ["code", "name", "name_en"]


@admin.register(VatCode)
class VatCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "direction", "category", "rate",
                    "vat_account", "is_active"]
    list_filter = ["direction", "category", "is_active"]
    search_fields = ["code", "name", "name_en"]
    autocomplete_fields = ["vat_account", "reverse_charge_account"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """List and show posted rows, without add, change or delete."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class JournalLineInline(admin.TabularInline):
    model = JournalLine
    fields = ["position", "account", "debit", "credit", "description",
              "vat_code", "cost_centre", "project", "party",
              "original_currency", "original_amount"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(JournalEntry)
class JournalEntryAdmin(ReadOnlyAdmin):
    list_display = ["number", "entry_date", "description", "purpose",
                    "source_kind", "source_id", "created_by"]
    list_filter = ["purpose", "source_kind", "entry_date"]
    search_fields = ["number", "description", "source_id"]
    date_hierarchy = "entry_date"
    inlines = [JournalLineInline]


@admin.register(JournalLine)
class JournalLineAdmin(ReadOnlyAdmin):
    list_display = ["entry", "position", "account", "debit", "credit",
                    "description", "party"]
    list_filter = ["account"]
    search_fields = ["entry__number", "description"]
    list_select_related = ["entry", "account", "party"]
