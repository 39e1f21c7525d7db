"""The demo company: people in every role, parties and reference data.

Loading is idempotent: each record is looked up by its natural key (username,
code, name) and created only when missing, so running ``fiat demo`` twice
changes nothing. The identifiers are made up but pass their check digits,
so that the checks on IBANs and VAT numbers treat them as real ones.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from fiat.core.dates import business_date
from fiat.core.models import (
    Budget,
    Company,
    CostCentre,
    ExchangeRate,
    Party,
    Project,
    Role,
    RoleGrant,
    User,
)
from fiat.ledger.defaults import install_dutch_defaults
from fiat.ledger.models import Account, VatCode


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    language: str
    roles: tuple[Role, ...]

    @property
    def password(self) -> str:
        return f"demo-{self.username}"

    @property
    def email(self) -> str:
        return f"{self.username}@demo.fiat.invalid"


DEMO_USERS = (
    DemoUser("admin", "Gijs", "Admiraal", "en", (Role.ADMINISTRATOR,)),
    DemoUser("clerk", "Anna", "de Klerk", "nl", (Role.AP_CLERK,)),
    DemoUser("approver", "Bram", "Visser", "nl", (Role.APPROVER,)),
    DemoUser(
        "budgetholder", "Carla", "Bos", "en", (Role.BUDGET_HOLDER, Role.APPROVER)
    ),
    DemoUser(
        "controller", "Daan", "de Vries", "nl", (Role.CONTROLLER, Role.APPROVER)
    ),
    DemoUser("director", "Eva", "Jansen", "nl", (Role.DIRECTOR, Role.APPROVER)),
    DemoUser("employee", "Femke", "Smit", "en", (Role.EMPLOYEE,)),
    DemoUser("auditor", "Hanna", "Mulder", "en", (Role.AUDITOR,)),
)

# Reporting lines, as username of the employee -> username of the manager.
MANAGERS = {
    "employee": "approver",
    "clerk": "controller",
    "approver": "director",
    "budgetholder": "director",
    "controller": "director",
}

COMPANY = {
    "name": "Vos & Partners",
    "legal_name": "Vos & Partners B.V.",
    "vat_number": "NL081234569B01",
    "coc_number": "81234567",
    "iban": "NL91ABNA0417164300",
    "bic": "ABNANL2A",
    "street": "Keizersgracht 100",
    "postal_code": "1015 AA",
    "city": "Amsterdam",
    "country": "NL",
    "email": "administratie@demo.fiat.invalid",
}

# name, VAT number, KvK number, IBAN, country, language, terms, account, VAT
SUPPLIERS = (
    ("Kantoorhuis Nederland B.V.", "NL081234570B01", "81234570",
     "NL20INGB0001234567", "NL", "nl", 30, "4300", "I21"),
    ("Drukkerij De Vries", "NL081234582B01", "81234582",
     "NL44RABO0123456789", "NL", "nl", 14, "4600", "I21"),
    ("Schoonmaakbedrijf Helder", "NL081234594B01", "81234594",
     "NL49TRIO0390123456", "NL", "nl", 30, "4200", "I21"),
    ("CloudWerk GmbH", "DE123456788", "", "DE89370400440532013000", "DE",
     "en", 30, "4400", "IEU"),
    ("Boekhandel Lezen", "NL081234598B01", "81234598", "NL23BUNQ2025123456",
     "NL", "nl", 30, "4300", "I9"),
)

# name, VAT number, IBAN, country, language, currency, consumer, e-mail
CUSTOMERS = (
    ("Bakkerij Jansen B.V.", "NL081234600B01", "NL44RABO0123456789", "NL", "nl",
     "EUR", False, "facturen@bakkerij-jansen.demo.fiat.invalid"),
    ("Atelier Lumière SPRL", "BE0412345713", "BE68539007547034", "BE", "en",
     "EUR", False, "invoices@lumiere.demo.fiat.invalid"),
    ("Acme Trading Inc.", "", "", "US", "en", "USD", False,
     "ap@acme.demo.fiat.invalid"),
    ("J. de Boer", "", "", "NL", "nl", "EUR", True,
     "jan.deboer@demo.fiat.invalid"),
)

# code, name, budget holder, yearly budget
COST_CENTRES = (
    ("ALG", "Algemeen", "director", Decimal("60000.00")),
    ("MKT", "Marketing", "budgetholder", Decimal("40000.00")),
    ("IT", "IT", "budgetholder", Decimal("30000.00")),
    ("OPS", "Operations", "controller", Decimal("50000.00")),
)

# code, name, lead, cost centre, customer
PROJECTS = (
    ("P-001", "Nieuwe website Bakkerij Jansen", "budgetholder", "MKT",
     "Bakkerij Jansen B.V."),
    ("P-002", "Verhuizing kantoor", "approver", "OPS", None),
)

# Value of one unit in euros; published on working days only.
EXCHANGE_RATES = {
    "USD": Decimal("0.92310000"),
    "GBP": Decimal("1.16480000"),
    "CHF": Decimal("1.06020000"),
    "SEK": Decimal("0.08790000"),
}


def load_demo(today: date | None = None) -> None:
    """Create the demo company and everything it needs, where missing."""
    today = today or business_date()
    with transaction.atomic():
        # The ledger's data migration installs these; a database emptied
        # since (as a test flush does) gets them back here.
        install_dutch_defaults(Account, VatCode)
        Company.objects.get_or_create(name=COMPANY["name"], defaults=COMPANY)
        users = _load_users()
        _load_parties()
        _load_cost_centres(users, today.year)
        _load_projects(users)
        _load_exchange_rates(today)


def _load_users() -> dict[str, User]:
    users = {}
    for demo_user in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=demo_user.username,
            defaults={
                "first_name": demo_user.first_name,
                "last_name": demo_user.last_name,
                "email": demo_user.email,
                "language": demo_user.language,
                "is_staff": Role.ADMINISTRATOR in demo_user.roles,
                "is_superuser": Role.ADMINISTRATOR in demo_user.roles,
            },
        )
        if created:
            user.set_password(demo_user.password)
            user.save(update_fields=["password"])
        for role in demo_user.roles:
            RoleGrant.objects.get_or_create(user=user, role=role)
        users[demo_user.username] = user
    for username, manager in MANAGERS.items():
        User.objects.filter(username=username, manager__isnull=True).update(
            manager=users[manager]
        )
    return users


def _load_parties() -> None:
    accounts = {account.code: account for account in Account.objects.all()}
    vat_codes = {vat_code.code: vat_code for vat_code in VatCode.objects.all()}
    for row in SUPPLIERS:
        name, vat, coc, iban, country, language, terms, account, vat_code = row
        Party.objects.get_or_create(
            name=name,
            defaults={
                "is_supplier": True,
                "vat_number": vat,
                "coc_number": coc,
                "iban": iban,
                "country": country,
                "language": language,
                "payment_terms_days": terms,
                "default_ledger_account": accounts.get(account),
                "default_vat_code": vat_codes.get(vat_code),
            },
        )
    for row in CUSTOMERS:
        name, vat, iban, country, language, currency, consumer, email = row
        Party.objects.get_or_create(
            name=name,
            defaults={
                "is_customer": True,
                "is_consumer": consumer,
                "vat_number": vat,
                "iban": iban,
                "country": country,
                "language": language,
                "currency": currency,
                "invoice_email": email,
                "payment_terms_days": 14 if consumer else 30,
            },
        )


def _load_cost_centres(users: dict[str, User], year: int) -> None:
    for code, name, holder, amount in COST_CENTRES:
        cost_centre, _created = CostCentre.objects.get_or_create(
            code=code, defaults={"name": name, "budget_holder": users[holder]}
        )
        Budget.objects.get_or_create(
            cost_centre=cost_centre, year=year, defaults={"amount": amount}
        )


def _load_projects(users: dict[str, User]) -> None:
    for code, name, lead, cost_centre, customer in PROJECTS:
        Project.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "lead": users[lead],
                "cost_centre": CostCentre.objects.get(code=cost_centre),
                "customer": Party.objects.filter(name=customer).first(),
            },
        )


def _load_exchange_rates(today: date) -> None:
    """Add a rate per working day for the last four weeks."""
    for offset in range(28):
        day = today - timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for currency, rate in EXCHANGE_RATES.items():
            ExchangeRate.objects.get_or_create(
                currency=currency,
                rate_date=day,
                defaults={"rate": rate, "source": "demo"},
            )


def demo_is_loaded() -> bool:
    return User.objects.filter(username="admin").exists()
