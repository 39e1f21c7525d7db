"""Events from outside that create sales invoices, kept for idempotency."""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class TriggerSource(models.TextChoices):
    WEBHOOK = "webhook", _("Webhook")
    HUBSPOT = "hubspot", _("HubSpot")
    PIPEDRIVE = "pipedrive", _("Pipedrive")
    CSV_IMPORT = "csv", _("CSV import")
    API = "api", _("API")


class TriggerEvent(models.Model):
    """One accepted event, unique by its source and the sender's event id.

    A second delivery of the same event finds this row and creates nothing.
    """

    source = models.CharField(_("source"), max_length=20, choices=TriggerSource)
    event_id = models.CharField(_("event id"), max_length=200)
    payload = models.JSONField(_("payload"), encoder=DjangoJSONEncoder)
    invoice = models.ForeignKey(
        "receivables.SalesInvoice",
        verbose_name=_("invoice"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trigger_events",
    )
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("trigger event")
        verbose_name_plural = _("trigger events")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "event_id"], name="unique_trigger_event"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.event_id}"
