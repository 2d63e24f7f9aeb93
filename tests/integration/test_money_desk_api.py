"""The money desk through the API: payments on account (exactly once), refunds of credit
with a manager's PIN, credit limits on settle, reversal rules, debt ageing; bad input of
every kind is a clear 4xx and writes nothing."""
from __future__ import annotations

import factories
import pytest
from api_support import API, assert_problem, snapshot
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
    """K-customer owing 8,530.00."""
    with app.app_context():
        c = factories.customer(name="周老板")
        post_entry(c.id, "sale", 853_000, ref="XS-OLD")
        db.session.commit()
        return c.id


@pytest.fixture
def credit(app):
    """A customer holding 500.00 of credit."""
    with app.app_context():
        c = factories.customer(name="吴姐")
        post_entry(c.id, "payment", -50_000, ref="PREPAY")
        db.session.commit()
        return c.id


@pytest.fixture
def manager(make_staff):
    return make_staff("manager", staff_no="7001", name="张经理")


def test_cash_payment_on_account(app, client, api_headers, owing):
    h = api_headers("cashier", station="cashier-2") | {"Idempotency-Key": "pay-1"}
    resp = client.post(f"{API}/customers/{owing}/payments", headers=h,
                       json={"method": "cash", "amount": "5000.00", "tendered": "5100.00"})
    assert resp.status_code == 201, resp.get_data(as_text=True)
    body = resp.get_json()
    assert {k: body[k] for k in ("amount", "tendered", "change", "balance_before",
                                 "balance_after")} == {
        "amount": "5000.00", "tendered": "5100.00", "change": "100.00",
        "balance_before": "8530.00", "balance_after": "3530.00"}
    assert body["number"].startswith("SK-")
    again = client.post(f"{API}/customers/{owing}/payments", headers=h,
                        json={"method": "cash", "amount": "5000.00", "tendered": "5100.00"})
    assert again.get_json() == body and again.headers["Idempotent-Replayed"] == "true"
    with app.app_context():
        entries = db.session.scalars(select(LedgerEntry).where(
            LedgerEntry.customer_id == owing, LedgerEntry.kind == "payment")).all()
        assert [(e.amount, e.ref) for e in entries] == [(-500_000, body["number"])]
        job = db.session.scalars(select(PrintJob).where(PrintJob.ref == body["number"])).one()
        assert (job.document, job.station) == ("desk_receipt", "cashier-2")
        assert "138****" in job.payload and '"balance_after": "3530.00"' in job.payload


def test_transfer_with_reference_more_than_the_debt_leaves_credit(app, client, api_headers,
                                                                  owing):
    h = api_headers("cashier")
    resp = client.post(f"{API}/customers/{owing}/payments", headers=h,
                       json={"method": "bank_transfer", "amount": "９０００",
                             "reference": "工行 8812", "note": "汇款到账"})
    assert resp.status_code == 201, resp.get_data(as_text=True)
    assert resp.get_json()["balance_after"] == "-470.00"
    with app.app_context():
        p = db.session.scalars(select(DeskPayment)).one()
        assert (p.reference, p.tendered, p.change, p.amount) == ("工行 8812", None, 0, 900_000)


@pytest.mark.parametrize(("body", "field"), [
    ({"method": "cash", "amount": "0"}, "amount"),
    ({"method": "cash", "amount": "0.00"}, "amount"),
    ({"method": "cash", "amount": "-5.00"}, "amount"),
    ({"method": "cash", "amount": "1.005"}, "amount"),
    ({"method": "cash", "amount": 100}, "amount"),
    ({"method": "cash", "amount": "100.00", "tendered": "50.00"}, "tendered"),
    ({"method": "wechat", "amount": "100.00", "tendered": "200.00"}, "tendered"),
    ({"method": "alipay", "amount": "100.00", "reference": "ab\u0007c"}, "reference"),
    ({"method": "cheque", "amount": "100.00"}, "method"),
    ({"amount": "100.00"}, "method"),
])
def test_bad_payments_are_422_and_write_nothing(app, client, api_headers, owing, body, field):
    h = api_headers("cashier")
    before = snapshot(app)
    problem = assert_problem(client.post(f"{API}/customers/{owing}/payments", headers=h,
                                         json=body), 422, field)
    assert problem["detail"]
    assert snapshot(app) == before


def test_unknown_customer_and_roles(app, client, api_headers, owing):
    h = api_headers("cashier")
    assert_problem(client.post(f"{API}/customers/999999/payments", headers=h,
                               json={"method": "cash", "amount": "1.00"}), 404)
    clerk = api_headers("clerk")
    assert_problem(client.post(f"{API}/customers/{owing}/payments", headers=clerk,
                               json={"method": "cash", "amount": "1.00"}), 403)


def _refund(client, h, cid, manager, amount="300.00", pin=None, **extra):
    body = {"method": "cash", "amount": amount, "reason": "客户要回余款",
            "manager_staff_no": manager["staff_no"], "manager_pin": pin or manager["pin"]}
    return client.post(f"{API}/customers/{cid}/refunds", headers=h, json=body | extra)


def test_refund_of_credit_with_the_managers_pin(app, client, api_headers, credit, manager):
    h = api_headers("cashier")
    resp = _refund(client, h, credit, manager)
    assert resp.status_code == 201, resp.get_data(as_text=True)
    body = resp.get_json()
    assert (body["balance_before"], body["balance_after"]) == ("-500.00", "-200.00")
    assert body["number"].startswith("TK-")
    with app.app_context():
        r = db.session.scalars(select(CreditRefund)).one()
        assert r.manager.staff_no == "7001" and r.reason == "客户要回余款"
        e = db.session.get(LedgerEntry, r.ledger_entry_id)
        assert (e.kind, e.amount, e.ref) == ("refund", 30_000, r.number)
        assert db.session.scalars(select(PrintJob.document).where(
            PrintJob.ref == r.number)).one() == "refund_slip"


def test_refund_more_than_credit_is_409_credit_held(app, client, api_headers, credit, owing,
                                                    manager):
    h = api_headers("cashier")
    before = snapshot(app)
    body = assert_problem(_refund(client, h, credit, manager, amount="500.01"), 409)
    assert body["rule"] == "credit_held" and len(body["reasons"]) == 2
    assert "¥500.00" in " ".join(body["reasons"])
    body = assert_problem(_refund(client, h, owing, manager, amount="1.00"), 409)
    assert body["rule"] == "credit_held" and "¥8,530.00" in body["reasons"][0]
    assert snapshot(app) == before


def test_refund_wrong_pin_counts_and_non_manager_refused(app, client, api_headers, credit,
                                                         manager, make_staff):
    h = api_headers("cashier")
    before = snapshot(app)["balances"]
    assert_problem(_refund(client, h, credit, manager, pin="999888"), 401)
    with app.app_context():
        tries = db.session.scalars(select(LoginAttempt).where(
            LoginAttempt.staff_no == "7001", LoginAttempt.success.is_(False))).all()
        assert len(tries) == 1 and tries[0].source.startswith("refund:")
    cashier2 = make_staff("cashier", staff_no="7002")
    assert_problem(_refund(client, h, credit, cashier2), 403, "manager_staff_no")
    assert_problem(client.post(f"{API}/customers/{credit}/refunds", headers=h,
                               json={"method": "cash", "amount": "1.00", "reason": "x"}), 422)
    assert snapshot(app)["balances"] == before
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CreditRefund)) == 0


def _settle_world(app, limit):
    with app.app_context():
        c = factories.customer(name="郑老板")
        post_entry(c.id, "sale", 80_000, ref="XS-OLD")
        c.credit_limit = limit
        p = factories.product(wholesale=50_000, stock=10)
        order = factories.order_with_lines(c.id, [(p, 1)])
        db.session.commit()
        return c.id, order.id


def test_credit_limit_put_and_settle_refused_then_overridden(app, client, api_headers, manager):
    cid, oid = _settle_world(app, None)
    mh = api_headers("manager")
    resp = client.put(f"{API}/customers/{cid}/credit-limit", headers=mh, json={"limit": "1000.00"})
    assert resp.status_code == 200 and resp.get_json()["credit_limit"] == "1000.00"
    assert_problem(client.put(f"{API}/customers/{cid}/credit-limit", headers=mh,
                              json={"limit": "-1.00"}), 422, "limit")
    assert_problem(client.put(f"{API}/customers/{cid}/credit-limit",
                              headers=api_headers("cashier"), json={"limit": "1.00"}), 403)
    h = api_headers("cashier")
    pays = {"payments": [{"method": "on_account", "amount": "500.00"}]}
    before = snapshot(app)
    body = assert_problem(client.post(f"{API}/orders/{oid}/settle", headers=h, json=pays), 409)
    assert body["rule"] == "credit_limit"
    text = " ".join(body["reasons"])
    assert "¥800.00" in text and "¥1,000.00" in text and "¥1,300.00" in text and "¥300.00" in text
    assert snapshot(app) == before
    bad = pays | {"override": {"manager_staff_no": "7001", "manager_pin": "000000",
                               "reason": "老客户"}}
    assert_problem(client.post(f"{API}/orders/{oid}/settle", headers=h, json=bad), 401)
    ok = pays | {"override": {"manager_staff_no": "7001", "manager_pin": manager["pin"],
                              "reason": "老客户，月底结清"}}
    resp = client.post(f"{API}/orders/{oid}/settle", headers=h, json=ok)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert resp.get_json()["balance_after"] == "1300.00"
    with app.app_context():
        s = db.session.scalars(select(Settlement).where(Settlement.order_id == oid)).one()
        assert s.credit_override_reason == "老客户，月底结清"
        assert s.credit_override_manager_id == manager["id"]
    resp = client.put(f"{API}/customers/{cid}/credit-limit", headers=mh, json={"limit": None})
    assert resp.get_json()["credit_limit"] is None


def test_within_the_limit_needs_no_override(app, client, api_headers):
    cid, oid = _settle_world(app, 200_000)
    resp = client.post(f"{API}/orders/{oid}/settle", headers=api_headers("cashier"),
                       json={"payments": [{"method": "on_account", "amount": "500.00"}]})
    assert resp.status_code == 200
    with app.app_context():
        s = db.session.scalars(select(Settlement).where(Settlement.order_id == oid)).one()
        assert s.credit_override_manager_id is None


def test_reversals_refuse_sales_and_take_payments(app, client, api_headers, owing):
    mh = api_headers("manager")
    with app.app_context():
        sale = db.session.scalars(select(LedgerEntry.id).where(
            LedgerEntry.customer_id == owing, LedgerEntry.kind == "sale")).one()
    before = snapshot(app)
    body = assert_problem(client.post(f"{API}/customers/{owing}/ledger/{sale}/reverse",
                                      headers=mh, json={"reason": "录错"}), 409)
    assert body["rule"] == "not_reversible" and "return" in " ".join(body["reasons"])
    assert snapshot(app) == before
    paid = client.post(f"{API}/customers/{owing}/payments", headers=api_headers("cashier"),
                       json={"method": "wechat", "amount": "30.00"}).get_json()
    with app.app_context():
        pay_entry = db.session.scalars(select(LedgerEntry.id).where(
            LedgerEntry.ref == paid["number"])).one()
    assert_problem(client.post(f"{API}/customers/{owing}/ledger/{pay_entry}/reverse",
                               headers=mh, json={"reason": ""}), 422)
    resp = client.post(f"{API}/customers/{owing}/ledger/{pay_entry}/reverse", headers=mh,
                       json={"reason": "重复录入"})
    assert resp.status_code == 201
    assert resp.get_json()["ref"] == paid["number"] and resp.get_json()["amount"] == "30.00"
    with app.app_context():
        assert db.session.get(Customer, owing).balance == 853_000


def test_debt_ageing(app, client, api_headers, owing, credit):
    body = client.get(f"{API}/reports/debt-ageing", headers=api_headers("manager")).get_json()
    assert [i["balance"] for i in body["items"]] == ["8530.00"]
    assert body["total"] == "8530.00" and body["days_0_30"] == "8530.00"
    assert client.get(f"{API}/reports/debt-ageing",
                      headers=api_headers("cashier")).status_code == 403


def test_openapi_lists_the_desk(client):
    paths = client.get(f"{API}/openapi.json").get_json()["paths"]
    for p in ("/customers/{customer_id}/payments", "/customers/{customer_id}/refunds",
              "/customers/{customer_id}/credit-limit", "/reports/debt-ageing",
              "/customers/{customer_id}/ledger/{entry_id}/reverse"):
        assert f"/api/v1{p}" in paths
