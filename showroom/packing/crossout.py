"""Crossing out (× on the slip) an item the customer no longer wants at the bench.

It makes a return slip (退货单) that needs the handler, the customer and a department
manager (by PIN): the goods go back into stock and onto a restock task, the customer's
ledger is credited, and the slip prints at the station — all in one transaction. Only
units not yet in a box can be crossed out; take them out of the box first. Like any change
after them, a cross-out voids the sign-offs already given.
Exactly once: the HTML form's one-time token and the API's Idempotency-Key replay a
repeated submit, and a unit can be crossed out only while it is still unpacked.
"""
from __future__ import annotations

from flask_babel import gettext as _

from showroom.auth.models import Staff
from showroom.auth.services import authenticate
from showroom.catalog.services import move_stock
from showroom.consignment.ledger import reverse_slip
from showroom.customers.services import post_entry
from showroom.errors import Forbidden, ValidationFailed
from showroom.extensions import db
from showroom.numbering import next_number
from showroom.orders.services import lock_order
from showroom.packing.services import _line_of, _qty, open_packing, void_signoffs
from showroom.picking.models import RestockTask
from showroom.printjobs.services import queue_job
from showroom.settlement.documents import return_payload
from showroom.settlement.models import ReturnKind, ReturnLine, ReturnSlip
from showroom.validation import clean_text


def cross_out(order_id: int, items: list[tuple[int, int]], *, handler_id: int,
              manager_staff_no: str, manager_pin: str, customer_agreed: bool,
              reason: str = "", station: str | None = None) -> ReturnSlip:
    errors: dict[str, str] = {}
    reason = clean_text(reason, "reason", errors, 200)
    if not items:
        errors["lines"] = _("choose at least one line to cross out")
    if not customer_agreed:
        errors["customer_agreed"] = _("the customer must agree to the cross-out")
    if not (manager_staff_no or "").strip() or not (manager_pin or "").strip():
        errors["manager"] = _("a manager's staff number and PIN")
    if errors:
        raise ValidationFailed(_("the cross-out needs the customer's agreement and a "
                                 "manager's PIN"), errors=errors)
    order = lock_order(order_id)
    packing = open_packing(order.id, staff_id=handler_id, station=station, order=order)
    manager = authenticate(manager_staff_no, manager_pin, source=f"cross-out:{order.number}")
    if "manager" not in manager.role_set:
        raise Forbidden(_("%(name)s is not a department manager: a manager must approve",
                          name=manager.name), errors={"manager": _("not a manager")})
    merged: dict[int, int] = {}
    for line_id, qty in items:
        merged[line_id] = merged.get(line_id, 0) + _qty(qty)
    slip = ReturnSlip(number=next_number("return"), order_id=order.id,
                      customer_id=order.customer_id, total=0, staff_id=handler_id,
                      kind=ReturnKind.CROSS_OUT, manager_id=manager.id, customer_agreed=True)
    db.session.add(slip)
    db.session.flush()
    lines = sorted(((_line_of(order, line_id), qty) for line_id, qty in merged.items()),
                   key=lambda pair: (pair[0].product_id, pair[0].id))  # lock order as settle
    for line, qty in lines:
        line_id = line.id
        unpacked = line.to_pack - line.packed_qty
        if qty > unpacked:
            raise ValidationFailed(_(
                "%(code)s: only %(n)s not yet in a box can be crossed out; take the rest out "
                "of the box first", code=line.product.code, n=unpacked),
                errors={f"line_{line_id}": _("more than is unpacked")})
        line.crossed_qty += qty
        slip.total += line.unit_price * qty
        db.session.add(ReturnLine(return_slip_id=slip.id, order_line_id=line.id,
                                  product_id=line.product_id, qty=qty, unit_price=line.unit_price))
        # one atomic UPDATE on_hand = on_hand + qty: never a stale read-modify-write
        move_stock(line.product_id, qty, "return", ref=slip.number, staff_id=handler_id)
        db.session.expire(line.product, ["on_hand"])
        db.session.add(RestockTask(product_id=line.product_id, qty=qty, order_id=order.id,
                                   created_by_id=handler_id))
    reverse_slip(slip.id, slip.number, handler_id)  # what a consignor earned on these pieces
    if slip.total:
        entry = post_entry(order.customer_id, "return_credit", -slip.total, ref=slip.number,
                           staff_id=handler_id, note=reason or order.number)
        slip.ledger_entry_id = entry.id
    packing.version += 1
    order.version += 1
    db.session.flush()
    void_signoffs(packing, "cross-out")  # the amount and the goods changed: sign again
    handler = db.session.get(Staff, handler_id) if handler_id else None
    payload = return_payload(order, slip) | {
        "kind": "cross_out", "handler": handler.name if handler else "",
        "manager": manager.name, "reason": reason}
    queue_job("return_slip", payload, station=station, order_id=order.id, ref=slip.number,
              staff_id=handler_id)
    return slip
