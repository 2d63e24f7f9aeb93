"""The complaint statistics equal a direct count (hypothesis over random histories): each
complaint recorded on some day in a category, walked some way through its gates (standing
or not, first response in time or late, closed, reopened), then `complaint_stats` is
compared with SQL counts and with figures computed independently from the rows."""
from __future__ import annotations

from datetime import timedelta
from statistics import median
from typing import Any

import pytest
from complaint_support import MONDAY_10, PATHS, world
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from showroom.clock import set_now
from showroom.complaints.models import Complaint
from showroom.complaints.services import record_complaint, take_step
from showroom.complaints.stats import complaint_stats
from showroom.extensions import db

STATUSES = ["recorded", "judged", "judged_not", "investigated", "proposed", "approved",
            "implemented", "accepted", "closed"]
history = st.tuples(
    st.integers(0, 70),  # day of recording after MONDAY_10
    st.sampled_from(["quality", "service", "delivery", "price", "other"]),
    st.sampled_from(STATUSES),
    st.integers(0, 120),  # hours until the first step
    st.booleans(),  # reopened (when closed)
)


@pytest.fixture
def w(ctx: Any) -> dict[str, Any]:
    return world()


@settings(max_examples=15, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(history, min_size=0, max_size=8))
def test_stats_equal_a_direct_count(w: dict[str, Any], rows: list[tuple[Any, ...]]) -> None:
    try:
        for day, category, status, hours, reopen in rows:
            start = MONDAY_10 + timedelta(days=day)
            set_now(start)
            c = record_complaint(customer_id=w["customer"].id, channel="phone",
                                 category=category, text="投诉", staff_id=w["reception"].id)
            set_now(start + timedelta(hours=hours))
            for step, data, who in PATHS[status]:
                take_step(c.id, step, data, staff=w[who])
            if status == "closed" and reopen:
                take_step(c.id, "reopen", {"reason": "再次"}, staff=w["manager"])
        db.session.flush()
        now = MONDAY_10 + timedelta(days=90)
        got = complaint_stats(now=now)
        assert got["total"] == len(rows)
        for col, key in ((Complaint.category, "by_category"), (Complaint.status, "by_status")):
            counted = dict(db.session.execute(select(col, func.count()).group_by(col)).all())
            assert {k: v for k, v in got[key].items() if v} == counted
        all_rows = list(db.session.scalars(select(Complaint)))
        judged = [c for c in all_rows if c.stands is not None]
        assert got["stands_share"] == (round(sum(1 for c in judged if c.stands) / len(judged), 4)
                                       if judged else None)
        counted_due = [c for c in all_rows if c.first_response_at or c.first_response_due <= now]
        met = sum(1 for c in counted_due if c.first_response_at
                  and c.first_response_at <= c.first_response_due)
        assert got["first_response_met_share"] == (round(met / len(counted_due), 4)
                                                   if counted_due else None)
        assert got["reopen_count"] == sum(1 for r in rows if r[2] == "closed" and r[4])
        closed = [(c.closed_at - c.recorded_at).total_seconds() / 86400 for c in all_rows
                  if c.status == "closed"]
        assert got["median_days_to_close"] == (round(median(closed), 2) if closed else None)
        assert sum(got["by_month"].values()) == len(rows)
    finally:
        db.session.rollback()
        set_now(MONDAY_10)


def test_period_filters_by_local_day(w: dict[str, Any]) -> None:
    from datetime import date

    set_now(MONDAY_10.replace(hour=15, minute=59))  # 23:59 Monday in Shanghai
    record_complaint(customer_id=w["customer"].id, channel="visit", category="price",
                     text="贵", staff_id=None)
    set_now(MONDAY_10.replace(hour=16, minute=1))  # 00:01 Tuesday in Shanghai
    record_complaint(customer_id=w["customer"].id, channel="visit", category="price",
                     text="贵", staff_id=None)
    assert complaint_stats(date(2026, 11, 23), date(2026, 11, 23))["total"] == 1
    assert complaint_stats(date(2026, 11, 24), None)["total"] == 1
    assert complaint_stats()["by_month"] == {"2026-11": 2}

