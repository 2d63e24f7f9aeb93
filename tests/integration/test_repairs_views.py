"""The repair screens through the test client: intake with photos from the file input
(once per form token), Thai silver refused with its reasons (409, nothing written), every
bad input a 4xx with the field marked and nothing written, the body limit that lets a
phone photo through on the photo routes only, photos served to staff who may see them,
the manager's route, back with the weight flag, the lists and my follow-ups; roles."""
from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import factories
import pytest
from repairs_support import BAD_CODES, bad_photo, counts, jpeg
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from showroom.clock import set_now
from showroom.extensions import db
from showroom.followups.models import FollowUp
from showroom.repairs.models import Repair

MONDAY_10 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


@pytest.fixture
def cust(app):
    set_now(MONDAY_10)
    with app.app_context():
        c = factories.customer(name="王丽华饰品店", phone="13912345678")
        db.session.commit()
        return c.id


def _token(client, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    found = re.findall(r'name="token"[^>]*value="([0-9a-f-]{36})"', page) or \
        re.findall(r'value="([0-9a-f-]{36})"[^>]*name="token"', page)
    assert found, page[:400]
    return found[0]


def _form(cid: int, token: str, **over):
    data = {"token": token, "customer_id": str(cid), "part": "戒托", "material": "silver_925",
            "weight_g": "5.20", "description": "主石脱落"}
    data.update(over)
    return data


def _take(client, cid: int, photos=(), **over):
    token = _token(client, f"/repairs/new?customer_id={cid}")
    return _post_multipart(client, "/repairs/new", _form(cid, token, **over), photos)


def _post_multipart(client, url: str, fields: dict, photos=()):  # type: ignore[no-untyped-def]
    """A multipart post encoded in memory: the test client spools a large body to a file it
    never closes (a ResourceWarning)."""
    values = MultiDict(fields)
    for i, p in enumerate(photos):
        values.add("photos", FileStorage(io.BytesIO(p), f"p{i}.jpg", content_type="image/jpeg"))
    boundary, payload = encode_multipart(values)
    return client.post(url, data=payload, content_type=f"multipart/form-data; boundary={boundary}")


def test_intake_with_a_photo_goes_to_the_repair_page_once(app, client, login_as, cust):
    login_as("reception")
    page = client.get(f"/repairs/new?customer_id={cust}").get_data(as_text=True)
    assert 'accept="image/*"' in page and 'capture="environment"' in page
    assert "王丽华饰品店" in page and 'id="intake-submit"' in page
    token = _token(client, f"/repairs/new?customer_id={cust}")
    data = _form(cust, token)
    first = client.post("/repairs/new", content_type="multipart/form-data",
                        data={**data, "photos": [(io.BytesIO(jpeg()), "a.jpg")]})
    again = client.post("/repairs/new", content_type="multipart/form-data",
                        data={**data, "photos": [(io.BytesIO(jpeg()), "a.jpg")]})
    assert first.status_code == 303 and again.headers["Location"] == first.headers["Location"]
    page = client.get(first.headers["Location"]).get_data(as_text=True)
    assert "WX-20261123-0001" in page and "5.20" in page
    photo = re.search(r'src="(/attachments/\d+)"', page)
    assert photo
    resp = client.get(photo.group(1))
    assert resp.status_code == 200 and resp.mimetype == "image/jpeg"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Cache-Control"] == "no-store"
    assert counts(app)["repairs"] == 1 and counts(app)["attachments"] == 1


def test_an_empty_file_input_is_no_photo(app, client, login_as, cust):
    login_as("clerk")
    token = _token(client, f"/repairs/new?customer_id={cust}")
    resp = client.post("/repairs/new", content_type="multipart/form-data",
                       data={**_form(cust, token), "photos": [(io.BytesIO(b""), "")]})
    assert resp.status_code == 303
    assert counts(app)["attachments"] == 0


def test_thai_silver_is_refused_with_its_reasons_and_nothing_written(app, client, login_as, cust):
    login_as("reception")
    before = counts(app)
    resp = _take(client, cust, (jpeg(),), material="thai_silver")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 409
    assert 'id="repair-refused"' in page and 'data-rule="thai_silver"' in page
    assert "泰银饰品不予维修" in page and 'id="print-refusal"' in page
    assert counts(app) == before
    notice = client.get("/repairs/refused").get_data(as_text=True)
    assert "泰银饰品不予维修" in notice and "data-print" in notice


@pytest.mark.parametrize(("over", "field"), [
    ({"description": ""}, "description"), ({"weight_g": "-1"}, "weight_g"),
    ({"weight_g": "1.2345"}, "weight_g"), ({"material": "unobtainium"}, "material"),
    ({"part": ""}, "part"), ({"customer_id": "999999"}, "customer_id"),
    ({"part": "戒\u202e托"}, "part"),
])
def test_bad_input_marks_the_field_and_writes_nothing(app, client, login_as, cust, over, field):
    login_as("reception")
    before = counts(app)
    resp = _take(client, cust, **over)
    assert resp.status_code == 422
    assert f'data-error-for="{field}"' in resp.get_data(as_text=True)
    assert counts(app) == before


@pytest.mark.parametrize("name", sorted(BAD_CODES))
def test_bad_photos_are_refused_with_a_message(app, client, login_as, cust, name):
    login_as("reception")
    before = counts(app)
    resp = _take(client, cust, (bad_photo(name),))
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422, page[:300]
    assert "照片" in page or "JPEG" in page
    assert counts(app) == before


def test_the_body_limit_lets_a_photo_through_only_where_photos_go(app, client, login_as, cust):
    login_as("reception")
    big = jpeg() + b"\0" * (2 * 1024 * 1024)  # a 2 MiB phone photo: over the 1 MiB default
    resp = _take(client, cust, (big,))
    assert resp.status_code == 303  # accepted and re-encoded (the padding after EOI is dropped)
    resp = client.post("/followups/1/done", data=b"note=" + b"x" * (2 * 1024 * 1024),
                       content_type="application/x-www-form-urlencoded")
    assert resp.status_code == 413


def test_photos_only_for_roles_that_may_see_them(app, client, login_as, cust):
    login_as("reception")
    resp = _take(client, cust, (jpeg(),))
    photo = re.search(r'src="(/attachments/\d+)"', client.get(resp.headers["Location"])
                      .get_data(as_text=True)).group(1)
    client.post("/logout")
    login_as("packer")
    assert client.get(photo).status_code == 403
    assert client.get("/attachments/9999").status_code in (403, 404)


def test_roles(client, login_as, cust):
    login_as("packer")
    assert client.get("/repairs/").status_code == 403
    assert client.get("/repairs/new").status_code == 403
    assert client.get("/followups/").status_code == 403


def test_a_clerk_cannot_route(app, client, login_as, cust):
    login_as("clerk")
    resp = _take(client, cust)
    rid = int(resp.headers["Location"].rsplit("/", 1)[1])
    assert client.post(f"/repairs/{rid}/route", data={"route": "abroad", "partner": "X"}
                       ).status_code == 403
    assert 'id="route-form"' not in client.get(f"/repairs/{rid}").get_data(as_text=True)


def test_manager_routes_abroad_and_it_shows_overdue_then_back_with_the_flag(
        app, client, login_as, make_staff, cust):
    login_as("manager")
    rid = int(_take(client, cust).headers["Location"].rsplit("/", 1)[1])
    token = _token(client, f"/repairs/{rid}")
    resp = client.post(f"/repairs/{rid}/route", data={
        "token": token, "route": "abroad", "partner": "曼谷金工坊", "months_from": "1",
        "months_to": "2"})
    assert resp.status_code == 303
    page = client.get(f"/repairs/{rid}").get_data(as_text=True)
    assert "2026-12-23 ~ 2027-01-23" in page and 'id="back-form"' in page
    assert "WX-" not in client.get("/repairs/?list=overdue").get_data(as_text=True)
    set_now(datetime(2027, 2, 1, 2, 0, tzinfo=UTC))
    client.post("/logout")
    login_as("manager")  # the session ended while the clock moved
    overdue = client.get("/repairs/?list=overdue").get_data(as_text=True)
    assert "WX-20261123-0001" in overdue and "badge late" in overdue
    token = _token(client, f"/repairs/{rid}")
    resp = client.post(f"/repairs/{rid}/back", data={"token": token, "weight_g": "4.80"})
    assert resp.status_code == 303
    page = client.get(f"/repairs/{rid}").get_data(as_text=True)
    assert 'id="weight-flag"' in page and 'id="collect-form"' in page
    with app.app_context():
        f = db.session.scalars(select(FollowUp)).one()
        assert f.source_id == rid
    mine = client.get("/followups/?all=1").get_data(as_text=True)
    assert f'data-source="repair:{rid}"' in mine


def test_in_house_with_a_wrong_pin_changes_nothing_and_counts(app, client, login_as, make_staff,
                                                             cust):
    worker = make_staff("clerk", staff_no="6103")
    login_as("manager")
    rid = int(_take(client, cust).headers["Location"].rsplit("/", 1)[1])
    token = _token(client, f"/repairs/{rid}")
    resp = client.post(f"/repairs/{rid}/route", data={
        "token": token, "route": "in_house", "receiver_staff_no": "6103",
        "receiver_pin": "000000"})
    assert resp.status_code == 401
    with app.app_context():
        assert db.session.get(Repair, rid).status == "received"
        from showroom.auth.models import LoginAttempt

        assert db.session.scalars(select(LoginAttempt).where(
            LoginAttempt.staff_no == "6103")).first() is not None
    token = _token(client, f"/repairs/{rid}")
    resp = client.post(f"/repairs/{rid}/route", data={
        "token": token, "route": "in_house", "receiver_staff_no": "6103",
        "receiver_pin": worker["pin"]})
    assert resp.status_code == 303
    with app.app_context():
        assert db.session.get(Repair, rid).status == "in_house"


def test_batch_hand_over_from_the_open_list(app, client, login_as, cust):
    login_as("manager")
    ids = [int(_take(client, cust).headers["Location"].rsplit("/", 1)[1]) for _ in range(2)]
    page = client.get("/repairs/?list=open").get_data(as_text=True)
    assert 'id="handover-form"' in page
    token = re.search(r'id="token"[^>]*value="([0-9a-f-]{36})"', page) or \
        re.search(r'name="token"[^>]*value="([0-9a-f-]{36})"', page)
    resp = client.post("/repairs/handover", data={
        "token": token.group(1), "route": "abroad", "repair_id": [str(i) for i in ids],
        "partner": "曼谷金工坊", "months_from": "2", "months_to": "6"})
    assert resp.status_code == 303
    with app.app_context():
        batches = {r.batch for r in db.session.scalars(select(Repair))}
        assert len(batches) == 1 and next(iter(batches)).startswith("SW-")
    assert "曼谷金工坊" not in client.get("/repairs/?list=overdue").get_data(as_text=True)
    assert client.get("/repairs/?list=abroad").get_data(as_text=True).count("data-repair=") == 2


def test_my_follow_ups_done_with_an_outcome(app, client, login_as, cust):
    login_as("manager")
    rid = int(_take(client, cust).headers["Location"].rsplit("/", 1)[1])
    client.post(f"/repairs/{rid}/route", data={"token": _token(client, f"/repairs/{rid}"),
                                               "route": "abroad", "partner": "X"})
    client.post(f"/repairs/{rid}/back", data={"token": _token(client, f"/repairs/{rid}"),
                                              "weight_g": "5.20"})
    client.post("/logout")
    login_as("reception")
    page = client.get("/followups/").get_data(as_text=True)
    assert 'data-group="coming"' in page and "王丽华饰品店" in page
    fid = int(re.search(r'data-followup="(\d+)"', page).group(1))
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    bad = client.post(f"/followups/{fid}/done", data={"token": token, "outcome": "other"})
    assert bad.status_code == 303
    with app.app_context():
        assert db.session.get(FollowUp, fid).done_at is None
    token = re.search(r'name="token" value="([^"]+)"', client.get("/followups/")
                      .get_data(as_text=True)).group(1)
    ok = client.post(f"/followups/{fid}/done", data={"token": token, "outcome": "satisfied",
                                                     "note": "客户满意"})
    assert ok.status_code == 303
    with app.app_context():
        assert db.session.get(FollowUp, fid).outcome == "satisfied"
    assert 'data-followup=' not in client.get("/followups/").get_data(as_text=True)
