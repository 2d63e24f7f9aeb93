"""The cashier's returns screen through the test client: scan → candidate lines oldest first
with their packing ticks, check (the verdict, nothing written), confirm once by the form
token, a refusal shown with its rule and overridden by a manager's PIN (a wrong PIN is
counted), bad input → 422 with nothing written, roles, and the manager's contract form."""
from __future__ import annotations

import re

import aftersales_support as S
import factories
import pytest
from api_support import snapshot
from sqlalchemy import func, select

from showroom.aftersales.models import AfterSalesDoc, FranchiseContract
from showroom.auth.models import LoginAttempt
from showroom.extensions import db

MGR, PIN = "1001", "135790"


@pytest.fixture
def shop(app):
    with app.app_context():
        factories.staff("manager", staff_no=MGR, pin=PIN)
        packer = factories.staff("packer", name="张装箱")
        c = factories.customer(name="远方批发")
        f = factories.customer(name="加盟店", kind="franchise")
        p = factories.product(code="SL-0001", barcode="6900000000011", wholesale=12_000,
                              stock=20)
        factories.product(code="SL-0002", barcode="6900000000028", wholesale=13_500, stock=5)
        old = S.sold(c.id, [(p, 2)], how="shipped", days_ago=30, packer_id=packer.id)
        new = S.sold(c.id, [(p, 1)], how="shipped", days_ago=3)
        picked = S.sold(c.id, [(p, 1)], how="self_pickup")
        db.session.commit()
        return {"c": c.id, "f": f.id, "old": S.line_of(old, p).id, "new": S.line_of(new, p).id,
                "picked": S.line_of(picked, p).id, "old_no": old.number, "new_no": new.number}


def _page(client, cid: int, scan: str = "6900000000011") -> str:
    r = client.get(f"/cashier/returns/customers/{cid}?scan={scan}")
    assert r.status_code == 200
    return r.get_data(as_text=True)


def _token(page: str) -> str:
    found = re.search(r'name="token" type="hidden" value="([0-9a-f-]{36})"', page) or \
        re.search(r'value="([0-9a-f-]{36})"[^>]*name="token"', page)
    assert found, "no token"
    return found.group(1)


def _form(shop, page: str, **extra):  # type: ignore[no-untyped-def]
    return {"token": _token(page), "scan": "6900000000011", f"qty-{shop['old']}": "1",
            "kind": "exchange", "reason": "goods_differ", "replacements": "6900000000028\n",
            "action": "check"} | extra


def test_scan_shows_lines_oldest_first_with_ticks(client, login_as, shop):
    login_as("cashier")
    page = _page(client, shop["c"])
    assert page.index(shop["old_no"]) < page.index(shop["new_no"])
    assert f'data-ticks-for="{shop["old"]}"' in page and "张装箱" in page
    assert 'data-delivery="self_pickup"' in page
    assert "/cashier/desk/customers/" in page  # the refund in money is the money desk's
    missing = _page(client, shop["c"], scan="NOPE")
    assert "NOPE" in missing and 'id="candidates"' not in missing


def test_check_then_confirm_once(app, client, login_as, shop):
    login_as("cashier")
    page = _page(client, shop["c"])
    before = snapshot(app)
    r = client.post(f"/cashier/returns/customers/{shop['c']}", data=_form(shop, page))
    assert r.status_code == 200
    checked = r.get_data(as_text=True)
    assert 'data-rule="remote_exchange"' in checked and 'data-allowed="true"' in checked
    assert 'id="confirm-button"' in checked
    assert snapshot(app) == before
    form = _form(shop, checked, action="confirm")
    first = client.post(f"/cashier/returns/customers/{shop['c']}", data=form)
    assert first.status_code == 303
    again = client.post(f"/cashier/returns/customers/{shop['c']}", data=form)
    assert again.status_code == 303 and again.headers["Location"] == first.headers["Location"]
    doc_page = client.get(first.headers["Location"]).get_data(as_text=True)
    assert "HH-" in doc_page and 'id="slip-job"' in doc_page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AfterSalesDoc)) == 1


def test_refusal_shows_rule_then_manager_overrides(app, client, login_as, shop):
    login_as("cashier")
    page = _page(client, shop["c"])
    form = _form(shop, page, **{f"qty-{shop['old']}": "", f"qty-{shop['picked']}": "1",
                                "kind": "return", "reason": "quality",
                                "quality_confirmed": "y", "replacements": ""})
    r = client.post(f"/cashier/returns/customers/{shop['c']}", data=form)
    checked = r.get_data(as_text=True)
    assert 'data-rule="wholesale_self_pickup"' in checked and 'id="override"' in checked
    confirm = form | {"token": _token(checked), "action": "confirm"}
    refused = client.post(f"/cashier/returns/customers/{shop['c']}", data=confirm)
    assert refused.status_code == 409
    wrong = confirm | {"token": _token(refused.get_data(as_text=True)),
                       "manager_staff_no": MGR, "manager_pin": "000000",
                       "override_reason": "老客户"}
    retry = client.post(f"/cashier/returns/customers/{shop['c']}", data=wrong)
    assert retry.status_code == 401
    assert 'id="override"' in retry.get_data(as_text=True)  # the manager may type it again
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LoginAttempt).where(
            LoginAttempt.staff_no == MGR, LoginAttempt.success.is_(False))) == 1
        assert db.session.scalar(select(func.count()).select_from(AfterSalesDoc)) == 0
    page = _page(client, shop["c"])
    ok = confirm | {"token": _token(page), "manager_staff_no": MGR, "manager_pin": PIN,
                    "override_reason": "老客户，特批"}
    done = client.post(f"/cashier/returns/customers/{shop['c']}", data=ok)
    assert done.status_code == 303
    doc_page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert 'id="override-note"' in doc_page and "老客户，特批" in doc_page


@pytest.mark.parametrize("change", [
    {"kind": "refund"}, {"reason": "whatever"}, {"qty-1": "", "qty-2": "", "qty-3": "",
                                                "qty-4": "", "qty-5": ""},
    {"QTY": "x"}, {"replacements": ""}, {"note": "x" * 201}, {"note": "a\u202eb"},
])
def test_bad_input_refused_nothing_written(app, client, login_as, shop, change):
    login_as("cashier")
    page = _page(client, shop["c"])
    form = _form(shop, page, action="confirm") | change
    if "qty-1" in change:
        form = {k: v for k, v in form.items() if not k.startswith("qty-")}
    if "QTY" in change:
        form[f"qty-{shop['old']}"] = "x"
    before = snapshot(app)
    r = client.post(f"/cashier/returns/customers/{shop['c']}", data=form)
    assert r.status_code == 422, r.status_code
    assert 'class="flash error"' in r.get_data(as_text=True)
    assert snapshot(app) == before


def test_roles(client, login_as, shop):
    login_as("clerk")
    assert client.get("/cashier/returns/").status_code == 403
    assert client.get(f"/cashier/returns/customers/{shop['c']}").status_code == 403
    assert client.post(f"/cashier/returns/customers/{shop['c']}", data={}).status_code == 403
    assert client.post(f"/cashier/returns/customers/{shop['f']}/contract",
                       data={}).status_code == 403


def test_manager_contract_form_and_quota_meter(app, client, login_as, shop):
    login_as("manager")
    page = client.get(f"/customers/{shop['f']}").get_data(as_text=True)
    assert 'id="contract-form"' in page
    r = client.post(f"/cashier/returns/customers/{shop['f']}/contract",
                    data={"starts_on": "2026-01-01", "ends_on": "2027-12-31",
                          "return_ratio": "0.10"})
    assert r.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(FranchiseContract.ratio_bp)) == 1000
    bad = client.post(f"/cashier/returns/customers/{shop['f']}/contract",
                      data={"starts_on": "2026-01-01", "ends_on": "2027-12-31",
                            "return_ratio": "10%"})
    assert bad.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(FranchiseContract.ratio_bp)) == 1000
    meter = client.get(f"/cashier/returns/customers/{shop['f']}").get_data(as_text=True)
    assert 'id="quota-meter"' in meter and "0.10" in meter
