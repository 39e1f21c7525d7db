"""Admin pages for the company, people, parties and reference data."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from fiat.core.models import (
    ApiToken,
    Budget,
    Company,
    CostCentre,
    ExchangeRate,
    NumberSequence,
    Party,
    Project,
    RoleGrant,
    User,
)


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 1
    fields = ["role"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [RoleGrantInline]
    list_display = ["username", "first_name", "last_name", "email", "manager",
                    "language", "is_active"]
    list_select_related = ["manager"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Fiat"), {"fields": ("language", "manager", "iban")}),
    )
    autocomplete_fields = ["manager"]


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "vat_number", "coc_number", "iban"]


class BudgetInline(admin.TabularInline):
    model = Budget
    extra = 0


@admin.register(CostCentre)
class CostCentreAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "budget_holder", "is_active"]
    search_fields = ["code", "name"]
    inlines = [BudgetInline]
    autocomplete_fields = ["budget_holder"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "lead", "cost_centre", "customer", "is_active"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["lead", "cost_centre", "customer"]


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ["name", "is_supplier", "is_customer", "vat_number",
                    "coc_number", "iban", "payment_terms_days"]
    list_filter = ["is_supplier", "is_customer", "country", "is_active"]
    search_fields = ["name", "vat_number", "coc_number", "iban"]
    autocomplete_fields = ["default_ledger_account", "default_vat_code"]


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ["currency", "rate_date", "rate", "source"]
    list_filter = ["currency"]
    date_hierarchy = "rate_date"


@admin.register(NumberSequence)
class NumberSequenceAdmin(admin.ModelAdmin):
    list_display = ["name", "period", "last_number"]
    # Numbers are taken only by the code that issues them, so the series
    # stays gap-free; the admin shows them and nothing more.
    readonly_fields = ["name", "period", "last_number", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at",
                    "revoked_at"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at"]
    exclude = ["digest"]

    def has_add_permission(self, request) -> bool:
        # A token is created with `fiat token create`, which shows it once.
        return False
