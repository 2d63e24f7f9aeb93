"""Hypothesis: random sequences of settlements (cash and other methods), desk payments,
refunds of credit and reversals, made by two cashiers with closes in between — each
close's expected cash is the Σ of that cashier's cash movements since their last close
(opening float included, reversed movements left out)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import factories
from desk_support import credit_refund, desk_payment
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from showroom.clock import set_now
from showroom.customers.models import LedgerEntry
from showroom.customers.services import reverse_entry
from showroom.extensions import db
from showroom.money_desk.shifts import Counted, close_shift
from showroom.settlement.services import PaymentIn, settle

amount = st.integers(min_value=1, max_value=50_000)
step = st.one_of(
    st.tuples(st.just("sale"), st.sampled_from(["cash", "wechat", "alipay", "bank_transfer",
                                                "on_account"]), amount, st.integers(0, 1)),
    st.tuples(st.just("desk"), st.sampled_from(["cash", "wechat"]), amount, st.integers(0, 1)),
    st.tuples(st.just("refund"), st.just("cash"), amount, st.integers(0, 1)),
    st.tuples(st.just("reverse"), st.just(""), st.just(0), st.integers(0, 1)),
    st.tuples(st.just("close"), st.just(""), st.just(0), st.integers(0, 1)),
)


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(step, min_size=1, max_size=14))
def test_expected_cash_is_the_sum_of_the_cash_movements(app: Any, steps: list[Any]) -> None:
    app.config["SHOWROOM_OPENING_FLOAT"] = "200.00"
    with app.app_context():
        t = datetime(2026, 11, 22, 1, 0, tzinfo=UTC)
        set_now(t)
        cashiers = [factories.staff("cashier").id, factories.staff("cashier").id]
        manager = factories.staff("manager")
        cust = factories.customer()
        prod = factories.product(wholesale=1, stock=10_000_000)
        cash_since: dict[int, int] = dict.fromkeys(cashiers, 0)
        reversible: list[tuple[int, int, int]] = []  # (ledger entry, cashier, cash effect)
        for kind, method, fen, who in steps:
            t += timedelta(minutes=1)
            set_now(t)
            cashier = cashiers[who]
            if kind == "sale":
                order = factories.order_with_lines(cust.id, [(prod, fen)])
                settle(order.id, [PaymentIn(method, fen)], cashier_id=cashier)
                if method != "on_account":
                    entry = db.session.scalar(select(LedgerEntry.id).where(
                        LedgerEntry.kind == "payment", LedgerEntry.ref == order.number))
                    effect = fen if method == "cash" else 0
                    cash_since[cashier] += effect
                    reversible.append((entry, cashier, effect))
            elif kind == "desk":
                row = desk_payment(cust.id, method, fen, staff_id=cashier)
                effect = fen if method == "cash" else 0
                cash_since[cashier] += effect
                reversible.append((row.ledger_entry_id, cashier, effect))
            elif kind == "refund":
                db.session.refresh(cust)
                if cust.balance >= 0:
                    continue
                fen = min(fen, -cust.balance)
                row = credit_refund(cust.id, "cash", fen, staff_id=cashier, manager_id=manager.id)
                cash_since[cashier] -= fen
                reversible.append((row.ledger_entry_id, cashier, -fen))
            elif kind == "reverse" and reversible:
                entry, owner, effect = reversible.pop(who % len(reversible))
                reverse_entry(entry, staff_id=manager.id, note="收错了")
                cash_since[owner] -= effect  # never happened (if still in the open shift)
            elif kind == "close":
                expected = cash_since[cashier] + 20_000
                close = close_shift(cashier, Counted(cash=expected))
                assert close.expected_cash == expected and close.cash_difference == 0
                cash_since[cashier] = 0
                # movements of a closed shift can no longer change an open one
                reversible = [r for r in reversible if r[1] != cashier]
        t += timedelta(minutes=1)
        set_now(t)
        for cashier in cashiers:
            close = close_shift(cashier, Counted(cash=cash_since[cashier] + 20_000))
            assert close.cash_difference == 0
        db.session.rollback()
        set_now(None)
