"""The customer file screen: reception fills member, gender, lunar birthday, interests,
level, owner clerk and contacts; bad input is refused by field with nothing written; a
clerk reads the file with contacts' phones masked and cannot write; the history page lists
visits, orders, payments, remarks and wishes newest first; last contact is shown."""
from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import factories
import pytest
from sqlalchemy import func, select

from showroom.clock import set_now
from showroom.customers.models import Customer, CustomerContact
from showroom.extensions import db
from showroom.picking.models import Remark, Wish
from showroom.reception.services import start_visit


@pytest.fixture
def cust(app: Any) -> dict[str, Any]:
    with app.app_context():
        c = factories.customer(name="林小姐")
        clerk = factories.staff("clerk", staff_no="7701", name="跟单小陈")
        db.session.commit()
        return {"id": c.id, "clerk_no": clerk.staff_no, "clerk_id": clerk.id}


GOOD = {"member": "y", "gender": "f", "birthday": "08-15", "birthday_lunar": "y",
        "interests": "喜欢玉镯\n爱喝普洱", "level": "A", "owner_staff_no": "7701"}


def _file(app: Any, cid: int) -> Customer:
    with app.app_context():
        c = db.session.get(Customer, cid)
        db.session.expunge(c)
        return c


def test_reception_fills_the_file(app, client, login_as, cust):
    login_as("reception")
    page = client.get(f"/customers/{cust['id']}/file")
    assert page.status_code == 200 and "跟单小陈" in page.get_data(as_text=True)
    resp = client.post(f"/customers/{cust['id']}/file", data=GOOD)
    assert resp.status_code == 303
    c = _file(app, cust["id"])
    assert (c.member, c.gender, c.birthday, c.birthday_lunar, c.level, c.owner_id) == (
        True, "f", date(1904, 8, 15), True, "A", cust["clerk_id"])
    assert c.interests == "喜欢玉镯\n爱喝普洱"
    page = client.get(f"/customers/{cust['id']}/file").get_data(as_text=True)
    assert "农历8月15日" in page  # the lunar birthday as text


@pytest.mark.parametrize("field,value", [
    ("birthday", "2023-02-30"), ("birthday", "13-01"), ("birthday", "abc"),
    ("birthday", "1800-01-01"), ("level", "D"), ("gender", "x"),
    ("owner_staff_no", "nobody"), ("interests", "坏\u202e字"), ("interests", "长" * 501)])
def test_bad_input_writes_nothing(app, client, login_as, cust, field, value):
    login_as("reception")
    resp = client.post(f"/customers/{cust['id']}/file", data=GOOD | {field: value})
    assert resp.status_code == 422
    assert f'data-error-for="{field}"' in resp.get_data(as_text=True) or field in (
        "level", "gender", "owner_staff_no")
    c = _file(app, cust["id"])
    assert (c.member, c.level, c.birthday, c.interests) == (False, "", None, "")


def test_lunar_day_30_of_a_short_month_is_refused_with_a_message(app, client, login_as, cust):
    login_as("reception")
    resp = client.post(f"/customers/{cust['id']}/file",
                       data=GOOD | {"birthday": "02-30", "birthday_lunar": "y"})
    assert resp.status_code == 422


def test_contacts_add_edit_remove_and_bad_input(app, client, login_as, cust):
    login_as("reception")
    url = f"/customers/{cust['id']}/contacts"
    assert client.post(url, data={"name": "", "phone": "123"}).status_code == 422
    assert client.post(url, data={"name": "店员\x00", "phone": ""}).status_code == 422
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CustomerContact)) == 0
    assert client.post(url, data={"name": "阿芳", "phone": "139 1234 5678", "wechat": "afang88",
                                  "role": "店员", "note": "周末在店"}).status_code == 303
    with app.app_context():
        contact = db.session.scalars(select(CustomerContact)).one()
        assert (contact.phone, contact.wechat) == ("13912345678", "afang88")
        cid = contact.id
    assert client.post(f"{url}/{cid}", data={"name": "阿芳", "phone": "bad"}).status_code == 422
    assert client.post(f"{url}/{cid}", data={"name": "阿芳姐", "phone": ""}).status_code == 303
    with app.app_context():
        assert db.session.get(CustomerContact, cid).name == "阿芳姐"
    assert client.post(f"{url}/{cid}/remove").status_code == 303
    with app.app_context():
        assert db.session.get(CustomerContact, cid) is None
    other = _other_customer(app)
    assert client.post(f"/customers/{other}/contacts/{cid}/remove").status_code == 404


def _other_customer(app: Any) -> int:
    with app.app_context():
        c = factories.customer()
        db.session.commit()
        return c.id


def test_a_clerk_reads_the_file_masked_and_cannot_write(app, client, login_as, cust):
    with app.app_context():
        db.session.add(CustomerContact(customer_id=cust["id"], name="阿芳", phone="13912345678"))
        db.session.commit()
    login_as("clerk")
    page = client.get(f"/customers/{cust['id']}/file").get_data(as_text=True)
    assert "阿芳" in page and "139****5678" in page and "13912345678" not in page
    assert client.post(f"/customers/{cust['id']}/file", data=GOOD).status_code == 403
    assert client.post(f"/customers/{cust['id']}/contacts",
                       data={"name": "x"}).status_code == 403
    assert _file(app, cust["id"]).level == ""


def test_packer_sees_no_file(client, login_as, cust):
    login_as("packer")
    assert client.get(f"/customers/{cust['id']}/file").status_code == 403
    assert client.get(f"/customers/{cust['id']}/history").status_code == 403


def test_history_lists_everything_newest_first(app, client, login_as, cust):
    with app.app_context():
        set_now(datetime(2026, 11, 2, 2, 0, tzinfo=UTC))
        start_visit(cust["id"])
        set_now(datetime(2026, 11, 3, 2, 0, tzinfo=UTC))
        order = factories.settled_order(cust["id"], [(factories.product(), 2)])
        set_now(datetime(2026, 11, 4, 2, 0, tzinfo=UTC))
        db.session.add(Remark(customer_id=cust["id"], kind="suggestion", text="希望多些新款"))
        db.session.add(Wish(customer_id=cust["id"], description="红绳手链", qty=3))
        db.session.commit()
        number = order.number
        set_now(None)
    login_as("cashier")
    page = client.get(f"/customers/{cust['id']}/history").get_data(as_text=True)
    assert "希望多些新款" in page and "红绳手链" in page and number in page
    assert page.index("希望多些新款") < page.index(number)
    kinds = [chunk.split('"')[0] for chunk in page.split('data-kind="')[1:]]
    assert kinds[-1] == "visit" and "order" in kinds and "payment" in kinds
    last = page.split('id="last-contact"')[1][:200]
    assert "2026-11-03 10:00" in last  # the settled order and its payment; remarks are not
    assert f'href="/cashier/orders/{order.id}"' in page


def test_history_caps_each_kind_and_offers_more(app, client, login_as, cust):
    with app.app_context():
        for i in range(27):
            db.session.add(Remark(customer_id=cust["id"], kind="opinion", text=f"意见{i}"))
        db.session.commit()
    login_as("reception")
    page = client.get(f"/customers/{cust['id']}/history").get_data(as_text=True)
    assert page.count('data-kind="remark"') == 25 and 'id="history-more"' in page
    page = client.get(f"/customers/{cust['id']}/history?more=1").get_data(as_text=True)
    assert page.count('data-kind="remark"') == 27 and 'id="history-more"' not in page
