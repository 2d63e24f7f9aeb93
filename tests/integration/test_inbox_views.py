"""The manager's inbox: new remarks, wishes and escalated inquiries, newest first; a
manager marks each handled (when, by whom) once — a second mark is refused, nothing
changes; other roles are kept out; the back office tile counts what is open."""
from __future__ import annotations

from typing import Any

import factories
import pytest

from showroom.extensions import db
from showroom.inbox.services import inbox, mark_handled, open_counts
from showroom.picking.models import Remark, Wish
from showroom.reception.models import Inquiry
from showroom.reception.services import log_inquiry


@pytest.fixture
def items(app: Any) -> dict[str, int]:
    with app.app_context():
        c = factories.customer(name="郑老板")
        r = Remark(customer_id=c.id, kind="complaint", text="包装太简陋")
        w = Wish(customer_id=c.id, description="珍珠耳钉", qty=5)
        db.session.add_all([r, w])
        esc = log_inquiry(channel="phone", caller_name="孙女士", region="杭州",
                          phone="13711112222", question="能否寄样品", reason="",
                          staff_id=None, escalated=True)
        log_inquiry(channel="phone", caller_name="普通来电", region="", phone="13711113333",
                    question="营业时间", reason="", staff_id=None)
        db.session.commit()
        return {"remark": r.id, "wish": w.id, "inquiry": esc.id}


def test_services_list_and_mark(app, ctx, items):
    assert open_counts() == {"remark": 1, "wish": 1, "inquiry": 1}
    box = inbox()
    assert [i.caller_name for i in box.inquiries] == ["孙女士"]  # not the plain inquiry
    staff = factories.staff("manager")
    mark_handled("remark", items["remark"], staff_id=staff.id)
    assert open_counts()["remark"] == 0
    assert [r.id for r in inbox(handled=True).remarks] == [items["remark"]]
    from showroom.errors import Conflict, NotFound, ValidationFailed
    with pytest.raises(Conflict):
        mark_handled("remark", items["remark"], staff_id=staff.id)
    with pytest.raises(ValidationFailed):
        mark_handled("order", 1, staff_id=staff.id)
    plain = db.session.query(Inquiry).filter_by(caller_name="普通来电").one()
    with pytest.raises(NotFound):
        mark_handled("inquiry", plain.id, staff_id=staff.id)


def test_a_manager_sees_and_handles(app, client, login_as, items):
    boss = login_as("manager")
    page = client.get("/inbox/").get_data(as_text=True)
    assert "包装太简陋" in page and "珍珠耳钉" in page and "能否寄样品" in page
    assert "营业时间" not in page
    tile = client.get("/catalog/").get_data(as_text=True)
    assert 'id="tile-inbox"' in tile and ">3<" in tile.split('id="tile-inbox"')[1][:300]
    for kind in ("remark", "wish", "inquiry"):
        resp = client.post(f"/inbox/{kind}/{items[kind]}/handled")
        assert resp.status_code == 303
    with app.app_context():
        r = db.session.get(Remark, items["remark"])
        assert r.handled_at is not None and r.handled_by_id == boss["id"]
        assert db.session.get(Wish, items["wish"]).handled_by_id == boss["id"]
        first = db.session.get(Inquiry, items["inquiry"]).handled_at
    page = client.get("/inbox/").get_data(as_text=True)
    assert "包装太简陋" not in page
    assert "包装太简陋" in client.get("/inbox/?handled=1").get_data(as_text=True)
    client.post(f"/inbox/inquiry/{items['inquiry']}/handled")  # twice: refused, unchanged
    with app.app_context():
        assert db.session.get(Inquiry, items["inquiry"]).handled_at == first
    assert client.post("/inbox/remark/99999/handled").status_code == 404
    assert client.post("/inbox/nonsense/1/handled").status_code == 422


@pytest.mark.parametrize("role", ["reception", "clerk", "cashier", "packer", "shipper"])
def test_other_roles_are_kept_out(client, login_as, items, role):
    login_as(role)
    assert client.get("/inbox/").status_code == 403
    assert client.post(f"/inbox/remark/{items['remark']}/handled").status_code == 403
