"""Admin pages for the chart of accounts and VAT codes."""

from django.contrib import admin

from fiat.ledger.models import Account, VatCode


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
