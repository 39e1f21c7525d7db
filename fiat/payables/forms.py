"""Forms of the review screen: the invoice's fields and its lines.

Amounts are typed the way people write them ("1.234,56" or "1,234.56") and
parsed by ``fiat.core.money.parse_amount``. The form has no status field, so
a status sent with it is ignored: the status changes only through
``fiat.payables.workflow``.
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import get_format, number_format
from django.utils.translation import gettext_lazy as _

from fiat.core import identifiers
from fiat.core.models import CostCentre, Party, Project
from fiat.core.money import AmbiguousAmountError, AmountError, parse_amount
from fiat.ledger.models import Account, VatCode, VatDirection
from fiat.payables.models import PurchaseInvoice, PurchaseInvoiceLine

# The invoice fields on the review screen, in tab order, by group.
FIELD_GROUPS = (
    (
        _("Supplier"),
        (
            "supplier",
            "supplier_name",
            "supplier_vat_number",
            "supplier_coc_number",
        ),
    ),
    (
        _("Invoice"),
        ("document_type", "invoice_number", "issue_date", "due_date", "po_reference"),
    ),
    (
        _("Amounts"),
        (
            "currency",
            "total_net_amount",
            "total_vat_amount",
            "total_gross_amount",
            "amount_due",
        ),
    ),
    (_("Payment"), ("iban", "payment_reference")),
    (_("Coding"), ("ledger_account", "vat_code", "cost_centre", "project")),
)
REVIEW_FIELDS = [name for _group, names in FIELD_GROUPS for name in names]


class AmountInput(forms.TextInput):
    """A text box for an amount, with the numeric keyboard on phones.

    Shows at least ``min_decimals`` decimals and no trailing zeros beyond
    them: 12.500000 as 12.50, a quantity of 2500.0000 as 2500.
    """

    input_type = "text"

    def __init__(self, attrs: dict | None = None, *, min_decimals: int = 2) -> None:
        super().__init__(
            {"inputmode": "decimal", "autocomplete": "off", **(attrs or {})}
        )
        self.min_decimals = min_decimals

    def format_value(self, value) -> str | None:
        if isinstance(value, Decimal):
            return number_format(_trim(value, self.min_decimals), use_l10n=True)
        return super().format_value(value)


def _trim(value: Decimal, min_decimals: int) -> Decimal:
    normalised = value.normalize()
    if normalised.as_tuple().exponent < -min_decimals:
        return normalised
    return value.quantize(Decimal(1).scaleb(-min_decimals))


class AmountField(forms.DecimalField):
    """A decimal typed in Dutch or English notation."""

    widget = AmountInput

    def to_python(self, value) -> Decimal | None:
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        text = str(value).strip()
        try:
            return parse_amount(text)
        except AmbiguousAmountError:
            # "1.250" is 1250 in Dutch and 1.25 in English: the language of
            # the page decides.
            return parse_amount(text, decimal_separator=get_format("DECIMAL_SEPARATOR"))
        except AmountError as error:
            raise ValidationError(
                _("Enter an amount such as 1234,56 or 1234.56."), code="invalid"
            ) from error


class InvoiceReviewForm(forms.ModelForm):
    """The fields the clerk checks and corrects, and the coding."""

    class Meta:
        model = PurchaseInvoice
        fields = REVIEW_FIELDS
        field_classes = {
            "total_net_amount": AmountField,
            "total_vat_amount": AmountField,
            "total_gross_amount": AmountField,
            "amount_due": AmountField,
        }
        widgets = {
            "issue_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "currency": forms.TextInput(
                attrs={"size": 3, "autocapitalize": "characters"}
            ),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["supplier"].queryset = Party.objects.filter(
            is_supplier=True, is_active=True
        )
        fields["ledger_account"].queryset = Account.objects.filter(is_active=True)
        fields["vat_code"].queryset = VatCode.objects.filter(
            is_active=True, direction=VatDirection.PURCHASES
        )
        fields["cost_centre"].queryset = CostCentre.objects.filter(is_active=True)
        fields["project"].queryset = Project.objects.filter(is_active=True)
        for name in ("total_net_amount", "total_vat_amount", "total_gross_amount"):
            fields[name].required = False

    def clean_currency(self) -> str:
        currency = self.cleaned_data["currency"].strip().upper()
        if len(currency) != 3 or not currency.isalpha():
            raise ValidationError(_("Enter an ISO 4217 code such as EUR."))
        return currency

    def clean_iban(self) -> str:
        return _compact(identifiers.clean_iban, self.cleaned_data["iban"])

    def clean_supplier_vat_number(self) -> str:
        return _compact(
            identifiers.clean_vat_number, self.cleaned_data["supplier_vat_number"]
        )

    def clean_supplier_coc_number(self) -> str:
        return _compact(
            identifiers.clean_coc_number, self.cleaned_data["supplier_coc_number"]
        )


def _compact(clean, value: str) -> str:
    """Store a valid identifier compact; keep an invalid one for the checks."""
    value = value.strip()
    if not value:
        return ""
    try:
        return clean(value)
    except identifiers.InvalidIdentifierError:
        return value


class InvoiceLineForm(forms.ModelForm):
    class Meta:
        model = PurchaseInvoiceLine
        fields = ["description", "quantity", "unit_price", "net_amount", "vat_rate"]
        labels = {"net_amount": _("Amount excl. VAT"), "vat_rate": _("VAT %")}
        widgets = {
            "quantity": AmountInput(min_decimals=0),
            "vat_rate": AmountInput(min_decimals=0),
        }
        field_classes = {
            "quantity": AmountField,
            "unit_price": AmountField,
            "net_amount": AmountField,
            "vat_rate": AmountField,
        }


InvoiceLineFormSet = forms.inlineformset_factory(
    PurchaseInvoice,
    PurchaseInvoiceLine,
    form=InvoiceLineForm,
    extra=1,
    can_delete=True,
)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_("Such as: duplicate of invoice 12, or not an invoice."),
    )


class ReturnToReviewForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_("Such as: cost centre corrected after the rejection."),
    )
