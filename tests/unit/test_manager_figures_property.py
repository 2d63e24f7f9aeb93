"""Hypothesis: the manager's home puts every settlement on the showroom's local day — the
SQL hour (or quarter-hour) buckets mapped back to days equal the day of each instant, in
zones with whole-hour, half-hour, 45-minute and daylight-saving offsets — and the sales per
day of random settlements around local midnights equal a row-by-row count and the daily
report, day by day."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import factories
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from showroom.clock import set_now
from showroom.extensions import db
from showroom.manager.figures import bucket_day, bucket_seconds, payments_by_method, sales_per_day
from showroom.manager.period import Period
from showroom.reports.daily import daily_report
from showroom.settlement.models import Settlement
from showroom.settlement.services import PaymentIn, settle

ZONES = ["Asia/Shanghai", "Asia/Kolkata", "Asia/Kathmandu", "America/New_York",
         "Australia/Lord_Howe", "Europe/London", "Pacific/Chatham"]
instants = st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2098, 12, 1),
                        timezones=st.just(UTC))


@given(instants, st.sampled_from(ZONES))
@settings(max_examples=400, deadline=None)
def test_a_bucket_lands_on_the_day_of_every_instant_in_it(t: datetime, zone: str) -> None:
    tz = ZoneInfo(zone)
    day = t.astimezone(tz).date()
    size = bucket_seconds([day - timedelta(days=1), day, day + timedelta(days=1)], tz)
    bucket = int(t.timestamp()) // size
    assert bucket_day(bucket, size, tz) == day
    if zone in ("Asia/Shanghai", "America/New_York", "Europe/London"):
        assert size == 3600


DAY0 = date(2026, 11, 20)
TZ = ZoneInfo("Asia/Shanghai")
# minutes after local midnight of DAY0 - 1, over five local days, dense around midnights
minute = st.one_of(st.integers(0, 5 * 1440 - 1),
                   st.sampled_from([1439, 1440, 2879, 2880, 4319, 4320, 5759, 5760]))
sales = st.lists(st.tuples(minute, st.integers(1, 5), st.sampled_from(
    ["cash", "wechat", "alipay", "bank_transfer", "on_account"])), min_size=1, max_size=6)


@pytest.fixture
def shop(ctx):  # type: ignore[no-untyped-def]
    c = factories.customer(name="随机客户")
    p = factories.product(wholesale=1_234, stock=1_000_000)
    db.session.commit()
    return c.id, p


@given(sales)
@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_sales_per_day_equal_a_row_count_and_the_daily_report(shop, plan) -> None:  # type: ignore[no-untyped-def]
    cid, product = shop
    start = datetime(DAY0.year, DAY0.month, DAY0.day - 1, tzinfo=TZ)
    try:
        for minutes, qty, method in plan:
            set_now((start + timedelta(minutes=minutes)).astimezone(UTC))
            order = factories.order_with_lines(cid, [(product, qty)])
            settle(order.id, [PaymentIn(method, order.total)], cashier_id=None)
        db.session.flush()
        period = Period(DAY0 - timedelta(days=1), DAY0 + timedelta(days=3))
        rows = sales_per_day(period)
        expected: dict[date, list[int]] = {}
        for s in db.session.scalars(select(Settlement)):
            d = s.created_at.astimezone(TZ).date()
            expected.setdefault(d, [0, 0])
            expected[d][0] += s.total
            expected[d][1] += 1
        for r in rows:
            assert [r.sales, r.orders] == expected.get(r.day, [0, 0]), r.day
            daily = daily_report(r.day)
            assert (r.sales, r.orders) == (daily.sales_total, daily.orders)
        lo, hi = period.bounds()
        assert sum(p.amount for p in payments_by_method(lo, hi)) == sum(r.sales for r in rows)
    finally:
        set_now(None)
        db.session.rollback()


NOW = datetime(2026, 11, 22, 4, 0, tzinfo=UTC)
# (days ago, customer 0/1, kind, amount): sales on account and payments, oldest first
events = st.lists(st.tuples(st.integers(0, 200), st.integers(0, 1),
                            st.sampled_from(["sale", "payment"]), st.integers(1, 90_000)),
                  min_size=1, max_size=12)


@pytest.fixture
def debtors(ctx):  # type: ignore[no-untyped-def]
    ids = [factories.customer(name=f"客户{i}").id for i in range(2)]
    db.session.commit()
    return ids


@given(events)
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_ageing_by_sql_equals_the_money_desks_walk(debtors, plan) -> None:  # type: ignore[no-untyped-def]
    from showroom.customers.services import post_entry
    from showroom.manager.figures import ageing_buckets
    from showroom.money_desk.ageing import debt_ageing

    try:
        for ago, who, kind, amount in sorted(plan, key=lambda e: -e[0]):
            set_now(NOW - timedelta(days=ago, minutes=1))
            post_entry(debtors[who], kind, amount if kind == "sale" else -amount)
        db.session.flush()
        set_now(NOW)
        buckets, count = ageing_buckets(NOW)
        rows, totals = debt_ageing(NOW)
        assert {b.bucket: b.amount for b in buckets} == {
            k: totals[k] for k in ("0_30", "31_90", "90_plus")}
        assert count == len(rows)
        assert [b.customers for b in buckets] == [
            sum(1 for r in rows if r.buckets[b.bucket]) for b in buckets]
    finally:
        set_now(None)
        db.session.rollback()
