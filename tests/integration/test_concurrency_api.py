"""Races through the JSON API (each thread its own client, request and transaction), on
the suite's backend: exactly-once settlement, distinct order numbers, no lost update."""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import factories
import pytest
from sqlalchemy import func, select

from showroom.catalog.models import StockMove
from showroom.customers.models import LedgerEntry
from showroom.extensions import db
from showroom.orders.services import add_line, create_order
from showroom.settlement.models import Settlement

pytestmark = pytest.mark.concurrency
API = "/api/v1"


def race(app: Any, n: int, call: Callable[[Any, int], Any]) -> list[Any]:
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def run(i: int) -> None:
        client = app.test_client()
        barrier.wait()
        results[i] = call(client, i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


@pytest.fixture
def world(app: Any) -> dict[str, Any]:
    with app.app_context():
        cust = factories.customer(name="郑老板")
        p = factories.product(code="SL-0101", wholesale=12_345, stock=100)
        order = factories.order_with_lines(cust.id, [(p, 3)])
        open_order = create_order(cust.id)
        _, line = add_line(open_order.id, barcode=p.barcode, qty=1)
        db.session.commit()
        return {"order": order.id, "total": f"{order.total / 100:.2f}", "customer": cust.id,
                "open": open_order.id, "line": line.id, "version": open_order.version}


def _settle(client: Any, headers: dict[str, str], world: dict[str, Any], key: str) -> Any:
    resp = client.post(f"{API}/orders/{world['order']}/settle",
                       json={"payments": [{"method": "cash", "amount": world["total"],
                                           "tendered": "500.00"}]},
                       headers=headers | {"Idempotency-Key": key})
    return resp.status_code, resp.get_data(as_text=True)


def _counts(app: Any) -> tuple[int, int, int]:
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(Settlement)),
                db.session.scalar(select(func.count()).select_from(LedgerEntry)),
                db.session.scalar(select(func.count()).select_from(StockMove)
                                  .where(StockMove.reason == "sale")))


def test_ten_threads_same_key_one_settlement_identical_responses(app, api_headers, world):
    headers = api_headers("cashier")
    results = race(app, 10, lambda c, i: _settle(c, headers, world, "f3c1a0de-same"))
    assert {status for status, _ in results} == {200}, results
    assert len({body for _, body in results}) == 1
    assert _counts(app) == (1, 2, 1)


def test_ten_threads_different_keys_one_200_nine_409(app, api_headers, world):
    headers = api_headers("cashier")
    results = race(app, 10, lambda c, i: _settle(c, headers, world, f"key-{i}"))
    statuses = sorted(status for status, _ in results)
    assert statuses == [200] + [409] * 9, results
    assert _counts(app) == (1, 2, 1)


def test_fifty_concurrent_orders_fifty_numbers(app, api_headers, world):
    headers = api_headers("clerk")
    results = race(app, 50, lambda c, i: c.post(f"{API}/orders", headers=headers, json={
        "customer_id": world["customer"], "channel": "showroom"}).get_json())
    numbers = [r["number"] for r in results]
    assert len(set(numbers)) == 50 and all(n.startswith("XS-") for n in numbers)


def test_two_clerks_one_order_stale_write_gets_409(app, api_headers, world):
    clerks = [api_headers("clerk"), api_headers("clerk")]
    results = race(app, 2, lambda c, i: c.patch(
        f"{API}/orders/{world['open']}/lines/{world['line']}", headers=clerks[i],
        json={"qty": 4 + i, "version": world["version"]}))
    statuses = sorted(r.status_code for r in results)
    assert statuses == [200, 409], [r.get_data(as_text=True) for r in results]
    winner = next(r for r in results if r.status_code == 200).get_json()
    with app.app_context():
        from showroom.orders.models import OrderLine

        assert db.session.get(OrderLine, world["line"]).qty == winner["lines"][0]["qty"]
