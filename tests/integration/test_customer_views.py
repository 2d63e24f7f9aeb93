"""Customer screens through the test client: search, register, file edits, ledger visibility."""
from __future__ import annotations

import factories
import pytest
from sqlalchemy import func, select

from showroom.customers.models import Customer, LedgerEntry
from showroom.customers.services import post_entry
from showroom.extensions import db


@pytest.fixture
def cust(app):
    with app.app_context():
        c = factories.customer(name="李四", phone="13912345678")
        post_entry(c.id, "sale", 39_150, ref="XS-1")
        post_entry(c.id, "payment", -30_000, ref="XS-1", note="cash")
        db.session.commit()
        return {"id": c.id, "code": c.code}


@pytest.mark.parametrize("q", ["李", "13912345678", None])  # a clerk: the whole number only
def test_search_by_name_phone_or_code(client, login_as, cust, q):
    login_as("clerk")
    page = client.get("/customers/", query_string={"q": q or cust["code"]}).get_data(as_text=True)
    assert "李四" in page


def test_phone_masked_and_ledger_hidden_from_a_clerk(client, login_as, cust):
    login_as("clerk")
    search = client.get("/customers/?q=李四").get_data(as_text=True)
    assert "139****5678" in search and "13912345678" not in search
    page = client.get(f"/customers/{cust['id']}").get_data(as_text=True)
    assert "139****5678" in page and "13912345678" not in page
    assert 'id="ledger"' not in page and "¥91.50" not in page
    assert 'action="/customers/register"' not in search  # no registration form either
    resp = client.post(f"/customers/{cust['id']}", data={"name": "X", "phone": "13900000000",
                                                          "kind": "wholesale"})
    assert resp.status_code == 403


def test_reception_sees_phone_but_not_ledger(client, login_as, cust):
    login_as("reception")
    page = client.get(f"/customers/{cust['id']}").get_data(as_text=True)
    assert "13912345678" in page and 'id="ledger"' not in page


def test_cashier_sees_ledger_with_running_balance(client, login_as, cust):
    login_as("cashier")
    page = client.get(f"/customers/{cust['id']}").get_data(as_text=True)
    assert 'id="ledger"' in page and "¥91.50" in page and "+¥391.50" in page
    assert "-¥300.00" in page and "XS-1" in page
    assert "Post reversal" not in page  # only a manager reverses


def test_register_then_edit_the_file(app, client, login_as):
    login_as("reception")
    resp = client.post("/customers/register",
                       data={"name": "王五", "phone": "13700000000", "kind": "franchise"})
    assert resp.status_code == 303
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "王五" in page and "档案不全" in page
    with app.app_context():
        c = db.session.execute(select(Customer).where(Customer.name == "王五")).scalar_one()
        cid = c.id
    resp = client.post(f"/customers/{cid}", data={"name": "王五", "phone": "13700000000",
                                                   "kind": "franchise", "address": "义乌1号",
                                                   "region": "浙江"})
    assert resp.status_code == 303
    with app.app_context():
        c = db.session.get(Customer, cid)
        assert (c.address, c.region, c.file_complete) == ("义乌1号", "浙江", True)


@pytest.mark.parametrize("data", [
    {"name": "", "phone": "13700000000", "kind": "wholesale"},
    {"name": "赵六", "phone": "abc", "kind": "wholesale"},
    {"name": "赵六", "phone": "13700000000", "kind": "retail"},
])
def test_register_refuses_bad_input(app, client, login_as, data):
    login_as("cashier")
    resp = client.post("/customers/register", data=data)
    assert resp.status_code == 422
    assert 'class="flash error"' in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Customer)) == 0


def test_manager_reverses_an_entry_with_a_reason(app, client, login_as, cust):
    login_as("manager")
    with app.app_context():
        payment = db.session.execute(
            select(LedgerEntry).where(LedgerEntry.kind == "payment")).scalar_one()
        pid = payment.id
    url = f"/customers/{cust['id']}/ledger/{pid}/reverse"
    assert client.post(url, data={"reason": ""}).status_code == 422
    resp = client.post(url, data={"reason": "entered twice"})
    assert resp.status_code == 303
    assert client.post(url, data={"reason": "again"}).status_code == 409
    with app.app_context():
        rev = db.session.execute(
            select(LedgerEntry).where(LedgerEntry.kind == "reversal")).scalar_one()
        assert (rev.amount, rev.balance_after, rev.note) == (30_000, 39_150, "entered twice")
        assert db.session.get(Customer, cust["id"]).balance == 39_150
    page = client.get(f"/customers/{cust['id']}").get_data(as_text=True)
    assert '<span class="badge">已冲正</span>' in page and "entered twice" in page


def test_cashier_cannot_reverse(client, login_as, cust):
    login_as("cashier")
    assert client.post(f"/customers/{cust['id']}/ledger/1/reverse",
                       data={"reason": "x"}).status_code == 403
