"""Test helpers for the money desk's tables, read by the shift close and the daily report.

The desk's services are written on another branch; these make the same rows they will:
lock the customer, post the ledger entry (a payment is negative, a refund of credit
positive) and insert the DeskPayment / CreditRefund with the same figures.
"""
from __future__ import annotations

from typing import Any

from showroom.customers.services import lock_customer, post_entry
from showroom.extensions import db
from showroom.money_desk.models import CreditRefund, DeskPayment
from showroom.numbering import next_number


def desk_payment(customer_id: int, method: str, amount: int, *, staff_id: int | None,
                 tendered: int | None = None, **extra: Any) -> DeskPayment:
    customer = lock_customer(customer_id)
    before = customer.balance
    entry = post_entry(customer_id, "payment", -amount, ref="SK", staff_id=staff_id)
    row = DeskPayment(number=next_number("desk_payment"), customer_id=customer_id, method=method,
                      amount=amount, tendered=tendered,
                      change=(tendered - amount) if tendered else 0,
                      balance_before=before, balance_after=entry.balance_after,
                      ledger_entry_id=entry.id, staff_id=staff_id, **extra)
    db.session.add(row)
    db.session.flush()
    return row


def credit_refund(customer_id: int, method: str, amount: int, *, staff_id: int | None,
                  manager_id: int, reason: str = "退余款") -> CreditRefund:
    customer = lock_customer(customer_id)
    before = customer.balance
    entry = post_entry(customer_id, "refund", amount, ref="TK", staff_id=staff_id)
    row = CreditRefund(number=next_number("credit_refund"), customer_id=customer_id,
                       method=method, amount=amount, reason=reason, manager_id=manager_id,
                       balance_before=before, balance_after=entry.balance_after,
                       ledger_entry_id=entry.id, staff_id=staff_id)
    db.session.add(row)
    db.session.flush()
    return row
