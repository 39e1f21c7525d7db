"""Purchase orders and supplier invoices of the demo company.

The invoices come from ``fiat.sampledocs``, which generates them. They enter
through the drop-folder channel like any other file, so the worker reads and
checks them as it would real mail.
"""

from datetime import date

from django.db import transaction

from fiat.core.dates import business_date
from fiat.core.models import Party, User
from fiat.documents.intake import receive_file
from fiat.documents.models import Channel
from fiat.payables.orders import OrderInput, OrderLineInput, create_purchase_order
from fiat.sampledocs.catalogue import demo_invoices
from fiat.sampledocs.purchases import demo_purchase_order


def load_demo_purchases(today: date | None = None) -> int:
    """Create the demo purchase order and take in the demo invoices.

    Return how many invoice files were taken in: none when the demo order
    exists already, so loading twice adds nothing.
    """
    today = today or business_date()
    with transaction.atomic():
        _order, created = _create_demo_order(today)
        if not created:
            return 0
        clerk = User.objects.filter(username="clerk").first()
        files = demo_invoices(today)
        for sample in files:
            receive_file(
                sample.content,
                sample.filename,
                channel=Channel.FOLDER,
                received_by=clerk,
            )
    return len(files)


def _create_demo_order(today: date):
    sample = demo_purchase_order(today)
    supplier = Party.objects.get(name=sample.supplier_name)
    order_input = OrderInput(
        number=sample.number,
        supplier=supplier,
        order_date=sample.order_date,
        currency=sample.currency,
        lines=[
            OrderLineInput(line.description, line.quantity, line.unit_price)
            for line in sample.lines
        ],
    )
    return create_purchase_order(order_input, actor=None)
