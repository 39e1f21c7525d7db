"""Requests to change a supplier's IBAN, decided by two different people."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class IbanChangeStatus(models.TextChoices):
    # Found on an invoice or requested by a user, and not yet accepted.
    PENDING = "pending", _("Pending")
    # A user checked it with the supplier and vouches for it.
    ACCEPTED = "accepted", _("Accepted, awaiting confirmation")
    # A second user confirmed it, and the supplier's IBAN was changed.
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


IBAN_CHANGE_TRANSITIONS: dict[str, frozenset[str]] = {
    IbanChangeStatus.PENDING: frozenset(
        {IbanChangeStatus.ACCEPTED, IbanChangeStatus.REJECTED}
    ),
    IbanChangeStatus.ACCEPTED: frozenset(
        {IbanChangeStatus.CONFIRMED, IbanChangeStatus.REJECTED}
    ),
    IbanChangeStatus.CONFIRMED: frozenset(),
    IbanChangeStatus.REJECTED: frozenset(),
}
OPEN_IBAN_CHANGE_STATUSES = frozenset(
    {IbanChangeStatus.PENDING, IbanChangeStatus.ACCEPTED}
)


class IbanChangeRequest(models.Model):
    """A new IBAN for a supplier, which two different people must approve.

    Paying a fraudster's account after a forged "our bank details changed"
    invoice is a common loss, so the supplier's IBAN changes only when one
    user has accepted the request and a second user has confirmed it.
    """

    supplier = models.ForeignKey(
        "core.Party",
        verbose_name=_("supplier"),
        on_delete=models.CASCADE,
        related_name="iban_change_requests",
    )
    invoice = models.ForeignKey(
        "PurchaseInvoice",
        verbose_name=_("found on invoice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="iban_change_requests",
    )
    old_iban = models.CharField(_("current IBAN"), max_length=34, blank=True)
    new_iban = models.CharField(_("new IBAN"), max_length=34)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=IbanChangeStatus.choices,
        default=IbanChangeStatus.PENDING,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty when the IBAN was found on an invoice."),
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed or rejected by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(
        _("confirmed or rejected at"), null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("IBAN change request")
        verbose_name_plural = _("IBAN change requests")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "new_iban"],
                condition=Q(status__in=["pending", "accepted"]),
                name="one_open_iban_change_per_supplier_iban",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplier}: {self.old_iban or '—'} → {self.new_iban}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_IBAN_CHANGE_STATUSES
