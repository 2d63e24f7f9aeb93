"""Products in the back office: list with search and paging, add and edit on screen, and
PATCH /api/v1/products/{code}, with the same rules: code and barcode unique (the message
names the product), prices with at most two decimals (full-width digits accepted), a
known area, no control characters. Bad input: a clear message, 4xx, nothing written."""
from __future__ import annotations

import factories
import pytest
from sqlalchemy import select

from showroom.catalog.models import Product
from showroom.extensions import db

GOOD = {"code": "YS-9", "barcode": "6901234567892", "name": "925银戒指", "price_wholesale": "12.50",
        "price_franchise": "11.00", "area": "A1", "category": "戒指", "care_note": "避免接触香水",
        "material": "925银", "origin": "广州"}


@pytest.fixture
def world(app):
    with app.app_context():
        factories.area(code="A1")
        old = factories.product(code="OLD-1", barcode="6900000000028", name="旧手链", stock=4)
        db.session.commit()
        return {"old": old.id}


def _products(app):
    with app.app_context():
        rows = db.session.execute(select(Product.code, Product.barcode, Product.name,
                                         Product.price_wholesale, Product.price_franchise,
                                         Product.area_id, Product.care_note)
                                  .order_by(Product.id)).tuples().all()
        db.session.rollback()
        return rows


def test_add_a_product_on_screen_and_find_it(app, client, login_as, world):
    login_as("manager")
    page = client.get("/catalog/products/new").get_data(as_text=True)
    assert "新商品" in page and "A1" in page
    resp = client.post("/catalog/products/new", data=GOOD | {"price_wholesale": "１２．５"})
    assert resp.status_code == 303
    with app.app_context():
        p = db.session.scalar(select(Product).where(Product.code == "YS-9"))
        assert (p.price_wholesale, p.price_franchise, p.area.code, p.on_hand) == (1250, 1100, "A1", 0)
        pid = p.id
    page = client.get(resp.location).get_data(as_text=True)
    assert "商品 YS-9 已添加" in page and "打印吊牌" in page
    assert "/catalog/labels?q=6901234567892" in page and f"/catalog/labels/{pid}.pdf" in page
    for q in ("6901234567892", "YS", "银戒"):
        listing = client.get(f"/catalog/products?q={q}").get_data(as_text=True)
        assert 'data-code="YS-9"' in listing, q
    assert client.get("/catalog/products?q=%1B").status_code == 422


@pytest.mark.parametrize(("change", "field", "message", "status"), [
    ({"code": "OLD-1"}, "code", "已存在", 409),
    ({"barcode": "6900000000028"}, "barcode", "OLD-1", 409),
    ({"price_wholesale": "-1"}, "price_wholesale", "负", 422),
    ({"price_wholesale": "1.005"}, "price_wholesale", "两位小数", 422),
    ({"price_franchise": ""}, "price_franchise", "必填", 422),
    ({"area": "Z9"}, "area", "没有区域 Z9", 422),
    ({"name": "戒指\x00"}, "name", "U+0000", 422),
    ({"code": "YS 9"}, "code", "", 422),
    ({"name": ""}, "name", "必填", 422),
])
def test_bad_product_input_is_marked_and_nothing_written(app, client, login_as, world, change,
                                                          field, message, status):
    login_as("manager")
    before = _products(app)
    resp = client.post("/catalog/products/new", data=GOOD | change)
    assert resp.status_code == status
    page = resp.get_data(as_text=True)
    assert message in page and 'class="field-error"' in page
    assert _products(app) == before


def test_edit_a_product_on_screen(app, client, login_as, world):
    login_as("manager")
    url = f"/catalog/products/{world['old']}"
    page = client.get(url).get_data(as_text=True)
    assert 'value="OLD-1"' in page and "旧手链" in page
    resp = client.post(url, data=GOOD | {"code": "OLD-1", "barcode": "", "name": "新名字手链",
                                          "price_franchise": "9.9"})
    assert resp.status_code == 303
    with app.app_context():
        p = db.session.get(Product, world["old"])
        assert (p.name, p.barcode, p.price_franchise, p.on_hand) == ("新名字手链", None, 990, 4)
    assert 'data-code="OLD-1"' in client.get("/catalog/products?q=新名字").get_data(as_text=True)
    # a duplicate barcode on edit: refused, nothing changed
    client.post("/catalog/products/new", data=GOOD)
    before = _products(app)
    resp = client.post(url, data=GOOD | {"code": "OLD-1"})
    assert resp.status_code == 409 and "YS-9" in resp.get_data(as_text=True)
    assert _products(app) == before


def test_product_list_pages(app, client, login_as):
    with app.app_context():
        for n in range(25):
            factories.product(code=f"C{n:03d}", stock=0)
        db.session.commit()
    login_as("manager")
    first = client.get("/catalog/products").get_data(as_text=True)
    assert 'data-code="C000"' in first and 'data-code="C020"' not in first and 'rel="next"' in first
    second = client.get("/catalog/products?page=2").get_data(as_text=True)
    assert 'data-code="C020"' in second and 'data-code="C024"' in second
    assert 'rel="next"' not in second and 'rel="prev"' in second
    assert client.get("/catalog/products?page=abc").status_code == 200


# --- PATCH /api/v1/products/{code} ----------------------------------------------------------

def test_patch_changes_only_what_is_sent(app, client, api_headers, world):
    headers = api_headers("manager")
    resp = client.patch("/api/v1/products/OLD-1", headers=headers,
                        json={"price_wholesale": "１５.５", "area": "A1", "care_note": "擦拭"})
    assert resp.status_code == 200, resp.get_json()
    body = resp.get_json()
    assert body["price_wholesale"] == "15.50" and body["area"] == "A1" and body["name"] == "旧手链"
    assert body["care_note"] == "擦拭" and body["stock_qty"] == 4
    resp = client.patch("/api/v1/products/OLD-1", headers=headers,
                        json={"barcode": None, "area": None, "code": "OLD-2"})
    assert resp.status_code == 200
    assert resp.get_json()["barcode"] is None and resp.get_json()["area"] is None
    assert client.get("/api/v1/products/by-barcode/6900000000028", headers=headers).status_code == 404


@pytest.mark.parametrize(("body", "status", "field"), [
    ({"price_wholesale": "1.005"}, 422, "price_wholesale"),
    ({"price_wholesale": 12.5}, 422, "price_wholesale"),
    ({"price_franchise": "-3.00"}, 422, "price_franchise"),
    ({"name": "坏\u202e名"}, 422, "name"),
    ({"name": None}, 422, "name"),
    ({"area": "Z9"}, 422, "area"),
    ({"barcode": "6901234567892"}, 409, None),
    ({"code": "YS-9"}, 409, None),
    ({}, 422, "body"),
])
def test_patch_refuses_bad_input_and_writes_nothing(app, client, api_headers, world, body, status,
                                                    field):
    headers = api_headers("manager")
    assert client.post("/api/v1/products", headers=headers, json=GOOD).status_code == 201
    before = _products(app)
    resp = client.patch("/api/v1/products/OLD-1", headers=headers, json=body)
    assert resp.status_code == status, resp.get_json()
    assert resp.content_type.startswith("application/problem+json")
    if field:
        assert field in resp.get_json()["errors"]
    else:
        assert "YS-9" in resp.get_json()["detail"] or "6901234567892" in resp.get_json()["detail"]
    assert _products(app) == before


def test_patch_needs_a_manager_and_a_known_code(app, client, api_headers, world):
    assert client.patch("/api/v1/products/OLD-1", headers=api_headers("clerk"),
                        json={"name": "x"}).status_code == 403
    assert client.patch("/api/v1/products/NOPE", headers=api_headers("manager"),
                        json={"name": "x"}).status_code == 404
    assert client.patch("/api/v1/products/OLD-1", json={"name": "x"}).status_code == 401
