"""What sealing prints at the packing station: a box label and a contents list for each
box (Std ch.5: every box numbered n of N with its own list), and the signed sales slip.

The box label carries the full phone number: the carrier has to reach the customer.
The contents list is a customer document and masks it like the receipts do.
"""
from __future__ import annotations

import base64
import json
from typing import Any

from sqlalchemy import select

from showroom.extensions import db
from showroom.orders.models import Order
from showroom.packing.models import Packing
from showroom.packing.queries import active_lines, box_contents
from showroom.printjobs.models import PrintJob
from showroom.printjobs.services import queue_job
from showroom.settlement.documents import customer_party, now_local


def box_barcode(order: Order, box_no: int) -> str:
    return f"{order.number}-{box_no}"


def queue_box_documents(order: Order, packing: Packing, *, packer_name: str,
                        station: str | None, staff_id: int | None) -> None:
    customer = order.customer
    boxes = box_contents(packing.id, active_lines(order.id))
    count = len(boxes)
    printed_at = now_local()
    party = customer_party(customer)
    for box in boxes:
        ref = box_barcode(order, box.number)
        queue_job("box_label", {
            "order_number": order.number, "name": customer.name, "address": customer.address,
            "phone": customer.phone, "box_no": box.number, "box_count": count, "barcode": ref,
        }, station=station, order_id=order.id, ref=ref, staff_id=staff_id)
        queue_job("packing_list", {
            "order_number": order.number, "printed_at": printed_at, "customer": party,
            "box_no": box.number, "box_count": count, "packer": packer_name,
            "items": [{"code": ln.product.code, "name": ln.product.name, "qty": qty}
                      for ln, qty in box.contents],
        }, station=station, order_id=order.id, ref=ref, staff_id=staff_id)


def signed_slip_payload(order: Order, packing: Packing | None) -> dict[str, Any] | None:
    """The sales slip as printed at settlement, with the customer's signature from the
    bench and the names of those who counted; None when the order has no slip."""
    job = db.session.scalar(select(PrintJob).where(
        PrintJob.order_id == order.id, PrintJob.document == "sales_slip",
        PrintJob.reprint.is_(False)).order_by(PrintJob.id).limit(1))
    if job is None:
        return None
    payload: dict[str, Any] = json.loads(job.payload)
    if packing is not None:
        if packing.customer_signature:
            payload["customer_signature_png"] = base64.b64encode(
                packing.customer_signature).decode("ascii")
        payload["counted_by"] = [s.staff.name for s in packing.signatures]
    return payload
