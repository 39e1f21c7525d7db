"""Tests for reading UBL 2.1 invoices and credit notes (Peppol BIS 3, NLCIUS)."""

from datetime import date
from decimal import Decimal

from fiat.documents.extraction.einvoice import read_einvoice
from fiat.documents.extraction.result import DocumentType, Source

# An invoice (type 380) that repays a deposit on its second line: +200.00 at
# 21% and -220.00 at 0% give a total without VAT of -20.00, VAT of 42.00 and
# 22.00 to pay. It is an invoice whatever the sign of its lines.
INVOICE_WITH_NEGATIVE_LINE = b"""<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
  xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:nen.nl:nlcius:v1.0</cbc:CustomizationID>
  <cbc:ID>2024-0042</cbc:ID>
  <cbc:IssueDate>2024-03-01</cbc:IssueDate>
  <cbc:DueDate>2024-03-31</cbc:DueDate>
  <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
  <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
  <cac:OrderReference><cbc:ID>PO-7781</cbc:ID></cac:OrderReference>
  <cac:AccountingSupplierParty><cac:Party>
    <cac:PartyName><cbc:Name>Bakkerij Tromp</cbc:Name></cac:PartyName>
    <cac:PostalAddress><cac:Country><cbc:IdentificationCode>NL</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
    <cac:PartyTaxScheme>
      <cbc:CompanyID>NL001234567B01</cbc:CompanyID>
      <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>
    </cac:PartyTaxScheme>
    <cac:PartyLegalEntity>
      <cbc:RegistrationName>Bakkerij Tromp B.V.</cbc:RegistrationName>
      <cbc:CompanyID schemeID="0106">12345678</cbc:CompanyID>
    </cac:PartyLegalEntity>
  </cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party>
    <cac:PartyTaxScheme>
      <cbc:CompanyID>NL009876543B01</cbc:CompanyID>
      <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>
    </cac:PartyTaxScheme>
    <cac:PartyLegalEntity>
      <cbc:RegistrationName>Fiat Demo B.V.</cbc:RegistrationName>
    </cac:PartyLegalEntity>
  </cac:Party></cac:AccountingCustomerParty>
  <cac:PaymentMeans>
    <cbc:PaymentMeansCode>58</cbc:PaymentMeansCode>
    <cbc:PaymentID>1000 0000 2024 0042</cbc:PaymentID>
    <cac:PayeeFinancialAccount>
      <cbc:ID>NL91 ABNA 0417 1643 00</cbc:ID>
      <cac:FinancialInstitutionBranch><cbc:ID>ABNANL2A</cbc:ID></cac:FinancialInstitutionBranch>
    </cac:PayeeFinancialAccount>
  </cac:PaymentMeans>
  <cac:TaxTotal>
    <cbc:TaxAmount currencyID="EUR">42.00</cbc:TaxAmount>
    <cac:TaxSubtotal>
      <cbc:TaxableAmount currencyID="EUR">200.00</cbc:TaxableAmount>
      <cbc:TaxAmount currencyID="EUR">42.00</cbc:TaxAmount>
      <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>21</cbc:Percent>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>
    </cac:TaxSubtotal>
    <cac:TaxSubtotal>
      <cbc:TaxableAmount currencyID="EUR">-220.00</cbc:TaxableAmount>
      <cbc:TaxAmount currencyID="EUR">0.00</cbc:TaxAmount>
      <cac:TaxCategory><cbc:ID>Z</cbc:ID><cbc:Percent>0</cbc:Percent>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>
    </cac:TaxSubtotal>
  </cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="EUR">-20.00</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="EUR">-20.00</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="EUR">22.00</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="EUR">22.00</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  <cac:InvoiceLine>
    <cbc:ID>1</cbc:ID>
    <cbc:InvoicedQuantity unitCode="C62">1</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="EUR">200.00</cbc:LineExtensionAmount>
    <cac:Item><cbc:Name>Catering March</cbc:Name>
      <cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>21</cbc:Percent>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>
    </cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="EUR">200.00</cbc:PriceAmount></cac:Price>
  </cac:InvoiceLine>
  <cac:InvoiceLine>
    <cbc:ID>2</cbc:ID>
    <cbc:InvoicedQuantity unitCode="C62">-1</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="EUR">-220.00</cbc:LineExtensionAmount>
    <cac:Item><cbc:Name>Deposit repaid</cbc:Name>
      <cac:ClassifiedTaxCategory><cbc:ID>Z</cbc:ID><cbc:Percent>0</cbc:Percent>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>
    </cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="EUR">220.00</cbc:PriceAmount></cac:Price>
  </cac:InvoiceLine>
</Invoice>
"""

# A credit note of one line, 1 x 449.32 at 6%, with its due date on the
# payment means, where a UBL CreditNote states it.
CREDIT_NOTE = b"""<?xml version="1.0" encoding="UTF-8"?>
<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
  xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:ID>CN-2024-007</cbc:ID>
  <cbc:IssueDate>2024-05-14</cbc:IssueDate>
  <cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>
  <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
  <cac:AccountingSupplierParty><cac:Party>
    <cac:PartyLegalEntity>
      <cbc:RegistrationName>Drukkerij Van Dam</cbc:RegistrationName>
    </cac:PartyLegalEntity>
  </cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party>
    <cac:PartyName><cbc:Name>Fiat Demo B.V.</cbc:Name></cac:PartyName>
  </cac:Party></cac:AccountingCustomerParty>
  <cac:PaymentMeans>
    <cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>
    <cbc:PaymentDueDate>2024-06-13</cbc:PaymentDueDate>
  </cac:PaymentMeans>
  <cac:TaxTotal>
    <cbc:TaxAmount currencyID="EUR">26.96</cbc:TaxAmount>
    <cac:TaxSubtotal>
      <cbc:TaxableAmount currencyID="EUR">449.32</cbc:TaxableAmount>
      <cbc:TaxAmount currencyID="EUR">26.96</cbc:TaxAmount>
      <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>6</cbc:Percent>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>
    </cac:TaxSubtotal>
  </cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="EUR">449.32</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="EUR">449.32</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="EUR">476.28</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="EUR">476.28</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  <cac:CreditNoteLine>
    <cbc:ID>1</cbc:ID>
    <cbc:CreditedQuantity unitCode="C62">1</cbc:CreditedQuantity>
    <cbc:LineExtensionAmount currencyID="EUR">449.32</cbc:LineExtensionAmount>
    <cac:Item><cbc:Name>Brochures, misprint</cbc:Name>
      <cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>6</cbc:Percent>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>
    </cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="EUR">449.32</cbc:PriceAmount></cac:Price>
  </cac:CreditNoteLine>
</CreditNote>
"""


def test_ubl_negative_line_stays_invoice():
    result = read_einvoice(INVOICE_WITH_NEGATIVE_LINE, "2024-0042.xml")

    assert result.source == Source.UBL
    assert result.document_type == DocumentType.INVOICE
    assert result.total_net == Decimal("-20.00")
    assert result.total_vat == Decimal("42.00")
    assert result.total_gross == Decimal("22.00")
    assert result.amount_due == Decimal("22.00")
    assert [line.net_amount for line in result.lines] == [
        Decimal("200.00"),
        Decimal("-220.00"),
    ]
    assert result.warnings == []


def test_ubl_invoice_header_fields():
    result = read_einvoice(INVOICE_WITH_NEGATIVE_LINE, "2024-0042.xml")

    assert result.file == "2024-0042.xml"
    assert result.invoice_number == "2024-0042"
    assert result.issue_date == date(2024, 3, 1)
    assert result.due_date == date(2024, 3, 31)
    assert result.currency == "EUR"
    assert result.po_reference == "PO-7781"
    assert result.payment_reference == "1000 0000 2024 0042"


def test_ubl_invoice_party_fields():
    result = read_einvoice(INVOICE_WITH_NEGATIVE_LINE, "2024-0042.xml")

    assert result.supplier.name == "Bakkerij Tromp B.V."
    assert result.supplier.vat_number == "NL001234567B01"
    assert result.supplier.coc_number == "12345678"
    assert result.supplier.country == "NL"
    assert result.supplier.iban == "NL91ABNA0417164300"
    assert result.supplier.bic == "ABNANL2A"
    assert result.customer.name == "Fiat Demo B.V."
    assert result.customer.vat_number == "NL009876543B01"


def test_ubl_invoice_vat_breakdown():
    result = read_einvoice(INVOICE_WITH_NEGATIVE_LINE, "2024-0042.xml")

    rows = [
        (vat.rate, vat.base, vat.amount, vat.category) for vat in result.vat_breakdown
    ]
    assert rows == [
        (Decimal("21"), Decimal("200.00"), Decimal("42.00"), "S"),
        (Decimal("0"), Decimal("-220.00"), Decimal("0.00"), "Z"),
    ]


def test_ubl_credit_note_single_line():
    result = read_einvoice(CREDIT_NOTE, "CN-2024-007.xml")

    assert result.document_type == DocumentType.CREDIT_NOTE
    assert len(result.lines) == 1
    assert result.lines[0].description == "Brochures, misprint"
    assert result.lines[0].quantity == Decimal("1")
    assert result.lines[0].unit_price == Decimal("449.32")
    assert result.lines[0].net_amount == Decimal("449.32")
    assert result.lines[0].vat_rate == Decimal("6")
    assert result.total_vat == Decimal("26.96")
    assert result.total_gross == Decimal("476.28")
    assert result.amount_due == Decimal("476.28")
    assert result.warnings == []


def test_ubl_credit_note_due_date_from_payment_means():
    result = read_einvoice(CREDIT_NOTE, "CN-2024-007.xml")

    assert result.due_date == date(2024, 6, 13)


def test_ubl_invoice_type_381_is_credit_note():
    document = INVOICE_WITH_NEGATIVE_LINE.replace(
        b"<cbc:InvoiceTypeCode>380<", b"<cbc:InvoiceTypeCode>381<"
    )

    result = read_einvoice(document, "credit.xml")

    assert result.document_type == DocumentType.CREDIT_NOTE


def test_ubl_json_has_decimal_strings():
    result = read_einvoice(CREDIT_NOTE, "CN-2024-007.xml")

    output = result.to_json()

    assert output["total_vat"] == "26.96"
    assert output["issue_date"] == "2024-05-14"
    assert output["document_type"] == "credit_note"
    assert output["confidence"]["total_gross"] == 1.0
    assert "due_date" in output["confidence"]
    assert "po_reference" not in output["confidence"]


def test_ubl_vat_total_in_document_currency():
    # A second TaxTotal states the VAT in the VAT accounting currency
    # (BT-111), before the one in the document currency.
    document = CREDIT_NOTE.replace(
        b"<cac:TaxTotal>",
        b'<cac:TaxTotal><cbc:TaxAmount currencyID="USD">29.12</cbc:TaxAmount>'
        b"</cac:TaxTotal><cac:TaxTotal>",
        1,
    )

    result = read_einvoice(document, "two-currencies.xml")

    assert result.total_vat == Decimal("26.96")
    assert len(result.vat_breakdown) == 1
    assert result.warnings == []


def test_ubl_unit_price_per_base_quantity():
    document = CREDIT_NOTE.replace(
        b'<cbc:PriceAmount currencyID="EUR">449.32</cbc:PriceAmount>',
        b'<cbc:PriceAmount currencyID="EUR">4493.20</cbc:PriceAmount>'
        b'<cbc:BaseQuantity unitCode="C62">10</cbc:BaseQuantity>',
    )

    result = read_einvoice(document, "per-ten.xml")

    assert result.lines[0].unit_price == Decimal("449.32")


def test_ubl_unit_price_per_base_quantity_inexact():
    document = CREDIT_NOTE.replace(
        b'<cbc:PriceAmount currencyID="EUR">449.32</cbc:PriceAmount>',
        b'<cbc:PriceAmount currencyID="EUR">10.00</cbc:PriceAmount>'
        b'<cbc:BaseQuantity unitCode="C62">3</cbc:BaseQuantity>',
    )

    result = read_einvoice(document, "per-three.xml")

    assert result.lines[0].unit_price == Decimal("3.333333")


def test_ubl_wrong_total_warns():
    document = CREDIT_NOTE.replace(
        b'<cbc:TaxInclusiveAmount currencyID="EUR">476.28<',
        b'<cbc:TaxInclusiveAmount currencyID="EUR">476.82<',
    )

    result = read_einvoice(document, "wrong-total.xml")

    assert result.total_gross == Decimal("476.82")
    assert result.warnings == [
        (
            "The total without VAT plus the VAT total is 476.28, but the invoice "
            "states a total with VAT of 476.82 (difference 0.54)."
        ),
        (
            "The total with VAT minus the prepaid amount 0 plus the rounding amount "
            "0 is 476.82, but the invoice states an amount due of 476.28 "
            "(difference -0.54)."
        ),
    ]


def test_ubl_lines_not_adding_up_warn():
    document = CREDIT_NOTE.replace(
        b'<cbc:LineExtensionAmount currencyID="EUR">449.32</cbc:LineExtensionAmount>\n'
        b"    <cac:Item>",
        b'<cbc:LineExtensionAmount currencyID="EUR">494.32</cbc:LineExtensionAmount>\n'
        b"    <cac:Item>",
    )

    result = read_einvoice(document, "wrong-line.xml")

    assert result.warnings == [
        (
            "The line net amounts add up to 494.32, but the invoice states a line "
            "total of 449.32 (difference -45.00)."
        )
    ]


def test_ubl_vat_breakdown_not_adding_up_warns():
    document = CREDIT_NOTE.replace(
        b'<cbc:TaxAmount currencyID="EUR">26.96</cbc:TaxAmount>\n'
        b"      <cac:TaxCategory>",
        b'<cbc:TaxAmount currencyID="EUR">29.66</cbc:TaxAmount>\n'
        b"      <cac:TaxCategory>",
    )

    result = read_einvoice(document, "wrong-breakdown.xml")

    assert result.warnings == [
        (
            "The VAT breakdown adds up to 29.66, but the invoice states a VAT total "
            "of 26.96 (difference -2.70)."
        ),
        "6% VAT on 449.32 is 26.96, but the invoice states 29.66 (difference 2.70).",
    ]


def test_ubl_invalid_amount_warns():
    document = CREDIT_NOTE.replace(
        b'<cbc:PayableAmount currencyID="EUR">476.28<',
        b'<cbc:PayableAmount currencyID="EUR">476,28<',
    )

    result = read_einvoice(document, "comma.xml")

    assert result.amount_due is None
    assert result.warnings == [
        (
            "The e-invoice contains the invalid number '476,28' in PayableAmount, so "
            "that field was left empty."
        )
    ]


def test_ubl_oversized_number_warns():
    document = CREDIT_NOTE.replace(
        b'<cbc:PayableAmount currencyID="EUR">476.28<',
        b'<cbc:PayableAmount currencyID="EUR">1234567890123456789.00<',
    )

    result = read_einvoice(document, "huge-amount.xml")

    assert result.amount_due is None
    assert result.warnings == [
        (
            "The number '1234567890123456789.00' in PayableAmount has more than 18 "
            "digits before the decimal point, so that field was left empty."
        )
    ]


def test_ubl_invalid_iban_kept_with_warning():
    document = INVOICE_WITH_NEGATIVE_LINE.replace(
        b"NL91 ABNA 0417 1643 00", b"NL19 ABNA 0417 1643 00"
    )

    result = read_einvoice(document, "bad-iban.xml")

    assert result.supplier.iban == "NL19ABNA0417164300"
    assert result.warnings == [
        (
            "The supplier IBAN NL19ABNA0417164300 is not a valid IBAN (wrong check "
            "digits or length). Check it with the supplier before paying."
        )
    ]


def test_ubl_domestic_account_is_not_iban():
    document = INVOICE_WITH_NEGATIVE_LINE.replace(
        b"NL91 ABNA 0417 1643 00", b"1234.56.78903"
    )

    result = read_einvoice(document, "domestic-account.xml")

    assert result.supplier.iban is None
    assert result.warnings == [
        (
            "The payee account '1234.56.78903' is not an IBAN, so the supplier IBAN "
            "was left empty."
        )
    ]


def test_ubl_in_standard_business_document():
    document = (
        b'<StandardBusinessDocument xmlns="http://www.unece.org/cefact/namespaces/'
        b'StandardBusinessDocumentHeader"><StandardBusinessDocumentHeader>'
        b"<HeaderVersion>1.0</HeaderVersion></StandardBusinessDocumentHeader>"
        + CREDIT_NOTE.split(b"?>", 1)[1]
        + b"</StandardBusinessDocument>"
    )

    result = read_einvoice(document, "peppol-message.xml")

    assert result.invoice_number == "CN-2024-007"
    assert result.total_gross == Decimal("476.28")


def test_ubl_nlcius_sample_supplier(corpus_dir):
    path = (
        corpus_dir
        / "ubl-einvoice/Logius-basisfactuur-rijk"
        / "NLCIUS voorbeeldbericht Basisfactuur Rijk v01.xml"
    )

    result = read_einvoice(path)

    assert result.supplier.name == "Leverancier B.V."
    assert result.supplier.vat_number == "NL8200.98.395.B.01"
    assert result.supplier.coc_number == "32141305"
    assert result.supplier.iban == "NL02ABNA0123456789"
    assert result.supplier.country == "NL"
    assert result.po_reference == "45856478"
    assert result.payment_reference == "1111452145876521"
    assert result.customer.name == "Logius"
