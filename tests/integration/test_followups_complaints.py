"""The follow-ups against cs-complaints' real services, on both backends: a complaint
accepted opens its callback (the next working day, on reception's list when the customer
has no clerk, once); done over the API with the rating closes the complaint with that
feedback; an unsatisfied inquiry callback (a caller without a customer file) records a
complaint with the caller's name and phone, linked to the follow-up; a retried done
(same Idempotency-Key) records one complaint."""
from __future__ import annotations

from datetime import UTC, datetime

from complaint_support import walk, world
from sqlalchemy import func, select

from showroom.clock import set_now
from showroom.complaints.models import Complaint
from showroom.extensions import db
from showroom.followups.models import FollowUp
from showroom.followups.services import complaint_callback, followup_list
from showroom.reception.inquiries import log_inquiry

API = "/api/v1"


def test_accepted_complaint_callback_rated_over_the_api(app, client, api_headers) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        w = world()
        c = walk(w, "accepted")
        f = db.session.scalars(select(FollowUp).where(FollowUp.source_type == "complaint")).one()
        assert f.kind == "complaint_callback" and f.source_id == c.id and f.owner_id is None
        # accepted Monday 23 Nov 10:00 → Tuesday 09:00
        assert f.due_at == datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
        assert complaint_callback(c).id == f.id
        set_now(datetime(2026, 11, 24, 2, 0, tzinfo=UTC))  # the next day
        assert [x.id for x in followup_list(w["reception"]).overdue] == [f.id]
        db.session.commit()
        fid, cid = f.id, c.id
    h = api_headers("reception")
    items = client.get(f"{API}/follow-ups?due=overdue&kind=complaint_callback",
                       headers=h).get_json()["items"]
    assert [i["id"] for i in items] == [fid]
    r = client.post(f"{API}/follow-ups/{fid}/done", headers=h,
                    json={"outcome": "satisfied", "note": "处理及时"})
    assert r.status_code == 422 and "rating" in r.get_json()["errors"]
    r = client.post(f"{API}/follow-ups/{fid}/done", headers=h,
                    json={"outcome": "satisfied", "note": "处理及时", "rating": 4})
    assert r.status_code == 200, r.get_json()
    with app.app_context():
        c = db.session.get(Complaint, cid)
        assert (c.status, c.rating, c.feedback_comment) == ("closed", 4, "处理及时")


def test_unsatisfied_inquiry_caller_becomes_a_complaint_once(app, client, api_headers) -> None:  # type: ignore[no-untyped-def]
    set_now(datetime(2026, 11, 23, 2, 0, tzinfo=UTC))
    with app.app_context():
        log_inquiry(channel="phone", caller_name="刘女士", region="长沙", phone="13700001234",
                    question="加盟条件", reason="", staff_id=None)
        db.session.commit()
        fid = db.session.scalars(select(FollowUp)).one().id
    h = api_headers("reception") | {"Idempotency-Key": "7d0c3a52-1111-4222-8333-944455556666"}
    body = {"outcome": "unsatisfied", "note": "说好的资料一直没寄"}
    first = client.post(f"{API}/follow-ups/{fid}/done", headers=h, json=body)
    again = client.post(f"{API}/follow-ups/{fid}/done", headers=h, json=body)
    assert first.status_code == again.status_code == 200 and first.get_json() == again.get_json()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Complaint)) == 1
        c = db.session.scalars(select(Complaint)).one()
        assert (c.followup_id, c.customer_id, c.caller, c.phone, c.text, c.channel) == (
            fid, None, "刘女士", "13700001234", "说好的资料一直没寄", "phone")
