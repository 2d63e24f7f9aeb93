"""Picking services: wishes, product issues, remarks, restock tasks (no HTTP)."""
from __future__ import annotations

from typing import Any

import factories
import pytest
from sqlalchemy import func, select

from showroom.catalog.services import move_stock
from showroom.errors import Conflict, NotFound, ValidationFailed
from showroom.extensions import db
from showroom.orders.services import add_line, create_order, remove_line
from showroom.picking import services as ps
from showroom.picking.models import ProductIssue, Remark, RestockTask, Wish


def _count(model: Any) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def test_record_wish_by_product_and_by_text(ctx: Any) -> None:
    cust = factories.customer()
    prod = factories.product(stock=0)
    by_code = ps.record_wish(cust.id, product_code=prod.code, qty="3")
    by_text = ps.record_wish(cust.id, description="  足金吊坠 心形  ", qty=2)
    assert by_code.product_id == prod.id and by_code.qty == 3
    assert by_text.product_id is None and by_text.description == "足金吊坠 心形"
    assert {w.id for w in ps.open_wishes()} == {by_code.id, by_text.id}
    assert [w.id for w in ps.open_wishes(prod.code)] == [by_code.id]


def test_record_wish_accepts_barcode_as_code(ctx: Any) -> None:
    cust = factories.customer()
    prod = factories.product(stock=0)
    assert ps.record_wish(cust.id, product_code=prod.barcode).product_id == prod.id


@pytest.mark.parametrize("kwargs, field", [
    ({}, "product_code"),
    ({"product_code": "NOPE-1"}, "product_code"),
    ({"description": "x" * 201}, "description"),
    ({"description": "ring", "qty": 0}, "qty"),
    ({"description": "ring", "qty": "two"}, "qty"),
    ({"description": 5}, "description"),
])
def test_record_wish_bad_input_writes_nothing(ctx: Any, kwargs: dict[str, Any], field: str) -> None:
    cust = factories.customer()
    with pytest.raises(ValidationFailed) as exc:
        ps.record_wish(cust.id, **kwargs)
    assert field in exc.value.errors
    assert _count(Wish) == 0


def test_record_wish_unknown_customer(ctx: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        ps.record_wish(999_999, description="ring")
    assert "customer_id" in exc.value.errors
    assert _count(Wish) == 0


def test_wishes_to_notify_when_stock_arrives(ctx: Any) -> None:
    cust = factories.customer()
    prod = factories.product(stock=0)
    wish = ps.record_wish(cust.id, product_code=prod.code, qty=2)
    ps.record_wish(cust.id, description="free text never matches stock")
    assert ps.wishes_to_notify() == []
    move_stock(prod.id, 5, "receipt")
    db.session.expire_all()
    assert [w.id for w in ps.wishes_to_notify()] == [wish.id]
    staff = factories.staff("clerk")
    done = ps.mark_notified(wish.id, staff.id)
    assert done.notified_at is not None and done.notified_by_id == staff.id
    assert ps.wishes_to_notify() == []
    assert wish.id not in {w.id for w in ps.open_wishes()}
    with pytest.raises(Conflict):
        ps.mark_notified(wish.id, staff.id)
    with pytest.raises(NotFound):
        ps.mark_notified(123_456, staff.id)


def test_report_issue_routes_to_area_owner(ctx: Any) -> None:
    owner = factories.staff("clerk")
    other = factories.staff("clerk")
    area = factories.area(owner_id=owner.id)
    prod = factories.product(area_id=area.id)
    issue = ps.report_issue(prod.barcode or "", "defect", "clasp broken", other.id)
    assert issue.area_id == area.id and issue.product_id == prod.id
    ps.report_issue(prod.code, "missing_label", "", other.id)
    assert len(ps.area_owner_issues(owner.id)) == 2
    assert ps.area_owner_issues(other.id) == []
    ps.resolve_issue(issue.id, owner.id)
    assert [i.kind for i in ps.area_owner_issues(owner.id)] == ["missing_label"]
    with pytest.raises(Conflict):
        ps.resolve_issue(issue.id, owner.id)


@pytest.mark.parametrize("code, kind, note, field", [
    ("", "defect", "", "product_code"),
    ("NOPE", "defect", "", "product_code"),
    ("{code}", "broken", "", "kind"),
    ("{code}", "defect", "n" * 2001, "note"),
])
def test_report_issue_bad_input_writes_nothing(ctx: Any, code: str, kind: str, note: str,
                                               field: str) -> None:
    prod = factories.product()
    with pytest.raises(ValidationFailed) as exc:
        ps.report_issue(code.format(code=prod.code), kind, note, None)
    assert field in exc.value.errors
    assert _count(ProductIssue) == 0


def test_add_remark(ctx: Any) -> None:
    cust = factories.customer()
    remark = ps.add_remark(cust.id, "complaint", "  waited too long  ", None)
    assert remark.text == "waited too long" and remark.kind == "complaint"
    assert [r.id for r in ps.remarks_for(cust.id)] == [remark.id]


@pytest.mark.parametrize("kind, text, field", [
    ("praise", "nice", "kind"), ("opinion", "   ", "text"), ("opinion", "x" * 2001, "text"),
])
def test_add_remark_bad_input_writes_nothing(ctx: Any, kind: str, text: str, field: str) -> None:
    cust = factories.customer()
    with pytest.raises(ValidationFailed) as exc:
        ps.add_remark(cust.id, kind, text, None)
    assert field in exc.value.errors
    with pytest.raises(ValidationFailed):
        ps.add_remark(987_654, "opinion", "hello", None)
    assert _count(Remark) == 0


def test_removed_line_becomes_restock_task(ctx: Any) -> None:
    cust = factories.customer()
    prod = factories.product()
    order = create_order(cust.id)
    _, line = add_line(order.id, barcode=prod.barcode, qty=2)
    remove_line(order.id, line.id)
    tasks = ps.open_restock_tasks()
    assert [(t.product_id, t.qty, t.order_id) for t in tasks] == [(prod.id, 2, order.id)]
    staff = factories.staff("clerk")
    ps.complete_restock(tasks[0].id, staff.id)
    assert ps.open_restock_tasks() == []
    assert db.session.get(RestockTask, tasks[0].id).done_by_id == staff.id  # type: ignore[union-attr]
    with pytest.raises(Conflict):
        ps.complete_restock(tasks[0].id, staff.id)
    with pytest.raises(NotFound):
        ps.complete_restock(55_555, staff.id)
