"""Settlement at the cashier (Std ch.4): exactly once, all effects in one transaction.

Settling writes the settlement and its payments, the ledger entries (sale, payment),
the stock moves for every line, and the print jobs for the sales slip (3 copies) and
the cash receipt — or nothing at all.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import joinedload

from showroom.catalog.models import Product, StockMove
from showroom.clock import now_utc
from showroom.consignment.ledger import credit_sale, reverse_slip
from showroom.customers.services import lock_customer, post_entry
from showroom.errors import (
    AlreadySettled,
    IncompleteCustomerFile,
    InsufficientStock,
    InvalidTransition,
    Problem,
    ValidationFailed,
    required,
)
from showroom.extensions import db
from showroom.labels import label
from showroom.money import MoneyError, fen_str, parse_fen
from showroom.money_desk.approval import ManagerApproval
from showroom.money_desk.credit import check_credit
from showroom.numbering import next_number
from showroom.orders.models import AWAITING, SETTLED, Order, OrderLine
from showroom.orders.services import lock_order, order_lines
from showroom.picking.models import RestockTask
from showroom.printjobs.services import queue_job
from showroom.remote.remit import on_settled
from showroom.settlement.documents import cash_receipt_payload, return_payload, slip_payload
from showroom.settlement.models import PAYMENT_METHODS, Payment, ReturnLine, ReturnSlip, Settlement


@dataclass(frozen=True)
class PaymentIn:
    method: str
    amount: int
    tendered: int | None = None


def parse_payments(raw: object) -> list[PaymentIn]:
    """From API/form shapes to fen; every problem is reported against its field."""
    if not isinstance(raw, list):
        raise ValidationFailed(_("payments must be a list"), errors={"payments": _("a list")})
    if len(raw) > 10:
        raise ValidationFailed(_("at most 10 payments"),
                               errors={"payments": _("at most %(n)s", n=10)})
    out: list[PaymentIn] = []
    errors: dict[str, str] = {}
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            errors[f"payments[{i}]"] = _("an object with method and amount")
            continue
        method = item.get("method")
        if method not in PAYMENT_METHODS:
            errors[f"payments[{i}].method"] = _("one of %(choices)s",
                                                  choices=", ".join(PAYMENT_METHODS))
            continue
        try:
            amount = parse_fen(item.get("amount"))
            if amount == 0:
                raise MoneyError(_("must be more than 0.00"))
        except MoneyError as exc:
            errors[f"payments[{i}].amount"] = str(exc)
            continue
        tendered = None
        if item.get("tendered") not in (None, ""):
            if method != "cash":
                errors[f"payments[{i}].tendered"] = _("only cash is tendered")
                continue
            try:
                tendered = parse_fen(item.get("tendered"))
            except MoneyError as exc:
                errors[f"payments[{i}].tendered"] = str(exc)
                continue
            if tendered < amount:
                errors[f"payments[{i}].tendered"] = Problem("tendered-short",
                                                            _("less than the cash amount"))
                continue
        out.append(PaymentIn(method, amount, tendered))
    if errors:
        raise ValidationFailed(_("please correct the payments"), errors=errors)
    return out


def settle(order_id: int, payments: list[PaymentIn], *, cashier_id: int | None,
           station: str | None = None, override: ManagerApproval | None = None) -> Settlement:
    """Settle once. An on-account part beyond the customer's credit limit is refused
    (rule `credit_limit`) unless `override` (a manager's number, PIN and reason) approves
    it; the manager and the reason are recorded on the settlement."""
    order = lock_order(order_id)
    if order.status == SETTLED:
        raise AlreadySettled(_("order %(number)s is already settled", number=order.number))
    if order.status != AWAITING:
        raise InvalidTransition(_("order %(number)s is %(status)s; submit it first",
                                  number=order.number, status=label(order.status, "order_state")))
    customer = lock_customer(order.customer_id)  # balance_before must be the true one
    assert customer is not None
    if not customer.file_complete:
        raise IncompleteCustomerFile(
            _("complete the customer's file first: %(fields)s", fields=", ".join(
                label(f, "field") for f in customer.missing_fields)),
            errors={f: required() for f in customer.missing_fields},
        )
    total = order.total
    paid_sum = sum(p.amount for p in payments)
    if paid_sum != total:
        raise ValidationFailed(
            _("payments add up to %(paid)s, the order is %(total)s", paid=fen_str(paid_sum),
              total=fen_str(total)),
            errors={"payments": _("must add up to the order total")},
        )
    on_account = sum(p.amount for p in payments if p.method == "on_account")
    approver = check_credit(customer, on_account, override, f"credit-limit:{order.number}")
    lines = [ln for ln in order_lines(order.id) if ln.qty - ln.returned_qty > 0]
    # Product rows are locked in id order, so two desks can never deadlock on PostgreSQL.
    _take_stock(order, sorted(lines, key=lambda ln: ln.product_id), cashier_id)

    paid = total - on_account
    change = sum((p.tendered or p.amount) - p.amount for p in payments if p.method == "cash")
    balance_before = customer.balance
    if total:
        post_entry(customer.id, "sale", total, ref=order.number, staff_id=cashier_id)
    if paid:
        post_entry(customer.id, "payment", -paid, ref=order.number, staff_id=cashier_id,
                   note=", ".join(sorted({p.method for p in payments if p.method != "on_account"})))
    # post_entry moved this same locked row's balance: nothing to read again
    settlement = Settlement(order_id=order.id, total=total, paid=paid, on_account=on_account,
                            change=change, balance_before=balance_before,
                            balance_after=customer.balance, cashier_id=cashier_id,
                            station=station or "",
                            credit_override_manager_id=approver.id if approver else None,
                            credit_override_reason=override.reason.strip() if approver and override
                            else "")
    db.session.add(settlement)
    db.session.flush()
    db.session.add_all(Payment(settlement_id=settlement.id, method=p.method, amount=p.amount,
                               tendered=p.tendered) for p in payments)
    order.transition(SETTLED)
    order.settled_at = now_utc()
    order.version += 1
    on_settled(order, on_account, customer.balance)  # a remote order waits for the money
    db.session.flush()
    credit_sale(order.id, order.number, cashier_id, lines)  # consigned lines earn their consignor

    slip = slip_payload(order, customer, lines, settlement, payments)
    queue_job("sales_slip", slip, station=station, copies=3, order_id=order.id,
              ref=order.number, staff_id=cashier_id)
    if any(p.method == "cash" for p in payments):
        queue_job("cash_receipt", cash_receipt_payload(order, customer, settlement, payments),
                  station=station, order_id=order.id, ref=order.number, staff_id=cashier_id)
    return settlement


def settlement_result(s: Settlement) -> dict[str, Any]:
    """A settlement's figures as money strings (the API's answer)."""
    order = s.order
    return {
        "order_id": order.id, "number": order.number, "total": fen_str(s.total),
        "paid": fen_str(s.paid), "on_account": fen_str(s.on_account),
        "change": fen_str(s.change), "balance_before": fen_str(s.balance_before),
        "balance_after": fen_str(s.balance_after),
    }


def _take_stock(order: Order, lines: list[OrderLine], staff_id: int | None) -> None:
    """One executemany for the moves and one for on-hand, then a single check for shortfalls."""
    if not lines:
        return
    db.session.execute(
        insert(StockMove),
        [{"product_id": ln.product_id, "qty": -(ln.qty - ln.returned_qty), "reason": "sale",
          "ref": order.number, "staff_id": staff_id, "created_at": now_utc()} for ln in lines],
    )
    table = Product.__table__  # Core executemany: one UPDATE per line, one round trip
    assert isinstance(table, Table)
    db.session.execute(
        update(table).where(table.c.id == bindparam("pid"))
        .values(on_hand=table.c.on_hand - bindparam("q")),
        [{"pid": ln.product_id, "q": ln.qty - ln.returned_qty} for ln in lines],
    )
    short = db.session.execute(
        select(Product.code, Product.on_hand)
        .where(Product.id.in_([ln.product_id for ln in lines]), Product.on_hand < 0)
    ).all()
    if short:
        detail = ", ".join(_("%(code)s (short by %(n)s)", code=code, n=-qty)
                           for code, qty in short[:10])
        raise InsufficientStock(_("not enough stock for: %(detail)s", detail=detail))
    for ln in lines:
        db.session.expire(ln.product, ["on_hand"])


def return_on_the_spot(order_id: int, items: list[tuple[int, int]], *, staff_id: int | None,
                       station: str | None = None, version: int | None = None) -> ReturnSlip:
    """The customer drops lines at the desk before paying: a return slip, linked to the order."""
    if not items:
        raise ValidationFailed(_("choose at least one line to return"), errors={"lines": _("empty")})
    order = lock_order(order_id, version)
    if order.status != AWAITING:
        raise InvalidTransition(_(
            "order %(number)s is %(status)s: on-the-spot returns happen before settling",
            number=order.number, status=label(order.status, "order_state")))
    slip = ReturnSlip(number=next_number("return"), order_id=order.id,
                      customer_id=order.customer_id, total=0, staff_id=staff_id)
    db.session.add(slip)
    db.session.flush()
    for line_id, qty in items:
        line = db.session.get(OrderLine, line_id)
        if line is None or line.order_id != order.id or line.removed_at is not None:
            raise ValidationFailed(_("no line %(id)s on this order", id=line_id),
                                   errors={"lines": _("unknown line")})
        if isinstance(qty, bool) or not isinstance(qty, int) or qty <= 0:
            raise ValidationFailed(_("return quantities are whole numbers ≥ 1"), errors={"qty": "≥ 1"})
        if qty > line.qty - line.returned_qty:
            raise ValidationFailed(_("only %(n)s of %(code)s left on the order",
                                     n=line.qty - line.returned_qty, code=line.product.code),
                                   errors={"qty": _("more than on the order")})
        line.returned_qty += qty
        slip.total += line.unit_price * qty
        db.session.add(ReturnLine(return_slip_id=slip.id, order_line_id=line.id,
                                  product_id=line.product_id, qty=qty, unit_price=line.unit_price))
        db.session.add(RestockTask(product_id=line.product_id, qty=qty, order_id=order.id,
                                   created_by_id=staff_id))
    order.total -= slip.total
    order.version += 1
    db.session.flush()
    reverse_slip(slip.id, slip.number, staff_id)  # what a consignor earned on these pieces
    queue_job("return_slip", return_payload(order, slip), station=station, order_id=order.id,
              ref=slip.number, staff_id=staff_id)
    return slip


def cashier_queue() -> list[Order]:
    return list(db.session.scalars(
        select(Order).options(joinedload(Order.customer), joinedload(Order.clerk))
        .where(Order.status == AWAITING).order_by(Order.submitted_at)
    ))
