"""Sales invoices as a document kind of the approval engine.

A sales invoice needs no approval unless a rule of its policy matches:
finalise_draft releases a routine invoice at once and puts any other
before the rule's approvers, usually the controller. The rules can test
the amount and the kind's own conditions: a customer without a released
invoice yet (``new_customer``), a line discount above a percentage
(``discount_above``) and a currency other than the company's
(``foreign_currency``). Approval releases the invoice; rejection and
withdrawal return it to draft.
"""

from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fiat.approvals.kinds import (
    DocumentKind,
    ExtraCondition,
    SubjectFacts,
    decimal_above,
    equals,
    register_kind,
)
from fiat.core.dates import business_date
from fiat.core.models import Role
from fiat.receivables.models import LOCKED_STATUSES, SalesInvoice

SALES_INVOICE = "sales_invoice"
# Roles that may read every sales invoice approval request.
INVOICE_VIEWERS = (Role.CONTROLLER, Role.DIRECTOR)


def invoice_title(invoice: SalesInvoice) -> str:
    """Return "customer · number" without translated words.

    The title is stored on the approval request and read in every user's
    language. A draft has no number yet, so it shows its id as "#17".
    """
    return f"{invoice.customer.name} · {invoice.number or f'#{invoice.pk}'}"


def is_new_customer(invoice: SalesInvoice) -> bool:
    """Return whether the customer has no other released invoice."""
    return (
        not SalesInvoice.objects.filter(
            customer_id=invoice.customer_id, status__in=LOCKED_STATUSES
        )
        .exclude(pk=invoice.pk)
        .exists()
    )


def max_discount_percent(invoice: SalesInvoice) -> Decimal:
    discounts = invoice.lines.values_list("discount_percent", flat=True)
    return max(discounts, default=Decimal(0))


def invoice_facts(invoice: SalesInvoice) -> SubjectFacts:
    return SubjectFacts(
        title=invoice_title(invoice),
        amount=invoice.payable_amount,
        currency=invoice.currency,
        rate_date=invoice.issue_date or business_date(),
        project_id=invoice.project_id,
        party_id=invoice.customer_id,
        extra={
            "new_customer": is_new_customer(invoice),
            "discount_above": max_discount_percent(invoice),
            "foreign_currency": invoice.currency != settings.FIAT_CURRENCY,
        },
        excluded_user_ids=frozenset(
            {invoice.created_by_id} if invoice.created_by_id else set()
        ),
    )


def _approved(invoice: SalesInvoice, request, actor) -> None:
    from fiat.receivables.release import release_invoice

    release_invoice(invoice, actor)


def _rejected(invoice: SalesInvoice, request, actor, comment: str) -> None:
    from fiat.receivables.workflow import return_to_draft

    return_to_draft(invoice, actor, comment)


def _withdrawn(invoice: SalesInvoice, request, actor) -> None:
    from fiat.receivables.workflow import return_to_draft

    return_to_draft(invoice, actor, "withdrawn")


def _summary_context(invoice: SalesInvoice) -> dict:
    from fiat.receivables.queries import invoice_summary

    return invoice_summary(invoice)


def register() -> None:
    register_kind(
        DocumentKind(
            key=SALES_INVOICE,
            label=_("Sales invoices"),
            model=SalesInvoice,
            facts=invoice_facts,
            on_approved=_approved,
            on_rejected=_rejected,
            on_withdrawn=_withdrawn,
            url=lambda invoice: reverse("receivables:invoice", args=[invoice.pk]),
            summary_template="receivables/approval_summary.html",
            summary_context=_summary_context,
            viewer_roles=INVOICE_VIEWERS,
            extra_conditions=(
                ExtraCondition("new_customer", _("New customer (yes or no)"), equals),
                ExtraCondition(
                    "discount_above",
                    _("A line discount above this percentage"),
                    decimal_above,
                ),
                ExtraCondition(
                    "foreign_currency",
                    _("Currency other than the company's (yes or no)"),
                    equals,
                ),
            ),
            approval_required=False,
        )
    )
