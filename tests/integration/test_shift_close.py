"""Shift close (交班对账): the service's expected figures, the manager's PIN on a cash
difference, one close per shift, and the printed shift report."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import factories
import pytest
from desk_support import credit_refund, desk_payment
from escpos_decoder import decode
from sqlalchemy import func, select

from printing.documents import document_from_payload
from printing.escpos_render import render_escpos
from printing.profiles import PrinterProfile
from showroom.auth.models import LoginAttempt
from showroom.clock import set_now
from showroom.customers.services import reverse_entry
from showroom.errors import RuleRefused, ValidationFailed
from showroom.extensions import db
from showroom.money_desk.models import ShiftClose
from showroom.money_desk.shifts import (
    Counted,
    ShiftAlreadyClosed,
    close_shift,
    open_shift,
    parse_counted,
)
from showroom.printjobs.models import PrintJob
from showroom.settlement.services import PaymentIn, settle

T0 = datetime(2026, 11, 22, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai


def tick(minutes: int = 1) -> None:
    global T0
    T0 = T0 + timedelta(minutes=minutes)
    set_now(T0)


def world() -> dict[str, Any]:
    cashier = factories.staff("cashier", staff_no="7101", name="李娜")
    manager = factories.staff("manager", staff_no="7001", name="王经理")
    cust = factories.customer(name="王丽")
    prod = factories.product(wholesale=10_000, stock=500)
    return {"cashier": cashier.id, "manager": manager.id, "customer": cust.id, "product": prod}


def sell(w: dict[str, Any], payments: list[PaymentIn], qty: int = 1) -> Any:
    order = factories.order_with_lines(w["customer"], [(w["product"], qty)])
    tick()
    return settle(order.id, payments, cashier_id=w["cashier"])


def test_expected_is_money_taken_since_the_last_close(ctx: Any) -> None:
    tick()
    w = world()
    other = factories.staff("cashier")
    sell(w, [PaymentIn("cash", 10_000, tendered=20_000)])  # change 100.00 went back
    sell(w, [PaymentIn("wechat", 5_000), PaymentIn("on_account", 5_000)])
    order = factories.order_with_lines(w["customer"], [(w["product"], 1)])
    settle(order.id, [PaymentIn("cash", 10_000)], cashier_id=other.id)  # not ours
    desk_payment(w["customer"], "cash", 3_000, staff_id=w["cashier"], tendered=5_000)
    desk_payment(w["customer"], "alipay", 2_000, staff_id=w["cashier"])
    # a payment reversed: never happened
    reversed_one = desk_payment(w["customer"], "cash", 7_000, staff_id=w["cashier"])
    reverse_entry(reversed_one.ledger_entry_id, staff_id=w["manager"], note="收错了")
    desk_payment(w["customer"], "cash", 40_000, staff_id=w["cashier"])  # now in credit
    credit_refund(w["customer"], "cash", 1_500, staff_id=w["cashier"], manager_id=w["manager"])
    tick()
    shift = open_shift(w["cashier"])
    assert shift.seq == 1 and shift.since is None
    assert shift.expected == {"cash": 10_000 + 3_000 + 40_000 - 1_500, "bank_transfer": 0,
                              "wechat": 5_000, "alipay": 2_000}
    close = close_shift(w["cashier"], Counted(cash=51_500, wechat=5_000), station="cashier-2")
    assert (close.seq, close.cash_difference, close.manager_id) == (1, 0, None)
    assert close.number.startswith("JB-")
    # the next shift starts empty and only sees what follows
    tick()
    sell(w, [PaymentIn("bank_transfer", 10_000)])
    tick()
    nxt = open_shift(w["cashier"])
    assert nxt.seq == 2 and nxt.since == close.closed_at
    assert nxt.expected == {"cash": 0, "bank_transfer": 10_000, "wechat": 0, "alipay": 0}


def test_a_reversed_settlement_payment_is_left_out(ctx: Any) -> None:
    from showroom.customers.models import LedgerEntry

    tick()
    w = world()
    s = sell(w, [PaymentIn("cash", 10_000)])
    entry = db.session.scalar(select(LedgerEntry).where(
        LedgerEntry.kind == "payment", LedgerEntry.ref == s.order.number))
    reverse_entry(entry.id, staff_id=w["manager"], note="收错了")
    sell(w, [PaymentIn("cash", 10_000)])
    tick()
    assert open_shift(w["cashier"]).expected["cash"] == 10_000


def test_opening_float_counts_in_cash(app: Any, ctx: Any) -> None:
    app.config["SHOWROOM_OPENING_FLOAT"] = "500.00"
    tick()
    w = world()
    sell(w, [PaymentIn("cash", 10_000)])
    tick()
    shift = open_shift(w["cashier"])
    assert shift.opening_float == 50_000 and shift.expected["cash"] == 60_000
    close = close_shift(w["cashier"], Counted(cash=60_000))
    assert close.opening_float == 50_000 and close.cash_difference == 0


def test_a_cash_difference_needs_a_managers_pin(ctx: Any) -> None:
    tick()
    w = world()
    sell(w, [PaymentIn("cash", 10_000)])
    db.session.commit()
    tick()
    with pytest.raises(RuleRefused) as refused:
        close_shift(w["cashier"], Counted(cash=9_000))
    assert refused.value.rule == "cash_difference" and refused.value.status == 409
    assert any("10.00" in r for r in refused.value.reasons)
    db.session.rollback()
    from showroom.auth.services import SignInFailed

    with pytest.raises(SignInFailed):
        close_shift(w["cashier"], Counted(cash=9_000), manager_staff_no="7001",
                    manager_pin="999999")
    db.session.rollback()
    from showroom.errors import Forbidden

    with pytest.raises(Forbidden):  # a cashier cannot approve
        close_shift(w["cashier"], Counted(cash=9_000), manager_staff_no="7101",
                    manager_pin="246810")
    db.session.rollback()
    assert db.session.scalar(select(func.count(ShiftClose.id))) == 0
    close = close_shift(w["cashier"], Counted(cash=9_000), manager_staff_no="7001",
                        manager_pin="246810", note="少十元")
    assert (close.cash_difference, close.manager_id, close.note) == (-1_000, w["manager"], "少十元")
    tries = db.session.scalar(select(func.count(LoginAttempt.id)).where(
        LoginAttempt.source == "shift-close", LoginAttempt.success.is_(True)))
    assert tries == 1


def test_the_same_shift_closes_once(ctx: Any) -> None:
    tick()
    w = world()
    close_shift(w["cashier"], Counted(cash=0), seq=1)
    tick()
    with pytest.raises(ShiftAlreadyClosed) as refused:
        close_shift(w["cashier"], Counted(cash=0), seq=1)
    assert refused.value.status == 409
    assert close_shift(w["cashier"], Counted(cash=0), seq=2).seq == 2


def test_the_shift_report_prints_in_chinese(ctx: Any) -> None:
    tick()
    w = world()
    sell(w, [PaymentIn("cash", 10_000), PaymentIn("wechat", 20_000)], qty=3)
    tick()
    close = close_shift(w["cashier"], Counted(cash=9_000, wechat=20_000), manager_staff_no="7001",
                        manager_pin="246810", station="cashier-2")
    job = db.session.scalar(select(PrintJob).where(PrintJob.document == "shift_report"))
    assert job is not None and job.station == "cashier-2" and job.ref == close.number
    doc = document_from_payload("shift_report", json.loads(job.payload))
    lines = [ln.text for ln in decode(render_escpos(doc, PrinterProfile(paper_mm=80,
                                                                        chinese="gb18030")),
                                      "gb18030").lines]
    text = "\n".join(lines)
    assert "交班对账单" in text and close.number in text and "7101 李娜" in text
    cash = next(ln for ln in lines if ln.startswith("现金 "))
    assert cash.split()[1:] == ["100.00", "90.00", "-10.00"]
    assert "现金差额" in text and "-10.00" in text
    assert "核准经理：7001 王经理（已核准）" in text
    assert "首次交班" in text  # the first close has no previous one


@pytest.mark.parametrize("raw, field", [
    ({}, "counted.cash"),
    ({"cash": "-1.00"}, "counted.cash"),
    ({"cash": "1.005"}, "counted.cash"),
    ({"cash": "10", "wechat": "abc"}, "counted.wechat"),
    ({"cash": "10", "paypal": "1"}, "counted"),
    ("10", "counted"),
])
def test_bad_counts_are_refused_by_field(ctx: Any, raw: Any, field: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        parse_counted(raw)
    assert field in refused.value.errors


def test_full_width_digits_are_counts(ctx: Any) -> None:
    assert parse_counted({"cash": "１２３．５０", "alipay": "0"}) == Counted(cash=12_350, alipay=0)
