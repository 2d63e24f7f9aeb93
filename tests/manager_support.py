"""A showroom's last months for the manager's home: settlements around local midnights,
payments of every method at settlement and at the money desk, return credits, debts of
every age, a customer holding credit and complaints of several categories — committed,
with the clock left at NOW (noon of 2026-11-22 in Shanghai). Also the brute-force
figures the tests compare the dashboard with, read row by row in Python."""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import factories
from desk_support import desk_payment
from sqlalchemy import select

from showroom.clock import set_now
from showroom.complaints.models import Complaint
from showroom.complaints.services import record_complaint
from showroom.customers.services import post_entry
from showroom.extensions import db
from showroom.money_desk.models import DeskPayment
from showroom.service_levels.weekly import WeekRow
from showroom.settlement.models import Payment, Settlement
from showroom.settlement.services import PaymentIn, settle

TZ = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 11, 22)
NOW = datetime(2026, 11, 22, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai


def at(day: date, hh: int, mm: int = 0) -> datetime:
    """A showroom-local time as UTC."""
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=TZ).astimezone(UTC)


def build_history(app: Any) -> dict[str, Any]:
    with app.app_context():
        set_now(at(TODAY - timedelta(days=130), 10))
        cashier = factories.staff("cashier", staff_no="7101", name="李娜")
        reception = factories.staff("reception", staff_no="7201", name="前台小周")
        a = factories.customer(name="甲饰品店")
        b = factories.customer(name="乙银楼")
        c = factories.customer(name="丙精品")
        d = factories.customer(name="丁首饰")
        prod = factories.product(wholesale=10_000, stock=5000)

        def sale(cust: Any, when: datetime, pays: list[PaymentIn]) -> None:
            set_now(when)
            qty = sum(p.amount for p in pays) // 10_000
            order = factories.order_with_lines(cust.id, [(prod, qty)])
            settle(order.id, pays, cashier_id=cashier.id)

        # debts of every age: 120, 60 and 10 days ago, on account
        sale(a, at(TODAY - timedelta(days=120), 11), [PaymentIn("on_account", 30_000)])
        sale(b, at(TODAY - timedelta(days=60), 15), [PaymentIn("on_account", 20_000)])
        sale(a, at(TODAY - timedelta(days=10), 10), [PaymentIn("on_account", 10_000)])
        # around local midnights: 23:50 on the 12th and 00:10 on the 13th (16:10 UTC the 12th)
        sale(d, at(date(2026, 11, 12), 23, 50), [PaymentIn("cash", 10_000, tendered=10_000)])
        sale(c, at(date(2026, 11, 13), 0, 10), [PaymentIn("wechat", 20_000)])
        sale(c, at(date(2026, 11, 13), 14), [PaymentIn("alipay", 5_000),
                                             PaymentIn("bank_transfer", 25_000),
                                             PaymentIn("on_account", 10_000)])
        sale(d, at(TODAY, 9, 30), [PaymentIn("cash", 40_000, tendered=50_000)])
        # the first day of the default period (10-24) and the day before it
        sale(d, at(date(2026, 10, 24), 0, 5), [PaymentIn("wechat", 10_000)])
        sale(d, at(date(2026, 10, 23), 23, 55), [PaymentIn("wechat", 70_000)])
        set_now(at(date(2026, 11, 15), 16))
        desk_payment(a.id, "cash", 5_000, staff_id=cashier.id, tendered=5_000)
        desk_payment(c.id, "bank_transfer", 30_000, staff_id=cashier.id)  # c now holds credit
        set_now(at(date(2026, 11, 18), 11))
        post_entry(b.id, "return_credit", -10_000, ref="TH-1", staff_id=cashier.id)
        set_now(at(date(2026, 11, 20), 10))
        for category in ("quality", "quality", "delivery"):
            record_complaint(customer_id=a.id, channel="phone", category=category,
                             text="项链掉色", staff_id=reception.id)
        set_now(at(date(2026, 10, 1), 10))  # before the period
        record_complaint(customer_id=b.id, channel="visit", category="price", text="太贵",
                         staff_id=reception.id)
        db.session.commit()
        set_now(NOW)
        return {"a": a.id, "b": b.id, "c": c.id, "d": d.id}


WEEKS = [WeekRow(date(2026, 11, 9), "greeting_1min", 9, 10),
         WeekRow(date(2026, 11, 9), "inquiry_callback_24h", 3, 4),
         WeekRow(date(2026, 11, 16), "greeting_1min", 12, 12),
         WeekRow(date(2026, 11, 16), "inquiry_callback_24h", 0, 0)]


def fake_weekly(start: date, end: date) -> list[WeekRow]:
    return [w for w in WEEKS if start - timedelta(days=6) <= w.week_start <= end]


def brute_force(start: date, end: date) -> dict[str, Any]:
    """The figures by reading every row (in an app context)."""
    def inside(t: datetime) -> date | None:
        d = t.astimezone(TZ).date()
        return d if start <= d <= end else None

    sales: dict[date, int] = defaultdict(int)
    orders: Counter[date] = Counter()
    ids = set()
    for s in db.session.scalars(select(Settlement)):
        d = inside(s.created_at)
        if d:
            sales[d] += s.total
            orders[d] += 1
            ids.add(s.id)
    methods: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for p in db.session.scalars(select(Payment)):
        if p.settlement_id in ids:
            methods[p.method][0] += p.amount
            methods[p.method][1] += 1
    for dp in db.session.scalars(select(DeskPayment)):
        if inside(dp.created_at):
            methods[dp.method][0] += dp.amount
            methods[dp.method][1] += 1
    categories: Counter[str] = Counter()
    for c in db.session.scalars(select(Complaint)):
        if inside(c.recorded_at):
            categories[c.category] += 1
    return {"sales": dict(sales), "orders": dict(orders), "methods": dict(methods),
            "categories": dict(categories)}
