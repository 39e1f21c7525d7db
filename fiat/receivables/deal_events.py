"""The generic "deal won" event, and the invoice it creates.

The same event with type "project.ready_to_invoice" is a project system's
signal that a project is ready to invoice. It may leave out the customer,
and then the project's own customer is invoiced.

A CRM, a project system or a script posts this JSON to the sales webhook::

    {
      "event_id": "evt-2026-0042",          # unique per event, required
      "type": "deal.won",
      "reference": "DEAL-42",               # printed as the order reference
      "project": "P-001",                   # optional, a project code
      "currency": "EUR",                    # optional, else the customer's
      "prices_include_vat": false,          # optional
      "customer": {
        "name": "Bakkerij Visser B.V.",     # required
        "vat_number": "NL000099998B57", "coc_number": "87654321",
        "email": "administratie@bakkerijvisser.nl",
        "street": "Dorpsstraat 4", "postal_code": "3512 AB",
        "city": "Utrecht", "country": "NL", "language": "nl"
      },
      "lines": [                            # at least one
        {"description": "Advies", "quantity": "2", "unit_price": "95.00",
         "vat_rate": "21", "discount_percent": "0"},
        {"product": "CONSULT", "quantity": "3"}
      ]
    }

Amounts and quantities are decimal strings (numbers in JSON are read as
text too, never as floats). A line names a product by code, or gives its
own description, unit price and VAT rate. The customer is found by VAT
number, then KvK number, then exact name among the customers, and created
when none matches.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q

from fiat.core.models import Party, Project, User
from fiat.core.money import InvalidAmountError, to_decimal
from fiat.ledger.models import VatCategory, VatCode, VatDirection
from fiat.receivables.drafting import LineData, create_draft
from fiat.receivables.models import (
    Product,
    SalesInvoice,
    TriggerEvent,
    TriggerSource,
)
from fiat.receivables.release import finalise_draft

EVENT_TYPE = "deal.won"
# A project system's "ready to invoice": the customer may be left out, and
# then the project's own customer is invoiced.
PROJECT_EVENT_TYPE = "project.ready_to_invoice"
_CUSTOMER_FIELDS = (
    "vat_number", "coc_number", "email", "street", "postal_code", "city",
    "country", "language",
)  # fmt: skip


class InvalidEventError(ValueError):
    """An event that cannot become an invoice; ``problems`` lists each one."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("Invalid deal event: " + " ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class DealEvent:
    event_id: str
    reference: str
    customer: dict
    lines: tuple[LineData, ...]
    project: Project | None
    currency: str
    prices_include_vat: bool


def parse_deal_event(payload: object) -> DealEvent:
    """Check ``payload`` and return the event, or raise InvalidEventError.

    Every problem is reported at once, each with the field it concerns.
    """
    problems: list[str] = []
    if not isinstance(payload, dict):
        raise InvalidEventError(["The body must be a JSON object."])
    event_id = str(payload.get("event_id") or "").strip()
    if not event_id:
        problems.append("event_id is missing.")
    event_type = payload.get("type", EVENT_TYPE)
    if event_type not in (EVENT_TYPE, PROJECT_EVENT_TYPE):
        problems.append(
            f"type must be {EVENT_TYPE!r} or {PROJECT_EVENT_TYPE!r}, not "
            f"{event_type!r}."
        )
    customer = payload.get("customer")
    has_name = isinstance(customer, dict) and str(customer.get("name") or "").strip()
    if not has_name:
        customer = {}
    if not has_name and event_type != PROJECT_EVENT_TYPE:
        problems.append("customer.name is missing.")
    raw_lines = payload.get("lines")
    if not isinstance(raw_lines, list) or not raw_lines:
        problems.append("lines must be a list of at least one line.")
        raw_lines = []
    lines = [
        _parse_line(raw, f"lines[{index}]", problems)
        for index, raw in enumerate(raw_lines)
    ]
    project = _project(payload.get("project"), problems)
    if event_type == PROJECT_EVENT_TYPE and not customer:
        if not payload.get("project"):
            problems.append("project is missing.")
        elif project is not None and project.customer_id is None:
            problems.append(
                f"project {project.code} has no customer: name the customer in "
                "the event or set it on the project."
            )
    if problems:
        raise InvalidEventError(problems)
    return DealEvent(
        event_id=event_id,
        reference=str(payload.get("reference") or "")[:100],
        customer=customer,
        lines=tuple(lines),
        project=project,
        currency=str(payload.get("currency") or "").upper(),
        prices_include_vat=payload.get("prices_include_vat") is True,
    )


def _parse_line(raw: object, path: str, problems: list[str]) -> LineData | None:
    if not isinstance(raw, dict):
        problems.append(f"{path} must be an object.")
        return None
    product = None
    if raw.get("product"):
        product = Product.objects.filter(code=raw["product"], is_active=True).first()
        if product is None:
            problems.append(f"{path}.product: no active product {raw['product']!r}.")
            return None
    quantity = _decimal(raw.get("quantity", "1"), f"{path}.quantity", problems)
    discount = _decimal(
        raw.get("discount_percent", "0"), f"{path}.discount_percent", problems
    )
    unit_price = None
    vat_code = None
    if product is not None and raw.get("unit_price") not in (None, ""):
        # A price agreed in the deal replaces the product's list price.
        unit_price = _decimal(raw["unit_price"], f"{path}.unit_price", problems)
    if product is None:
        unit_price = _decimal(raw.get("unit_price"), f"{path}.unit_price", problems)
        vat_code = _vat_code(raw.get("vat_rate"), f"{path}.vat_rate", problems)
        if not str(raw.get("description") or "").strip():
            problems.append(f"{path}.description is missing.")
    if quantity is None or discount is None:
        return None
    return LineData(
        description=str(raw.get("description") or "")[:300],
        quantity=quantity,
        unit_price=unit_price,
        vat_code=vat_code,
        product=product,
        discount_percent=discount,
    )


def _decimal(value: object, path: str, problems: list[str]) -> Decimal | None:
    if value is None or value == "":
        problems.append(f"{path} is missing.")
        return None
    try:
        return to_decimal(value)
    except (TypeError, InvalidAmountError):
        problems.append(f"{path}: invalid number {value!r}.")
        return None


def _vat_code(rate: object, path: str, problems: list[str]) -> VatCode | None:
    percent = _decimal(rate, path, problems)
    if percent is None:
        return None
    codes = VatCode.objects.filter(
        direction=VatDirection.SALES, rate=percent, is_active=True
    ).order_by("code")
    code = codes.filter(category=VatCategory.STANDARD).first() or codes.first()
    if code is None:
        problems.append(f"{path}: no active sales VAT code at {percent}%.")
    return code


def _project(code: object, problems: list[str]) -> Project | None:
    if not code:
        return None
    project = Project.objects.filter(code=code).first()
    if project is None:
        problems.append(f"project: no project with code {code!r}.")
    return project


def find_or_create_customer(data: dict) -> Party:
    """Return the customer the event names, creating it when it is new."""
    vat_number = str(data.get("vat_number") or "").replace(" ", "").upper()
    coc_number = str(data.get("coc_number") or "").strip()
    name = str(data["name"]).strip()
    match = Q(name__iexact=name)
    if coc_number:
        match |= Q(coc_number=coc_number)
    if vat_number:
        match |= Q(vat_number=vat_number)
    candidates = list(Party.objects.filter(match, is_active=True))
    for test in (
        lambda party: vat_number and party.vat_number == vat_number,
        lambda party: coc_number and party.coc_number == coc_number,
        lambda party: party.name.lower() == name.lower(),
    ):
        found = next((party for party in candidates if test(party)), None)
        if found is not None:
            if not found.is_customer:
                found.is_customer = True
                found.save(update_fields=["is_customer", "updated_at"])
            return found
    values = {field: str(data.get(field) or "") for field in _CUSTOMER_FIELDS}
    values["vat_number"] = vat_number
    values["country"] = (values["country"] or "NL").upper()
    values["language"] = values["language"] or "nl"
    return Party.objects.create(name=name[:200], is_customer=True, **values)


def invoice_from_event(event: DealEvent, actor: User | None = None) -> SalesInvoice:
    """Create the event's draft and finalise it: released, or awaiting review.

    Call inside a transaction, so that a failure leaves no draft behind.
    """
    if event.customer:
        customer = find_or_create_customer(event.customer)
    else:
        customer = event.project.customer
    fields = {"order_reference": event.reference, "project": event.project}
    fields["currency"] = event.currency or customer.currency or settings.FIAT_CURRENCY
    draft = create_draft(
        customer,
        actor=actor,
        lines=list(event.lines),
        prices_include_vat=event.prices_include_vat,
        **fields,
    )
    return finalise_draft(draft, actor)


def receive_deal_event(
    event: DealEvent, payload: dict, source: str = TriggerSource.WEBHOOK
) -> tuple[TriggerEvent, bool]:
    """Create the invoice of a new event; return (event record, created).

    A second delivery of the same event id returns the first one's record
    and creates nothing, also when two deliveries arrive at once: the
    unique constraint on (source, event_id) lets one of them insert.
    """
    existing = _stored_event(source, event.event_id)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            record = TriggerEvent.objects.create(
                source=source, event_id=event.event_id, payload=payload
            )
            record.invoice = invoice_from_event(event)
            record.save(update_fields=["invoice"])
    except IntegrityError:
        stored = _stored_event(source, event.event_id)
        if stored is None:
            raise
        return stored, False
    return record, True


def _stored_event(source: str, event_id: str) -> TriggerEvent | None:
    return (
        TriggerEvent.objects.select_related("invoice")
        .filter(source=source, event_id=event_id)
        .first()
    )
