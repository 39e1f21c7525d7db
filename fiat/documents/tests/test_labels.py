"""Labels, amounts and references found in printed text."""

import re
from decimal import Decimal

import pytest

from fiat.documents.extraction.amounts import (
    detect_decimal_separator,
    find_amounts,
    find_rates,
)
from fiat.documents.extraction.fields import parse_reference
from fiat.documents.extraction.labels import _PATTERNS, Label, find_labels


def labels_in(text: str) -> list[tuple[Label, str]]:
    return [(match.label, text[match.start : match.end]) for match in find_labels(text)]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Factuurnummer", Label.INVOICE_NUMBER),
        ("Invoice number", Label.INVOICE_NUMBER),
        ("Rechnungsnummer", Label.INVOICE_NUMBER),
        ("Numéro de facture", Label.INVOICE_NUMBER),
        ("Factuurdatum", Label.ISSUE_DATE),
        ("Invoice date", Label.ISSUE_DATE),
        ("Rechnungsdatum", Label.ISSUE_DATE),
        ("Date de facture", Label.ISSUE_DATE),
        ("Vervaldatum", Label.DUE_DATE),
        ("Due date", Label.DUE_DATE),
        ("Fällig am", Label.DUE_DATE),
        ("Échéance", Label.DUE_DATE),
        ("Totaal", Label.TOTAL_GROSS),
        ("Total", Label.TOTAL_GROSS),
        ("Gesamtbetrag", Label.TOTAL_GROSS),
        ("Total TTC", Label.TOTAL_GROSS),
        ("Subtotaal", Label.TOTAL_NET),
        ("Net amount", Label.TOTAL_NET),
        ("Nettobetrag", Label.TOTAL_NET),
        ("Total HT", Label.TOTAL_NET),
        ("BTW", Label.TOTAL_VAT),
        ("VAT", Label.TOTAL_VAT),
        ("MwSt", Label.TOTAL_VAT),
        ("USt", Label.TOTAL_VAT),
        ("TVA", Label.TOTAL_VAT),
        ("Te betalen", Label.AMOUNT_DUE),
        ("Amount due", Label.AMOUNT_DUE),
        ("Zu zahlen", Label.AMOUNT_DUE),
        ("Net à payer", Label.AMOUNT_DUE),
        ("IBAN", Label.IBAN),
        ("BIC", Label.BIC),
        ("KvK-nummer", Label.COC_NUMBER),
        ("BTW-nummer", Label.VAT_NUMBER),
        ("VAT number", Label.VAT_NUMBER),
        ("USt-IdNr.", Label.VAT_NUMBER),
        ("TVA intracommunautaire", Label.VAT_NUMBER),
        ("Ordernummer", Label.PO_REFERENCE),
        ("PO number", Label.PO_REFERENCE),
        ("Bestellnummer", Label.PO_REFERENCE),
        ("Bon de commande", Label.PO_REFERENCE),
        ("Betalingskenmerk", Label.PAYMENT_REFERENCE),
        ("Payment reference", Label.PAYMENT_REFERENCE),
    ],
)
def test_label_in_each_language(text, label):
    assert labels_in(text) == [(label, text)]


def test_longest_label_wins():
    text = "Exclusief BTW  Prijs incl. BTW  BTW-nummer  Subtotaal  Factuur totaal"

    assert labels_in(text) == [
        (Label.TOTAL_NET, "Exclusief BTW"),
        (Label.TOTAL_GROSS, "incl. BTW"),
        (Label.VAT_NUMBER, "BTW-nummer"),
        (Label.TOTAL_NET, "Subtotaal"),
        (Label.TOTAL_GROSS, "Factuur totaal"),
    ]


def test_same_label_twice_in_one_text():
    assert labels_in("Total 10,00 Total 12,10") == [
        (Label.TOTAL_GROSS, "Total"),
        (Label.TOTAL_GROSS, "Total"),
    ]


def test_labels_of_two_kinds_in_one_text():
    # "Invoice" alone is a weak invoice-number label and "date" a weak date
    # label. Both lose to the longer labels that contain them.
    assert labels_in("Invoice date Due date") == [
        (Label.ISSUE_DATE, "Invoice date"),
        (Label.DUE_DATE, "Due date"),
    ]


def test_label_touching_its_value():
    assert labels_in("Facture n°562044387") == [(Label.INVOICE_NUMBER, "Facture n°")]


def test_label_inside_a_word_is_not_a_label():
    assert labels_in("Datumstempel totaalbedragen") == []


def amounts_in(text: str) -> list[Decimal]:
    return [match.value for match in find_amounts(text)]


def test_amount_with_decimal_comma_and_euro_sign():
    assert amounts_in("Total TTC : 27,80 €") == [Decimal("27.80")]


def test_amount_with_space_thousands_read_both_ways():
    # "1 234,56" is one amount, but a space also separates table columns, so
    # the second reading is kept for the arithmetic to decide.
    assert amounts_in("Total : 1 234,56 €") == [Decimal("1234.56"), Decimal("234.56")]


def test_negative_amount_after_currency_sign():
    assert amounts_in("Totaalbedrag € -3.374,27") == [Decimal("-3374.27")]


def test_trailing_minus():
    assert amounts_in("Korting 120,00-") == [Decimal("-120.00")]


def test_percentages_are_rates_not_amounts():
    text = "BTW 21% € 124,61"

    assert amounts_in(text) == [Decimal("124.61")]
    assert find_rates(text) == [Decimal("21")]


def test_french_rate_with_decimal_comma():
    assert find_rates("TVA 5,5 %") == [Decimal("5.5")]


def test_integer_needs_currency_marker():
    assert amounts_in("Klantnummer 6669263, Rs 1939") == [Decimal("1939")]


def test_label_patterns_have_no_capitals():
    # find_labels searches lowercased ASCII text without ignoring case.
    for entries in _PATTERNS.values():
        for pattern, _ in entries:
            assert not re.search(r"[A-Z]", re.sub(r"\\.", "", pattern)), pattern


@pytest.mark.parametrize(
    "text",
    ["INVOICE NUMBER: 12", "Invoice Number: 12", "invoice number: 12"],
)
def test_labels_found_in_any_case(text):
    assert labels_in(text) == [(Label.INVOICE_NUMBER, text[:14])]


@pytest.mark.parametrize("text", ["NUMÉRO DE FACTURE", "Numéro de facture"])
def test_labels_found_in_any_case_beyond_ascii(text):
    assert labels_in(text) == [(Label.INVOICE_NUMBER, text)]


def test_identifiers_are_not_amounts():
    assert amounts_in("BTW NL810433941B01 IBAN NL50INGB0683251309") == []


def test_currency_of_amount():
    currencies = [match.currency for match in find_amounts("$4.11 / 9,34 € / RM 9.00")]

    assert currencies == ["USD", "EUR", "MYR"]


def test_ambiguous_amount_settled_by_document_separator():
    assert find_amounts("1.355 EUR") == []
    assert find_amounts("1.355 EUR", decimal_separator=",")[0].value == Decimal("1355")


def test_decimal_separator_of_document():
    assert detect_decimal_separator(["€ 593,36", "€ 124,61", "1.5 kg"]) == ","


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("993548900", "993548900"),
        (": # BLR_WFLD20151000982590", "BLR_WFLD20151000982590"),
        ("n°562044387 du 02 Juillet 2015", "562044387"),
        ("INV/2023/03/0008", "INV/2023/03/0008"),
        ("RF18 5390 0754 7034", "RF18539007547034"),
        ("RF39 CW20 2510 457", "RF39CW202510457"),
        ("RF39CW202510457.", "RF39CW202510457"),
        ("RF39 CW20 2510 457 IBAN DE89", "RF39CW202510457"),
        ("1234 5678 9012 3456", "1234567890123456"),
        ("Seite 1", None),
        ("12.03.2024", None),
        ("121,00", None),
    ],
)
def test_parse_reference(text, expected):
    assert parse_reference(text) == expected
