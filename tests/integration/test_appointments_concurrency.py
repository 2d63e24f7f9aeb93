"""Starting a video call twice at once (a double tap on two tablets, a retry) opens ONE
order: both answers carry the same order, one `started` log line (SQLite and PostgreSQL)."""
from __future__ import annotations

from typing import Any

import pytest
from appointment_support import booked, world
from sqlalchemy import func, select
from test_concurrency_api import race

from showroom.appointments.models import AppointmentChange
from showroom.extensions import db
from showroom.orders.models import Order

pytestmark = pytest.mark.concurrency


def test_two_starts_at_once_open_one_order(app, client):
    with app.app_context():
        w = world()
        a = booked(w)
        aid, clerk_no = a.id, w["clerk"].staff_no
        db.session.commit()
    token = client.post("/api/v1/auth/token", json={"staff_no": clerk_no, "pin": "246810"}
                        ).get_json()["token"]
    h = {"Authorization": f"Bearer {token}"}

    def send(c: Any, _i: int) -> Any:
        resp = c.post(f"/api/v1/appointments/{aid}/start", headers=h)
        return resp.status_code, resp.get_json()["order"]["id"]

    results = race(app, 4, send)
    assert {r[0] for r in results} == {200} and len({r[1] for r in results}) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Order).where(
            Order.channel == "video")) == 1
        assert db.session.scalar(select(func.count()).select_from(AppointmentChange).where(
            AppointmentChange.kind == "started")) == 1
