"""Races on complaints, on the suite's backend: two managers judging the same complaint at
once (one 200, one 409 complaint_step, one log row), and two desks taking the customer's
acceptance at once (one acceptance, one callback)."""
from __future__ import annotations

from typing import Any

import pytest
from complaint_support import MONDAY_10, walk, world
from sqlalchemy import func, select
from test_concurrency_api import race

from showroom.clock import set_now
from showroom.complaints.models import ComplaintStepLog
from showroom.extensions import db
from showroom.followups.models import FollowUp

pytestmark = pytest.mark.concurrency
API = "/api/v1"


def _count(app: Any, model: Any) -> int:
    with app.app_context():
        n = db.session.scalar(select(func.count()).select_from(model))
        db.session.rollback()
        return int(n or 0)


def _complaint(app: Any, status: str) -> int:
    set_now(MONDAY_10)
    with app.app_context():
        return int(walk(world(), status).id)


def test_two_managers_judge_at_once(app, api_headers):
    cid = _complaint(app, "recorded")
    h1, h2 = api_headers("manager"), api_headers("manager")

    def send(client, i):
        return client.post(f"{API}/complaints/{cid}/steps", headers=(h1, h2)[i % 2], json={
            "step": "judge", "stands": bool(i % 2), "explanation": f"判定 {i}"}).status_code

    assert sorted(race(app, 2, send)) == [200, 409]
    assert _count(app, ComplaintStepLog) == 1


def test_two_desks_take_the_acceptance_at_once(app, api_headers):
    cid = _complaint(app, "implemented")
    before = _count(app, ComplaintStepLog)
    h = api_headers("reception")

    def send(client, i):
        return client.post(f"{API}/complaints/{cid}/steps", headers=h, json={
            "step": "accept", "customer_confirmed": True}).status_code

    assert sorted(race(app, 2, send)) == [200, 409]
    assert _count(app, ComplaintStepLog) == before + 1 and _count(app, FollowUp) == 1
