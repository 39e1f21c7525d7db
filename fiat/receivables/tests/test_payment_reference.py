"""Betalingskenmerk and ISO 11649 payment references."""

import pytest
from stdnum import iso11649

from fiat.receivables.payment_reference import (
    InvalidPaymentReferenceError,
    betalingskenmerk_check_digit,
    clean_betalingskenmerk,
    clean_rf_reference,
    is_valid_payment_reference,
    make_betalingskenmerk,
    make_rf_reference,
)


def test_betalingskenmerk_published_example():
    # The example of the Betaalvereniging: check digit 5 before
    # 000056789012345, from a weighted sum of 215.
    assert betalingskenmerk_check_digit("000056789012345") == "5"
    assert make_betalingskenmerk(56789012345) == "5000056789012345"


def test_betalingskenmerk_rightmost_digit_weighs_two():
    # 1 * 2 = 2, and 11 - 2 = 9.
    assert betalingskenmerk_check_digit("000000000000001") == "9"


def test_betalingskenmerk_weights_repeat_after_ten():
    # The 11th digit from the right weighs 2 again: 11 - 2 = 9.
    assert betalingskenmerk_check_digit("000010000000000") == "9"


def test_betalingskenmerk_check_digit_ten_becomes_one():
    # 6 * 2 = 12, remainder 1, and 11 - 1 = 10 is written as 1.
    assert betalingskenmerk_check_digit("000000000000006") == "1"


def test_betalingskenmerk_check_digit_eleven_becomes_zero():
    assert betalingskenmerk_check_digit("000000000000000") == "0"


def test_clean_betalingskenmerk_accepts_spaces():
    assert clean_betalingskenmerk("5000 0567 8901 2345") == "5000056789012345"


def test_clean_betalingskenmerk_rejects_wrong_check_digit():
    with pytest.raises(InvalidPaymentReferenceError, match="check digit"):
        clean_betalingskenmerk("4000056789012345")


def test_clean_betalingskenmerk_rejects_short():
    with pytest.raises(InvalidPaymentReferenceError, match="16 digits"):
        clean_betalingskenmerk("500005678901234")


def test_betalingskenmerk_rejects_too_large_number():
    with pytest.raises(InvalidPaymentReferenceError):
        make_betalingskenmerk(10**15)


def test_rf_reference_standard_example():
    # ISO 11649's own example: RF18 5390 0754 7034.
    assert make_rf_reference("539007547034") == "RF18539007547034"


def test_rf_reference_from_invoice_number():
    reference = make_rf_reference("F2026-00042")

    assert reference.startswith("RF")
    assert reference.endswith("F202600042")
    assert iso11649.is_valid(reference)


def test_rf_reference_rejects_long_body():
    with pytest.raises(InvalidPaymentReferenceError, match="1 to 21"):
        make_rf_reference("1" * 22)


def test_clean_rf_reference_rejects_wrong_digits():
    with pytest.raises(InvalidPaymentReferenceError):
        clean_rf_reference("RF19539007547034")


def test_is_valid_payment_reference():
    assert is_valid_payment_reference("5000056789012345")
    assert is_valid_payment_reference("RF18 5390 0754 7034")
    assert not is_valid_payment_reference("5000056789012346")
