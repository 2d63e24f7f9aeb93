"""Remote orders through the services (SPEC §5): the amount to remit to the fen (debt,
credit, no freight; a hypothesis property over any ledger history), the wait for the
money (settled on account → awaiting; a payment that clears the balance → received; a
partial one leaves it waiting; a manager's release), the packing queue, online orders
(idempotent reference, shortages accepted and listed, due times, one answer)."""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import factories
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from showroom.clock import set_now
from showroom.customers.services import post_entry
from showroom.errors import Conflict, DomainError, Forbidden, ValidationFailed
from showroom.extensions import db
from showroom.money_desk.approval import ManagerApproval
from showroom.money_desk.services import DeskPaymentIn, take_payment
from showroom.orders.models import Order
from showroom.orders.services import add_line, submit
from showroom.packing.queries import packing_queue
from showroom.packing.services import open_packing
from showroom.remote import remit
from showroom.remote import services as remote
from showroom.settlement.services import PaymentIn, settle
from showroom.shipping.rates import set_rate

SH = ZoneInfo("Asia/Shanghai")


def desk_payment(customer_id: int, method: str, amount: int, *, staff_id: int | None) -> Any:
    """A payment on account at the money desk (the real service, with its remit hook)."""
    return take_payment(customer_id, DeskPaymentIn(method, amount), staff_id=staff_id)


@pytest.fixture
def w(ctx: Any) -> dict[str, Any]:
    clerk = factories.staff("clerk")
    cust = factories.customer(name="远程客户")
    cust.region = "浙江 义乌"
    p = factories.product(code="RM-0001", wholesale=12_345, stock=500)
    db.session.flush()
    return {"clerk": clerk, "customer": cust, "product": p}


def _video_order(w: dict[str, Any], qty: int = 2) -> Order:
    order = remote.open_remote_order(w["customer"].id, "video", staff=w["clerk"])
    add_line(order.id, product_code=w["product"].code, qty=qty)
    submit(order.id)
    return order


def test_remit_amount_with_debt_and_freight(w: dict[str, Any]) -> None:
    post_entry(w["customer"].id, "sale", 150_000, ref="XS-OLD")  # owes ¥1,500.00
    order = _video_order(w)
    remit.set_shipping_fee(order.id, carrier="sf_express", fee="36.50")
    settle(order.id, [PaymentIn("on_account", order.total)], cashier_id=None)
    rem = remit.remittance(order.id)
    assert (rem.order_total, rem.previous_balance, rem.shipping_fee) == (24_690, 150_000, 3_650)
    assert rem.amount_to_remit == 24_690 + 150_000 + 3_650 == 178_340
    assert rem.as_api()["amount_to_remit"] == "1783.40"
    assert order.remit_status == "awaiting" and order.remit_requested_at is not None


def test_remit_amount_with_credit_and_no_freight(w: dict[str, Any]) -> None:
    post_entry(w["customer"].id, "payment", -5_010, ref="PREPAY")  # holds ¥50.10 credit
    order = _video_order(w, qty=1)
    rem = remit.remittance(order.id)  # not settled yet: the current balance
    assert (rem.previous_balance, rem.shipping_fee, rem.amount_to_remit) == (-5_010, 0, 7_335)
    settle(order.id, [PaymentIn("on_account", order.total)], cashier_id=None)
    assert remit.remittance(order.id).amount_to_remit == 7_335
    text = remit.message_text(remit.remittance(order.id), "银饰展厅")
    assert "应汇款金额：¥73.35" in text and "上次余款抵扣：-¥50.10" in text
    assert order.number in text and "账号" in text


def test_freight_quoted_from_the_rate_table(w: dict[str, Any]) -> None:
    set_rate(carrier="sf_express", destination="浙江", first_kg="20.00", per_kg="5.00",
             per_box="1.00", min_days="1", max_days="2")
    order = _video_order(w, qty=60)  # 60 pieces × 20 g = 1.2 kg: first kg + 1 kg + 1 box
    remit.set_shipping_fee(order.id, carrier="sf_express")
    assert order.shipping_fee == 2_000 + 500 + 100 and order.remit_carrier == "sf_express"
    with pytest.raises(ValidationFailed) as bad:
        remit.set_shipping_fee(order.id, carrier="sf_express", fee="-3")
    assert "fee" in bad.value.errors
    with pytest.raises(ValidationFailed) as bad:
        remit.set_shipping_fee(order.id, carrier="pigeon")
    assert "carrier" in bad.value.errors


history = st.lists(st.tuples(st.sampled_from(["sale", "payment", "adjustment"]),
                             st.integers(1, 10_000_000)), max_size=6)


@settings(max_examples=20, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(history, st.integers(0, 99_999), st.integers(1, 5), st.booleans())
def test_amount_to_remit_is_order_plus_balance_before_plus_fee(
        w: dict[str, Any], entries: list[tuple[str, int]], fee: int, qty: int,
        settled: bool) -> None:
    nested = db.session.begin_nested()
    try:
        cust = factories.customer()
        for kind, amount in entries:
            post_entry(cust.id, kind, amount if kind == "sale" else -amount, ref="H")
        before = cust.balance
        order = remote.open_remote_order(cust.id, "phone", staff=w["clerk"])
        add_line(order.id, product_code=w["product"].code, qty=qty)
        submit(order.id)
        remit.set_shipping_fee(order.id, carrier="road_freight", fee=f"{fee / 100:.2f}")
        if settled:
            settle(order.id, [PaymentIn("on_account", order.total)], cashier_id=None)
            post_entry(cust.id, "payment", -1, ref="LATER")  # later moves change nothing
        rem = remit.remittance(order.id)
        assert rem.previous_balance == before
        assert rem.amount_to_remit == order.total + before + fee
    finally:
        nested.rollback()


def test_waiting_order_is_not_packed_until_the_money_is_in(w: dict[str, Any]) -> None:
    post_entry(w["customer"].id, "sale", 10_000, ref="XS-OLD")
    order = _video_order(w)
    settle(order.id, [PaymentIn("on_account", order.total)], cashier_id=None)
    assert order.remit_status == "awaiting"
    assert order.id not in [o.id for o, _p in packing_queue()]
    with pytest.raises(DomainError):
        open_packing(order.id)
    owed = 10_000 + order.total
    desk_payment(w["customer"].id, "bank_transfer", owed - 100, staff_id=None)  # short ¥1
    db.session.refresh(order)
    assert order.remit_status == "awaiting"
    assert remit.remittance(order.id).still_short == 100
    payment = desk_payment(w["customer"].id, "bank_transfer", 100, staff_id=None)
    db.session.refresh(order)
    assert order.remit_status == "received" and order.remit_payment_id == payment.id
    assert order.remit_received_at is not None
    assert order.id in [o.id for o, _p in packing_queue()]
    open_packing(order.id)


def test_showroom_and_paid_orders_do_not_wait(w: dict[str, Any]) -> None:
    showroom = factories.settled_order(w["customer"].id, [(w["product"], 1)], on_account=True)
    assert showroom.remit_status == ""
    paid = _video_order(w, qty=1)
    settle(paid.id, [PaymentIn("bank_transfer", paid.total)], cashier_id=None)
    assert paid.remit_status == ""
    post_entry(w["customer"].id, "payment", -10_000_000, ref="BIG-CREDIT")
    covered = _video_order(w, qty=1)  # on account, but the credit covers it
    settle(covered.id, [PaymentIn("on_account", covered.total)], cashier_id=None)
    assert covered.remit_status == ""


def test_manager_releases_with_pin_and_reason(w: dict[str, Any]) -> None:
    manager = factories.staff("manager", staff_no="7788", pin="135792")
    order = _video_order(w)
    settle(order.id, [PaymentIn("on_account", order.total)], cashier_id=None)
    with pytest.raises(ValidationFailed):
        remit.release(order.id, ManagerApproval("7788", "135792", ""), staff_id=None)
    with pytest.raises(Forbidden):
        remit.release(order.id, ManagerApproval(w["clerk"].staff_no, "246810", "老客户"),
                      staff_id=None)
    remit.release(order.id, ManagerApproval("7788", "135792", "老客户先发货"), staff_id=None)
    assert order.remit_status == "released" and "老客户先发货" in order.remit_note
    assert manager.name in order.remit_note
    with pytest.raises(Conflict):  # released cannot be released again (transition table)
        remit.release(order.id, ManagerApproval("7788", "135792", "again"), staff_id=None)
    assert order.id in [o.id for o, _p in packing_queue()]


def test_open_remote_order_rules(w: dict[str, Any]) -> None:
    order = remote.open_remote_order(w["customer"].id, "online", staff=w["clerk"],
                                     external_ref="WEB-1")
    assert order.channel == "online" and order.clerk_id == w["clerk"].id
    assert order.answer_due_at is not None
    with pytest.raises(Conflict):
        remote.open_remote_order(w["customer"].id, "online", staff=w["clerk"],
                                 external_ref="WEB-1")
    with pytest.raises(ValidationFailed) as bad:
        remote.open_remote_order(w["customer"].id, "showroom", staff=w["clerk"])
    assert "channel" in bad.value.errors
    with pytest.raises(ValidationFailed) as bad:
        remote.open_remote_order(w["customer"].id, "video", staff=w["clerk"],
                                 external_ref="WEB-2")
    assert "external_ref" in bad.value.errors
    with pytest.raises(ValidationFailed) as bad:
        remote.open_remote_order(w["customer"].id, "phone", staff=w["clerk"],
                                 external_ref="a\u202eb")
    assert "external_ref" in bad.value.errors
    with pytest.raises(Forbidden):
        remote.open_remote_order(w["customer"].id, "phone", staff=factories.staff("packer"))


def test_online_order_idempotent_shortage_listed(w: dict[str, Any]) -> None:
    scarce = factories.product(code="RM-0002", stock=3)
    lines = remote.parse_lines([{"product_code": "RM-0001", "qty": 2},
                                {"product_code": "RM-0002", "qty": 5},
                                {"product_code": "RM-0001", "qty": 1}])
    order, created = remote.create_online_order(w["customer"].id, lines, "SHOP-77",
                                                staff=w["clerk"])
    assert created
    again, created_again = remote.create_online_order(w["customer"].id, lines, "SHOP-77",
                                                      staff=w["clerk"])
    assert again.id == order.id and not created_again
    qty = {ln.product.code: ln.qty for ln in remote.online_orders()[0].lines}
    assert qty == {"RM-0001": 3, "RM-0002": 3}
    shortages = json.loads(order.answer_shortages)
    assert shortages == [{"product_code": "RM-0002", "name": scarce.name, "qty": 2,
                          "kind": "shortage", "note": shortages[0]["note"]}]
    assert db.session.scalar(select(func.count()).select_from(Order)
                             .where(Order.external_ref == "SHOP-77")) == 1
    with pytest.raises(ValidationFailed) as bad:
        remote.parse_lines([{"product_code": "NOPE", "qty": 1}, {"product_code": "RM-0001",
                                                                 "qty": 0}])
    assert set(bad.value.errors) == {"lines[0].product_code", "lines[1].qty"}


def test_due_time_and_pick_day(w: dict[str, Any]) -> None:
    # a Wednesday that is a working day on any calendar source the suite uses
    set_now(datetime(2026, 11, 25, 10, 0, tzinfo=SH))
    early, _c = remote.create_online_order(
        w["customer"].id, remote.parse_lines([{"product_code": "RM-0001", "qty": 1}]), "E-1",
        staff=w["clerk"])
    assert early.answer_due_at.astimezone(SH).date() == datetime(2026, 11, 25).date()
    set_now(datetime(2026, 11, 25, 17, 30, tzinfo=SH))  # after the 17:00 cut-off
    late, _c = remote.create_online_order(
        w["customer"].id, remote.parse_lines([{"product_code": "RM-0001", "qty": 1}]), "L-1",
        staff=w["clerk"])
    assert late.answer_due_at.astimezone(SH).date() == datetime(2026, 11, 26).date()
    assert remote.pick_day(early, 1).date() == datetime(2026, 11, 25).date()
    assert remote.pick_day(early, remote.LARGE_PIECES + 1).date() == datetime(2026, 11, 26).date()
    set_now(datetime(2026, 11, 26, 9, 0, tzinfo=SH))
    rows = {r.order.id: r for r in remote.online_orders()}
    assert rows[early.id].overdue and not rows[late.id].overdue


def test_answer_once(w: dict[str, Any]) -> None:
    order, _c = remote.create_online_order(
        w["customer"].id, remote.parse_lines([{"product_code": "RM-0001", "qty": 1}]), "A-1",
        staff=w["clerk"])
    with pytest.raises(ValidationFailed) as bad:
        remote.answer_order(order.id, note="", staff_id=w["clerk"].id)
    assert "note" in bad.value.errors
    with pytest.raises(ValidationFailed) as bad:
        remote.answer_order(order.id, note="ok", shortages=[{"product_code": "NOPE", "qty": 1},
                                                          {"product_code": "RM-0001",
                                                           "kind": "colour", "note": "x\x00"}],
                            staff_id=w["clerk"].id)
    assert set(bad.value.errors) == {"shortages[0].product_code", "shortages[1].note"}
    assert order.answered_at is None
    remote.answer_order(order.id, note="已电话告知：银色缺货换金色", staff_id=w["clerk"].id,
                        shortages=[{"product_code": "RM-0001", "kind": "colour",
                                    "note": "换金色"}])
    assert order.answered_at is not None and order.answered_by_id == w["clerk"].id
    assert json.loads(order.answer_shortages)[0]["kind"] == "colour"
    with pytest.raises(Conflict):
        remote.answer_order(order.id, note="again", staff_id=w["clerk"].id)
    video = remote.open_remote_order(w["customer"].id, "video", staff=w["clerk"])
    with pytest.raises(Conflict):
        remote.answer_order(video.id, note="x", staff_id=w["clerk"].id)


def test_my_remote_orders(w: dict[str, Any]) -> None:
    order = _video_order(w)
    assert [o.id for o in remote.my_remote_orders(w["clerk"].id)] == [order.id]
    settle(order.id, [PaymentIn("on_account", order.total)], cashier_id=None)
    assert [o.id for o in remote.my_remote_orders(w["clerk"].id)] == [order.id]  # waiting
    desk_payment(w["customer"].id, "cash", order.total + 1, staff_id=None)
    assert remote.my_remote_orders(w["clerk"].id) == []
