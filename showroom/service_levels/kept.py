"""Kept tallies of ended weeks, so the manager's home does not recount a year on each view.

The protocol (the table: models.KeptWeek):

- **Writers** bump `changes` of (level, week) in their own transaction, from a Session
  `after_flush` hook, whenever a flush inserts, deletes or changes a row a level reads
  (its start, due, done or filter columns) whose due falls in a week that has ended, or
  ends within `AHEAD` (a transaction still open across Monday 00:00 bumps too).
  Bulk ORM UPDATE/DELETE on those tables bump every kept week of their levels.
- **Readers** (`weekly_tallies_kept`) read `changes` first, count only the weeks that are
  still open or whose kept tally is missing or stale (`counted != changes`), and store
  what they counted with the `changes` they read — in a short transaction of their own,
  and never while their own session holds uncommitted bumps. A change the count could
  not see was committed together with its bump, so it leaves `counted != changes` and the
  week is counted again next time; nothing is trusted on a clock that has gone back.

Storing is best-effort (a cache): a lock held elsewhere skips it for this view.
`mismatches()` recounts every kept week for `flask showroom check`.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from functools import cache
from itertools import chain
from typing import Any

from sqlalchemy import event, inspect, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.sql import visitors
from sqlalchemy.sql.schema import Column, Table

from showroom.clock import now_utc, showroom_tz
from showroom.extensions import db
from showroom.service_levels.levels import Level, levels
from showroom.service_levels.models import KeptWeek

log = logging.getLogger(__name__)

AHEAD = timedelta(minutes=10)  # far longer than any transaction; a showroom is closed then
BUMPED = "service_level_weeks_bumped"  # session.info: this transaction bumped kept weeks
_TABLE: Table = KeptWeek.__table__  # type: ignore[assignment]


def _tz() -> str:
    from flask import has_app_context

    from showroom.service_levels.dashboard import tz_name

    return tz_name() if has_app_context() else "Asia/Shanghai"


def monday_of(moment: datetime, tz: str) -> date:
    day = moment.astimezone(showroom_tz(tz)).date()
    return day - timedelta(days=day.weekday())


def week_end(monday: date, tz: str) -> datetime:
    """Local midnight at the end of the week that starts on `monday`."""
    from showroom.service_levels.clock import day_start

    return day_start(monday + timedelta(days=7), tz)


# --- writers ------------------------------------------------------------------------------

@cache
def _watched() -> dict[type, list[tuple[Level, frozenset[str]]]]:
    """model → its levels, each with the attribute names that decide its tally."""
    out: dict[type, list[tuple[Level, frozenset[str]]]] = {}
    for level in levels():
        mapper = inspect(level.model)
        names = {level.start.key, level.anchor.key, level.done.key}
        for clause in level.where:
            for element in visitors.iterate(clause):
                if isinstance(element, Column) and element.table is mapper.local_table:
                    names.add(mapper.get_property_by_column(element).key)
        out.setdefault(level.model, []).append((level, frozenset(names)))
    return out


def _values(obj: Any, state: Any, key: str) -> list[Any]:
    """Old and new values of an attribute (None included); an attribute not loaded (the
    object expired after a commit) is loaded: it did not change in this flush."""
    hist = state.attrs[key].history
    values = [*hist.added, *hist.unchanged, *hist.deleted]
    if not values:
        values = [state.dict[key]] if key in state.dict else (
            [] if state.deleted or state.was_deleted else [getattr(obj, key)])
    return values


def _weeks_touched(level: Level, obj: Any, state: Any, tz: str) -> set[date]:
    anchors = _values(obj, state, level.anchor.key)
    weeks = {monday_of(a + level.offset, tz) for a in anchors if a is not None}
    if level.fallback_due is not None and (not anchors or None in anchors):
        for start in _values(obj, state, level.start.key):  # due not stored: any week it may be in
            if start is None:
                continue
            week, last = monday_of(start, tz), monday_of(start + level.fallback_window, tz)
            while week <= last:
                weeks.add(week)
                week += timedelta(days=7)
    return weeks


@event.listens_for(Session, "after_flush")
def _bump_after_flush(session: Session, _ctx: Any) -> None:
    watched = _watched()
    changed = [o for o in chain(session.new, session.dirty, session.deleted)
               if type(o) in watched]
    if not changed:
        return
    tz, horizon = _tz(), now_utc() + AHEAD
    pairs: set[tuple[str, date]] = set()
    for obj in changed:
        state = inspect(obj)
        for level, names in watched[type(obj)]:
            if level.concerns is not None and not level.concerns(obj):
                continue
            if obj in session.dirty and obj not in session.deleted and not any(
                    state.attrs[n].history.has_changes() for n in names):
                continue
            pairs.update((level.code, w) for w in _weeks_touched(level, obj, state, tz)
                         if week_end(w, tz) <= horizon)
    if pairs:
        _bump(session.connection(), pairs)
        session.info[BUMPED] = True


def _bump(conn: Any, pairs: Iterable[tuple[str, date]]) -> None:
    rows = [{"level": code, "week_start": week, "changes": 1} for code, week in sorted(pairs)]
    insert = sqlite.insert if conn.dialect.name == "sqlite" else postgresql.insert
    stmt = insert(_TABLE)
    conn.execute(stmt.on_conflict_do_update(
        index_elements=[_TABLE.c.level, _TABLE.c.week_start],
        set_={"changes": _TABLE.c.changes + 1}), rows)


@event.listens_for(Session, "do_orm_execute")
def _bump_bulk(execute_state: Any) -> None:
    """A bulk UPDATE/DELETE names no rows: every kept week of its levels is stale."""
    if not (execute_state.is_update or execute_state.is_delete):
        return
    mapper = execute_state.bind_mapper
    codes = [lv.code for lv, _n in _watched().get(mapper.class_, [])] if mapper else []
    if codes:
        execute_state.session.connection().execute(
            update(_TABLE).where(_TABLE.c.level.in_(codes))
            .values(changes=_TABLE.c.changes + 1))
        execute_state.session.info[BUMPED] = True


@event.listens_for(Session, "after_transaction_end")
def _forget_bumps(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(BUMPED, None)


# --- readers ------------------------------------------------------------------------------

def weekly_tallies_kept(level: Level, mondays: Sequence[date], edges: Sequence[datetime],
                        now: datetime) -> list[Any]:
    """`measure.weekly_tallies(level, edges, now)`, reusing the kept tallies of ended weeks
    and keeping the ones counted now."""
    from showroom.service_levels.measure import Tally, weekly_tallies

    ended = [i for i, m in enumerate(mondays) if edges[i + 1] <= now]
    kept: dict[date, Any] = {}
    if ended:
        kept = {r.week_start: r for r in db.session.execute(
            select(_TABLE).where(_TABLE.c.level == level.code,
                                 _TABLE.c.week_start.in_([mondays[i] for i in ended])))}
    out: list[Any] = [None] * len(mondays)
    for i in ended:
        row = kept.get(mondays[i])
        if (row is not None and row.counted is not None and row.counted == row.changes
                and row.met is not None and row.total is not None
                and row.counted_at is not None and row.counted_at <= now):
            out[i] = Tally(met=row.met, total=row.total)
    keep: list[dict[str, Any]] = []
    for lo, hi in _runs([i for i, t in enumerate(out) if t is None]):
        for offset, tally in enumerate(weekly_tallies(level, edges[lo:hi + 2], now)):
            i = lo + offset
            out[i] = tally
            if edges[i + 1] <= now:
                row = kept.get(mondays[i])
                keep.append({"level": level.code, "week_start": mondays[i],
                             "changes": row.changes if row is not None else 0,
                             "counted": row.changes if row is not None else 0,
                             "met": tally.met, "total": tally.total, "counted_at": now})
    if keep:
        _keep(keep)
    return out


def _runs(indexes: list[int]) -> list[tuple[int, int]]:
    """[2, 3, 4, 9] → [(2, 4), (9, 9)]"""
    runs: list[tuple[int, int]] = []
    for i in indexes:
        if runs and runs[-1][1] == i - 1:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return runs


def _keep(rows: list[dict[str, Any]]) -> None:
    """Store counted tallies in a short transaction of its own (never `changes` of a row
    that exists). Skipped while this session has uncommitted bumps (its counts include
    changes that may roll back) or holds SQLite's write lock (a second writer would wait
    for it); a lock held elsewhere skips it too — the next view tries again."""
    session = db.session()
    if session.info.get(BUMPED):
        return
    bind = db.engine
    if bind.dialect.name == "sqlite" and session.in_transaction() and \
            session.connection().info.get("sqlite_begin") != "DEFERRED":
        return
    insert = sqlite.insert if bind.dialect.name == "sqlite" else postgresql.insert
    stmt = insert(_TABLE)
    stmt = stmt.on_conflict_do_update(
        index_elements=[_TABLE.c.level, _TABLE.c.week_start],
        set_={"counted": stmt.excluded.counted, "met": stmt.excluded.met,
              "total": stmt.excluded.total, "counted_at": stmt.excluded.counted_at})
    sqlite_ = bind.dialect.name == "sqlite"
    try:
        with bind.connect() as conn:
            raw: Any = conn.connection.driver_connection  # a PRAGMA here would autobegin
            if sqlite_:
                raw.execute("PRAGMA busy_timeout=100")  # BEGIN IMMEDIATE waits this long
            try:
                with conn.begin():
                    if not sqlite_:
                        conn.exec_driver_sql("SET LOCAL lock_timeout = '100ms'")
                    conn.execute(stmt, rows)
            finally:
                if sqlite_:
                    raw.execute("PRAGMA busy_timeout=10000")
    except DBAPIError as exc:  # busy elsewhere: counted again next view
        log.info("service-level weeks not kept this time: %s", exc.orig)


def mismatches(now: datetime | None = None) -> list[tuple[str, date, int, int, int, int]]:
    """Kept tallies that are trusted (`counted == changes`) but differ from a recount:
    (level, week, kept met, kept total, counted met, counted total)."""
    from showroom.service_levels.measure import weekly_tallies

    now = now or now_utc()
    tz = _tz()
    out = []
    by_code = {lv.code: lv for lv in levels()}
    for row in db.session.execute(select(_TABLE).where(
            _TABLE.c.counted == _TABLE.c.changes, _TABLE.c.met.is_not(None))
            .order_by(_TABLE.c.level, _TABLE.c.week_start)):
        level = by_code.get(row.level)
        edges = [week_end(row.week_start - timedelta(days=7), tz), week_end(row.week_start, tz)]
        if level is None or edges[1] > now:
            continue
        (tally,) = weekly_tallies(level, edges, now)
        if (tally.met, tally.total) != (row.met, row.total):
            out.append((row.level, row.week_start, row.met, row.total, tally.met, tally.total))
    return out
