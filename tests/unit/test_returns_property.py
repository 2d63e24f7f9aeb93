"""Hypothesis: under any sequence of sales (shipped, picked up, not shipped yet), returns,
exchanges, cross-outs at the bench and manager overrides, every sale line keeps
returned ≤ sold, on-hand = Σ stock moves, balance = Σ ledger entries, and every document
writes exactly one ledger entry — none when an exchange's difference is 0 (or a return's
credit is 0), never two."""
from __future__ import annotations

import aftersales_support as S
import factories
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from showroom.aftersales.models import AfterSalesDoc, AfterSalesLine
from showroom.aftersales.services import VerdictRefused, make_return
from showroom.customers.models import LedgerEntry
from showroom.extensions import db
from showroom.orders.models import Order, OrderLine
from showroom.packing.crossout import cross_out

MGR, PIN = "7701", "135790"
PRICES = (12_000, 12_000, 9_900, 15_050)  # the first replacement costs what was paid

sale = st.tuples(st.just("sale"), st.sampled_from(["shipped", "self_pickup", "left",
                                                   "unshipped", "at_bench"]),
                 st.integers(1, 3))
back = st.tuples(st.just("back"), st.sampled_from(["return", "exchange"]),
                 st.sampled_from(["goods_differ", "quality", "other"]), st.booleans(),
                 st.integers(0, 30), st.integers(1, 3), st.integers(0, 3), st.booleans())
cross = st.tuples(st.just("cross"), st.integers(0, 30), st.integers(1, 2))
ops = st.lists(st.one_of(sale, back, cross), min_size=1, max_size=12)


@pytest.fixture
def world(ctx):
    factories.staff("manager", staff_no=MGR, pin=PIN)
    handler = factories.staff("packer")
    c = factories.customer(name="随机客户")
    sold = factories.product(wholesale=12_000, stock=100_000)
    outs = [factories.product(wholesale=price, stock=100_000) for price in PRICES]
    db.session.commit()
    return {"c": c.id, "p": sold, "outs": outs, "handler": handler.id}


def _lines(cid: int) -> list[OrderLine]:
    return list(db.session.scalars(select(OrderLine).join(Order).where(
        Order.customer_id == cid, Order.settled_at.is_not(None)).order_by(OrderLine.id)))


def _apply(op, w) -> None:  # type: ignore[no-untyped-def]
    cid = w["c"]
    if op[0] == "sale":
        S.sold(cid, [(w["p"], op[2])], how=op[1])
        return
    lines = _lines(cid)
    if not lines:
        return
    if op[0] == "cross":
        line = lines[op[1] % len(lines)]
        order = db.session.get(Order, line.order_id)
        if order.status != "settled" or line.to_pack - line.packed_qty < op[2]:
            return
        cross_out(order.id, [(line.id, op[2])], handler_id=w["handler"], manager_staff_no=MGR,
                  manager_pin=PIN, customer_agreed=True)
        return
    _, kind, reason, confirmed, idx, qty, out_idx, override = op
    line = lines[idx % len(lines)]
    req = S.request(cid, [(line.id, qty)], kind=kind, reason=reason, confirmed=confirmed,
                    replacements=[(w["outs"][out_idx].barcode, qty)] if kind == "exchange"
                    else None, override=(MGR, PIN, "特批") if override else None)
    docs = db.session.scalar(select(func.count()).select_from(AfterSalesDoc))
    entries = db.session.scalar(select(func.count()).select_from(LedgerEntry))
    try:
        doc = make_return(req, staff_id=None)
    except VerdictRefused as refused:
        assert not override or refused.rule == "returnable_qty"
        assert refused.rule != "returnable_qty" or not refused.verdict.overridable
        assert db.session.scalar(select(func.count()).select_from(AfterSalesDoc)) == docs
        assert db.session.scalar(select(func.count()).select_from(LedgerEntry)) == entries
        return
    written = S.entries_for(doc.number)
    amount = doc.difference if kind == "exchange" else -doc.credit
    # exactly one entry for the credit or the difference; none at all when it is 0
    assert len(written) == (1 if amount else 0)
    assert sum(e.amount for e in written) == amount


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops)
def test_returns_keep_every_invariant(world, sequence):
    for op in sequence:
        _apply(op, world)
        db.session.commit()
        back_qty = dict(db.session.execute(
            select(AfterSalesLine.order_line_id, func.sum(AfterSalesLine.qty))
            .group_by(AfterSalesLine.order_line_id)).tuples().all())
        for line in _lines(world["c"]):
            assert line.returned_qty + line.crossed_qty + (back_qty.get(line.id) or 0) <= line.qty
        assert S.stock_mismatches() == []
        assert S.balance_mismatches() == []
