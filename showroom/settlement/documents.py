"""Snapshots of the documents settlement prints, stored as JSON on the print job.

Figures are strings with two decimals and times are showroom-local, so a reprint a
month later shows exactly what the customer was given.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from flask import current_app

from showroom.clock import local, now_utc
from showroom.customers.models import Customer
from showroom.money import fen_str
from showroom.orders.models import Order, OrderLine
from showroom.privacy import mask_phone
from showroom.settlement.models import ReturnSlip, Settlement


class _Pay(Protocol):
    @property
    def method(self) -> str: ...
    @property
    def amount(self) -> int: ...
    @property
    def tendered(self) -> int | None: ...


def now_local() -> str:
    return local(now_utc(), current_app.config["SHOWROOM_TIMEZONE"]).strftime("%Y-%m-%d %H:%M")


def customer_party(customer: Customer) -> dict[str, str]:
    """The customer as printed on customer documents: the phone masked (SPEC §12)."""
    return {"code": customer.code, "name": customer.name, "kind": customer.kind,
            "phone_masked": mask_phone(customer.phone), "address": customer.address}


def slip_payload(order: Order, customer: Customer, lines: Sequence[OrderLine],
                 s: Settlement, payments: Sequence[_Pay]) -> dict[str, Any]:
    return {
        "number": order.number, "printed_at": now_local(), "customer": customer_party(customer),
        "lines": [{"code": ln.product.code, "name": ln.product.name,
                   "qty": ln.qty - ln.returned_qty, "unit_price": fen_str(ln.unit_price),
                   "amount": fen_str(ln.unit_price * (ln.qty - ln.returned_qty))}
                  for ln in reversed(lines)],
        "previous_debt": fen_str(s.balance_before), "this_order": fen_str(s.total),
        "paid": fen_str(s.paid), "cumulative_debt": fen_str(s.balance_after),
        "payments": [{"method": p.method, "amount": fen_str(p.amount)} for p in payments],
        "copies": ["第一联 存根", "第二联 保管", "第三联 客户"],
    }


def cash_receipt_payload(order: Order, customer: Customer, s: Settlement,
                         payments: Sequence[_Pay]) -> dict[str, Any]:
    cash = [p for p in payments if p.method == "cash"]
    tendered = sum(p.tendered or p.amount for p in cash)
    return {"number": order.number, "printed_at": now_local(), "customer": customer_party(customer),
            "cash": fen_str(sum(p.amount for p in cash)), "tendered": fen_str(tendered),
            "change": fen_str(s.change)}


def return_payload(order: Order, slip: ReturnSlip) -> dict[str, Any]:
    return {"number": slip.number, "order_number": order.number, "printed_at": now_local(),
            "customer": customer_party(order.customer),
            "lines": [{"code": rl.product.code, "name": rl.product.name, "qty": rl.qty,
                       "unit_price": fen_str(rl.unit_price),
                       "amount": fen_str(rl.unit_price * rl.qty)} for rl in slip.lines],
            "total": fen_str(slip.total)}
