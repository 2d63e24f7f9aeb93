"""The consignor ledger and its hooks, the payouts, the statement, the aged list and the
company stock figures, through the services (SPEC §7)."""
from __future__ import annotations

import json

import aftersales_support as S
import consignor_money_support as M
import factories
import pytest
from sqlalchemy import func, select

from showroom.consignment.aged import aged_goods
from showroom.consignment.ledger import (
    adjust,
    credit_sale,
    post_consignor_entry,
    reverse_consignor_entry,
)
from showroom.consignment.models import Consignor, ConsignorEntry, ConsignorPayout
from showroom.consignment.payouts import PayoutIn, make_payout, parse_payout
from showroom.consignment.statement import Period, build, wechat_text
from showroom.customers.models import Customer, LedgerEntry
from showroom.errors import AlreadySettled, RuleRefused, ValidationFailed
from showroom.extensions import db
from showroom.ops.integrity import check_database
from showroom.packing.crossout import cross_out
from showroom.printjobs.models import PrintJob
from showroom.reports.stock import reorder_list, stock_figures
from showroom.settlement.services import PaymentIn, return_on_the_spot, settle


def _entries(kind: str | None = None) -> list[ConsignorEntry]:
    stmt = select(ConsignorEntry).order_by(ConsignorEntry.id)
    if kind:
        stmt = stmt.where(ConsignorEntry.kind == kind)
    return list(db.session.scalars(stmt))


def test_sale_credits_price_or_share_once(ctx):
    li = M.consignor(share_bp=7550)
    own = M.consigned(li, qty=5, wholesale=20_001)  # share: 20001 × 0.755 = 15100.755 → 15101
    priced = M.consigned(li, qty=5, consignor_price=12_000)
    ours = factories.product(wholesale=5_000)
    buyer = factories.customer(name="赵老板")
    order = M.sell(buyer.id, [(own, 2), (priced, 1), (ours, 3)])
    sale = _entries("sale")
    assert sorted((e.product_id, e.qty, e.amount) for e in sale) == sorted(
        [(own.id, 2, 2 * 15_101), (priced.id, 1, 12_000)])
    assert {e.order_id for e in sale} == {order.id}
    db.session.refresh(li)
    assert li.balance == 2 * 15_101 + 12_000 == sale[-1].balance_after
    again = credit_sale(order.id, order.number, None)  # a retried hook posts nothing more
    assert [e.id for e in again] == [e.id for e in sale]
    with pytest.raises(AlreadySettled):
        settle(order.id, [PaymentIn("cash", order.total)], cashier_id=None)
    assert len(_entries()) == 2 and check_database().ok


def test_on_the_spot_return_before_settling_credits_only_what_is_kept(ctx):
    li = M.consignor()
    p = M.consigned(li, qty=5)
    order = factories.order_with_lines(factories.customer().id, [(p, 3)])
    from showroom.orders.services import order_lines

    (line,) = order_lines(order.id)
    return_on_the_spot(order.id, [(line.id, 1)], staff_id=None)
    assert _entries() == []  # nothing earned yet, nothing to take back
    db.session.refresh(order)
    settle(order.id, [PaymentIn("cash", order.total)], cashier_id=None)
    (sale,) = _entries()
    assert (sale.qty, sale.amount) == (2, 2 * 16_000)


def test_cross_out_and_aftersales_return_reverse_exactly_what_was_credited(ctx):
    mgr = factories.staff("manager", staff_no="7001", pin="135790")
    li = M.consignor()
    p = M.consigned(li, qty=6)  # 200.00 × 80 % = 160.00 a piece
    q = M.consigned(li, qty=4, consignor_price=9_999)  # the replacement, their own price
    c = factories.customer(name="钱老板")
    order = S.sold(c.id, [(p, 3)], how="at_bench")
    line = S.line_of(order, p)
    li.share_bp = 5000  # today's share changed: a return still takes back 160.00 a piece
    slip = cross_out(order.id, [(line.id, 1)], handler_id=mgr.id, manager_staff_no="7001",
                     manager_pin="135790", customer_agreed=True)
    (back,) = _entries("return")
    from showroom.settlement.models import ReturnLine

    rl = db.session.scalar(select(ReturnLine).where(ReturnLine.return_slip_id == slip.id))
    assert (back.qty, back.amount, back.source_key) == (1, -16_000, f"return:slip:{rl.id}")
    order2 = S.sold(c.id, [(p, 2)], how="shipped")
    line2 = S.line_of(order2, p)
    from showroom.aftersales.services import make_return

    doc = make_return(S.request(c.id, [(line2.id, 1)], kind="exchange", reason="goods_differ",
                                replacements=[(q.barcode, 1)]), staff_id=None)
    returned = [e for e in _entries("return") if e.ref == doc.number]
    assert [(e.qty, e.amount) for e in returned] == [(1, -10_000)]  # sold at 50 %: 100.00
    credited = [e for e in _entries("sale") if e.ref == doc.number]
    assert [(e.product_id, e.qty, e.amount) for e in credited] == [(q.id, 1, 9_999)]
    assert credited[0].source_key.startswith("exchange:")
    db.session.refresh(li)
    assert li.balance == sum(e.amount for e in _entries())
    assert check_database().ok


def test_return_sent_twice_reverses_once(ctx):
    from showroom.consignment.ledger import reverse_slip

    mgr = factories.staff("manager", staff_no="7002", pin="135790")
    li = M.consignor()
    p = M.consigned(li, qty=3)
    order = S.sold(factories.customer().id, [(p, 2)], how="at_bench")
    slip = cross_out(order.id, [(S.line_of(order, p).id, 2)], handler_id=mgr.id,
                     manager_staff_no="7002", manager_pin="135790", customer_agreed=True)
    reverse_slip(slip.id, slip.number, None)  # the hook called again: the same entry stands
    assert [(e.qty, e.amount) for e in _entries("return")] == [(2, -32_000)]
    db.session.refresh(li)
    assert li.balance == 0


def test_payout_rules_and_offset_posts_one_entry_on_each_ledger(ctx):
    mgr = factories.staff("manager")
    li = M.consignor(debt=50_000)
    p = M.consigned(li, qty=5)
    M.sell(factories.customer().id, [(p, 2)])  # li is owed 320.00
    with pytest.raises(RuleRefused) as over:
        make_payout(li.id, PayoutIn(32_001, "cash"), staff_id=mgr.id)
    assert over.value.rule == "payable"
    payout = make_payout(li.id, PayoutIn(20_000, "offset"), staff_id=mgr.id)
    assert (payout.payable_before, payout.payable_after) == (32_000, 12_000)
    (off,) = _entries("offset")
    entry = db.session.get(LedgerEntry, payout.ledger_entry_id)
    assert (off.amount, entry.kind, entry.amount) == (-20_000, "consignment_offset", -20_000)
    assert db.session.get(Customer, li.customer_id).balance == 30_000
    job = db.session.scalar(select(PrintJob).where(PrintJob.document == "consignor_payout"))
    slip = json.loads(job.payload)
    assert (slip["debt_before"], slip["debt_after"]) == ("500.00", "300.00")
    li2 = M.consignor(name="薛梅", debt=5_000)
    p2 = M.consigned(li2, qty=2)
    M.sell(factories.customer().id, [(p2, 1)])
    with pytest.raises(RuleRefused) as debt:
        make_payout(li2.id, PayoutIn(6_000, "offset"), staff_id=mgr.id)
    assert debt.value.rule == "offset_debt"
    assert db.session.scalar(select(func.count()).select_from(ConsignorPayout)) == 1
    assert check_database().ok


@pytest.mark.parametrize("raw, field", [
    ({"amount": "0", "method": "cash"}, "amount"),
    ({"amount": "-5.00", "method": "cash"}, "amount"),
    ({"amount": 12.5, "method": "cash"}, "amount"),
    ({"amount": "12.345", "method": "cash"}, "amount"),
    ({"amount": "10.00", "method": "cheque"}, "method"),
    ({"amount": "10.00", "method": "cash", "offset_debt": True}, "method"),
    ({"amount": "10.00", "offset_debt": "yes"}, "offset_debt"),
    ({"amount": "10.00", "method": "cash", "note": "a\u202eb"}, "note"),
])
def test_bad_payout_input(ctx, raw, field):
    with pytest.raises(ValidationFailed) as bad:
        parse_payout(raw)
    assert field in bad.value.errors


def test_full_width_amount_and_offset_flag(ctx):
    assert parse_payout({"amount": "１２３．５０", "offset_debt": True}) == PayoutIn(12_350, "offset")


def test_reversing_a_payout_and_adjustments(ctx):
    mgr = factories.staff("manager")
    li = M.consignor()
    M.sell(factories.customer().id, [(M.consigned(li, qty=2), 1)])
    payout = make_payout(li.id, PayoutIn(10_000, "cash"), staff_id=mgr.id)
    paid = db.session.scalar(select(ConsignorEntry).where(ConsignorEntry.payout_id == payout.id))
    rev = reverse_consignor_entry(paid.id, staff_id=mgr.id, note="付错人")
    assert rev.amount == 10_000 and rev.reverses_id == paid.id
    with pytest.raises(RuleRefused):
        reverse_consignor_entry(_entries("sale")[0].id, staff_id=mgr.id, note="x")
    adjust(li.id, -500, note="包装费", staff_id=mgr.id)
    db.session.refresh(li)
    assert li.balance == 16_000 - 500 and check_database().ok
    with pytest.raises(ValidationFailed):
        adjust(li.id, 100, note="", staff_id=mgr.id)


def test_integrity_check_finds_a_bad_payable(ctx):
    li = M.consignor()
    post_consignor_entry(li.id, "adjustment", 100, note="x")
    db.session.execute(Consignor.__table__.update().values(balance=999))
    assert "consignor_balance" in check_database().kinds()


def test_cash_payout_leaves_the_drawer(ctx):
    from showroom.money_desk.shifts import open_shift

    boss = factories.staff("manager", "cashier")
    li = M.consignor()
    M.sell(factories.customer().id, [(M.consigned(li, qty=2), 2)])
    before = open_shift(boss.id).expected
    make_payout(li.id, PayoutIn(10_000, "cash"), staff_id=boss.id)
    make_payout(li.id, PayoutIn(2_000, "wechat"), staff_id=boss.id)
    after = open_shift(boss.id).expected
    assert after["cash"] == before["cash"] - 10_000
    assert after["wechat"] == before["wechat"] - 2_000


def test_statement_sold_returned_floor_withdrawn_and_text(ctx):
    mgr = factories.staff("manager", staff_no="7003", pin="135790")
    li = M.consignor(debt=100_000)
    p = M.consigned(li, qty=5, name="古法银镯")
    order = S.sold(factories.customer().id, [(p, 3)], how="at_bench")
    cross_out(order.id, [(S.line_of(order, p).id, 1)], handler_id=mgr.id,
              manager_staff_no="7003", manager_pin="135790", customer_agreed=True)
    make_payout(li.id, PayoutIn(10_000, "offset"), staff_id=mgr.id)
    from showroom.customers.statement import this_month

    st = build(li.id, this_month())
    assert [(m.product_code, m.qty, m.amount, m.ref) for m in st.sold] == [
        (p.code, 3, 48_000, order.number)]
    assert [(m.qty, m.amount) for m in st.returned] == [(1, -16_000)]
    db.session.refresh(p)
    assert [(f.product_code, f.on_hand) for f in st.on_hand] == [(p.code, p.on_hand)] == [
        (p.code, 3)]
    assert (st.earned, st.paid, st.payable) == (32_000, 10_000, 22_000)
    text = wechat_text(st)
    assert "已售 3 件" in text and "¥220.00" in text and li.customer.phone not in text
    assert li.code in text
    from datetime import date

    old = build(li.id, Period(date(2020, 1, 1), date(2020, 1, 31)))
    assert (old.sold, old.payable) == ([], 0)


def test_aged_goods_and_company_stock_leave_consigned_goods_apart(ctx):
    from datetime import timedelta

    from showroom.clock import now_utc

    li = M.consignor()
    old = M.consigned(li, qty=2, wholesale=30_000, category="手镯")
    new = M.consigned(li, qty=1)
    old.created_at = now_utc() - timedelta(days=120)
    db.session.flush()
    assert [(a.product_code, a.on_hand) for a in aged_goods()] == [(old.code, 2)]
    assert aged_goods(li.id, days=200) == [] and len(aged_goods(days=0)) == 2
    mine = factories.product(wholesale=1_000, stock=1)  # category 手链
    factories.product(wholesale=2_000, stock=10)
    figs = stock_figures()
    assert [(r.category, r.pieces, r.value) for r in figs.rows] == [("手链", 11, 21_000)]
    assert (figs.consigned_pieces, figs.consigned_value) == (3, 2 * 30_000 + 20_000)
    assert [r.code for r in reorder_list()] == [mine.code]
    assert new.code not in [r.code for r in reorder_list(threshold=5)]


def test_return_after_payout_leaves_the_consignor_owing_and_refuses_payouts(ctx):
    mgr = factories.staff("manager", staff_no="7004", pin="135790")
    li = M.consignor()
    p = M.consigned(li, qty=3)
    order = S.sold(factories.customer().id, [(p, 1)], how="at_bench")
    make_payout(li.id, PayoutIn(16_000, "cash"), staff_id=mgr.id)
    cross_out(order.id, [(S.line_of(order, p).id, 1)], handler_id=mgr.id,
              manager_staff_no="7004", manager_pin="135790", customer_agreed=True)
    db.session.refresh(li)
    assert li.balance == -16_000  # paid for goods that came back: they owe it from later sales
    with pytest.raises(RuleRefused) as refused:
        make_payout(li.id, PayoutIn(1, "cash"), staff_id=mgr.id)
    assert refused.value.rule == "payable"
    assert check_database().ok
