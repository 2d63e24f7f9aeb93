"""Scan-to-tick at the packing bench: one scanned unit ticked into its box on a settled
5-line and 500-line order (target p95 ≤ 15 ms), through the service (`scan` + commit)
and through `POST /api/v1/orders/{id}/packing/scan` (whole checklist back, and with
`Prefer: return=minimal`: the ticked line only, as a scanner would ask), and the packing
bench screen's htmx scan (the feedback, the line, the boxes with their contents, the
seal panel and the progress, swapped in place).

The orders are built and settled untimed before the loop; every repetition scans the
next unit still to pack, so the order fills up as it would at the bench. The 5-line
order is refilled (a fresh one) whenever it is fully packed.
"""
from __future__ import annotations

from typing import Any

from harness import Case, Ratio, Result, measure_cases
from sqlalchemy import select
from world import World

from showroom.catalog.models import Product
from showroom.extensions import db
from showroom.orders.models import OrderLine
from showroom.packing.services import scan
from showroom.settlement.services import PaymentIn, settle

TARGET_MS = 15.0
WARMUP = 10


class Bench:
    """A settled order of n lines and the barcodes of its units, in scanning order."""

    def __init__(self, world: World, lines: int) -> None:
        self.world, self.lines = world, lines
        self.order_id, self.units = 0, iter(())
        self.refill()

    def refill(self) -> None:
        order_id, total = self.world.submitted_order(self.lines)
        with self.world.ctx():
            settle(order_id, [PaymentIn("wechat", total)], cashier_id=self.world.cashier_id)
            db.session.commit()
            rows = db.session.execute(select(Product.barcode, OrderLine.qty).join(Product)
                                      .where(OrderLine.order_id == order_id)
                                      .order_by(OrderLine.id)).all()
        self.order_id = order_id
        self.units = iter([code for code, qty in rows for _ in range(qty)])

    def next(self, _i: int) -> tuple[int, str]:
        code = next(self.units, None)
        if code is None:
            self.refill()
            code = next(self.units)
        return self.order_id, code


def run(world: World, reps: int) -> tuple[list[Result], list[Ratio]]:
    results: dict[tuple[str, int], Result] = {}
    cases: list[Case] = []
    headers = world.manager_headers
    web, csrf = _packer_screen(world)
    for layer in ("service", "api", "api-min", "htmx"):
        for size in (5, 500):
            bench = Bench(world, size)
            result = Result(f"scan-to-tick, {size}-line order", layer, target_p95=TARGET_MS)
            results[(layer, size)] = result
            if layer == "service":
                cases.append(Case(result, bench.next, lambda p: _service(world, *p)))
            elif layer == "htmx":
                cases.append(Case(result, bench.next, lambda p: _htmx(web, csrf, *p)))
            else:
                h = headers | ({"Prefer": "return=minimal"} if layer == "api-min" else {})
                cases.append(Case(result, bench.next, lambda p, h=h: _api(world, h, *p)))
    measure_cases(cases, reps, warmup=WARMUP)
    ratios = [Ratio("scan-to-tick p95 ratio 500 / 5 lines", layer, results[(layer, 500)],
                    results[(layer, 5)], 2.0) for layer in ("service", "api-min", "htmx")]
    return list(results.values()), ratios


def _packer_screen(world: World) -> tuple[Any, str]:
    """A browser session at the packing bench (the manager may pack), with its CSRF token."""
    web = world.app.test_client()
    staff, pin = world.meta["staff"], world.meta["pin"]
    csrf = world._csrf(web.get("/login").get_data(as_text=True))
    resp = web.post("/login", data={"staff_no": staff["manager"], "pin": pin, "csrf_token": csrf})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    return web, world._csrf(web.get("/packing/").get_data(as_text=True))


def _htmx(web: Any, csrf: str, order_id: int, barcode: str) -> Any:
    resp = web.post(f"/packing/orders/{order_id}/scan",
                    data={"barcode": barcode, "csrf_token": csrf},
                    headers={"HX-Request": "true", "X-CSRFToken": csrf})
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]


def _service(world: World, order_id: int, barcode: str) -> Any:
    with world.app.app_context():
        scan(order_id, barcode)
        db.session.commit()
        db.session.remove()


def _api(world: World, headers: dict[str, str], order_id: int, barcode: str) -> Any:
    resp = world.api.post(f"/api/v1/orders/{order_id}/packing/scan", json={"barcode": barcode},
                          headers=headers)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
