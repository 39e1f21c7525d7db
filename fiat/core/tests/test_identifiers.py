"""IBAN, BIC, VAT and KvK numbers: normalised, then checked."""

import pytest

from fiat.core.identifiers import (
    InvalidIdentifierError,
    clean_bic,
    clean_coc_number,
    clean_iban,
    clean_vat_number,
    is_valid_iban,
)


def test_iban_is_compacted():
    assert clean_iban("nl91 abna 0417 1643 00") == "NL91ABNA0417164300"


def test_iban_with_wrong_check_digits_is_invalid():
    with pytest.raises(InvalidIdentifierError) as raised:
        clean_iban("NL92ABNA0417164300")

    assert raised.value.kind == "IBAN"
    assert "NL92ABNA0417164300" in str(raised.value)


def test_iban_boolean_wrapper():
    assert is_valid_iban("DE89 3704 0044 0532 0130 00")
    assert not is_valid_iban("DE89 3704 0044 0532 0130 01")


def test_bic_is_compacted():
    assert clean_bic("abna nl 2a") == "ABNANL2A"


def test_dutch_vat_number_keeps_prefix():
    assert clean_vat_number("NL 0812.34.569.B01") == "NL081234569B01"


def test_vat_number_with_bad_checksum_is_invalid():
    with pytest.raises(InvalidIdentifierError):
        clean_vat_number("NL081234568B01")


def test_coc_number_needs_eight_digits():
    assert clean_coc_number("8123 4567") == "81234567"
    with pytest.raises(InvalidIdentifierError):
        clean_coc_number("1234567")
