"""The Dutch default chart of accounts and VAT codes."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from fiat.ledger.models import Account, VatCategory, VatCode


@pytest.mark.django_db
def test_dutch_rates_are_installed():
    assert VatCode.objects.get(code="V21").rate == Decimal("21.00")
    assert VatCode.objects.get(code="V9").rate == Decimal("9.00")


@pytest.mark.django_db
def test_reverse_charge_purchase_books_both_sides():
    reverse_charge = VatCode.objects.get(code="IEU")

    assert reverse_charge.category == VatCategory.REVERSE_CHARGE
    assert reverse_charge.rate == Decimal("0.00")
    assert reverse_charge.reverse_charge_rate == Decimal("21.00")
    assert reverse_charge.vat_account.code == "1540"
    assert reverse_charge.reverse_charge_account.code == "1520"


@pytest.mark.django_db
def test_every_rated_code_has_a_vat_account():
    for vat_code in VatCode.objects.all():
        vat_code.full_clean()


@pytest.mark.django_db
def test_exempt_code_with_a_rate_is_invalid():
    vat_code = VatCode(
        code="BAD",
        name="Fout",
        name_en="Wrong",
        direction="sales",
        category=VatCategory.EXEMPT,
        rate=Decimal("21"),
        vat_account=Account.objects.get(code="1500"),
    )

    with pytest.raises(ValidationError) as raised:
        vat_code.full_clean()

    assert "rate" in raised.value.message_dict
