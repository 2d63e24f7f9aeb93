"""The money desk and the manager's day: a payment on account (还款) taken at the desk
(target p95 ≤ 30 ms), through the service (`take_payment` + commit) and through
`POST /api/v1/customers/{id}/payments` with an Idempotency-Key, each on a random customer
of the 20,000, with the receipt queued; and the daily report of a busy day on the
1,000,000-line database (target ≤ 300 ms), through the service and `GET
/api/v1/reports/daily`. The methods rotate: cash with change, WeChat, bank transfer.
"""
from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from harness import Result, measure
from world import World

from showroom.clock import now_utc
from showroom.extensions import db
from showroom.money import fen_str
from showroom.money_desk.services import DeskPaymentIn, take_payment
from showroom.reports.daily import daily_report

PAYMENT_MS, REPORT_MS = 30.0, 300.0
WARMUP = 5


def payment(i: int) -> DeskPaymentIn:
    amount = 10_000 + (i * 7_919) % 500_000
    if i % 3 == 0:
        return DeskPaymentIn("cash", amount, tendered=(amount // 10_000 + 1) * 10_000)
    return DeskPaymentIn("wechat" if i % 3 == 1 else "bank_transfer", amount,
                         reference=f"REF{i:06d}")


def run(world: World, reps: int) -> list[Result]:
    out = []
    customers = [world.customer() for _ in range(reps + WARMUP)]
    for layer in ("service", "api"):
        result = Result("payment on account", layer, target_p95=PAYMENT_MS)
        if layer == "service":
            with world.app.app_context():
                measure(result, reps, lambda i: (i, customers[i]),
                        lambda p: _service(world, *p), warmup=WARMUP)
                db.session.remove()
        else:
            measure(result, reps, lambda i: (i, customers[i]), lambda p: _api(world, *p),
                    warmup=WARMUP)
        out.append(result)
    day = (now_utc() - timedelta(days=2)).date()  # a full past day of the generated sales
    report_reps = max(5, reps // 4)
    for layer in ("service", "api"):
        result = Result("daily report, one day of 1M lines", layer, target_p95=REPORT_MS)
        if layer == "service":
            with world.app.app_context():
                measure(result, report_reps, lambda i: day, lambda d: _report(d), warmup=2)
                db.session.remove()
        else:
            measure(result, report_reps, lambda i: day, lambda d: _report_api(world, d),
                    warmup=2)
        out.append(result)
    return out


def _service(world: World, i: int, customer_id: int) -> Any:
    take_payment(customer_id, payment(i), staff_id=world.cashier_id, station="cashier-1")
    db.session.commit()


def _api(world: World, i: int, customer_id: int) -> Any:
    p = payment(i)
    body = {"method": p.method, "amount": fen_str(p.amount)} | (
        {"tendered": fen_str(p.tendered)} if p.tendered else {"reference": p.reference})
    resp = world.api.post(f"/api/v1/customers/{customer_id}/payments", json=body,
                          headers=world.cashier_headers | {"Idempotency-Key": uuid.uuid4().hex})
    assert resp.status_code in (200, 201), resp.get_data(as_text=True)[:500]


def _report(day: Any) -> Any:
    figures = daily_report(day)
    assert figures.orders > 0, "no settled orders on the benchmark's day"
    db.session.rollback()


def _report_api(world: World, day: Any) -> Any:
    resp = world.api.get(f"/api/v1/reports/daily?date={day.isoformat()}",
                         headers=world.manager_headers)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
