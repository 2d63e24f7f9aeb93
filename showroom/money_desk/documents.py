"""Snapshots of the money desk's documents (收款单, 退款单) stored on their print jobs:
money as "123.45" strings, showroom-local times, the customer's phone masked (SPEC §12),
so a reprint a month later reads exactly as the first print."""
from __future__ import annotations

from typing import Any

from showroom.auth.models import Staff
from showroom.customers.models import Customer
from showroom.money import fen_str
from showroom.money_desk.models import CreditRefund, DeskPayment
from showroom.settlement.documents import customer_party, now_local


def _who(staff: Staff | None) -> str:
    return f"{staff.staff_no} {staff.name}" if staff is not None else ""


def receipt_payload(p: DeskPayment, customer: Customer, cashier: Staff | None) -> dict[str, Any]:
    cash = p.method == "cash" and p.tendered is not None
    return {"number": p.number, "printed_at": now_local(), "customer": customer_party(customer),
            "method": p.method, "amount": fen_str(p.amount),
            "tendered": fen_str(p.tendered) if cash and p.tendered is not None else "",
            "change": fen_str(p.change) if cash else "", "reference": p.reference,
            "note": p.note, "balance_before": fen_str(p.balance_before),
            "balance_after": fen_str(p.balance_after), "cashier": _who(cashier)}


def refund_payload(r: CreditRefund, customer: Customer, manager: Staff,
                   cashier: Staff | None) -> dict[str, Any]:
    return {"number": r.number, "printed_at": now_local(), "customer": customer_party(customer),
            "method": r.method, "amount": fen_str(r.amount), "reason": r.reason,
            "manager": _who(manager), "balance_before": fen_str(r.balance_before),
            "balance_after": fen_str(r.balance_after), "cashier": _who(cashier)}
