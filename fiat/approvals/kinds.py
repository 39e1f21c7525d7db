"""The document kinds the approval engine serves, and what it needs from each.

An app that wants its documents approved registers a ``DocumentKind`` in its
AppConfig.ready(). The engine reads from the kind the facts its rules test
and the people four eyes excludes, and calls the kind when a request ends.
The document's own status changes stay in the app that owns the document.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

# Document types as ``DocumentKind.document_type`` returns them.
INVOICE = "invoice"
CREDIT_NOTE = "credit_note"


@dataclass(frozen=True)
class SubjectFacts:
    """The facts of one document that the rules of a policy test."""

    title: str
    # Total including VAT, in the document's currency.
    amount: Decimal
    currency: str
    # The date whose exchange rate converts the amount to company currency.
    rate_date: date
    cost_centre_id: int | None = None
    project_id: int | None = None
    party_id: int | None = None
    has_purchase_order: bool = False
    # Values for the kind's own conditions, by condition name.
    extra: Mapping[str, object] = field(default_factory=dict)
    # Users who may not approve this document: its submitter and creator,
    # and for an expense claim the employee it pays.
    excluded_user_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class ExtraCondition:
    """A condition that only one kind defines, such as "new customer".

    ``holds(setting, value)`` compares the rule's setting with the document's
    value from ``SubjectFacts.extra``.
    """

    name: str
    label: str
    holds: Callable[[object, object], bool]


@dataclass(frozen=True)
class DocumentKind:
    key: str
    label: str
    model: type[models.Model]
    facts: Callable[[models.Model], SubjectFacts]
    # Called inside the transaction that ends the request.
    on_approved: Callable[[models.Model, object, object], None]
    on_rejected: Callable[[models.Model, object, object, str], None]
    on_withdrawn: Callable[[models.Model, object, object], None]
    # The URL of the document's own page, for the approval page and mails.
    url: Callable[[models.Model], str]
    # A template rendered on the approval page with ``subject`` and
    # ``request`` in its context: the document's data, pages and warnings.
    summary_template: str
    summary_context: Callable[[models.Model], dict] = lambda subject: {}
    # Roles that may read every request of this kind on its request page,
    # besides the request's approvers and submitter.
    viewer_roles: tuple[str, ...] = ()
    # The stored document whose page images the approval page shows, or
    # None; the approval pages serve its pages to whoever may see the request.
    page_document: Callable[[models.Model], object] = lambda subject: None
    extra_conditions: tuple[ExtraCondition, ...] = ()
    # Whether a document no rule matches still needs an approver (then the
    # fallback approver takes it) or needs no approval at all.
    approval_required: bool = True
    # The document's type, INVOICE or CREDIT_NOTE. Requests store amounts
    # as positive numbers; pages show a credit note's amounts negative.
    document_type: Callable[[models.Model], str] = lambda subject: INVOICE
    # What the rejection mail tells the submitter to do on the document's page.
    rejected_next_step: str = _("Correct it and submit it again, or cancel it, here:")
    # The function that loads and locks the document by id when it is
    # decided on, so that on_approved and on_rejected receive it locked in
    # the decision's transaction. With None the engine reads it unlocked.
    lock_subject: Callable[[int], models.Model] | None = None
    # Foreign keys of the document that the summary and page images read.
    # load_subject joins them into the query that loads the document.
    subject_relations: tuple[str, ...] = ()


_kinds: dict[str, DocumentKind] = {}


class UnknownDocumentKindError(LookupError):
    def __init__(self, key: str) -> None:
        super().__init__(
            f"No document kind {key!r} is registered for approval; "
            f"registered kinds: {', '.join(sorted(_kinds)) or 'none'}."
        )


def register_kind(kind: DocumentKind) -> DocumentKind:
    _kinds[kind.key] = kind
    return kind


def get_kind(key: str) -> DocumentKind:
    try:
        return _kinds[key]
    except KeyError:
        raise UnknownDocumentKindError(key) from None


def kind_for_model(model: type[models.Model]) -> DocumentKind:
    for kind in _kinds.values():
        if kind.model is model or isinstance(model, kind.model):
            return kind
    raise UnknownDocumentKindError(model.__name__)


def registered_kinds() -> list[DocumentKind]:
    return sorted(_kinds.values(), key=lambda kind: kind.key)


def kind_choices() -> list[tuple[str, str]]:
    return [(kind.key, kind.label) for kind in registered_kinds()]


def load_subject(request):
    """Load the request's document with its kind's ``subject_relations`` joined in.

    The document is cached on the request, so later reads of
    ``request.subject`` cost no query. Return None when the document is gone.
    """
    subject_field = request._meta.get_field("subject")
    if subject_field.is_cached(request):
        return request.subject
    kind = get_kind(request.document_kind)
    model = ContentType.objects.get_for_id(request.content_type_id).model_class()
    if model is not kind.model or not kind.subject_relations:
        return request.subject
    subjects = model._base_manager.select_related(*kind.subject_relations)
    try:
        subject = subjects.get(pk=request.object_id)
    except model.DoesNotExist:
        subject = None
    subject_field.set_cached_value(request, subject)
    return subject


def request_document_type(request) -> str:
    """Return the document type of an approval request's document.

    A request whose document is gone counts as an invoice.
    """
    subject = request.subject
    if subject is None:
        return INVOICE
    return get_kind(request.document_kind).document_type(subject)


def shown_amount(amount: Decimal, document_type: str) -> Decimal:
    """Return ``amount`` with the sign pages show: negative on a credit note."""
    return -amount if document_type == CREDIT_NOTE else amount


def shown_request_amounts(request) -> dict[str, Decimal]:
    """Return a request's document and company amounts with the sign pages show."""
    document_type = request_document_type(request)
    return {
        "document_amount": shown_amount(request.document_amount, document_type),
        "amount": shown_amount(request.amount, document_type),
    }


def decimal_above(setting: object, value: object) -> bool:
    """Hold when ``value`` is above the rule's ``setting`` (both as decimals)."""
    if value is None:
        return False
    return Decimal(str(value)) > Decimal(str(setting))


def equals(setting: object, value: object) -> bool:
    return bool(setting) == bool(value)
