"""The money desk screens through the test client: find a customer, take a payment (唱收唱付,
exactly once by the form token), refund credit with a manager's PIN, set a credit limit,
settle beyond the limit with an override, reversal rules on the customer page, ageing."""
from __future__ import annotations

import re

import factories
import pytest
from api_support import snapshot
from sqlalchemy import func, select

from showroom.auth.models import LoginAttempt
from showroom.customers.models import Customer, LedgerEntry
from showroom.customers.services import post_entry
from showroom.extensions import db
from showroom.money_desk.models import CreditRefund, DeskPayment
from showroom.printjobs.models import PrintJob
from showroom.settlement.models import Settlement


@pytest.fixture
def owing(app):
    with app.app_context():
        c = factories.customer(name="周老板", phone="13912345678")
        post_entry(c.id, "sale", 853_000, ref="XS-OLD")
        db.session.commit()
        return {"id": c.id, "code": c.code}


def _tokens(client, url: str) -> list[str]:
    page = client.get(url).get_data(as_text=True)
    return re.findall(r'name="token"[^>]*value="([0-9a-f-]{36})"', page) or \
        re.findall(r'value="([0-9a-f-]{36})"[^>]*name="token"', page)


def _desk(cid: int) -> str:
    return f"/cashier/desk/customers/{cid}"


def test_find_and_open(client, login_as, owing):
    login_as("cashier")
    page = client.get("/cashier/desk/?q=周老板").get_data(as_text=True)
    assert owing["code"] in page and "13912345678" in page
    page = client.get(_desk(owing["id"])).get_data(as_text=True)
    assert "¥8,530.00" in page and 'id="desk-pay-button"' in page


def test_roles(client, login_as, owing):
    login_as("clerk")
    assert client.get("/cashier/desk/").status_code == 403
    assert client.get(_desk(owing["id"])).status_code == 403
    assert client.get("/cashier/desk/ageing").status_code == 403


def test_cash_payment_says_received_and_change_once(app, client, login_as, owing):
    login_as("cashier")
    token = _tokens(client, _desk(owing["id"]))[0]
    form = {"token": token, "method": "cash", "amount": "5000", "tendered": "５１００"}
    first = client.post(f"{_desk(owing['id'])}/payments", data=form)
    assert first.status_code == 303
    second = client.post(f"{_desk(owing['id'])}/payments", data=form)  # the double tap
    assert second.status_code == 303 and second.location == first.location
    page = client.get(first.location).get_data(as_text=True).replace("\xa0", " ")  # 收您 NBSP
    assert "收您 ¥5,100.00，找您 ¥100.00" in page and "¥3,530.00" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(DeskPayment)) == 1
        assert db.session.get(Customer, owing["id"]).balance == 353_000
        assert db.session.scalar(select(func.count()).select_from(PrintJob)
                                 .where(PrintJob.document == "desk_receipt")) == 1


@pytest.mark.parametrize(("form", "field"), [
    ({"method": "cash", "amount": "0"}, "amount"),
    ({"method": "cash", "amount": "-1"}, "amount"),
    ({"method": "cash", "amount": "1.234"}, "amount"),
    ({"method": "cash", "amount": "100", "tendered": "99"}, "tendered"),
    ({"method": "wechat", "amount": "100", "reference": "a\u0001b"}, "reference"),
    ({"method": "nope", "amount": "100"}, "method"),
])
def test_bad_payment_forms(app, client, login_as, owing, form, field):
    login_as("cashier")
    token = _tokens(client, _desk(owing["id"]))[0]
    before = snapshot(app)
    resp = client.post(f"{_desk(owing['id'])}/payments", data=form | {"token": token})
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert 'class="flash error"' in page
    assert snapshot(app) == before


def test_unknown_customer_is_404(client, login_as):
    login_as("cashier")
    assert client.get(_desk(999999)).status_code == 404
    assert client.post(f"{_desk(999999)}/payments", data={"method": "cash",
                                                          "amount": "1"}).status_code == 404


def test_refund_needs_the_managers_pin(app, client, login_as, make_staff):
    mgr = make_staff("manager", staff_no="7001")
    with app.app_context():
        c = factories.customer(name="吴姐")
        post_entry(c.id, "payment", -50_000, ref="PREPAY")
        db.session.commit()
        cid = c.id
    login_as("cashier")
    url = f"{_desk(cid)}/refunds"
    base = {"method": "cash", "amount": "300", "reason": "客户要回余款"}
    token = _tokens(client, _desk(cid))[1]
    resp = client.post(url, data=base | {"token": token})
    assert resp.status_code == 422 and "主管工号和密码" in resp.get_data(as_text=True)
    resp = client.post(url, data=base | {"token": token, "manager_staff_no": "7001",
                                         "manager_pin": "999888"})
    assert resp.status_code == 401
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LoginAttempt).where(
            LoginAttempt.staff_no == "7001", LoginAttempt.success.is_(False))) == 1
    resp = client.post(url, data=base | {"token": token, "amount": "600",
                                         "manager_staff_no": "7001", "manager_pin": mgr["pin"]})
    assert resp.status_code == 409 and "¥500.00" in resp.get_data(as_text=True)
    resp = client.post(url, data=base | {"token": token, "manager_staff_no": "7001",
                                         "manager_pin": mgr["pin"]})
    assert resp.status_code == 303
    page = client.get(resp.location).get_data(as_text=True)
    assert "TK-" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CreditRefund)) == 1
        assert db.session.get(Customer, cid).balance == -20_000


def test_manager_sets_a_limit_and_settle_shows_it(app, client, login_as, make_staff):
    mgr = make_staff("manager", staff_no="7001")
    with app.app_context():
        c = factories.customer(name="郑老板")
        post_entry(c.id, "sale", 80_000, ref="XS-OLD")
        p = factories.product(wholesale=50_000, stock=10)
        order = factories.order_with_lines(c.id, [(p, 1)])
        db.session.commit()
        cid, oid = c.id, order.id
    login_as("manager")
    assert client.post(f"{_desk(cid)}/credit-limit", data={"limit": "abc"}).status_code == 303
    with app.app_context():
        assert db.session.get(Customer, cid).credit_limit is None
    assert client.post(f"{_desk(cid)}/credit-limit", data={"limit": "1000"}).status_code == 303
    page = client.get(f"/cashier/orders/{oid}").get_data(as_text=True)
    assert 'data-over="yes"' in page and "¥1,300.00" in page and "¥1,000.00" in page
    token = re.search(r'name="token"[^>]*value="([0-9a-f-]{36})"', page)
    token = token.group(1) if token else re.search(
        r'value="([0-9a-f-]{36})"[^>]*name="token"', page).group(1)
    form = {"token": token, "on_account_amount": "500"}
    resp = client.post(f"/cashier/orders/{oid}/settle", data=form)
    assert resp.status_code == 409 and "¥300.00" in resp.get_data(as_text=True)
    resp = client.post(f"/cashier/orders/{oid}/settle", data=form | {
        "manager_staff_no": "7001", "manager_pin": mgr["pin"], "override_reason": "老客户"})
    assert resp.status_code == 303
    with app.app_context():
        s = db.session.scalars(select(Settlement).where(Settlement.order_id == oid)).one()
        assert (s.credit_override_manager_id, s.credit_override_reason) == (mgr["id"], "老客户")


def test_sale_is_not_reversible_on_the_customer_page(app, client, login_as, owing):
    login_as("manager")
    with app.app_context():
        sale = db.session.scalars(select(LedgerEntry.id).where(
            LedgerEntry.customer_id == owing["id"])).one()
    page = client.get(f"/customers/{owing['id']}").get_data(as_text=True)
    assert f"/ledger/{sale}/reverse" not in page
    before = snapshot(app)
    resp = client.post(f"/customers/{owing['id']}/ledger/{sale}/reverse", data={"reason": "x"})
    assert resp.status_code == 409 and "退货" in resp.get_data(as_text=True)
    assert snapshot(app) == before


def test_reversed_payment_shows_on_the_money_page(app, client, login_as, owing):
    login_as("manager")
    token = _tokens(client, _desk(owing["id"]))[0]
    client.post(f"{_desk(owing['id'])}/payments", data={"token": token, "method": "alipay",
                                                         "amount": "100", "reference": "ZFB1"})
    with app.app_context():
        p = db.session.scalars(select(DeskPayment)).one()
        entry_id, number = p.ledger_entry_id, p.number
    resp = client.post(f"/customers/{owing['id']}/ledger/{entry_id}/reverse",
                       data={"reason": "重复"})
    assert resp.status_code == 303
    page = client.get(_desk(owing["id"])).get_data(as_text=True)
    row = re.search(rf'<tr class="reversed" data-number="{number}">', page)
    assert row is not None


def test_ageing_page(client, login_as, owing):
    login_as("manager")
    page = client.get("/cashier/desk/ageing").get_data(as_text=True)
    assert "周老板" in page and 'id="ageing-total">¥8,530.00' in page


def test_manager_sets_the_limit_on_the_customer_page(app, client, login_as, owing):
    """The customer's own page shows the limit to those who see debts, and the manager sets
    it there (back to the same page); a cashier sees it but gets no form."""
    login_as("cashier")
    page = client.get(f"/customers/{owing['id']}").get_data(as_text=True)
    assert 'id="credit-limit"' in page and 'id="limit-form"' not in page
    login_as("manager")
    page = client.get(f"/customers/{owing['id']}").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or \
        re.search(r'name="csrf-token" content="([^"]+)"', page)
    assert csrf and 'id="limit-form"' in page
    resp = client.post(f"/cashier/desk/customers/{owing['id']}/credit-limit",
                       data={"limit": "１０００", "csrf_token": csrf.group(1),
                             "next": f"/customers/{owing['id']}"})
    assert resp.status_code == 303 and resp.headers["Location"].endswith(f"/customers/{owing['id']}")
    with app.app_context():
        assert db.session.get(Customer, owing["id"]).credit_limit == 100_000
    assert "1,000.00" in client.get(f"/customers/{owing['id']}").get_data(as_text=True)
    login_as("clerk")
    assert client.post(f"/cashier/desk/customers/{owing['id']}/credit-limit",
                       data={"limit": "1", "csrf_token": csrf.group(1)}).status_code in (400, 403)
