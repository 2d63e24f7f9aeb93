"""Stock receipt by scanning (back office): each scan +1 or a typed quantity, lines
editable, one numbered receipt exactly once, then the customers waiting for those goods
with a "notify" button that records who and when. Bad input writes nothing."""
from __future__ import annotations

import re

import factories
import pytest
from sqlalchemy import func, select

from showroom.catalog.models import Product, StockMove, StockReceipt
from showroom.extensions import db
from showroom.picking.models import Wish
from showroom.picking.services import record_wish


@pytest.fixture
def goods(app, make_staff):
    clerk = make_staff("clerk", name="跟单小李")
    with app.app_context():
        ring = factories.product(code="YS-1", barcode="6901234567892", name="925银戒指", stock=0)
        chain = factories.product(code="N-2", barcode="6900000000028", name="银项链", stock=3)
        cust = factories.customer(name="王丽")
        other = factories.customer(name="李强")
        w1 = record_wish(cust.id, product_code="YS-1", qty=2, staff_id=clerk["id"])
        w2 = record_wish(other.id, product_code="N-2", qty=1, staff_id=clerk["id"])
        db.session.commit()
        return {"ring": ring.id, "chain": chain.id, "w1": w1.id, "w2": w2.id}


def _stock(app, code):
    with app.app_context():
        return db.session.scalar(select(Product.on_hand).where(Product.code == code))


def _receipts(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(StockReceipt))


def _draft(client, lines, scan="", qty="", **extra):
    data = {"code": [c for c, _q in lines], "qty": [str(q) for _c, q in lines],
            "scan": scan, "scan_qty": qty, **extra}
    return client.post("/catalog/receipts/new", data=data)


def _lines(page):
    return dict(re.findall(r'name="code" value="([^"]+)">\s*<input type="text" name="qty" '
                           r'value="(\d+)"', page))


def test_scans_add_one_or_the_typed_quantity_and_write_nothing(app, client, login_as, goods):
    login_as("manager")
    page = client.get("/catalog/receipts/new").get_data(as_text=True)
    assert "入库" in page and 'autofocus' in page
    resp = _draft(client, [], scan="6901234567892")
    assert resp.status_code == 200
    assert _lines(resp.get_data(as_text=True)) == {"YS-1": "1"}
    resp = _draft(client, [("YS-1", 1)], scan="6901234567892")
    assert _lines(resp.get_data(as_text=True)) == {"YS-1": "2"}
    resp = _draft(client, [("YS-1", 2)], scan="N-2", qty="１２")  # a code, full-width qty
    assert _lines(resp.get_data(as_text=True)) == {"YS-1": "2", "N-2": "12"}
    resp = _draft(client, [("YS-1", 2), ("N-2", 12)], remove="YS-1")
    assert _lines(resp.get_data(as_text=True)) == {"N-2": "12"}
    assert _receipts(app) == 0 and _stock(app, "YS-1") == 0


@pytest.mark.parametrize(("scan", "qty", "lines", "message", "field"), [
    ("0000000000000", "", [("YS-1", 1)], "未知条码", "scan"),
    ("6901234567892", "0", [], "1 到 100000", "scan_qty"),
    ("6901234567892", "-3", [], "1 到 100000", "scan_qty"),
    ("6901234567892", "1.5", [], "1 到 100000", "scan_qty"),
    ("", "", [("YS-1", 0)], "请更正标出的数量", "qty-YS-1"),
    ("", "", [("YS-1", "abc")], "请更正标出的数量", "qty-YS-1"),
    ("69012\x1b", "", [], "U+001B", "scan"),
])
def test_bad_scans_say_why_and_add_nothing(app, client, login_as, goods, scan, qty, lines,
                                           message, field):
    login_as("manager")
    resp = _draft(client, lines, scan=scan, qty=qty)
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert message in page
    assert 'class="field-error"' in page
    assert _receipts(app) == 0


def test_finish_makes_one_receipt_once_and_shows_who_waits(app, client, login_as, goods):
    manager = login_as("manager")
    data = {"code": ["YS-1", "N-2"], "qty": ["20", "5"],
            "token": "3f1e8c1a-7a51-4d43-9a1e-0c1a7f1e2b3c"}
    first = client.post("/catalog/receipts", data=data)
    assert first.status_code == 303
    again = client.post("/catalog/receipts", data=data)  # a double tap
    assert again.status_code == 303 and again.location == first.location
    assert _receipts(app) == 1
    assert _stock(app, "YS-1") == 20 and _stock(app, "N-2") == 8
    page = client.get(first.location).get_data(as_text=True)
    assert re.search(r"RK-\d{8}-\d{4}", page)
    assert "王丽" in page and "李强" in page and "跟单小李" in page
    assert page.count("到货 — 通知") == 2
    with app.app_context():
        receipt = db.session.scalar(select(StockReceipt))
        moves = db.session.scalar(select(func.count()).select_from(StockMove)
                                  .where(StockMove.receipt_id == receipt.id))
        assert moves == 2 and receipt.staff_id == manager["id"]
        rid = receipt.id
    resp = client.post(f"/catalog/receipts/{rid}/wishes/{goods['w1']}/notify",
                       follow_redirects=True)
    assert "王丽 已标记为已通知" in resp.get_data(as_text=True)
    page = client.get(first.location).get_data(as_text=True)
    assert page.count("到货 — 通知") == 1 and f'data-notified="{goods["w1"]}"' in page
    with app.app_context():
        wish = db.session.get(Wish, goods["w1"])
        assert wish.notified_at is not None and wish.notified_by_id == manager["id"]
    # twice: refused, nothing changes
    resp = client.post(f"/catalog/receipts/{rid}/wishes/{goods['w1']}/notify", follow_redirects=True)
    assert "已经通知" in resp.get_data(as_text=True)


def test_notify_only_wishes_of_this_receipt(app, client, login_as, goods):
    login_as("manager")
    client.post("/catalog/receipts", data={"code": ["YS-1"], "qty": ["1"],
                                           "token": "5b0c4f3e-2f7d-4c9a-8a55-1d2e3f4a5b6c"})
    with app.app_context():
        rid = db.session.scalar(select(StockReceipt.id))
    assert client.post(f"/catalog/receipts/{rid}/wishes/{goods['w2']}/notify").status_code == 404
    with app.app_context():
        assert db.session.get(Wish, goods["w2"]).notified_at is None


@pytest.mark.parametrize("data", [
    {"code": [], "qty": []},
    {"code": ["YS-1"], "qty": ["0"]},
    {"code": ["YS-1"], "qty": ["1"], "token": ""},
    {"code": ["NOPE"], "qty": ["1"]},
])
def test_finish_refuses_bad_drafts_and_receives_nothing(app, client, login_as, goods, data):
    login_as("manager")
    data = {"token": "9d7c5b3a-1e2f-4a6b-8c9d-0e1f2a3b4c5d"} | data
    resp = client.post("/catalog/receipts", data=data)
    assert 400 <= resp.status_code < 500
    assert 'class="flash error"' in resp.get_data(as_text=True)
    assert _receipts(app) == 0 and _stock(app, "YS-1") == 0


def test_a_clerk_gets_403_on_every_back_office_screen(app, client, login_as, goods):
    login_as("clerk")
    for url in ("/catalog/", "/catalog/products", "/catalog/products/new",
                f"/catalog/products/{goods['ring']}", "/catalog/import", "/catalog/receipts/new",
                "/staff/new", "/staff/1/edit"):
        assert client.get(url).status_code == 403, url
    for url in ("/catalog/products/new", f"/catalog/products/{goods['ring']}", "/catalog/import",
                "/catalog/receipts/new", "/catalog/receipts", "/catalog/receipts/1/wishes/1/notify",
                "/staff/new", "/staff/1/edit"):
        assert client.post(url, data={}).status_code == 403, url
    assert _receipts(app) == 0


def test_every_back_office_screen_in_both_languages(app, client, login_as, goods):
    login_as("manager")
    client.post("/catalog/receipts", data={"code": ["YS-1"], "qty": ["2"],
                                           "token": "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"})
    with app.app_context():
        rid = db.session.scalar(select(StockReceipt.id))
    pages = {"/catalog/": ("后台管理", "Back office"), "/catalog/products": ("新商品", "New product"),
             "/catalog/products/new": ("添加商品", "Add product"),
             f"/catalog/products/{goods['ring']}": ("保存商品", "Save product"),
             "/catalog/import": ("CSV 导入", "CSV import"),
             "/catalog/receipts/new": ("完成入库", "Finish receipt"),
             f"/catalog/receipts/{rid}": ("到货 — 通知", "Arrived — notify"),
             "/staff/new": ("添加员工", "Add staff member")}
    for url, (zh, en) in pages.items():
        page = client.get(url + "?lang=zh_CN").get_data(as_text=True)
        assert zh in page, url
        page = client.get(url + "?lang=en").get_data(as_text=True)
        assert en in page and zh not in page, url
    assert 'href="/catalog/"' in page  # the manager's nav entry
