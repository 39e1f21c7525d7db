"""The read-only page of one journal entry: lines, balance, source, approvals."""

from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from fiat.core.money import to_decimal
from fiat.ledger.models import JournalEntry
from fiat.ledger.permissions import ledger_viewer_required
from fiat.ledger.queries import entry_totals, source_url

DECISION_LABELS = {
    "approved": _("Approved"),
    "rejected": _("Rejected"),
}


@ledger_viewer_required
def entry_detail(request: HttpRequest, number: str) -> HttpResponse:
    entry = get_object_or_404(
        JournalEntry.objects.select_related("created_by", "reverses"), number=number
    )
    lines = list(
        entry.lines.select_related(
            "account", "vat_code", "cost_centre", "project", "party"
        )
    )
    context = {
        "entry": entry,
        "lines": lines,
        "totals": entry_totals(lines),
        "source_url": source_url(entry.source_kind, entry.source_id),
        "reversal": JournalEntry.objects.filter(reverses=entry).first(),
        "approvals": [_approval_row(record) for record in entry.approvals],
    }
    return render(request, "ledger/entry_detail.html", context)


def _approval_row(record: dict) -> dict:
    """Return a stored approval record with its values parsed for display."""
    decided_at = record.get("decided_at")
    decision = record.get("decision", "")
    amount = record.get("amount")
    return {
        **record,
        "decided_at": datetime.fromisoformat(decided_at) if decided_at else None,
        "decision_label": DECISION_LABELS.get(decision, decision),
        "amount": to_decimal(amount) if amount else None,
    }
