"""Helpers for tests that read the audit trail."""

from fiat.audit.models import AuditEvent
from fiat.audit.services import Subject, identify_subject


def recorded_actions(subject: Subject) -> list[str]:
    """Return the actions recorded for ``subject``, oldest first.

    ``subject`` is a saved model instance or an (object_type, object_id)
    pair, as record_event takes it.
    """
    object_type, object_id = identify_subject(subject)
    return list(
        AuditEvent.objects.filter(object_type=object_type, object_id=object_id)
        .order_by("sequence")
        .values_list("action", flat=True)
    )
