"""Hypothesis: random sequences of sales (settled with part on account), desk payments,
refunds of credit, reversals and on-the-spot returns keep balance == Σ ledger and every
running balance true, refuse every sale reversal, and never refund more than the credit
held."""
from __future__ import annotations

import factories
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from showroom.customers.models import Customer, LedgerEntry
from showroom.customers.services import reverse_entry
from showroom.errors import RuleRefused
from showroom.extensions import db
from showroom.money_desk.approval import ManagerApproval
from showroom.money_desk.services import DeskPaymentIn, RefundIn, refund_credit, take_payment
from showroom.orders.services import order_lines
from showroom.settlement.services import PaymentIn, return_on_the_spot, settle

MANAGER_NO, PIN = "7700", "246810"

sale = st.tuples(st.just("sale"), st.integers(1, 4), st.integers(0, 100), st.booleans())
pay = st.tuples(st.just("pay"), st.sampled_from(["cash", "wechat", "bank_transfer"]),
                st.integers(1, 300_000))
refund = st.tuples(st.just("refund"), st.integers(1, 300_000))
reverse = st.tuples(st.just("reverse"), st.integers(0, 1000))
ops = st.lists(st.one_of(sale, pay, refund, reverse), min_size=1, max_size=10)


@pytest.fixture
def world(ctx):
    factories.staff("manager", staff_no=MANAGER_NO, pin=PIN)
    c = factories.customer(name="随机客户")
    p = factories.product(wholesale=12_345, stock=100_000)
    db.session.commit()
    return c.id, p


def _apply(op, cid, product) -> None:  # type: ignore[no-untyped-def]
    kind = op[0]
    if kind == "sale":
        _, qty, cash_pct, drop = op
        order = factories.order_with_lines(cid, [(product, qty + (1 if drop else 0))])
        if drop:
            return_on_the_spot(order.id, [(order_lines(order.id)[0].id, 1)], staff_id=None)
            db.session.refresh(order)
        cash = order.total * cash_pct // 100
        pays = [p for p in (PaymentIn("cash", cash) if cash else None,
                            PaymentIn("on_account", order.total - cash)
                            if order.total - cash else None) if p]
        settle(order.id, pays, cashier_id=None)
    elif kind == "pay":
        take_payment(cid, DeskPaymentIn(op[1], op[2]), staff_id=None)
    elif kind == "refund":
        held = max(0, -db.session.get(Customer, cid).balance)
        r = RefundIn("cash", op[1], ManagerApproval(MANAGER_NO, PIN, "退余款"))
        if op[1] > held:
            with pytest.raises(RuleRefused):
                refund_credit(cid, r, staff_id=None)
        else:
            done = refund_credit(cid, r, staff_id=None)
            assert done.amount <= held and done.balance_after <= 0
    else:
        entries = db.session.scalars(select(LedgerEntry).where(
            LedgerEntry.kind != "reversal", LedgerEntry.customer_id == cid)
            .order_by(LedgerEntry.id)).all()
        if not entries:
            return
        target = entries[op[1] % len(entries)]
        already = db.session.scalar(select(LedgerEntry.id).where(
            LedgerEntry.reverses_id == target.id))
        if target.kind in ("sale", "return_credit"):
            with pytest.raises(RuleRefused):
                reverse_entry(target.id, staff_id=None, note="录错")
        elif not already:
            reverse_entry(target.id, staff_id=None, note="录错")


def _check(cid: int) -> None:
    entries = db.session.scalars(select(LedgerEntry).where(LedgerEntry.customer_id == cid)
                                 .order_by(LedgerEntry.id)).all()
    running = 0
    for e in entries:
        running += e.amount
        assert e.balance_after == running
    assert db.session.get(Customer, cid).balance == running


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(sequence=ops)
def test_balance_is_the_ledger_sum_whatever_the_desk_does(world, sequence):
    cid, product = world
    savepoint = db.session.begin_nested()
    try:
        for op in sequence:
            _apply(op, cid, product)
            db.session.flush()
            _check(cid)
    finally:
        savepoint.rollback()
