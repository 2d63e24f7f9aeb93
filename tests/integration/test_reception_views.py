"""Reception screens through the test client: board, new visit (found / new customer),
greet, details, clerk assignment, leaving with the key, inquiries and callbacks, roles."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import factories
import pytest
from sqlalchemy import func, select

from showroom.bizcal import due_after
from showroom.clock import set_now
from showroom.customers.models import Customer
from showroom.extensions import db
from showroom.printjobs.models import PrintJob
from showroom.reception import services as svc
from showroom.reception.models import Inquiry, Visit


def _count(model: type) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.fixture
def customer_id(app):
    with app.app_context():
        c = factories.customer(name="张三", phone="13812345678")
        db.session.commit()
        return c.id


@pytest.fixture
def clerk(make_staff):
    return make_staff("clerk", name="李跟单")


def _visit(app, customer_id, **kw):
    with app.app_context():
        v = svc.start_visit(customer_id, **kw)
        db.session.commit()
        return v.id


def test_board_lists_visits_and_flags_late(app, client, login_as, customer_id):
    login_as("reception")
    with app.app_context():
        other = factories.customer(name="王五").id
        db.session.commit()
    set_now(datetime.now(UTC) - timedelta(minutes=3))
    _visit(app, customer_id)
    set_now(None)
    _visit(app, other)
    page = client.get("/reception/?lang=en").get_data(as_text=True)
    assert "张三" in page and "王五" in page
    assert 'hx-trigger="every 10s"' in page
    assert page.count("Not greeted > 1 min") == 1
    assert 'class="late' in page
    rows = client.get("/reception/board/rows")
    assert rows.status_code == 200 and 'id="board"' in rows.get_data(as_text=True)
    assert "<html" not in rows.get_data(as_text=True)


def test_wait_shown_as_minutes_seconds(app, client, login_as, customer_id):
    login_as("reception")
    start = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
    set_now(start)
    _visit(app, customer_id)
    set_now(start + timedelta(seconds=95))
    page = client.get("/reception/?lang=en").get_data(as_text=True)
    assert "1:35" in page


def test_clerk_gets_403_and_anonymous_redirected(client, login_as):
    assert client.get("/reception/").status_code == 302
    login_as("clerk")
    for url in ("/reception/", "/reception/visits/new", "/reception/inquiries",
                "/reception/board/rows"):
        assert client.get(url).status_code == 403
    assert client.post("/reception/inquiries", data={}).status_code == 403


def test_manager_passes(client, login_as):
    login_as("manager")
    assert client.get("/reception/").status_code == 200


def test_search_and_start_visit_with_locker(app, client, login_as, customer_id):
    login_as("reception")
    page = client.get("/reception/visits/new?q=1381234&lang=en").get_data(as_text=True)
    assert "张三" in page and "138****5678" in page
    page = client.get(f"/reception/visits/new?customer_id={customer_id}&q=张").get_data(
        as_text=True)
    assert 'name="customer_id"' in page
    resp = client.post("/reception/visits/new", data={
        "customer_id": customer_id, "locker_no": "A7", "purpose": "选新款",
        "water_offered": "y", "greeted": "y"})
    assert resp.status_code == 302
    with app.app_context():
        v = db.session.scalars(select(Visit)).one()
        assert (v.locker_no, v.purpose, v.water_offered, v.status) == ("A7", "选新款", True,
                                                                     "greeted")
        job = db.session.scalars(select(PrintJob)).one()
        assert job.document == "locker_ticket" and "A7" in job.payload


def test_register_new_customer_and_start(app, client, login_as):
    login_as("reception")
    resp = client.post("/reception/visits/register", data={
        "name": "赵六", "phone": "13900001111", "kind": "franchise", "locker_no": "",
        "purpose": "", "greeted": "y"})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    with app.app_context():
        c = db.session.scalars(select(Customer)).one()
        assert (c.name, c.kind, c.address) == ("赵六", "franchise", "")
        assert db.session.scalars(select(Visit)).one().customer_id == c.id


def test_register_bad_input_writes_nothing(app, client, login_as):
    login_as("reception")
    resp = client.post("/reception/visits/register?lang=en", data={
        "name": "", "phone": "12", "kind": "retail"})
    assert resp.status_code == 422
    assert "field-error" in resp.get_data(as_text=True)
    with app.app_context():
        assert _count(Customer) == 0 and _count(Visit) == 0


def test_register_same_phone_warns_then_anyway(app, client, login_as, customer_id):
    login_as("reception")
    data = {"name": "张三丰", "phone": "13812345678", "kind": "wholesale"}
    resp = client.post("/reception/visits/register", data=data)
    assert resp.status_code == 409 and "张三" in resp.get_data(as_text=True)
    with app.app_context():
        assert _count(Customer) == 1
    resp = client.post("/reception/visits/register", data=data | {"register_anyway": "y"})
    assert resp.status_code == 302
    with app.app_context():
        assert _count(Customer) == 2


def test_locker_conflict_is_409_and_writes_nothing(app, client, login_as, customer_id):
    login_as("reception")
    with app.app_context():
        other = factories.customer().id
        db.session.commit()
    _visit(app, customer_id, locker_no="9")
    resp = client.post("/reception/visits/new?lang=en",
                       data={"customer_id": other, "locker_no": "9"})
    assert resp.status_code == 409
    assert "still held by another customer" in resp.get_data(as_text=True)
    with app.app_context():
        assert _count(Visit) == 1 and _count(PrintJob) == 1


def test_greet_details_assign_leave(app, client, login_as, customer_id, clerk):
    login_as("reception")
    vid = _visit(app, customer_id)
    assert client.post(f"/reception/visits/{vid}/greet").status_code == 302
    resp = client.post(f"/reception/visits/{vid}/details",
                       data={"water_offered": "y", "purpose": "补货", "locker_no": "12"})
    assert resp.status_code == 302
    page = client.get(f"/reception/visits/{vid}?lang=en").get_data(as_text=True)
    assert "李跟单" in page and 'value="' + clerk["staff_no"] + '"' in page
    resp = client.post(f"/reception/visits/{vid}/assign",
                       data={"clerk_staff_no": clerk["staff_no"]})
    assert resp.status_code == 302
    with app.app_context():
        assert [v.id for v in svc.clerk_visits(clerk["id"])] == [vid]
    resp = client.post(f"/reception/visits/{vid}/leave?lang=en", data={})
    assert resp.status_code == 409
    assert "locker key is not back" in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Visit, vid).status == "with_clerk"
    resp = client.post(f"/reception/visits/{vid}/leave", data={"locker_key_returned": "y"})
    assert resp.status_code == 302
    with app.app_context():
        v = db.session.get(Visit, vid)
        assert v.status == "left" and v.locker_key_returned
    assert client.post(f"/reception/visits/{vid}/leave", data={}).status_code == 409


def test_assign_clerk_off_duty_refused(app, client, login_as, customer_id, make_staff):
    login_as("reception")
    cashier = make_staff("cashier")
    vid = _visit(app, customer_id)
    resp = client.post(f"/reception/visits/{vid}/assign?lang=en",
                       data={"clerk_staff_no": cashier["staff_no"]})
    assert resp.status_code == 422
    assert "not a clerk" in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Visit, vid).clerk_id is None


def test_unknown_visit_404(client, login_as):
    login_as("reception")
    assert client.get("/reception/visits/999").status_code == 404
    assert client.post("/reception/visits/999/greet").status_code == 404


def test_inquiry_read_back_then_save_then_callback(app, client, login_as):
    login_as("reception")
    data = {"channel": "phone", "caller_name": "刘女士", "region": "湖南长沙",
            "phone": "13700002222", "question": "加盟条件?", "reason": "想开店",
            "escalated": "y"}
    resp = client.post("/reception/inquiries?lang=en", data=data | {"action": "review"})
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert "Read back to the caller" in page and "13700002222" in page
    with app.app_context():
        assert _count(Inquiry) == 0
    resp = client.post("/reception/inquiries", data=data | {"action": "save"})
    assert resp.status_code == 302
    with app.app_context():
        inq = db.session.scalars(select(Inquiry)).one()
        assert inq.escalated and inq.callback_due_at == due_after(inq.created_at,
                                                                       working_hours=24)
    page = client.get("/reception/inquiries?lang=en").get_data(as_text=True)
    assert "刘女士" in page and "Manager" in page
    assert client.post(f"/reception/inquiries/{inq.id}/called-back",
                       data={"note": ""}).status_code == 302
    with app.app_context():
        assert db.session.get(Inquiry, inq.id).called_back_at is None
    client.post(f"/reception/inquiries/{inq.id}/called-back", data={"note": "已回电,寄资料"})
    with app.app_context():
        assert db.session.get(Inquiry, inq.id).callback_note == "已回电,寄资料"
    resp = client.post(f"/reception/inquiries/{inq.id}/called-back", data={"note": "again"})
    assert resp.status_code == 409


def test_inquiry_bad_input_writes_nothing(app, client, login_as):
    login_as("reception")
    resp = client.post("/reception/inquiries", data={
        "channel": "phone", "caller_name": "", "phone": "abc", "question": "",
        "action": "save"})
    assert resp.status_code == 422
    with app.app_context():
        assert _count(Inquiry) == 0


def test_overdue_callback_flagged(app, client, login_as):
    login_as("reception")
    # 24 working hours: three weeks back is overdue whatever today's calendar
    set_now(datetime.now(UTC) - timedelta(days=21))
    with app.app_context():
        svc.log_inquiry(channel="online", caller_name="陈先生", region="", phone="13600003333",
                        question="价格表", reason="", staff_id=None)
        db.session.commit()
    set_now(None)
    page = client.get("/reception/inquiries?lang=en").get_data(as_text=True)
    assert "Overdue" in page
    board = client.get("/reception/?lang=en").get_data(as_text=True)
    assert "1 overdue" in board


def test_posts_need_csrf(app, client, login_as, customer_id):
    login_as("reception")
    app.config["WTF_CSRF_ENABLED"] = True
    vid = _visit(app, customer_id)
    assert client.post(f"/reception/visits/{vid}/greet").status_code == 400
    resp = client.post("/reception/visits/new", data={"customer_id": customer_id})
    assert resp.status_code == 400
    with app.app_context():
        assert db.session.get(Visit, vid).greeted_at is None and _count(Visit) == 1
