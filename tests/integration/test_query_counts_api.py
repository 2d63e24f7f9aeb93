"""The API's hot paths cost the same number of SQL statements for an order of 5 lines
as for one of 200: adding a line, reading the order, and adding a repeat scan."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import factories
from sqlalchemy import event

from showroom.extensions import db
from showroom.orders.services import add_line, create_order

API = "/api/v1"


@contextmanager
def counting(app: Any) -> Iterator[list[str]]:
    seen: list[str] = []

    def _count(_conn: Any, _cursor: Any, statement: str, *_a: Any) -> None:
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", _count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", _count)


def _order_with(app: Any, n_lines: int) -> tuple[int, str]:
    with app.app_context():
        cust = factories.customer()
        order = create_order(cust.id)
        for _ in range(n_lines):
            add_line(order.id, barcode=factories.product(stock=50).barcode)
        extra = factories.product(stock=50)
        db.session.commit()
        return order.id, extra.barcode or ""


def _costs(app: Any, client: Any, headers: dict[str, str], n_lines: int) -> tuple[int, int, int]:
    order_id, barcode = _order_with(app, n_lines)
    with counting(app) as add:
        assert client.post(f"{API}/orders/{order_id}/lines", headers=headers,
                           json={"barcode": barcode}).status_code == 200
    with counting(app) as repeat:
        assert client.post(f"{API}/orders/{order_id}/lines", headers=headers,
                           json={"barcode": barcode}).status_code == 200
    with counting(app) as read:
        resp = client.get(f"{API}/orders/{order_id}", headers=headers)
        assert len(resp.get_json()["lines"]) == n_lines + 1
    return len(add), len(repeat), len(read)


def test_api_query_counts_do_not_grow_with_the_order(app, client, api_headers):
    headers = api_headers("clerk")
    small = _costs(app, client, headers, 5)
    large = _costs(app, client, headers, 200)
    assert small == large, (small, large)


def test_prefer_minimal_answers_a_scan_with_the_changed_line_only(app, client, api_headers):
    headers = api_headers("clerk")
    order_id, barcode = _order_with(app, 20)
    resp = client.post(f"{API}/orders/{order_id}/lines", json={"barcode": barcode, "qty": 2},
                       headers=headers | {"Prefer": "return=minimal"})
    assert resp.status_code == 200 and resp.headers["Preference-Applied"] == "return=minimal"
    body = resp.get_json()
    assert [ln["qty"] for ln in body["lines"]] == [2]
    full = client.get(f"{API}/orders/{order_id}", headers=headers).get_json()
    assert len(full["lines"]) == 21 and body["total"] == full["total"]
    assert body["version"] == full["version"]
