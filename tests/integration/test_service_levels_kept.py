"""Kept tallies of ended weeks (showroom/service_levels/kept.py): the weekly chart reuses
them and counts only open or changed weeks, and is always equal to a direct count — after
late callbacks, cancellations, rows typed in later, bulk updates, rollbacks, and a writer
racing the readers (both backends)."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from service_levels_support import add, world
from sqlalchemy import event, select, update

from showroom.clock import set_now, showroom_tz
from showroom.db import deferred_reads
from showroom.extensions import db
from showroom.followups.models import FollowUp
from showroom.ops.integrity import check_database
from showroom.orders.models import Order
from showroom.service_levels.dashboard import days_period
from showroom.service_levels.kept import mismatches
from showroom.service_levels.levels import by_code, level_codes
from showroom.service_levels.measure import tallies
from showroom.service_levels.models import KeptWeek
from showroom.service_levels.weekly import weekly

TZ = showroom_tz("Asia/Shanghai")
FIRST, LAST = date(2026, 10, 5), date(2026, 11, 15)  # six weeks, Monday to Sunday
NOW = datetime(2026, 11, 11, 15, tzinfo=TZ)  # a Wednesday: five weeks ended, one open


def at(m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    return datetime(2026, m, d, hh, mm, tzinfo=TZ)


@pytest.fixture
def w(ctx: Any) -> Iterator[dict[str, Any]]:
    made = world()
    db.session.commit()
    set_now(NOW)
    yield made
    set_now(None)


def direct(now: datetime = NOW) -> dict[tuple[date, str], tuple[int, int]]:
    """Each week's (met, total) counted afresh, level by level."""
    out = {}
    week = FIRST
    while week <= LAST:
        period = days_period(week, week + timedelta(days=6))
        for code in level_codes():
            (t,) = tallies(by_code(code), [period], now)
            out[(week, code)] = (t.met, t.total)
        week += timedelta(days=7)
    return out


def chart(now: datetime = NOW) -> dict[tuple[date, str], tuple[int, int]]:
    """The weekly chart as a manager's view reads it: a fresh read-only transaction."""
    db.session.commit()
    with deferred_reads():
        rows = weekly(FIRST, LAST, now=now)
    db.session.commit()
    return {(r.week_start, r.code): (r.met, r.total) for r in rows}


def kept() -> dict[tuple[date, str], KeptWeek]:
    db.session.expire_all()
    return {(k.week_start, k.level): k for k in db.session.scalars(select(KeptWeek))}


@contextmanager
def queries() -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: Any, _cur: Any, statement: str, *_a: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def some_items(w: dict[str, Any]) -> dict[str, Any]:
    items = {
        "late_callback": add("member_callback_3d", w, at(10, 6), at(10, 9, 18), None),
        "met_inquiry": add("inquiry_callback_24h", w, at(10, 13), at(10, 14, 10), at(10, 14, 9)),
        "open_online": add("online_answer_same_day", w, at(10, 20, 9), at(10, 20, 18), None),
        "greeted": add("greeting_1min", w, at(11, 3, 10), None, at(11, 3, 10, 0)),
        "this_week": add("complaint_first_response_24h", w, at(11, 9), at(11, 10, 10),
                         at(11, 10, 9)),
    }
    db.session.commit()
    return items


def test_ended_weeks_are_kept_then_reused_and_only_the_open_week_is_counted(w):
    some_items(w)
    assert chart() == direct()
    rows = kept()
    ended = {(FIRST + timedelta(days=7 * i), code) for i in range(5) for code in level_codes()}
    assert set(rows) == ended  # the open week (9–15 November) is not kept
    assert all(r.counted == r.changes and r.met is not None for r in rows.values())
    assert (rows[(date(2026, 10, 5), "member_callback_3d")].met,
            rows[(date(2026, 10, 5), "member_callback_3d")].total) == (0, 1)
    with queries() as seen:
        assert chart() == direct()
    counts = [q for q in seen if "GROUP BY" in q.upper()]
    assert len(counts) == len(level_codes())  # one count a level: the open week only


def test_a_change_in_an_ended_week_is_counted_again(w):
    items = some_items(w)
    chart()
    before = {k: r.changes for k, r in kept().items()}
    # a late callback done today: still late, but the week is counted again
    items["late_callback"].done_at = at(11, 11, 9)
    # the customer cancels the old unanswered online order: it owes no answer any more
    db.session.get(Order, items["open_online"].id).status = "cancelled"
    # a visit typed in afterwards, into an ended week
    add("greeting_1min", w, at(10, 28, 15), None, at(10, 28, 15, 5))
    db.session.commit()
    rows = kept()
    for key in ((date(2026, 10, 5), "member_callback_3d"),
                (date(2026, 10, 19), "online_answer_same_day"),
                (date(2026, 10, 26), "greeting_1min")):
        assert rows[key].changes == rows[key].counted + 1 == before[key] + 1, key
    assert rows[(date(2026, 10, 12), "inquiry_callback_24h")].changes == before[
        (date(2026, 10, 12), "inquiry_callback_24h")]  # untouched weeks stay trusted
    assert chart() == direct()
    assert chart()[(date(2026, 10, 19), "online_answer_same_day")] == (0, 0)
    assert chart()[(date(2026, 10, 26), "greeting_1min")] == (0, 1)  # 5 minutes: late
    assert all(r.counted == r.changes for r in kept().values())


def test_a_bulk_update_makes_every_kept_week_of_its_levels_stale(w):
    some_items(w)
    chart()
    db.session.execute(update(FollowUp).values(done_at=at(11, 11, 8))
                       .execution_options(synchronize_session=False))
    db.session.commit()
    stale = {key for key, r in kept().items() if r.counted != r.changes}
    assert {code for _w, code in stale} == {"member_callback_3d", "repair_callback_next_day"}
    assert len(stale) == 10
    assert chart() == direct()


def test_a_reader_holding_its_own_uncommitted_change_keeps_nothing(w):
    items = some_items(w)
    chart()
    before = {k: (r.counted, r.met) for k, r in kept().items()}
    items["late_callback"].done_at = at(10, 8, 9)  # typed in as done in time, not committed
    db.session.flush()
    rows = weekly(FIRST, LAST, now=NOW)  # sees its own change
    assert {(r.week_start, r.code): (r.met, r.total) for r in rows}[
        (date(2026, 10, 5), "member_callback_3d")] == (1, 1)
    db.session.rollback()
    assert {k: (r.counted, r.met) for k, r in kept().items()} == before
    assert chart() == direct()
    assert chart()[(date(2026, 10, 5), "member_callback_3d")] == (0, 1)


def test_a_clock_gone_back_does_not_trust_weeks_kept_later(w):
    some_items(w)
    chart(NOW + timedelta(days=14))  # the open week and the next one are kept too
    earlier = NOW - timedelta(days=1)
    set_now(earlier)
    add("greeting_1min", w, at(11, 3, 11), None, None)  # a week kept "in the future"
    db.session.commit()
    assert chart(earlier) == direct(earlier)


def test_check_lists_a_kept_week_that_disagrees_with_a_recount(w):
    some_items(w)
    chart()
    assert mismatches() == [] and check_database().ok
    row = db.session.get(KeptWeek, ("member_callback_3d", date(2026, 10, 5)))
    row.met = 1  # a hand-made edit: counted == changes, so it would be trusted
    db.session.commit()
    assert mismatches() == [("member_callback_3d", date(2026, 10, 5), 1, 1, 0, 1)]
    report = check_database()
    assert report.kinds() == {"service_level_week"}
    assert "member_callback_3d" in report.findings[0].message


ops = st.lists(st.tuples(
    st.sampled_from(["add", "add", "done", "cancel", "read"]),
    st.sampled_from(level_codes()),
    st.integers(0, 40 * 24 * 60),  # start, minutes after FIRST 00:00
    st.integers(1, 4 * 24 * 60),  # time allowed, minutes
    st.one_of(st.none(), st.integers(0, 6 * 24 * 60)),  # done, minutes after start
), max_size=18)


@settings(max_examples=20, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops)
def test_the_chart_always_equals_a_direct_count(w, steps):
    """Random writes and reads interleaved: every read equals a direct count."""
    base = datetime.combine(FIRST, datetime.min.time(), tzinfo=TZ)
    made: list[Any] = []
    try:
        for op, code, start_min, allowed, done_min in steps:
            if op == "add":
                start = base + timedelta(minutes=start_min)
                done = None if done_min is None else start + timedelta(minutes=done_min)
                if done is not None and done > NOW:
                    done = None
                made.append(add(code, w, start, start + timedelta(minutes=allowed), done))
                db.session.commit()
            elif op == "done" and made:
                row = made[start_min % len(made)]
                for name in ("greeted_at", "called_back_at", "done_at", "first_response_at",
                             "answered_at"):
                    if hasattr(row, name) and getattr(row, name) is None:
                        setattr(row, name, NOW - timedelta(minutes=allowed))
                db.session.commit()
            elif op == "cancel" and made:
                row = made[start_min % len(made)]
                if isinstance(row, Order):
                    row.status = "cancelled"
                    db.session.commit()
            else:
                assert chart() == direct()
        assert chart() == direct()
        assert mismatches() == []
    finally:
        db.session.rollback()
        for row in made:
            db.session.delete(db.session.merge(row))
        db.session.execute(KeptWeek.__table__.delete())
        db.session.commit()


def test_a_writer_racing_the_readers_leaves_no_stale_week(app, w):
    """One thread keeps changing rows of ended weeks and committing; two read the chart
    (and keep weeks) meanwhile. Afterwards every trusted kept week equals a recount."""
    items = [add("member_callback_3d", w, at(10, 5) + timedelta(days=d),
                 at(10, 8, 18) + timedelta(days=d), None) for d in range(0, 35, 3)]
    ids = [f.id for f in items]
    db.session.commit()  # and hold no transaction (SQLite: no write lock) while they run
    stop = threading.Event()
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            with app.app_context():
                set_now(NOW)
                for n in range(40):
                    f = db.session.get(FollowUp, ids[n % len(ids)])
                    f.due_at = f.due_at + timedelta(days=7 if n % 2 == 0 else -7)
                    f.done_at = None if n % 3 else at(10, 9, 9)
                    db.session.commit()
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            stop.set()

    def reader() -> None:
        try:
            with app.app_context():
                while not stop.is_set():
                    with deferred_reads():
                        weekly(FIRST, LAST, now=NOW)
                    db.session.rollback()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=writer)] + [threading.Thread(target=reader)
                                                   for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    db.session.expire_all()
    assert mismatches() == []
    assert chart() == direct()


def test_rows_no_level_reads_bump_nothing(w):
    """A showroom order or a birthday follow-up in an ended week is no service-level item:
    the floor's writes do not queue on the kept weeks' counters."""
    some_items(w)
    chart()
    before = {k: r.changes for k, r in kept().items()}
    db.session.add(Order(number="XS-T-FLOOR", customer_id=w["customer"].id, channel="showroom",
                         created_at=at(10, 13, 11)))
    db.session.add(FollowUp(kind="birthday", customer_id=w["customer"].id, source_type="birthday",
                            source_id=1, created_at=at(10, 13), due_at=at(10, 14, 18)))
    db.session.commit()
    assert {k: r.changes for k, r in kept().items()} == before
