"""Relations screens through the client: who may see them (clerks their own customers, the
manager everyone's, other roles 403), the birthday list with a lunar birthday on this year's
solar date and its greeting, festivals, the gift list, the weekly list with its cadence
said on screen; planning greetings and the week's contacts (a repeated form changes
nothing); phones only to roles that may see them."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

import factories
import pytest
from sqlalchemy import func, select

from showroom.clock import set_now
from showroom.extensions import db
from showroom.followups.models import FollowUp

MONDAY_10 = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)


def _token(page: str) -> str:
    m = re.search(r'name="token"[^>]*value="([^"]+)"', page)
    assert m
    return m.group(1)


def _count(app: Any) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(FollowUp)) or 0)


@pytest.fixture
def people(app: Any, make_staff: Any) -> dict[str, Any]:
    set_now(MONDAY_10)
    clerk = make_staff("clerk")
    other_clerk = make_staff("clerk")
    with app.app_context():
        lunar = factories.customer(name="农历会员", phone="13900000011")
        lunar.member, lunar.owner_id = True, clerk["id"]
        lunar.birthday, lunar.birthday_lunar = date(1975, 12, 18), True  # → 2027-01-25
        a = factories.customer(name="甲级客户", phone="13900000012")
        a.level, a.owner_id, a.birthday = "A", clerk["id"], date(1980, 12, 20)
        other = factories.customer(name="别人的客户", phone="13900000013")
        other.level, other.owner_id = "B", other_clerk["id"]
        db.session.commit()
        return {"clerk": clerk, "lunar": lunar.id, "a": a.id, "other": other.id}


def _login(client: Any, staff: dict[str, Any]) -> None:
    r = client.post("/login", data={"staff_no": staff["staff_no"], "pin": staff["pin"]})
    assert r.status_code == 302


def test_clerk_sees_own_birthdays_with_the_lunar_date_and_greeting(client, people) -> None:  # type: ignore[no-untyped-def]
    _login(client, people["clerk"])
    page = client.get("/relations/birthdays?days=60").get_data(as_text=True)
    assert f'data-customer="{people["lunar"]}" data-on="2027-01-25"' in page
    assert "农历腊月十八" in page and "亲爱的农历会员，祝您生日快乐" in page
    assert "甲级客户" in page and "别人的客户" not in page
    assert "13900000011" not in page  # a clerk sees no phone numbers (SPEC §12)
    short = client.get("/relations/birthdays?days=7").get_data(as_text=True)
    assert "农历会员" not in short
    assert client.get("/relations/birthdays?days=abc").status_code == 200


def test_roles(client, login_as, people) -> None:  # type: ignore[no-untyped-def]
    login_as("reception")
    for url in ("/relations/birthdays", "/relations/festivals", "/relations/weekly",
                "/relations/gifts"):
        assert client.get(url).status_code == 403, url
    assert client.post("/relations/weekly/plan", data={"token": "x"}).status_code == 403
    client.post("/logout")
    login_as("manager")
    page = client.get("/relations/weekly").get_data(as_text=True)
    assert "别人的客户" in page and 'id="cadence"' in page
    assert "13900000013" not in page


def test_festivals_gifts_and_weekly(client, people) -> None:  # type: ignore[no-untyped-def]
    _login(client, people["clerk"])
    fest = client.get("/relations/festivals?days=90&lang=zh_CN").get_data(as_text=True)
    assert 'data-festival="spring_festival" data-on="2027-02-06"' in fest
    assert "亲爱的甲级客户，新春快乐" in fest
    gifts = client.get("/relations/gifts").get_data(as_text=True)
    assert "甲级客户" in gifts and "农历会员" not in gifts
    weekly = client.get("/relations/weekly?lang=en").get_data(as_text=True)
    assert "Level A: every week" in weekly and "甲级客户" in weekly
    assert 'data-flag="30"' in weekly  # never contacted


def test_plan_week_and_greetings_once(app, client, people) -> None:  # type: ignore[no-untyped-def]
    _login(client, people["clerk"])
    page = client.get("/relations/weekly").get_data(as_text=True)
    token = _token(page)
    r = client.post("/relations/weekly/plan", data={"token": token})
    assert r.status_code == 303 and _count(app) == 1
    assert client.post("/relations/weekly/plan", data={"token": token}).status_code == 303
    page = client.get("/relations/weekly").get_data(as_text=True)
    client.post("/relations/weekly/plan", data={"token": _token(page)})
    assert _count(app) == 1  # once per customer and week
    page = client.get("/relations/birthdays").get_data(as_text=True)
    r = client.post("/relations/greetings/plan?days=14", data={"token": _token(page),
                                                               "back": "birthdays"})
    assert r.status_code == 303 and r.headers["Location"].endswith("/relations/birthdays")
    with app.app_context():
        kinds = sorted(f.kind for f in db.session.scalars(select(FollowUp)))
    assert kinds == ["birthday", "weekly_contact"]  # 甲级客户's birthday on 20 Dec
    mine = client.get("/followups/").get_data(as_text=True)
    assert mine.count("data-followup=") == 1  # the birthday greeting is 11 days ahead
    assert client.post("/relations/weekly/plan", data={}).status_code in (303, 422)
    assert _count(app) == 2
