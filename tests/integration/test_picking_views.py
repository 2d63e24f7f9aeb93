"""The clerk's tablet through the test client: customers, scanning, line edits with
versions, wishes / issues / remarks, the follow-up lists, roles, and query counts."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import factories
import pytest
from sqlalchemy import event, func, select

from showroom.clock import now_utc
from showroom.extensions import db
from showroom.orders.models import Order, OrderLine
from showroom.orders.services import add_line, create_order
from showroom.picking.models import ProductIssue, Remark, RestockTask, Wish
from showroom.reception.models import Visit

HX = {"HX-Request": "true"}


def _visit(clerk_id: int, **customer: Any) -> dict[str, Any]:
    cust = factories.customer(**customer)
    visit = Visit(customer_id=cust.id, status="with_clerk", clerk_id=clerk_id,
                  assigned_at=now_utc(), purpose="看新款")
    db.session.add(visit)
    db.session.flush()
    return {"visit_id": visit.id, "customer_id": cust.id, "name": cust.name}


@pytest.fixture
def clerk(login_as: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    return login_as("clerk")


@pytest.fixture
def floor(app: Any, clerk: dict[str, Any]) -> dict[str, Any]:
    """A franchise customer with an open order, three products (one with a care note)."""
    with app.app_context():
        v = _visit(clerk["id"], kind="franchise")
        order = create_order(v["customer_id"], visit_id=v["visit_id"], clerk_id=clerk["id"])
        plain = factories.product(wholesale=2000, franchise=1500, stock=10)
        care = factories.product(care_note="避免接触香水和海水，用擦银布擦拭。", stock=10)
        empty = factories.product(stock=0)
        db.session.commit()
        return v | {"order_id": order.id, "plain": plain.barcode, "plain_code": plain.code,
                    "care": care.barcode, "empty": empty.barcode, "empty_code": empty.code}


def _order(app: Any, order_id: int) -> Order:
    with app.app_context():
        order = db.session.get(Order, order_id)
        assert order is not None
        db.session.expunge(order)
        return order


def _count(app: Any, model: Any) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def test_cashier_gets_403_on_picking(app: Any, client: Any, login_as: Any) -> None:
    login_as("cashier")
    assert client.get("/picking/").status_code == 403
    assert client.get("/picking/tasks").status_code == 403
    assert client.post("/picking/orders/1/scan", data={"code": "x"}).status_code == 403


def test_manager_passes(client: Any, login_as: Any) -> None:
    login_as("manager")
    assert client.get("/picking/").status_code == 200
    assert client.get("/picking/tasks").status_code == 200


def test_my_customers_shows_only_my_visits(app: Any, client: Any, clerk: dict[str, Any],
                                           make_staff: Any) -> None:
    other = make_staff("clerk")
    with app.app_context():
        mine = _visit(clerk["id"], name="张三")
        _visit(other["id"], name="李四")
        db.session.commit()
    page = client.get("/picking/").get_data(as_text=True)
    assert "张三" in page and "李四" not in page
    assert 'hx-trigger="every 5s"' in page
    live = client.get("/picking/live").get_data(as_text=True)
    assert "张三" in live and "<html" not in live
    resp = client.post(f"/picking/visits/{mine['visit_id']}/order")
    assert resp.status_code == 302
    order_id = int(resp.headers["Location"].rsplit("/", 1)[1])
    again = client.post(f"/picking/visits/{mine['visit_id']}/order")
    assert again.headers["Location"].endswith(f"/picking/orders/{order_id}")
    order = _order(app, order_id)
    assert (order.visit_id, order.clerk_id) == (mine["visit_id"], clerk["id"])
    assert "继续开单" in client.get("/picking/live").get_data(as_text=True)


def test_cannot_start_order_for_another_clerks_visit(app: Any, client: Any, clerk: Any,
                                                     make_staff: Any) -> None:
    other = make_staff("clerk")
    with app.app_context():
        theirs = _visit(other["id"])
        db.session.commit()
    assert client.post(f"/picking/visits/{theirs['visit_id']}/order").status_code == 403
    assert client.post("/picking/visits/999/order").status_code == 404
    assert _count(app, Order) == 0


def test_scan_repeat_adds_quantity_at_franchise_price(app: Any, client: Any, floor: Any) -> None:
    url = f"/picking/orders/{floor['order_id']}/scan"
    first = client.post(url, data={"code": floor["plain"]}, headers=HX)
    assert first.status_code == 200
    body = first.get_data(as_text=True)
    assert 'data-scan-result="ok"' in body and "<html" not in body
    assert "¥15.00" in body  # franchise price
    second = client.post(url, data={"code": f" {floor['plain']} "}, headers=HX)
    body = second.get_data(as_text=True)
    assert 'data-qty>2<' in body and "¥30.00" in body
    order = _order(app, floor["order_id"])
    assert (order.line_count, order.total) == (1, 3000)


def test_scan_shows_care_note(client: Any, floor: Any) -> None:
    body = client.post(f"/picking/orders/{floor['order_id']}/scan", data={"code": floor["care"]},
                       headers=HX).get_data(as_text=True)
    assert "data-care-note" in body and "避免接触香水和海水" in body


def test_unknown_and_out_of_stock_scans_are_refused_with_wish_offer(app: Any, client: Any,
                                                                    floor: Any) -> None:
    url = f"/picking/orders/{floor['order_id']}/scan"
    unknown = client.post(url, data={"code": "NO-SUCH-CODE"}, headers=HX)
    assert unknown.status_code == 404
    body = unknown.get_data(as_text=True)
    assert 'data-scan-result="bad"' in body and "wish_text=NO-SUCH-CODE" in body
    empty = client.post(url, data={"code": floor["empty"]}, headers=HX)
    assert empty.status_code == 409
    body = empty.get_data(as_text=True)
    assert 'data-scan-result="bad"' in body and f"wish_code={floor['empty_code']}" in body
    assert _order(app, floor["order_id"]).line_count == 0
    assert client.post(url, data={"code": ""}, headers=HX).status_code == 400
    missing = client.post("/picking/orders/999/scan", data={"code": "x"}, headers=HX)
    assert missing.status_code == 404
    offer = client.get(f"/picking/orders/{floor['order_id']}?wish_code={floor['empty_code']}")
    assert f'value="{floor["empty_code"]}"' in offer.get_data(as_text=True)


def test_scan_without_js_redirects_with_flash(client: Any, floor: Any) -> None:
    resp = client.post(f"/picking/orders/{floor['order_id']}/scan", data={"code": floor["plain"]})
    assert resp.status_code == 302
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "flash success" in page and 'class="scan"' in page and "data-scan" in page


def _line_id(app: Any, order_id: int) -> int:
    with app.app_context():
        return int(db.session.scalar(select(OrderLine.id).where(OrderLine.order_id == order_id)
                                     .order_by(OrderLine.id)) or 0)


def test_qty_change_and_stale_version(app: Any, client: Any, floor: Any) -> None:
    oid = floor["order_id"]
    client.post(f"/picking/orders/{oid}/scan", data={"code": floor["plain"]}, headers=HX)
    line_id = _line_id(app, oid)
    version = _order(app, oid).version
    ok = client.post(f"/picking/orders/{oid}/lines/{line_id}/qty",
                     data={"qty": "3", "version": str(version)}, headers=HX)
    assert ok.status_code == 200 and 'data-qty>3<' in ok.get_data(as_text=True)
    stale = client.post(f"/picking/orders/{oid}/lines/{line_id}/qty",
                        data={"qty": "5", "version": str(version)}, headers=HX)
    assert stale.status_code == 409
    body = stale.get_data(as_text=True)
    assert "销售单已被他人修改" in body and 'data-qty>3<' in body
    assert _order(app, oid).total == 4500
    bad = client.post(f"/picking/orders/{oid}/lines/{line_id}/qty",
                      data={"qty": "0", "version": str(version + 1)}, headers=HX)
    assert bad.status_code == 400 and _order(app, oid).total == 4500
    down = client.post(f"/picking/orders/{oid}/lines/{line_id}/qty",
                       data={"qty": "2", "version": str(version + 1)})
    assert down.status_code == 302 and _count(app, RestockTask) == 1


def test_remove_line_creates_restock_task_and_stale_remove_is_409(app: Any, client: Any,
                                                                  floor: Any) -> None:
    oid = floor["order_id"]
    client.post(f"/picking/orders/{oid}/scan", data={"code": floor["plain"]}, headers=HX)
    line_id = _line_id(app, oid)
    stale = client.post(f"/picking/orders/{oid}/lines/{line_id}/remove", data={"version": "1"},
                        headers=HX)
    assert stale.status_code == 409 and _count(app, RestockTask) == 0
    version = _order(app, oid).version
    resp = client.post(f"/picking/orders/{oid}/lines/{line_id}/remove",
                       data={"version": str(version)}, headers=HX)
    assert resp.status_code == 200 and "已生成归位任务" in resp.get_data(as_text=True)
    assert _count(app, RestockTask) == 1
    assert _order(app, oid).line_count == 0


def test_submit_to_cashier_queue(app: Any, client: Any, floor: Any) -> None:
    oid = floor["order_id"]
    empty = client.post(f"/picking/orders/{oid}/submit", data={"version": "1"})
    assert empty.status_code == 409  # no lines
    client.post(f"/picking/orders/{oid}/scan", data={"code": floor["plain"]}, headers=HX)
    assert client.post(f"/picking/orders/{oid}/submit", data={"version": "1"}).status_code == 409
    version = _order(app, oid).version
    resp = client.post(f"/picking/orders/{oid}/submit", data={"version": str(version)})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/picking/")
    assert _order(app, oid).status == "awaiting_settlement"
    hx = client.post(f"/picking/orders/{oid}/submit", data={"version": str(version + 1)},
                     headers=HX)
    assert hx.status_code == 409  # already in the queue


def test_wish_issue_remark_forms(app: Any, client: Any, floor: Any) -> None:
    oid = floor["order_id"]
    resp = client.post(f"/picking/orders/{oid}/wish",
                       data={"product_code": floor["empty_code"], "qty": "4"})
    assert resp.status_code == 302
    resp = client.post(f"/picking/orders/{oid}/wish", data={"description": "心形吊坠", "qty": "1"})
    assert resp.status_code == 302
    with app.app_context():
        wishes = db.session.scalars(select(Wish).order_by(Wish.id)).all()
        assert [(w.qty, w.order_id, w.customer_id) for w in wishes] == [
            (4, oid, floor["customer_id"]), (1, oid, floor["customer_id"])]
    page = client.get(f"/picking/orders/{oid}").get_data(as_text=True)
    assert "心形吊坠" in page
    resp = client.post(f"/picking/orders/{oid}/issue",
                       data={"product_code": floor["plain_code"], "kind": "missing_label"})
    assert resp.status_code == 302 and _count(app, ProductIssue) == 1
    resp = client.post(f"/picking/orders/{oid}/remark",
                       data={"kind": "suggestion", "text": "希望多一些足金款"})
    assert resp.status_code == 302 and _count(app, Remark) == 1


@pytest.mark.parametrize("path, data, message", [
    ("wish", {"qty": "1"}, "请填商品编码或描述"),
    ("wish", {"product_code": "NOPE", "qty": "1"}, "没有编码为 NOPE 的商品"),
    ("wish", {"description": "x", "qty": "0"}, 'id="wish" open'),
    ("issue", {"product_code": "NOPE", "kind": "defect"}, "没有编码或条码为 NOPE 的商品"),
    ("issue", {"product_code": "x", "kind": "broken"}, 'id="issue" open'),
    ("remark", {"kind": "opinion", "text": ""}, 'id="remark" open'),
])
def test_bad_forms_write_nothing(app: Any, client: Any, floor: Any, path: str,
                                 data: dict[str, str], message: str) -> None:
    resp = client.post(f"/picking/orders/{floor['order_id']}/{path}", data=data)
    assert resp.status_code == 422
    assert message in resp.get_data(as_text=True)
    assert _count(app, Wish) + _count(app, ProductIssue) + _count(app, Remark) == 0


def test_follow_up_lists(app: Any, client: Any, clerk: Any, floor: Any) -> None:
    from showroom.catalog.services import move_stock
    from showroom.picking import services as ps

    with app.app_context():
        area = factories.area(owner_id=clerk["id"])
        prod = factories.product(area_id=area.id, stock=0)
        wish = ps.record_wish(floor["customer_id"], product_code=prod.code, qty=2)
        issue = ps.report_issue(prod.code, "defect", "扣子松了", None)
        move_stock(prod.id, 3, "receipt")
        db.session.commit()
        ids = (wish.id, issue.id)
    oid = floor["order_id"]
    client.post(f"/picking/orders/{oid}/scan", data={"code": floor["plain"]}, headers=HX)
    client.post(f"/picking/orders/{oid}/lines/{_line_id(app, oid)}/remove",
                data={"version": str(_order(app, oid).version)})
    page = client.get("/picking/tasks").get_data(as_text=True)
    assert floor["name"] in page and "扣子松了" in page and floor["plain_code"] in page
    assert client.post(f"/picking/wishes/{ids[0]}/notified").status_code == 302
    assert client.post(f"/picking/issues/{ids[1]}/resolve").status_code == 302
    with app.app_context():
        task_id = ps.open_restock_tasks()[0].id
    assert client.post(f"/picking/restock/{task_id}/done").status_code == 302
    page = client.get("/picking/tasks").get_data(as_text=True)
    assert "目前没有要通知的客户" in page and "没有待处理的商品问题" in page
    assert "没有待归位的商品" in page
    again = client.post(f"/picking/wishes/{ids[0]}/notified", follow_redirects=True)
    assert "这位客户已经通知过了" in again.get_data(as_text=True)


# --- query counts: the cost must not grow with the order's size ----------------------

@contextmanager
def _counting(app: Any) -> Iterator[list[str]]:
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def _count_stmt(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", _count_stmt)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", _count_stmt)


def _big_order(app: Any, clerk_id: int, n_lines: int) -> tuple[int, str, str]:
    with app.app_context():
        v = _visit(clerk_id)
        order = create_order(v["customer_id"], visit_id=v["visit_id"], clerk_id=clerk_id)
        for i in range(n_lines):
            prod = factories.product(stock=5, care_note="擦银布" if i % 3 == 0 else "")
            add_line(order.id, barcode=prod.barcode)
        extra = factories.product(stock=5, care_note="防潮")
        existing = prod.barcode
        db.session.commit()
        return order.id, extra.barcode or "", existing or ""


def test_query_counts_do_not_grow_with_lines(app: Any, client: Any, clerk: Any) -> None:
    counts: dict[int, tuple[int, int, int, int]] = {}
    for n in (5, 200):
        oid, new_code, old_code = _big_order(app, clerk["id"], n)
        client.get(f"/picking/orders/{oid}")  # warm caches (numbering, user) before counting
        with _counting(app) as render:
            page = client.get(f"/picking/orders/{oid}")
        assert page.status_code == 200 and page.get_data(as_text=True).count("data-line=") == n
        with _counting(app) as add_new:
            resp = client.post(f"/picking/orders/{oid}/scan", data={"code": new_code}, headers=HX)
        assert resp.status_code == 200  # the answer carries the new line only, not the order
        assert resp.get_data(as_text=True).count("data-line=") == 1
        with _counting(app) as add_again:
            resp = client.post(f"/picking/orders/{oid}/scan", data={"code": old_code}, headers=HX)
        assert resp.status_code == 200
        with _counting(app) as plain_add:
            resp = client.post(f"/picking/orders/{oid}/scan", data={"code": new_code})
        assert resp.status_code == 302
        counts[n] = (len(render), len(add_new), len(add_again), len(plain_add))
    assert counts[5] == counts[200], counts
    assert max(counts[5]) < 20, counts


def test_polling_does_not_keep_an_idle_tablet_signed_in(app: Any, client: Any, clerk: Any) -> None:
    from datetime import timedelta

    from showroom.clock import set_now

    start = now_utc()
    set_now(start)
    page = client.get("/picking/").get_data(as_text=True)
    assert 'hx-get="/picking/live"' in page
    with client.session_transaction() as sess:
        seen = sess["seen_at"]
    poll = {"HX-Request": "true"}  # what the page's htmx poll sends
    set_now(start + timedelta(minutes=10))
    assert client.get("/picking/live", headers=poll).status_code == 200
    with client.session_transaction() as sess:
        assert sess["seen_at"] == seen  # the poll did not count as activity
    set_now(start + timedelta(minutes=16))
    resp = client.get("/picking/live", headers=poll)
    assert "/login" in resp.headers["HX-Redirect"]
