"""Races through the service layer, each thread in its own app context and transaction,
on whichever backend the suite runs (SQLite file or PostgreSQL)."""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import factories
import pytest
from sqlalchemy import func, select

from showroom.catalog.models import StockMove
from showroom.customers.models import LedgerEntry
from showroom.errors import DomainError
from showroom.extensions import db
from showroom.idempotency import claim, complete, fingerprint
from showroom.orders.services import add_line, create_order, set_line_qty
from showroom.settlement.models import Settlement
from showroom.settlement.services import PaymentIn, settle, settlement_result

pytestmark = pytest.mark.concurrency


def race(app: Any, n: int, work: Callable[[int], Any]) -> list[Any]:
    """Run work(i) in n threads released together; each commits or rolls back itself."""
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def run(i: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                results[i] = work(i)
                db.session.commit()
            except DomainError as exc:
                db.session.rollback()
                results[i] = exc
            except Exception as exc:  # surfaced to the assertion, not lost in the thread
                db.session.rollback()
                results[i] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def _settle_with_key(order_id: int, total: int, key: str) -> dict[str, Any]:
    scope = f"settle:{order_id}"
    replay = claim(key, scope, fingerprint(scope, total))
    if replay is not None:
        return replay.body
    body = settlement_result(settle(order_id, [PaymentIn("cash", total)], cashier_id=None))
    complete(key, 200, body)
    return body


def _submitted_order(app: Any) -> tuple[int, int]:
    with app.app_context():
        cust = factories.customer()
        p = factories.product(wholesale=12_345, stock=50)
        order = factories.order_with_lines(cust.id, [(p, 3)])
        db.session.commit()
        return order.id, order.total


def test_ten_threads_one_key_settle_once(app):
    order_id, total = _submitted_order(app)
    results = race(app, 10, lambda i: _settle_with_key(order_id, total, "key-same"))
    assert all(isinstance(r, dict) for r in results), results
    assert all(r == results[0] for r in results)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Settlement)) == 1
        assert db.session.scalar(select(func.count()).select_from(LedgerEntry)) == 2
        assert db.session.scalar(
            select(func.count()).select_from(StockMove).where(StockMove.reason == "sale")) == 1


def test_ten_threads_different_keys_one_wins(app):
    order_id, total = _submitted_order(app)
    results = race(app, 10, lambda i: _settle_with_key(order_id, total, f"key-{i}"))
    wins = [r for r in results if isinstance(r, dict)]
    losses = [r for r in results if isinstance(r, DomainError)]
    assert len(wins) == 1 and len(losses) == 9
    assert all(e.status == 409 for e in losses)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Settlement)) == 1


def test_fifty_concurrent_orders_get_fifty_numbers(app):
    with app.app_context():
        cust_id = factories.customer().id
        db.session.commit()
    results = race(app, 50, lambda i: create_order(cust_id).number)
    assert len(set(results)) == 50, results
    assert all(isinstance(r, str) and r.startswith("XS-") for r in results)


def test_two_clerks_editing_one_order_stale_write_is_refused(app):
    with app.app_context():
        cust = factories.customer()
        p = factories.product(stock=50)
        order = create_order(cust.id)
        _, line = add_line(order.id, barcode=p.barcode, qty=1)
        db.session.commit()
        order_id, line_id, version = order.id, line.id, order.version
    results = race(app, 2, lambda i: set_line_qty(order_id, line_id, 5 + i, version=version)[1].qty)
    ok = [r for r in results if isinstance(r, int)]
    stale = [r for r in results if isinstance(r, DomainError)]
    assert len(ok) == 1 and len(stale) == 1 and stale[0].status == 409
    with app.app_context():
        from showroom.orders.models import OrderLine

        assert db.session.get(OrderLine, line_id).qty == ok[0]
