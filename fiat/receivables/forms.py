"""Forms of the sales invoice pages: a new draft, its header and its lines."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fiat.core.models import Party
from fiat.ledger.models import VatCode, VatDirection
from fiat.receivables.drafting import LineData
from fiat.receivables.models import Product, SalesInvoice


class NewDraftForm(forms.Form):
    customer = forms.ModelChoiceField(
        label=_("Customer"),
        queryset=Party.objects.filter(is_customer=True, is_active=True).order_by(
            "name"
        ),
    )


class DraftHeaderForm(forms.ModelForm):
    class Meta:
        model = SalesInvoice
        fields = [
            "issue_date",
            "buyer_reference",
            "order_reference",
            "prices_include_vat",
            "note",
        ]
        widgets = {
            "issue_date": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }


class LineForm(forms.Form):
    product = forms.ModelChoiceField(
        label=_("Product"),
        queryset=Product.objects.filter(is_active=True),
        required=False,
    )
    description = forms.CharField(
        label=_("Description"), max_length=300, required=False
    )
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=14, decimal_places=4)
    unit_price = forms.DecimalField(
        label=_("Unit price"),
        max_digits=18,
        decimal_places=4,
        min_value=0,
        required=False,
    )
    discount_percent = forms.DecimalField(
        label=_("Discount %"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        initial=0,
        required=False,
    )
    vat_code = forms.ModelChoiceField(
        label=_("VAT"),
        queryset=VatCode.objects.filter(direction=VatDirection.SALES, is_active=True),
        required=False,
    )

    def clean(self) -> dict:
        data = super().clean()
        if self.errors or not data:
            return data
        product = data.get("product")
        if product is None and not data.get("description"):
            self.add_error("description", _("Enter a description or choose a product."))
        if product is None and data.get("unit_price") is None:
            self.add_error("unit_price", _("Enter a price or choose a product."))
        if product is None and data.get("vat_code") is None:
            self.add_error("vat_code", _("Choose a VAT code or a product."))
        return data

    def line_data(self) -> LineData:
        data = self.cleaned_data
        return LineData(
            description=data.get("description") or "",
            quantity=data["quantity"],
            unit_price=data.get("unit_price"),
            vat_code=data.get("vat_code"),
            product=data.get("product"),
            discount_percent=data.get("discount_percent") or 0,
        )


LineFormSet = forms.formset_factory(LineForm, extra=1, can_delete=True)


def line_initial(invoice: SalesInvoice) -> list[dict]:
    return [
        {
            "product": line.product_id,
            "description": line.description,
            "quantity": _plain(line.quantity),
            "unit_price": _plain(line.unit_price),
            "discount_percent": _plain(line.discount_percent),
            "vat_code": line.vat_code_id,
        }
        for line in invoice.lines.all()
    ]


def _plain(value) -> str:
    """Return a decimal without trailing zeros and without an exponent."""
    return format(value.normalize(), "f")
