"""Finding the supplier of an invoice, and creating it from what was read."""

import pytest
from django.utils import translation

from fiat.audit.models import AuditEvent
from fiat.core.models import Party
from fiat.payables.check_messages import describe
from fiat.payables.checks import recheck_invoice
from fiat.payables.suppliers import (
    SupplierExistsError,
    create_supplier_from_invoice,
    normalise_name,
)
from fiat.payables.tests.factories import (
    OTHER_IBAN,
    SUPPLIER_IBAN,
    blocking_codes,
    check_codes,
    make_invoice,
    make_supplier,
)

pytestmark = pytest.mark.django_db

UNKNOWN = {
    "name": "Bloemenhandel Roos",
    "vat_number": "nl 0000 99998 b57",
    "iban": "nl20 ingb 0001 2345 67",
    "coc_number": "8765 4321",
    "country": None,
}


def test_supplier_found_by_vat_number(supplier):
    invoice = make_invoice(supplier={"iban": None, "coc_number": None, "name": "X"})

    assert invoice.supplier == supplier
    matched = invoice.checks.get(code="supplier_matched")
    assert matched.params["matched_on"] == "vat_number"
    with translation.override("en"):
        assert describe(matched) == (
            "Supplier Drukkerij De Vries B.V. found by VAT number."
        )


def test_supplier_found_by_iban(supplier):
    invoice = make_invoice(supplier={"vat_number": None, "coc_number": None})

    assert invoice.supplier == supplier


def test_supplier_found_by_kvk_number(supplier):
    invoice = make_invoice(
        supplier={"vat_number": None, "iban": None, "coc_number": "1234 5678"}
    )

    assert invoice.supplier == supplier


def test_supplier_found_by_name_warns(supplier):
    invoice = make_invoice(
        supplier={"vat_number": None, "iban": None, "coc_number": None,
                  "name": "drukkerij de vries"}
    )  # fmt: skip

    assert invoice.supplier == supplier
    assert invoice.checks.get(code="supplier_matched_by_name").severity == "warning"


def test_two_suppliers_with_one_name_not_guessed(supplier):
    make_supplier(name="Drukkerij de Vries", vat_number="", iban="", coc_number="")

    invoice = make_invoice(
        supplier={"vat_number": None, "iban": None, "coc_number": None}
    )

    assert invoice.supplier is None


def test_identifier_of_other_supplier_warns(supplier):
    other = make_supplier(name="Kantoorhuis", vat_number="", iban=OTHER_IBAN,
                          coc_number="")  # fmt: skip

    invoice = make_invoice(supplier={"iban": OTHER_IBAN})

    assert invoice.supplier == supplier
    conflict = invoice.checks.get(code="supplier_conflict")
    assert conflict.field == "iban"
    assert conflict.source == f"supplier {other.pk}"
    assert conflict.found == OTHER_IBAN
    assert conflict.params["other"] == "Kantoorhuis"


def test_unknown_supplier_blocks(db):
    invoice = make_invoice(supplier=UNKNOWN)

    assert invoice.supplier is None
    assert blocking_codes(invoice) == [
        "missing_field",
        "missing_field",
        "supplier_unknown",
    ]
    unknown = invoice.checks.get(code="supplier_unknown")
    assert unknown.params["name"] == "Bloemenhandel Roos"


def test_supplier_created_from_what_was_read(db, clerk):
    invoice = make_invoice(supplier=UNKNOWN)

    supplier = create_supplier_from_invoice(invoice, clerk)

    assert supplier.name == "Bloemenhandel Roos"
    assert supplier.is_supplier
    assert supplier.vat_number == "NL000099998B57"
    assert supplier.iban == "NL20INGB0001234567"
    assert supplier.coc_number == "87654321"
    assert supplier.country == "NL"
    supplier.full_clean()
    invoice.refresh_from_db()
    assert invoice.supplier == supplier


def test_creating_supplier_is_audited(db, clerk):
    invoice = make_invoice(supplier=UNKNOWN)

    supplier = create_supplier_from_invoice(invoice, clerk)

    event = AuditEvent.objects.get(object_type="core.party", object_id=str(supplier.pk))
    assert event.action == "supplier.created"
    assert event.actor == clerk
    assert event.data == {"from_invoice": invoice.pk, "iban": "NL20INGB0001234567"}


def test_invalid_identifiers_left_out_of_new_supplier(db, clerk):
    invoice = make_invoice(
        supplier={**UNKNOWN, "vat_number": "BE0000000000", "iban": "NL91ABNA0417164301"}
    )

    supplier = create_supplier_from_invoice(invoice, clerk)

    assert supplier.vat_number == ""
    assert supplier.iban == ""
    supplier.full_clean()


def test_checks_pass_after_supplier_created(db, clerk):
    invoice = make_invoice(supplier=UNKNOWN)
    create_supplier_from_invoice(invoice, clerk)
    invoice.refresh_from_db()

    recheck_invoice(invoice)

    assert "supplier_unknown" not in check_codes(invoice)
    assert "supplier_matched" in check_codes(invoice)
    assert "iban_changed" not in check_codes(invoice)


def test_supplier_not_created_twice(db, clerk):
    invoice = make_invoice(supplier=UNKNOWN)
    create_supplier_from_invoice(invoice, clerk)

    with pytest.raises(SupplierExistsError):
        create_supplier_from_invoice(invoice, clerk)

    assert Party.objects.filter(name="Bloemenhandel Roos").count() == 1


@pytest.mark.parametrize(
    ("name", "normalised"),
    [
        ("Drukkerij De Vries B.V.", "drukkerij de vries"),
        ("DRUKKERIJ DE VRIES BV", "drukkerij de vries"),
        ("CloudWerk GmbH", "cloudwerk"),
        ("Vos & Partners", "vos partners"),
    ],
)
def test_name_normalised_for_matching(name, normalised):
    assert normalise_name(name) == normalised


def test_known_iban_is_not_a_change(supplier):
    invoice = make_invoice(supplier={"iban": SUPPLIER_IBAN.lower()})

    assert "iban_changed" not in check_codes(invoice)
