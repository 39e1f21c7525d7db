"""The IBAN on an invoice, and the four-eyes rule for changing a supplier's.

An invoice that requests payment to an account other than the supplier's
known IBAN is the classic invoice fraud. The check warns, and opens an
``IbanChangeRequest``. The supplier's IBAN changes only when one user has
accepted the request and a second user confirms it. The confirming user may
be neither the one who accepted it nor the one who requested it (who typed
the new IBAN into the invoice). Every step is an audit event, and every
step locks the request row first (the supplier's row too when confirming).
"""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from fiat.audit.services import record_event
from fiat.core import identifiers
from fiat.core.models import Party, User
from fiat.payables.findings import CheckCode, Finding, Severity
from fiat.payables.models import (
    IBAN_CHANGE_TRANSITIONS,
    OPEN_IBAN_CHANGE_STATUSES,
    IbanChangeRequest,
    IbanChangeStatus,
    PurchaseInvoice,
)

logger = logging.getLogger(__name__)


class IbanChangeError(Exception):
    """A step on an IBAN change request that its status does not allow."""

    def __init__(self, change: IbanChangeRequest, target: str) -> None:
        super().__init__(
            f"IBAN change request {change.pk} is {change.status} and cannot "
            f"become {target}."
        )
        self.change = change
        self.target = target


class FourEyesError(Exception):
    """The user who would confirm an IBAN change was involved in it already."""

    def __init__(self, change: IbanChangeRequest, user: User) -> None:
        super().__init__(
            f"{user} accepted or requested IBAN change request {change.pk}, so "
            "a second person must confirm it."
        )
        self.change = change
        self.user = user


def check_iban(invoice: PurchaseInvoice) -> list[Finding]:
    """Check the invoice's IBAN and compare it with the supplier's."""
    supplier = invoice.supplier
    if not invoice.iban:
        if supplier is not None and supplier.iban:
            return []
        return [Finding(CheckCode.MISSING_IBAN, Severity.WARNING, field="iban")]
    try:
        iban = identifiers.clean_iban(invoice.iban)
    except identifiers.InvalidIdentifierError as error:
        return [
            Finding(
                CheckCode.INVALID_IBAN,
                Severity.BLOCKING,
                field="iban",
                source="document",
                found=invoice.iban,
                params={"reason": _sentence(error.reason)},
            )
        ]
    if supplier is None or iban == supplier.iban:
        return []
    return [
        Finding(
            CheckCode.IBAN_CHANGED if supplier.iban else CheckCode.IBAN_NOT_ON_FILE,
            Severity.WARNING,
            field="iban",
            source=f"supplier {supplier.pk}",
            expected=supplier.iban,
            found=iban,
            params={"supplier": supplier.name},
        )
    ]


def _sentence(reason: str) -> str:
    reason = reason.strip()
    return reason if reason.endswith(".") else f"{reason}."


def open_iban_change_request(
    invoice: PurchaseInvoice, *, requested_by: User | None = None
) -> IbanChangeRequest | None:
    """Open a change request when the invoice's valid IBAN is new for its supplier.

    Return the open request for this supplier and IBAN, which may exist
    already, or None when the IBAN needs no change. ``requested_by`` is the
    user whose edit brought the IBAN in, None when it was read from the
    document.
    """
    supplier = invoice.supplier
    if supplier is None or not invoice.iban:
        return None
    try:
        iban = identifiers.clean_iban(invoice.iban)
    except identifiers.InvalidIdentifierError:
        return None
    if iban == supplier.iban:
        return None
    open_changes = IbanChangeRequest.objects.filter(
        supplier=supplier, new_iban=iban, status__in=OPEN_IBAN_CHANGE_STATUSES
    )
    existing = open_changes.first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            change = _create_change(invoice, iban, requested_by)
    except IntegrityError:
        # Another check run opened the same request at the same moment.
        return open_changes.get()
    logger.warning(
        "Invoice %s requests payment to a new IBAN for supplier %s; change "
        "request %s opened",
        invoice.pk,
        supplier.pk,
        change.pk,
        extra={"invoice_id": invoice.pk, "supplier_id": supplier.pk},
    )
    return change


def _create_change(
    invoice: PurchaseInvoice, iban: str, requested_by: User | None
) -> IbanChangeRequest:
    change = IbanChangeRequest.objects.create(
        supplier=invoice.supplier,
        invoice=invoice,
        old_iban=invoice.supplier.iban,
        new_iban=iban,
        requested_by=requested_by,
    )
    record_event(
        change, "iban_change.requested", actor=requested_by, data=_change_data(change)
    )
    return change


def _change_data(change: IbanChangeRequest) -> dict:
    return {
        "supplier": change.supplier_id,
        "invoice": change.invoice_id,
        "old_iban": change.old_iban,
        "new_iban": change.new_iban,
    }


# The steps a user can take on a request, as named in the page's buttons.
ACCEPT = "accept"
CONFIRM = "confirm"
REJECT = "reject"


def allowed_iban_actions(change: IbanChangeRequest, user: User) -> frozenset[str]:
    """Return the steps ``user`` may take on ``change`` now.

    The caller checks first that the user's roles allow changing invoices.
    """
    actions = set()
    if change.status == IbanChangeStatus.PENDING:
        actions.add(ACCEPT)
    involved = user.pk in (change.accepted_by_id, change.requested_by_id)
    if change.status == IbanChangeStatus.ACCEPTED and not involved:
        actions.add(CONFIRM)
    if change.is_open:
        actions.add(REJECT)
    return frozenset(actions)


def _lock(change: IbanChangeRequest, target: str) -> IbanChangeRequest:
    """Lock the request row and check that it may move to ``target``."""
    locked = IbanChangeRequest.objects.select_for_update().get(pk=change.pk)
    if target not in IBAN_CHANGE_TRANSITIONS[locked.status]:
        raise IbanChangeError(locked, target)
    return locked


def accept_iban_change(change: IbanChangeRequest, user: User) -> IbanChangeRequest:
    """Record that ``user`` checked the new IBAN with the supplier."""
    with transaction.atomic():
        change = _lock(change, IbanChangeStatus.ACCEPTED)
        change.status = IbanChangeStatus.ACCEPTED
        change.accepted_by = user
        change.accepted_at = timezone.now()
        change.save(update_fields=["status", "accepted_by", "accepted_at"])
        record_event(
            change, "iban_change.accepted", actor=user, data=_change_data(change)
        )
    return change


def confirm_iban_change(change: IbanChangeRequest, user: User) -> IbanChangeRequest:
    """Confirm an accepted change as the second person, and change the IBAN.

    Raise FourEyesError when ``user`` accepted or requested the change.
    """
    with transaction.atomic():
        supplier = Party.objects.select_for_update().get(pk=change.supplier_id)
        change = _lock(change, IbanChangeStatus.CONFIRMED)
        if user.pk in (change.accepted_by_id, change.requested_by_id):
            raise FourEyesError(change, user)
        _decide(change, IbanChangeStatus.CONFIRMED, user)
        old_iban = supplier.iban
        supplier.iban = change.new_iban
        supplier.save(update_fields=["iban", "updated_at"])
        record_event(
            supplier,
            "supplier.iban_changed",
            actor=user,
            data={
                "old_iban": old_iban,
                "new_iban": change.new_iban,
                "change_request": change.pk,
                "accepted_by": change.accepted_by_id,
            },
        )
    logger.info(
        "IBAN of supplier %s changed by change request %s",
        supplier.pk,
        change.pk,
        extra={"supplier_id": supplier.pk, "change_request_id": change.pk},
    )
    return change


def reject_iban_change(change: IbanChangeRequest, user: User) -> IbanChangeRequest:
    """Reject the change; the supplier keeps its IBAN."""
    with transaction.atomic():
        change = _lock(change, IbanChangeStatus.REJECTED)
        _decide(change, IbanChangeStatus.REJECTED, user)
    return change


def _decide(change: IbanChangeRequest, status: str, user: User) -> None:
    change.status = status
    change.decided_by = user
    change.decided_at = timezone.now()
    change.save(update_fields=["status", "decided_by", "decided_at"])
    record_event(change, f"iban_change.{status}", actor=user, data=_change_data(change))
