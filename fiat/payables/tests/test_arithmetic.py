"""Arithmetic checks: every rule broken is reported with exact values."""

from decimal import Decimal

from fiat.payables.arithmetic import (
    InvoiceAmounts,
    LineAmounts,
    VatSubtotal,
    check_amounts,
)
from fiat.payables.findings import CheckCode, Severity


def amounts(**fields) -> InvoiceAmounts:
    values = {
        "currency": "EUR",
        "total_net_amount": Decimal("100.00"),
        "total_vat_amount": Decimal("21.00"),
        "total_gross_amount": Decimal("121.00"),
        "vat_breakdown": [
            VatSubtotal(Decimal("21"), Decimal("100.00"), Decimal("21.00"))
        ],
        "lines": [LineAmounts(Decimal("4"), Decimal("25.00"), Decimal("100.00"))],
    }
    return InvoiceAmounts(**{**values, **fields})


def test_consistent_invoice_has_no_findings():
    assert check_amounts(amounts()) == []


def test_gross_not_net_plus_vat_blocks():
    findings = check_amounts(amounts(total_gross_amount=Decimal("112.10")))

    assert len(findings) == 1
    finding = findings[0]
    assert finding.code == CheckCode.TOTALS_MISMATCH
    assert finding.severity == Severity.BLOCKING
    assert finding.field == "total_gross_amount"
    assert finding.source == "total_net_amount + total_vat_amount"
    assert finding.expected == "121.00"
    assert finding.found == "112.10"
    assert finding.difference == Decimal("-8.90")
    assert finding.params["tolerance"] == "0.00"


def test_breakdown_sum_mismatch_warns():
    breakdown = [
        VatSubtotal(Decimal("21"), Decimal("80.00"), Decimal("16.80")),
        VatSubtotal(Decimal("9"), Decimal("10.00"), Decimal("0.90")),
    ]

    findings = check_amounts(amounts(vat_breakdown=breakdown, lines=[]))

    by_code = {finding.code: finding for finding in findings}
    assert set(by_code) == {
        CheckCode.BREAKDOWN_BASE_MISMATCH,
        CheckCode.BREAKDOWN_VAT_MISMATCH,
    }
    assert by_code[CheckCode.BREAKDOWN_BASE_MISMATCH].expected == "90.00"
    assert by_code[CheckCode.BREAKDOWN_BASE_MISMATCH].found == "100.00"
    assert by_code[CheckCode.BREAKDOWN_BASE_MISMATCH].difference == Decimal("10.00")
    assert by_code[CheckCode.BREAKDOWN_VAT_MISMATCH].expected == "17.70"
    assert by_code[CheckCode.BREAKDOWN_VAT_MISMATCH].difference == Decimal("3.30")
    assert all(finding.severity == Severity.WARNING for finding in findings)


def test_vat_one_cent_off_rate_is_tolerated():
    breakdown = [VatSubtotal(Decimal("21"), Decimal("100.00"), Decimal("21.01"))]

    findings = check_amounts(
        amounts(vat_breakdown=breakdown, total_vat_amount=Decimal("21.01"),
                total_gross_amount=Decimal("121.01"))
    )  # fmt: skip

    assert findings == []


def test_vat_two_cents_off_rate_warns():
    breakdown = [VatSubtotal(Decimal("21"), Decimal("100.00"), Decimal("21.02"))]

    findings = check_amounts(
        amounts(vat_breakdown=breakdown, total_vat_amount=Decimal("21.02"),
                total_gross_amount=Decimal("121.02"))
    )  # fmt: skip

    assert [finding.code for finding in findings] == [CheckCode.BREAKDOWN_RATE_MISMATCH]
    assert findings[0].source == "vat_breakdown[1] 21%"
    assert findings[0].expected == "21.00"
    assert findings[0].difference == Decimal("0.02")
    assert findings[0].params["rate"] == "21"


def test_lines_not_adding_up_to_net_warns():
    lines = [
        LineAmounts(Decimal("1"), Decimal("60.00"), Decimal("60.00")),
        LineAmounts(Decimal("1"), Decimal("30.00"), Decimal("30.00")),
    ]

    findings = check_amounts(amounts(lines=lines))

    assert [finding.code for finding in findings] == [CheckCode.LINES_MISMATCH]
    assert findings[0].expected == "90.00"
    assert findings[0].difference == Decimal("10.00")


def test_wrong_line_amount_warns():
    lines = [
        LineAmounts(Decimal("3"), Decimal("33.333"), Decimal("100.00")),
        LineAmounts(Decimal("2"), Decimal("10.00"), Decimal("0.00")),
    ]

    findings = check_amounts(amounts(lines=lines, total_net_amount=Decimal("100.00")))

    line_findings = [f for f in findings if f.code == CheckCode.LINE_AMOUNT_MISMATCH]
    assert len(line_findings) == 1
    assert line_findings[0].source == "lines[2]"
    assert line_findings[0].params["line"] == "2"
    assert line_findings[0].expected == "20.00"
    assert line_findings[0].found == "0.00"


def test_missing_amounts_are_not_compared():
    findings = check_amounts(amounts(total_vat_amount=None, vat_breakdown=[], lines=[]))

    assert findings == []


def test_amount_due_below_gross_is_information():
    findings = check_amounts(amounts(amount_due=Decimal("71.00")))

    assert [finding.code for finding in findings] == [CheckCode.AMOUNT_DUE_DIFFERS]
    assert findings[0].severity == Severity.INFO
    assert findings[0].difference == Decimal("-50.00")


def test_yen_invoice_rounds_vat_to_whole_yen():
    breakdown = [VatSubtotal(Decimal("10"), Decimal("1005"), Decimal("101"))]

    findings = check_amounts(
        amounts(currency="JPY", total_net_amount=Decimal("1005"),
                total_vat_amount=Decimal("101"), total_gross_amount=Decimal("1106"),
                vat_breakdown=breakdown, lines=[])
    )  # fmt: skip

    assert findings == []
