"""Inquiries keep their history: called-back ones stay listed; search by caller name or
phone (a prefix only for roles that may see phones, the whole number otherwise); urgency
A/B/C recorded; escalated later into the manager's inbox (once); an inquiry becomes a
customer file, prefilled and linked; bad input writes nothing."""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from showroom.customers.models import Customer
from showroom.extensions import db
from showroom.inbox.services import open_counts
from showroom.reception.inquiry_history import search_inquiries
from showroom.reception.models import Inquiry
from showroom.reception.services import log_inquiry, mark_called_back

PHONE = "13912345678"


@pytest.fixture
def inq(app: Any) -> dict[str, int]:
    with app.app_context():
        a = log_inquiry(channel="phone", caller_name="钱女士", region="义乌", phone=PHONE,
                        question="批发价多少", reason="开新店", staff_id=None, urgency="B")
        b = log_inquiry(channel="online", caller_name="赵先生", region="苏州",
                        phone="021-12345678", question="有没有目录", reason="", staff_id=None)
        mark_called_back(a.id, "已报价", None)
        db.session.commit()
        return {"a": a.id, "b": b.id}


def test_search_rules(app, ctx, inq):
    assert [i.caller_name for i in search_inquiries("").items] == ["赵先生", "钱女士"]
    assert [i.id for i in search_inquiries("钱").items] == [inq["a"]]
    assert [i.id for i in search_inquiries("义乌").items] == [inq["a"]]
    assert [i.id for i in search_inquiries("1391234", by_phone=True).items] == [inq["a"]]
    for prefix in ("139", "1391", "13912345", "1391234567"):
        assert search_inquiries(prefix, by_phone=False).items == []
    assert [i.id for i in search_inquiries("139 1234 5678").items] == [inq["a"]]
    assert [i.id for i in search_inquiries("02112345678").items] == [inq["b"]]
    assert search_inquiries("\u202e").items == []
    page = search_inquiries("", per_page=1)
    assert page.more and len(page.items) == 1


def test_called_back_inquiries_stay_listed(client, login_as, inq):
    login_as("reception")
    page = client.get("/reception/inquiries/history").get_data(as_text=True)
    assert "钱女士" in page and "已报价" in page and "赵先生" in page
    page = client.get("/reception/inquiries/history?q=苏州").get_data(as_text=True)
    assert "赵先生" in page and "钱女士" not in page


def test_urgency_and_escalation(app, client, login_as, inq):
    login_as("reception")
    assert client.post(f"/reception/inquiries/{inq['b']}/urgency",
                       data={"urgency": "A"}).status_code == 303
    assert client.post(f"/reception/inquiries/{inq['b']}/urgency",
                       data={"urgency": "Z"}).status_code == 422
    with app.app_context():
        assert db.session.get(Inquiry, inq["b"]).urgency == "A"
        assert open_counts()["inquiry"] == 0
    assert client.post(f"/reception/inquiries/{inq['b']}/escalate").status_code == 303
    assert client.post(f"/reception/inquiries/{inq['b']}/escalate").status_code == 409
    with app.app_context():
        assert open_counts()["inquiry"] == 1
    assert client.post("/reception/inquiries/99999/escalate").status_code == 404


def test_logging_with_a_bad_urgency_writes_nothing(app, ctx):
    from showroom.errors import ValidationFailed
    with pytest.raises(ValidationFailed) as err:
        log_inquiry(channel="phone", caller_name="x", region="", phone=PHONE, question="q",
                    reason="", staff_id=None, urgency="D")
    assert "urgency" in err.value.errors
    assert db.session.scalar(select(func.count()).select_from(Inquiry)) == 0


def test_an_inquiry_becomes_a_customer_file(app, client, login_as, inq):
    login_as("reception")
    page = client.get(f"/reception/inquiries/{inq['a']}/customer").get_data(as_text=True)
    assert 'value="钱女士"' in page and f'value="{PHONE}"' in page
    bad = client.post(f"/reception/inquiries/{inq['a']}/customer",
                      data={"name": "", "phone": PHONE, "kind": "wholesale"})
    assert bad.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Customer)) == 0
    resp = client.post(f"/reception/inquiries/{inq['a']}/customer",
                       data={"name": "钱女士", "phone": PHONE, "kind": "wholesale"})
    assert resp.status_code == 303 and "/file" in resp.headers["Location"]
    with app.app_context():
        c = db.session.scalars(select(Customer)).one()
        assert (c.name, c.region) == ("钱女士", "义乌")
        assert db.session.get(Inquiry, inq["a"]).customer_id == c.id
    again = client.post(f"/reception/inquiries/{inq['a']}/customer",
                        data={"name": "钱女士", "phone": PHONE, "kind": "wholesale"})
    assert again.status_code == 409
    dup = client.post(f"/reception/inquiries/{inq['b']}/customer",
                      data={"name": "赵先生", "phone": PHONE, "kind": "wholesale"})
    assert dup.status_code == 409 and "data-same-phone" in dup.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Customer)) == 1


@pytest.mark.parametrize("role", ["clerk", "cashier", "packer"])
def test_only_reception_and_managers(client, login_as, inq, role):
    login_as(role)
    assert client.get("/reception/inquiries/history").status_code == 403
    assert client.post(f"/reception/inquiries/{inq['a']}/escalate").status_code == 403
