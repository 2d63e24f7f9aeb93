"""Races on repairs, on the suite's backend: two desks taking the same piece back at once
(one answer 200, the other 409, one callback), the same callback opened by two workers at
once (one follow-up, neither fails), and one intake sent five times with one key."""
from __future__ import annotations

import threading
from datetime import UTC, datetime

import factories
import pytest
from sqlalchemy import func, select
from test_concurrency_api import race

from showroom.clock import now_utc, set_now
from showroom.extensions import db
from showroom.followups.models import FollowUp, FollowUpKind
from showroom.followups.services import open_followup
from showroom.repairs.intake import IntakeIn, take_in
from showroom.repairs.models import Repair
from showroom.repairs.moves import AbroadIn, route_abroad

pytestmark = pytest.mark.concurrency
API = "/api/v1"


@pytest.fixture
def abroad(app):
    set_now(datetime(2026, 11, 23, 2, 0, tzinfo=UTC))
    with app.app_context():
        cust = factories.customer(name="王丽华饰品店")
        mgr = factories.staff("manager")
        r = take_in(IntakeIn(cust.id, "", "掉石", "戒托", "silver_925", 520), staff_id=None)
        route_abroad([r.id], AbroadIn("曼谷金工坊", 1, 6), manager=mgr)
        db.session.commit()
        return {"repair": r.id, "customer": cust.id}


def _followups(app) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        n = db.session.scalar(select(func.count()).select_from(FollowUp))
        db.session.rollback()
        return int(n or 0)


def test_two_desks_take_the_same_piece_back(app, api_headers, abroad):
    h = api_headers("reception")

    def send(client, i):
        r = client.post(f"{API}/repairs/{abroad['repair']}/back", headers=h,
                        json={"weight_g": "5.20", "note": f"desk {i}"})
        return r.status_code

    assert sorted(race(app, 2, send)) == [200, 409]
    assert _followups(app) == 1


def test_one_callback_when_two_workers_open_it(app, abroad):
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []
    ids: list[int] = []

    def work() -> None:
        try:
            with app.app_context():
                barrier.wait()
                f = open_followup(FollowUpKind.REPAIR_CALLBACK, customer_id=abroad["customer"],
                                  source_type="repair", source_id=abroad["repair"],
                                  due_at=now_utc())
                db.session.commit()
                ids.append(f.id)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert len(set(ids)) == 1 and _followups(app) == 1


def test_one_intake_for_one_key(app, api_headers, abroad):
    h = api_headers("reception") | {"Idempotency-Key": "intake-race"}

    def send(client, _i):
        r = client.post(f"{API}/repairs", headers=h, json={
            "customer_id": abroad["customer"], "description": "掉石", "part": "戒托",
            "material": "gold"})
        return r.status_code, r.get_data(as_text=True)

    results = race(app, 5, send)
    assert {s for s, _ in results} <= {201, 409}, results
    assert len({b for s, b in results if s == 201}) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Repair)) == 2
