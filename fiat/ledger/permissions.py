"""Who may read the journal: finance roles and the auditor.

The web pages only show entries. Entries are posted and reversed by the
functions in ``fiat.ledger.posting``.
"""

from fiat.core.models import Role

LEDGER_VIEWERS = (
    Role.AP_CLERK,
    Role.CONTROLLER,
    Role.DIRECTOR,
    Role.ADMINISTRATOR,
    Role.AUDITOR,
)
