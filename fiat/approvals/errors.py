"""Why the engine refused an action, for the person who tried it."""

from django.utils.translation import gettext_lazy as _


class ApprovalError(Exception):
    """An action the engine refused; ``message`` is meant for the user."""

    code = "approval_error"

    def __init__(self, message, **details) -> None:
        super().__init__(str(message))
        self.message = message
        self.details = details


class AlreadyDecidedError(ApprovalError):
    code = "already_decided"


class NotYourTaskError(ApprovalError):
    code = "not_your_task"


class FourEyesError(ApprovalError):
    code = "four_eyes"


class CommentRequiredError(ApprovalError):
    code = "comment_required"


class RequestClosedError(ApprovalError):
    code = "request_closed"


class NoPolicyError(ApprovalError):
    code = "no_policy"


class NotSubmitterError(ApprovalError):
    code = "not_submitter"


class InvalidReassignmentError(ApprovalError):
    code = "invalid_reassignment"


COMMENT_REQUIRED = _("Say why you reject it: the submitter reads your comment.")
