"""Builders for the receivables tests: customers, VAT codes, products."""

from decimal import Decimal

from fiat.core.models import Party, Role, RoleGrant, User
from fiat.ledger.defaults import install_dutch_defaults
from fiat.ledger.models import Account, VatCode
from fiat.receivables.drafting import LineData, create_draft
from fiat.receivables.models import Product, SalesInvoice


def make_user(username: str, *roles: Role) -> User:
    user = User.objects.create_user(
        username,
        password=f"demo-{username}",
        first_name=username.title(),
        last_name="de Boer",
        email=f"{username}@example.com",
        language="en",
    )
    for role in roles:
        RoleGrant.objects.create(user=user, role=role)
    return user


def sales_vat_code(code: str = "V21") -> VatCode:
    """Return a Dutch default sales VAT code, installing the defaults first.

    A test database flushed after a live-server test lost the rows of the
    ledger's data migration.
    """
    install_dutch_defaults(Account, VatCode)
    return VatCode.objects.get(code=code)


def german_vat_code() -> VatCode:
    """Return a sales code at 19 %, the German standard rate of the examples."""
    install_dutch_defaults(Account, VatCode)
    vat_code, _created = VatCode.objects.get_or_create(
        code="V19",
        defaults={
            "name": "Btw 19%",
            "name_en": "VAT 19%",
            "direction": "sales",
            "category": "S",
            "rate": Decimal(19),
            "vat_account": Account.objects.get(code="1500"),
        },
    )
    return vat_code


def make_customer(**fields) -> Party:
    install_dutch_defaults(Account, VatCode)
    values = {
        "name": "Bakkerij Visser B.V.",
        "is_customer": True,
        "vat_number": "NL000099998B57",
        "country": "NL",
        "email": "administratie@bakkerijvisser.nl",
        "language": "nl",
        "payment_terms_days": 14,
        **fields,
    }
    return Party.objects.create(**values)


def make_product(**fields) -> Product:
    values = {
        "code": "CONSULT",
        "name": "Advies per uur",
        "name_en": "Consulting per hour",
        "unit_code": "HUR",
        "unit_price": Decimal("95.00"),
        "vat_code": sales_vat_code(),
        **fields,
    }
    return Product.objects.create(**values)


def make_draft(
    customer: Party | None = None, *lines: LineData, **fields
) -> SalesInvoice:
    """Create a draft with ``lines``, or one line of 2 hours at 95.00 and 21 %."""
    customer = customer or make_customer()
    if not lines:
        lines = (
            LineData(
                description="Advies", quantity=Decimal(2),
                unit_price=Decimal("95.00"), vat_code=sales_vat_code(),
            ),
        )  # fmt: skip
    return create_draft(customer, lines=list(lines), **fields)
