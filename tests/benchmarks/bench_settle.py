"""Settling a submitted 300-line order at the cashier.

Every repetition settles its own fresh order (300 distinct products, built untimed
before the loop), through the service (`settle` + commit) and through `POST
/api/v1/orders/{id}/settle` with an Idempotency-Key. The payments rotate through cash
with change (sales slip + cash receipt), WeChat in full, and half cash / half on account.
"""
from __future__ import annotations

import uuid
from typing import Any

from harness import Result, measure
from world import World

from showroom.extensions import db
from showroom.money import fen_str
from showroom.settlement.services import PaymentIn, settle

TARGET_MS = 150.0
LINES = 300
WARMUP = 3


def payments(i: int, total: int) -> list[PaymentIn]:
    if i % 3 == 0:
        return [PaymentIn("cash", total, tendered=(total // 10_000 + 1) * 10_000)]
    if i % 3 == 1:
        return [PaymentIn("wechat", total)]
    return [PaymentIn("cash", total // 2), PaymentIn("on_account", total - total // 2)]


def run(world: World, reps: int) -> list[Result]:
    out = []
    for layer in ("service", "api"):
        orders = [world.submitted_order(LINES) for _ in range(reps + WARMUP)]
        result = Result(f"settle a {LINES}-line order", layer, target_p95=TARGET_MS)
        if layer == "service":
            with world.app.app_context():
                measure(result, reps, lambda i: (i, *orders[i]), lambda p: _service(world, *p),
                        warmup=WARMUP)
                db.session.remove()
        else:
            measure(result, reps, lambda i: (i, *orders[i]), lambda p: _api(world, *p), warmup=WARMUP)
        out.append(result)
    return out


def _service(world: World, i: int, order_id: int, total: int) -> Any:
    settle(order_id, payments(i, total), cashier_id=world.cashier_id, station="cashier-1")
    db.session.commit()


def _api(world: World, i: int, order_id: int, total: int) -> Any:
    body = {"payments": [{"method": p.method, "amount": fen_str(p.amount)}
                         | ({"tendered": fen_str(p.tendered)} if p.tendered else {})
                         for p in payments(i, total)]}
    resp = world.api.post(f"/api/v1/orders/{order_id}/settle", json=body,
                          headers=world.cashier_headers | {"Idempotency-Key": uuid.uuid4().hex})
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
