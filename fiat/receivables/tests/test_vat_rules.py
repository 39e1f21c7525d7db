"""VAT treatment by customer country, VAT number and kind."""

from fiat.receivables.vat_rules import (
    DOMESTIC,
    EXPORT,
    REVERSE_CHARGE,
    decide_vat_treatment,
    has_valid_vat_number,
)

# Valid numbers of the format and check-digit rules (python-stdnum).
GERMAN_VAT = "DE136695976"
BELGIAN_VAT = "BE0403019261"


def test_dutch_customer_is_domestic():
    assert decide_vat_treatment("NL", "NL000099998B57", is_consumer=False) == DOMESTIC


def test_eu_business_with_valid_number_is_reverse_charge():
    assert decide_vat_treatment("DE", GERMAN_VAT, is_consumer=False) == REVERSE_CHARGE


def test_eu_business_without_number_pays_dutch_vat():
    assert decide_vat_treatment("DE", "", is_consumer=False) == DOMESTIC


def test_eu_business_with_invalid_number_pays_dutch_vat():
    assert decide_vat_treatment("DE", "DE136695977", is_consumer=False) == DOMESTIC


def test_eu_consumer_pays_dutch_vat():
    assert decide_vat_treatment("BE", BELGIAN_VAT, is_consumer=True) == DOMESTIC


def test_number_of_other_country_is_not_accepted():
    assert decide_vat_treatment("BE", GERMAN_VAT, is_consumer=False) == DOMESTIC


def test_customer_outside_eu_is_export():
    assert decide_vat_treatment("US", "", is_consumer=False) == EXPORT
    assert decide_vat_treatment("CH", "", is_consumer=True) == EXPORT


def test_greek_number_starts_with_el():
    assert has_valid_vat_number("GR", "EL094259216")
    assert not has_valid_vat_number("GR", "")
