"""Benchmarks of the parts every flow uses: money, VAT, numbering, audit."""

from decimal import Decimal

from django.db import transaction

from fiat.bench import Measurement, benchmark, time_each
from fiat.core.money import parse_amount
from fiat.core.numbering import next_number
from fiat.core.vat import VatLine, compute_vat


@benchmark
def parse_amounts() -> Measurement:
    texts = ["1.234,56", "1,234.56", "€ -3.374,27", "(120.00)", "1 234,56"] * 200
    samples = time_each(lambda: [parse_amount(text) for text in texts], repeat=20)
    return Measurement("parse 1,000 typed amounts", "ms", samples)


@benchmark
def vat_of_invoice() -> Measurement:
    lines = [VatLine(Decimal("241.67"), "S", Decimal("21")) for _ in range(50)]
    lines += [VatLine(Decimal("12.10"), "S", Decimal("9")) for _ in range(50)]
    samples = time_each(lambda: compute_vat(lines, "EUR"), repeat=200)
    return Measurement("VAT of a 100-line invoice", "ms", samples)


@benchmark
def take_numbers() -> Measurement:
    def take_one() -> None:
        with transaction.atomic():
            next_number("bench", "")

    samples = time_each(take_one, repeat=500)
    return Measurement("take a gap-free number (own transaction)", "ms", samples)
