"""Adding a line by barcode to an open order of 5 and of 500 lines.

Each repetition scans a product not yet on the order (a new line), times it, then
deletes that line again untimed, so the order keeps exactly 5 / 500 lines throughout.
The two sizes alternate (5, 500, 5, 500, ...) so machine load affects both alike.
Four layers: the service (`add_line` + commit); the JSON API (`POST
/api/v1/orders/{id}/lines`), once answering with the whole order as API.md's default
does ("api") and once with `Prefer: return=minimal`, the changed line only, as a
scanner would ask ("api-min"); and the picking screen's htmx scan (`POST
/picking/orders/{id}/scan`, which answers with the changed line and the totals).
"""
from __future__ import annotations

from typing import Any

from harness import Case, Ratio, Result, measure_cases
from world import Item, World

from showroom.extensions import db
from showroom.orders.services import add_line

TARGET_MS = 15.0
RATIO_LIMIT = 1.5
SIZES = (5, 500)
WARMUP = 10


def run(world: World, reps: int) -> tuple[list[Result], list[Ratio]]:
    orders = {size: world.open_order(size) for size in SIZES}
    results: dict[tuple[str, int], Result] = {}
    for layer, action in (("service", _service), ("api", _api), ("api-min", _api_minimal),
                          ("htmx", _htmx)):
        cases = []
        for size, (order_id, on_order) in orders.items():
            pool = world.products(reps + WARMUP, exclude=on_order)
            result = results[(layer, size)] = Result(
                f"add line by barcode, {size}-line order", layer, target_p95=TARGET_MS)
            cases.append(Case(result, lambda i, pool=pool: pool[i],
                              lambda item, a=action, o=order_id: a(world, o, item),
                              lambda item, _out, o=order_id: world.drop_line(o, item.id)))
        if layer == "service":
            with world.app.app_context():
                measure_cases(cases, reps, WARMUP)
                db.session.remove()
        else:  # no app context pushed: the request gets its own, as in production
            measure_cases(cases, reps, WARMUP)
    results[("api", 500)].note = "the response carries the whole order (all lines)"
    results[("api-min", 500)].note = "Prefer: return=minimal: the changed line only"
    layers = ("service", "api", "api-min", "htmx")
    ratios = [Ratio("p95 ratio 500-line / 5-line order", layer, results[(layer, 500)],
                    results[(layer, 5)], RATIO_LIMIT) for layer in layers]
    return [results[(layer, size)] for layer in layers for size in SIZES], ratios


def _service(world: World, order_id: int, item: Item) -> Any:
    add_line(order_id, barcode=item.barcode)
    db.session.commit()


def _api(world: World, order_id: int, item: Item) -> Any:
    resp = world.api.post(f"/api/v1/orders/{order_id}/lines", json={"barcode": item.barcode},
                          headers=world.clerk_headers)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]


def _api_minimal(world: World, order_id: int, item: Item) -> Any:
    resp = world.api.post(f"/api/v1/orders/{order_id}/lines", json={"barcode": item.barcode},
                          headers=world.clerk_headers | {"Prefer": "return=minimal"})
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]


def _htmx(world: World, order_id: int, item: Item) -> Any:
    resp = world.web.post(f"/picking/orders/{order_id}/scan",
                          data={"code": item.barcode, "qty": "1", "csrf_token": world.web_csrf},
                          headers={"HX-Request": "true", "X-CSRFToken": world.web_csrf})
    assert resp.status_code == 200 and b'data-scan-result="ok"' in resp.data, resp.data[:500]
