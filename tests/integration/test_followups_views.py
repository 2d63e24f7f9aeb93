"""Follow-up screens and API through the client: my list (own and reception's) with the
callback script, the manager's list and its filters, done with an outcome (bad input:
4xx/redirect with nothing written), the complaint callback's rating, the calendar screen
(manager only, add / remove, bad input refused), roles; GET /api/v1/follow-ups by due,
owner and kind, POST /api/v1/follow-ups/{id}/done (problem+json for bad input, 403 for
someone else's, 409 twice, Idempotency-Key replays), the OpenAPI document lists both."""
from __future__ import annotations

import re
import sys
import types
from datetime import UTC, date, datetime, timedelta
from typing import Any

import factories
import pytest
from sqlalchemy import func, select

from showroom.clock import now_utc, set_now
from showroom.extensions import db
from showroom.followups.models import CalendarDay, FollowUp, FollowUpKind
from showroom.followups.services import open_followup

API = "/api/v1"
MONDAY_10 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def _token(page: str) -> str:
    m = re.search(r'name="token"[^>]*value="([^"]+)"', page)
    assert m, "no token on the page"
    return m.group(1)


@pytest.fixture
def cust(app: Any) -> int:
    with app.app_context():
        c = factories.customer(name="会员张姐", phone="13900000001")
        db.session.commit()
        return c.id


def _open(app: Any, cust: int, *, kind: FollowUpKind = FollowUpKind.VISIT_CALLBACK,
          owner: int | None = None, source_id: int = 1, due: timedelta = timedelta(0)) -> int:
    with app.app_context():
        f = open_followup(kind, customer_id=cust, source_type="test", source_id=source_id,
                          due_at=now_utc() + due, owner_id=owner)
        db.session.commit()
        return f.id


def _done_at(app: Any, fid: int) -> Any:
    with app.app_context():
        return db.session.get(FollowUp, fid).done_at


@pytest.fixture
def complaints(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []
    fake = types.ModuleType("showroom.complaints.services")
    fake.record_complaint = lambda **kw: calls.append(kw)  # type: ignore[attr-defined]
    fake.record_feedback = (  # type: ignore[attr-defined]
        lambda cid, rating, comment, *, staff_id: calls.append({"feedback": rating}))
    monkeypatch.setitem(sys.modules, "showroom.complaints.services", fake)
    return calls


# -- screens -----------------------------------------------------------------------------

def test_my_list_shows_the_script_and_done_unsatisfied_opens_a_complaint(
        app, client, login_as, cust, complaints) -> None:  # type: ignore[no-untyped-def]
    me = login_as("reception")
    fid = _open(app, cust, owner=me["id"])
    page = client.get("/followups/?lang=zh_CN").get_data(as_text=True)
    assert f'data-followup="{fid}"' in page and "会员张姐" in page
    assert "谢谢您" in page and "对不起" in page  # seed 000's scripts, in Chinese
    page_en = client.get("/followups/?lang=en").get_data(as_text=True)
    assert "sorry to have disturbed you" in page_en
    bad = client.post(f"/followups/{fid}/done", data={"token": _token(page),
                                                      "outcome": "unsatisfied", "note": ""})
    assert bad.status_code == 303 and _done_at(app, fid) is None and complaints == []
    page = client.get("/followups/").get_data(as_text=True)
    ok = client.post(f"/followups/{fid}/done", data={"token": _token(page),
                                                     "outcome": "unsatisfied",
                                                     "note": "链子断了"})
    assert ok.status_code == 303 and _done_at(app, fid) is not None
    assert complaints[0]["followup_id"] == fid and complaints[0]["text"] == "链子断了"


def test_complaint_callback_form_asks_the_rating(app, client, login_as, cust,
                                                 complaints) -> None:  # type: ignore[no-untyped-def]
    login_as("reception")
    fid = _open(app, cust, kind=FollowUpKind.COMPLAINT_CALLBACK, source_id=9)
    page = client.get("/followups/").get_data(as_text=True)
    assert 'name="rating"' in page
    r = client.post(f"/followups/{fid}/done", data={"token": _token(page),
                                                    "outcome": "satisfied", "rating": "9"})
    assert r.status_code == 303 and _done_at(app, fid) is None
    page = client.get("/followups/").get_data(as_text=True)
    r = client.post(f"/followups/{fid}/done", data={"token": _token(page),
                                                    "outcome": "satisfied", "rating": "4"})
    assert r.status_code == 303 and _done_at(app, fid) is not None
    assert complaints == [{"feedback": 4}]


def test_clerk_sees_own_not_others_and_cannot_do_them(app, client, login_as, make_staff,
                                                      cust) -> None:  # type: ignore[no-untyped-def]
    other = make_staff("clerk")
    me = login_as("clerk")
    mine = _open(app, cust, owner=me["id"], source_id=1)
    theirs = _open(app, cust, owner=other["id"], source_id=2)
    page = client.get("/followups/").get_data(as_text=True)
    assert f'data-followup="{mine}"' in page and f'data-followup="{theirs}"' not in page
    r = client.post(f"/followups/{theirs}/done", data={"token": _token(page),
                                                       "outcome": "satisfied"})
    assert r.status_code == 303 and _done_at(app, theirs) is None
    assert client.get("/followups/?all=1").get_data(as_text=True).count("data-followup=") == 1


def test_manager_list_filters(app, client, login_as, make_staff, cust) -> None:  # type: ignore[no-untyped-def]
    clerk = make_staff("clerk")
    login_as("manager")
    a = _open(app, cust, owner=clerk["id"], source_id=1, due=-timedelta(hours=2))
    b = _open(app, cust, kind=FollowUpKind.BIRTHDAY, source_id=2, due=timedelta(hours=30))
    page = client.get("/followups/?all=1").get_data(as_text=True)
    assert f'data-followup="{a}"' in page and f'data-followup="{b}"' in page
    assert 'id="fu-filters"' in page
    only = client.get("/followups/?all=1&kind=birthday").get_data(as_text=True)
    assert f'data-followup="{a}"' not in only and f'data-followup="{b}"' in only
    owned = client.get(f"/followups/?all=1&owner={clerk['staff_no']}").get_data(as_text=True)
    assert f'data-followup="{a}"' in owned and f'data-followup="{b}"' not in owned
    late = client.get("/followups/?all=1&overdue=1").get_data(as_text=True)
    assert f'data-followup="{a}"' in late and f'data-followup="{b}"' not in late
    rec = client.get("/followups/?all=1&owner=reception").get_data(as_text=True)
    assert f'data-followup="{b}"' in rec and f'data-followup="{a}"' not in rec
    assert client.get("/followups/?all=1&kind=<script>&owner=x").status_code == 200


def test_roles(client, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("packer")
    assert client.get("/followups/").status_code == 403
    assert client.get("/followups/calendar").status_code == 403
    client.post("/logout")
    login_as("clerk")
    assert client.get("/followups/calendar").status_code == 403


def test_calendar_screen_add_and_remove(app, client, login_as) -> None:  # type: ignore[no-untyped-def]
    set_now(MONDAY_10)
    login_as("manager")
    page = client.get("/followups/calendar?lang=en").get_data(as_text=True)
    assert "no data for 2026" not in page
    r = client.post("/followups/calendar", data={"token": _token(page), "day": "2027-02-13",
                                                 "working": "0", "note": "盘点"})
    assert r.status_code == 303
    with app.app_context():
        day = db.session.get(CalendarDay, date(2027, 2, 13))
        assert day is not None and not day.working and day.note == "盘点"
    page = client.get("/followups/calendar").get_data(as_text=True)
    assert 'data-day="2027-02-13"' in page
    for bad in ({"day": "2027-02-30", "working": "1"}, {"day": "", "working": "1"},
                {"day": "2027-02-14", "working": "maybe"},
                {"day": "2027-02-14", "working": "1", "note": "x" * 201}):
        r = client.post("/followups/calendar", data={"token": _token(page), **bad})
        assert r.status_code == 422, bad
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CalendarDay)) == 1
    r = client.post("/followups/calendar/2027-02-13/remove", data={"token": _token(page)})
    assert r.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CalendarDay)) == 0
    assert client.post("/followups/calendar/not-a-day/remove",
                       data={"token": _token(page)}).status_code == 404


def test_calendar_warns_for_a_year_without_data(client, login_as) -> None:  # type: ignore[no-untyped-def]
    set_now(datetime(2027, 1, 4, 2, 0, tzinfo=UTC))
    login_as("manager")
    page = client.get("/followups/calendar?lang=en").get_data(as_text=True)
    assert 'id="cal-warn"' in page and "2027" in page


# -- API ---------------------------------------------------------------------------------

def _me(client: Any, headers: dict[str, str]) -> dict[str, Any]:
    return client.get(f"{API}/follow-ups?due=all", headers=headers).get_json()


def test_api_lists_by_due_owner_and_kind(app, client, api_headers, make_staff,
                                         cust) -> None:  # type: ignore[no-untyped-def]
    set_now(MONDAY_10)
    h_clerk = api_headers("clerk")
    with app.app_context():
        from showroom.auth.models import Staff
        clerk = db.session.scalars(select(Staff).order_by(Staff.id.desc())).first()
        clerk_id, clerk_no = clerk.id, clerk.staff_no
    late = _open(app, cust, owner=clerk_id, source_id=1, due=-timedelta(hours=1))
    today = _open(app, cust, owner=clerk_id, source_id=2, due=timedelta(hours=2))
    far = _open(app, cust, kind=FollowUpKind.BIRTHDAY, owner=clerk_id, source_id=3,
                due=timedelta(days=40))
    nobody = _open(app, cust, kind=FollowUpKind.INQUIRY_CALLBACK, source_id=4)
    got = _me(client, h_clerk)
    assert [i["id"] for i in got["items"]] == [late, today, far]
    assert got["items"][0]["source"] == {"type": "test", "id": 1}
    assert got["items"][0]["kind"] == "visit_callback"
    ids = lambda q, h: [i["id"] for i in client.get(f"{API}/follow-ups?{q}", headers=h)  # noqa: E731
                        .get_json()["items"]]
    assert ids("due=overdue", h_clerk) == [late]
    assert ids("due=today", h_clerk) == [today]
    assert ids("kind=birthday", h_clerk) == [far]
    assert ids(f"staff_no={clerk_no}", h_clerk) == [late, today, far]
    h_boss = api_headers("manager")
    assert set(ids("", h_boss)) == {late, today, far, nobody}
    assert ids("staff_no=reception", h_boss) == [nobody]
    assert ids(f"staff_no={clerk_no}&due=overdue", h_boss) == [late]
    h_desk = api_headers("reception")
    assert ids("", h_desk) == [nobody]
    for q, status in (("due=tomorrow", 422), ("kind=party", 422), (f"staff_no={clerk_no}", 403),
                      ("staff_no=reception", 200)):
        r = client.get(f"{API}/follow-ups?{q}", headers=h_desk)
        assert r.status_code == status, (q, r.get_json())
        if status >= 400:
            assert r.headers["Content-Type"].startswith("application/problem+json")
    assert client.get(f"{API}/follow-ups?staff_no=nobody", headers=h_boss).status_code == 404
    assert client.get(f"{API}/follow-ups").status_code == 401


def test_api_done(app, client, api_headers, make_staff, cust, complaints) -> None:  # type: ignore[no-untyped-def]
    h = api_headers("reception")
    fid = _open(app, cust, source_id=1)
    for body, field in (({"outcome": "maybe"}, "outcome"), ({"outcome": "unsatisfied"}, "note"),
                        ({"outcome": "done", "note": 5}, "note"), ({}, "outcome"),
                        ({"outcome": "satisfied", "rating": 0}, "rating")):
        r = client.post(f"{API}/follow-ups/{fid}/done", headers=h, json=body)
        assert r.status_code == 422, body
        assert field in r.get_json()["errors"], r.get_json()
    assert _done_at(app, fid) is None and complaints == []
    key = {"Idempotency-Key": "4b8c1f0e-0000-4000-8000-000000000001"}
    r = client.post(f"{API}/follow-ups/{fid}/done", headers=h | key,
                    json={"outcome": "unsatisfied", "note": "颜色不对"})
    assert r.status_code == 200 and r.get_json()["outcome"] == "unsatisfied"
    again = client.post(f"{API}/follow-ups/{fid}/done", headers=h | key,
                        json={"outcome": "unsatisfied", "note": "颜色不对"})
    assert again.status_code == 200 and again.get_json() == r.get_json()
    assert len(complaints) == 1 and complaints[0]["followup_id"] == fid
    r = client.post(f"{API}/follow-ups/{fid}/done", headers=h, json={"outcome": "satisfied"})
    assert r.status_code == 409
    other = make_staff("clerk")
    theirs = _open(app, cust, owner=other["id"], source_id=2)
    r = client.post(f"{API}/follow-ups/{theirs}/done", headers=h, json={"outcome": "done",
                                                                         "note": "x"})
    assert r.status_code == 403 and _done_at(app, theirs) is None
    assert client.post(f"{API}/follow-ups/999999/done", headers=h,
                       json={"outcome": "satisfied"}).status_code == 404
    cb = _open(app, cust, kind=FollowUpKind.COMPLAINT_CALLBACK, source_id=5)
    r = client.post(f"{API}/follow-ups/{cb}/done", headers=h, json={"outcome": "satisfied"})
    assert r.status_code == 422 and "rating" in r.get_json()["errors"]
    r = client.post(f"{API}/follow-ups/{cb}/done", headers=h,
                    json={"outcome": "satisfied", "rating": 5})
    assert r.status_code == 200 and complaints[-1] == {"feedback": 5}


def test_openapi_lists_the_follow_up_endpoints(client) -> None:  # type: ignore[no-untyped-def]
    doc = client.get(f"{API}/openapi.json").get_json()
    assert "get" in doc["paths"][f"{API}/follow-ups"]
    post = doc["paths"][f"{API}/follow-ups/{{followup_id}}/done"]["post"]
    assert "requestBody" in post and "403" in post["responses"] and "409" in post["responses"]
    params = {p["name"] for p in doc["paths"][f"{API}/follow-ups"]["get"]["parameters"]}
    assert {"due", "staff_no", "kind"} <= params
