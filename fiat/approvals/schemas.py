"""Schemas of the approvals API: tasks, requests with their steps, decisions.

Amounts are decimal strings, as everywhere in the API (``fiat.core.schemas``),
and statuses, modes, reasons and channels are enums in the OpenAPI document.
"""

import enum
from datetime import datetime

from ninja import Field, Schema

from fiat.approvals import errors, kinds
from fiat.approvals.models import (
    AssignmentReason,
    AssignmentStatus,
    DecisionChannel,
    DecisionOutcome,
    RequestStatus,
    StepMode,
    StepStatus,
)
from fiat.core.schemas import DecimalString, FieldErrorOut


class ApprovalErrorCode(enum.StrEnum):
    """The ``code`` of every error the approval engine raises."""

    APPROVAL_ERROR = errors.ApprovalError.code
    ALREADY_DECIDED = errors.AlreadyDecidedError.code
    NOT_YOUR_TASK = errors.NotYourTaskError.code
    FOUR_EYES = errors.FourEyesError.code
    COMMENT_REQUIRED = errors.CommentRequiredError.code
    REQUEST_CLOSED = errors.RequestClosedError.code
    NO_POLICY = errors.NoPolicyError.code
    NOT_SUBMITTER = errors.NotSubmitterError.code
    INVALID_REASSIGNMENT = errors.InvalidReassignmentError.code


class ApprovalErrorOut(Schema):
    """A decision the engine did not accept, in the shape of ``ErrorOut``."""

    code: ApprovalErrorCode
    message: str
    field: str | None = Field(
        None, description="The input field that the error is about, if any."
    )
    errors: list[FieldErrorOut] = Field(default_factory=list)


class DocumentType(enum.StrEnum):
    INVOICE = kinds.INVOICE
    CREDIT_NOTE = kinds.CREDIT_NOTE


class UserRefOut(Schema):
    username: str
    name: str


class TaskOut(Schema):
    assignment_id: int
    step_id: int = Field(description="Post decisions to /approvals/steps/{step_id}.")
    step_position: int
    step_name: str
    mode: StepMode
    reason: AssignmentReason
    assigned_at: datetime
    request_id: int
    document_kind: str
    title: str
    amount: DecimalString = Field(description="Total in company currency.")
    currency: str
    document_amount: DecimalString
    document_currency: str
    document_type: DocumentType = Field(
        description="Amounts are positive for both types; a credit note "
        "reduces what is paid, and the web pages show its amounts negative."
    )
    submitted_by: UserRefOut | None
    requested_at: datetime
    on_behalf_of: UserRefOut | None = Field(
        description="The approver whose place you take as their stand-in."
    )
    as_fallback: bool = Field(
        description="You act as fallback approver, because four eyes excludes "
        "the approver's stand-in."
    )
    url: str = Field(description="The approval page of the request.")


class TaskCountOut(Schema):
    document_kind: str
    count: int


class TasksOut(Schema):
    total: int
    counts: list[TaskCountOut] = Field(description="Open tasks per document kind.")
    items: list[TaskOut] = Field(description="Oldest request first.")


class AssignmentOut(Schema):
    id: int
    approver: UserRefOut
    reason: AssignmentReason
    status: AssignmentStatus
    assigned_at: datetime


class DecisionOut(Schema):
    id: int
    step_id: int
    assignment_id: int
    outcome: DecisionOutcome
    decided_by: UserRefOut
    on_behalf_of: UserRefOut | None
    comment: str
    channel: DecisionChannel
    decided_at: datetime


class StepOut(Schema):
    id: int
    position: int
    name: str
    mode: StepMode
    status: StepStatus
    started_at: datetime | None
    completed_at: datetime | None
    assignments: list[AssignmentOut]
    decisions: list[DecisionOut]


class MyTaskOut(Schema):
    step_id: int
    assignment_id: int
    on_behalf_of: UserRefOut | None
    as_fallback: bool


class RequestOut(Schema):
    id: int
    document_kind: str
    title: str
    status: RequestStatus
    rule_name: str
    amount: DecimalString = Field(description="Total in company currency.")
    currency: str
    document_amount: DecimalString
    document_currency: str
    document_type: DocumentType = Field(
        description="Amounts are positive for both types; a credit note "
        "reduces what is paid, and the web pages show its amounts negative."
    )
    submitted_by: UserRefOut | None
    created_at: datetime
    completed_at: datetime | None
    steps: list[StepOut]
    my_task: MyTaskOut | None = Field(
        description="The open task you may decide now, if any."
    )


class DecisionIn(Schema):
    outcome: DecisionOutcome
    comment: str = Field(
        "", max_length=2000, description="Required when the outcome is `rejected`."
    )
