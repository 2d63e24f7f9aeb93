"""The consignor money screens through the client: managers only; the statement with its
PDF, print and WeChat text; the payout once per form token, bad input refused with nothing
written; the aged list; the company stock screen leaving consigned goods apart."""
from __future__ import annotations

import re

import consignor_money_support as M
import factories
import pytest
from sqlalchemy import func, select

from showroom.consignment.models import Consignor, ConsignorPayout
from showroom.extensions import db
from showroom.printjobs.models import PrintJob


@pytest.fixture
def li(app):
    with app.app_context():
        c = M.consignor(debt=50_000)
        p = M.consigned(c, qty=5, name="古法银镯")
        M.sell(factories.customer(name="赵老板").id, [(p, 2)])
        factories.product(wholesale=3_000, stock=1)  # ours, low: on the reorder list
        db.session.commit()
        return {"id": c.id, "code": c.code, "product": p.code, "phone": c.customer.phone}


def _token(page: str) -> str:
    found = (re.search(r'name="token"[^>]*value="([0-9a-f-]{36})"', page)
             or re.search(r'value="([0-9a-f-]{36})"[^>]*name="token"', page))
    assert found, page
    return found.group(1)


def _payouts(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ConsignorPayout))


@pytest.mark.parametrize("role", ["cashier", "clerk", "reception", "packer"])
def test_managers_only(client, login_as, li, role):
    login_as(role)
    base = f"/consignment/consignors/{li['id']}"
    for url in (f"{base}/statement", f"{base}/statement.pdf", f"{base}/payout",
                "/consignment/aged", "/reports/stock"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"{base}/payout", data={"amount": "1", "method": "cash"}).status_code == 403


def test_statement_screen_pdf_print_and_text(app, client, login_as, li):
    login_as("manager")
    url = f"/consignment/consignors/{li['id']}/statement"
    page = client.get(url).get_data(as_text=True)
    assert li["product"] in page and "¥320.00" in page
    text = re.search(r'<textarea id="statement-text"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert "已售 2 件" in text and li["phone"] not in text
    pdf = client.get(f"{url}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert "filename*=UTF-8''" in pdf.headers["Content-Disposition"]
    r = client.post(f"{url}/print", data={"from": "2026-01-01", "to": "2026-12-31"})
    assert r.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PrintJob).where(
            PrintJob.document == "consignor_statement")) == 1
    bad = client.get(f"{url}?from=2026-02-30&to=2026-03-01")
    assert bad.status_code == 422 and 'data-error-for="from"' in bad.get_data(as_text=True)
    assert client.get("/consignment/consignors/999/statement").status_code == 404


def test_payout_once_per_token(app, client, login_as, li):
    login_as("manager")
    url = f"/consignment/consignors/{li['id']}/payout"
    token = _token(client.get(url).get_data(as_text=True))
    form = {"token": token, "method": "offset", "amount": "１００．００", "note": "抵部分欠款"}
    first = client.post(url, data=form)
    assert first.status_code == 303
    again = client.post(url, data=form)  # a double tap: replayed, nothing paid twice
    assert again.status_code == 303
    assert _payouts(app) == 1
    page = client.get(url).get_data(as_text=True)
    assert "¥220.00" in page
    with app.app_context():
        assert db.session.get(Consignor, li["id"]).balance == 22_000
        job = db.session.scalar(select(PrintJob).where(PrintJob.document == "consignor_payout"))
        assert job is not None


@pytest.mark.parametrize("amount, method, field", [
    ("0", "cash", "amount"), ("-5", "cash", "amount"), ("1.234", "cash", "amount"),
    ("abc", "cash", "amount"), ("", "cash", "amount"), ("10", "cheque", "method"),
])
def test_bad_payout_forms_write_nothing(app, client, login_as, li, amount, method, field):
    login_as("manager")
    url = f"/consignment/consignors/{li['id']}/payout"
    token = _token(client.get(url).get_data(as_text=True))
    r = client.post(url, data={"token": token, "method": method, "amount": amount})
    assert r.status_code == 422
    assert f'data-error-for="{field}"' in r.get_data(as_text=True)
    assert _payouts(app) == 0


@pytest.mark.parametrize("amount, method, rule_word", [
    ("320.01", "cash", "320.00"), ("500.01", "offset", "500.00")])
def test_payout_rules_on_screen(app, client, login_as, li, amount, method, rule_word):
    login_as("manager")
    url = f"/consignment/consignors/{li['id']}/payout"
    if method == "offset":  # make the payable large so the debt is the limit
        with app.app_context():
            from showroom.consignment.ledger import adjust

            adjust(li["id"], 100_000, note="补记", staff_id=None)
            db.session.commit()
    token = _token(client.get(url).get_data(as_text=True))
    r = client.post(url, data={"token": token, "method": method, "amount": amount})
    assert r.status_code == 409
    assert rule_word in r.get_data(as_text=True)
    assert _payouts(app) == 0


def test_aged_and_stock_screens(app, client, login_as, li):
    from datetime import timedelta

    from showroom.catalog.models import Product
    from showroom.clock import now_utc

    with app.app_context():
        p = db.session.scalar(select(Product).where(Product.code == li["product"]))
        p.created_at = now_utc() - timedelta(days=100)
        db.session.commit()
    login_as("manager")
    aged = client.get("/consignment/aged").get_data(as_text=True)
    assert f'data-product="{li["product"]}"' in aged
    assert li["product"] in client.get(f"/consignment/aged?consignor={li['id']}").get_data(
        as_text=True)
    stock = client.get("/reports/stock").get_data(as_text=True)
    assert li["product"] not in stock  # consigned: never on our reorder list
    assert re.search(r'data-figure="consigned-pieces">[^<]*3', stock)
    assert 'data-reorder="' in stock
    hub = client.get("/catalog/").get_data(as_text=True)
    assert "/reports/stock" in hub and "/consignment/aged" in hub


def test_money_panel_on_the_consignor_page_for_managers_only(app, client, login_as, li):
    login_as("reception")
    page = client.get(f"/consignment/consignors/{li['id']}")
    assert page.status_code == 200
    assert 'id="consignor-money"' not in page.get_data(as_text=True)
    login_as("manager")
    html = client.get(f"/consignment/consignors/{li['id']}").get_data(as_text=True)
    panel = html[html.index('id="consignor-money"'):]
    assert "¥320.00" in panel
    assert f"/consignment/consignors/{li['id']}/statement" in panel
    assert f"/consignment/consignors/{li['id']}/payout" in panel
