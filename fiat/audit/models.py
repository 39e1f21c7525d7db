"""Audit events and seals: the append-only records of the audit trail.

Every state change in Fiat adds an ``AuditEvent`` in the same transaction,
through ``fiat.audit.services.record_event``. Events chain per object: each
stores the hash of the previous event of the same object, and the unique
(object_type, object_id, sequence) constraint stops two writers from forking
a chain. Per-object chains mean unrelated work never waits on one lock. A
periodic ``AuditSeal`` then chains all new events together, so deleting the
last event of an object or a whole object's chain is caught too.

Rows are only ever inserted. The models and their querysets raise
``AppendOnlyError`` on update and delete through the ORM. The one change they
allow is setting the seal of an event that has none. Raw SQL can still change
rows, and ``fiat.audit.verification.verify_trail`` detects that through the
hashes.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """An attempt to change or delete a record of the audit trail."""


class AppendOnlyQuerySet(models.QuerySet):
    """A queryset that raises AppendOnlyError on update() and delete()."""

    def update(self, **kwargs):
        raise AppendOnlyError(
            f"{self.model._meta.label} rows cannot be updated, because the "
            "audit trail is append-only. Record a new event instead."
        )

    def delete(self):
        raise AppendOnlyError(
            f"{self.model._meta.label} rows cannot be deleted, because the "
            "audit trail is append-only."
        )


class AuditEventQuerySet(AppendOnlyQuerySet):
    def assign_seal(self, seal: "AuditSeal") -> int:
        """Set ``seal`` on the events of this queryset that have no seal yet.

        Return the number of events changed. Events sealed already keep their
        seal, so a caller compares the count with the number it expected.
        """
        unsealed = self.filter(seal__isnull=True)
        return models.QuerySet.update(unsealed, seal=seal)


class AuditSeal(models.Model):
    """A link in the chain of seals, covering every event sealed in one go."""

    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True)
    previous_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)
    event_count = models.PositiveIntegerField(_("number of events"))
    first_event_id = models.BigIntegerField(_("first event id"))
    last_event_id = models.BigIntegerField(_("last event id"))
    sealed_at = models.DateTimeField(_("sealed at"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit seal")
        verbose_name_plural = _("audit seals")
        ordering = ["sequence"]

    def __str__(self) -> str:
        return f"{self.sequence}: {self.event_count} events"

    def save(self, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnlyError(
                f"Audit seal {self.sequence} cannot be changed, because the "
                "audit trail is append-only."
            )
        # Insert even when a primary key is set, so no row is overwritten.
        super().save(**{**kwargs, "force_insert": True})

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(
            f"Audit seal {self.sequence} cannot be deleted, because the audit "
            "trail is append-only."
        )


class AuditEvent(models.Model):
    """One state change of one object, hash-chained to the object's history."""

    object_type = models.CharField(
        _("object type"), max_length=100, help_text=_("Such as purchases.invoice.")
    )
    object_id = models.CharField(_("object id"), max_length=100)
    sequence = models.PositiveIntegerField(
        _("sequence"), help_text=_("Position in the object's history, from 1.")
    )
    action = models.CharField(
        _("action"), max_length=100, help_text=_("Such as invoice.submitted.")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
        help_text=_("Empty when the system acted."),
    )
    actor_label = models.CharField(
        _("actor name"),
        max_length=200,
        help_text=_("The actor's name at the time, or system or scheduler."),
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The user a stand-in acted for."),
    )
    occurred_at = models.DateTimeField(_("occurred at"))
    amounts = models.JSONField(
        _("amounts"),
        default=dict,
        blank=True,
        help_text=_("Amounts as decimal strings, with their currency."),
    )
    data = models.JSONField(_("details"), default=dict, blank=True)
    previous_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)
    seal = models.ForeignKey(
        AuditSeal,
        verbose_name=_("seal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        # The (seal, id) index below serves the lookups by seal.
        db_index=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        constraints = [
            models.UniqueConstraint(
                fields=["object_type", "object_id", "sequence"],
                name="audit_event_unique_sequence",
            ),
        ]
        indexes = [
            models.Index(fields=["occurred_at"], name="audit_event_occurred_at"),
            # Lookups by object id alone, as in the admin search.
            models.Index(fields=["object_id"], name="audit_event_object_id"),
            models.Index(fields=["seal", "id"], name="audit_event_seal"),
        ]

    def __str__(self) -> str:
        return f"{self.object_type} {self.object_id} #{self.sequence} {self.action}"

    def save(self, **kwargs) -> None:
        """Insert a new event, or store the seal of an event that has none.

        Saving an existing event raises AppendOnlyError, unless
        ``update_fields`` is exactly ``["seal"]`` and the stored event has no
        seal yet.
        """
        if self._state.adding:
            # Insert even when a primary key is set, so no row is overwritten.
            super().save(**{**kwargs, "force_insert": True})
            return
        if set(kwargs.get("update_fields") or ()) != {"seal"}:
            raise AppendOnlyError(
                f"Audit event {self.pk} cannot be changed, because the audit "
                "trail is append-only. Record a new event instead."
            )
        changed = AuditEvent.objects.filter(pk=self.pk).assign_seal(self.seal)
        if changed != 1:
            raise AppendOnlyError(
                f"Audit event {self.pk} has a seal already, which cannot change."
            )

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(
            f"Audit event {self.pk} cannot be deleted, because the audit trail "
            "is append-only."
        )
