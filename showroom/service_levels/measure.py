"""The service levels counted in SQL (GROUP BY-free CASE sums over indexed due columns), so
a year of visits and follow-ups costs one query per level, not a row per item in Python.

Which items a period counts — precisely:
- an item belongs to the period its **due** moment falls in ([from, to) in UTC, built from
  showroom-local days);
- it is counted once it is **decided** at `now`: its due moment has passed, or it was
  done (an item done early counts before it falls due; an open item not yet due does not
  count yet — it may still be met);
- it is **met** when done at or before its due moment, **late** otherwise (done after
  due, or not done and due passed). share = met / counted.
- **at risk**: not done, not yet due, and at least 75 % of its time (start → due) used —
  opening time of the business calendar for the working-hour levels, the wall clock for
  the one-minute greeting. At risk is about now, whatever the period.

Online orders written before `answer_due_at` was set (NULL) get it computed here with
`bizcal.same_day_due` — those rows (only) are read and judged in Python.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Interval, and_, case, func, literal, not_, or_, select
from sqlalchemy.sql.elements import ColumnElement

from showroom.auth.models import Staff
from showroom.customers.models import Customer
from showroom.extensions import db
from showroom.service_levels.clock import AT_RISK_SHARE, BusinessClock, time_left, used_share
from showroom.service_levels.levels import Level

Period = tuple[datetime, datetime]  # [lo, hi) of due moments, aware


@dataclass(frozen=True)
class Tally:
    met: int
    total: int

    @property
    def late(self) -> int:
        return self.total - self.met

    @property
    def share(self) -> float | None:
        return None if self.total == 0 else self.met / self.total


@dataclass(frozen=True)
class Item:
    """One late or at-risk item, with what a manager needs to chase it."""

    code: str
    id: int
    ref: str
    customer: str
    who: str
    start_at: datetime
    due_at: datetime
    done_at: datetime | None
    source_id: int | None = None  # what the link points at beside the row's id
    left: timedelta | None = None  # at risk: time left (opening time on business levels)
    used: float | None = None  # at risk: share of the time used

    @property
    def link(self) -> str:
        """The source's page (made when asked: the API does not need it)."""
        from showroom.service_levels.levels import by_code

        return by_code(self.code).link(self.id, self.source_id)


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def met_clause(level: Level) -> ColumnElement[bool]:
    """done ≤ due, in SQL. The greeting's due is arrival + 1 min: on SQLite compared in
    whole milliseconds (julianday), on PostgreSQL with an interval."""
    done, anchor = level.done, level.anchor
    if not level.offset:
        return and_(done.is_not(None), done <= anchor)
    if _dialect() == "sqlite":
        ms = func.round((func.julianday(done) - func.julianday(anchor)) * 86_400_000.0)
        return and_(done.is_not(None), ms <= level.offset.total_seconds() * 1000)
    return and_(done.is_not(None), done <= anchor + literal(level.offset, Interval()))


def _decided(level: Level, now: datetime) -> ColumnElement[bool]:
    return or_(level.anchor <= now - level.offset,
               and_(level.done.is_not(None), level.done <= now))


def _in(level: Level, lo: datetime, hi: datetime) -> ColumnElement[bool]:
    return and_(level.anchor >= lo - level.offset, level.anchor < hi - level.offset)


def tallies(level: Level, periods: Sequence[Period], now: datetime) -> list[Tally]:
    """met / counted of each period, in one query (plus the few rows without a due)."""
    if not periods:
        return []
    met = met_clause(level)
    cols: list[Any] = []
    if len(periods) == 1:  # the WHERE is the period: no CASE on it
        cols = [func.count(), func.coalesce(func.sum(case((met, 1), else_=0)), 0)]
    for lo, hi in periods if len(periods) > 1 else ():
        inside = _in(level, lo, hi)
        cols.append(func.coalesce(func.sum(case((inside, 1), else_=0)), 0))
        cols.append(func.coalesce(func.sum(case((and_(inside, met), 1), else_=0)), 0))
    lo_all, hi_all = min(p[0] for p in periods), max(p[1] for p in periods)
    row = db.session.execute(select(*cols).select_from(level.model).where(
        *level.where, _in(level, lo_all, hi_all), _decided(level, now))).one()
    counts = [[int(row[2 * i]), int(row[2 * i + 1])] for i in range(len(periods))]
    for _start, due, done in _fallback_rows(level, lo_all, hi_all):
        if not (due <= now or (done is not None and done <= now)):
            continue
        for i, (lo, hi) in enumerate(periods):
            if lo <= due < hi:
                counts[i][0] += 1
                counts[i][1] += int(done is not None and done <= due)
    return [Tally(met=m, total=t) for t, m in counts]


def _bisect(column: Any, thresholds: Sequence[datetime], base: int) -> Any:
    """The number of `thresholds` (ascending) at or below `column`, plus `base`, as nested
    CASEs that halve the list: ~log2(n) comparisons a row instead of n/2 (a year is 53
    weeks: 6 instead of ~26 — the weekly chart of a year ran 4× faster)."""
    if not thresholds:
        return literal(base)
    mid = len(thresholds) // 2
    return case((column < thresholds[mid], _bisect(column, thresholds[:mid], base)),
                else_=_bisect(column, thresholds[mid + 1:], base + mid + 1))


def weekly_tallies(level: Level, edges: Sequence[datetime], now: datetime) -> list[Tally]:
    """met / counted between consecutive `edges` (ascending): one GROUP BY over a bucket
    number, so each row is tested against the edges once (for the weekly chart)."""
    if len(edges) < 2:
        return []
    bucket = _bisect(level.anchor, [edge - level.offset for edge in edges[1:]], 0)
    met = case((met_clause(level), 1), else_=0)
    rows = db.session.execute(
        select(bucket, met, func.count()).select_from(level.model)
        .where(*level.where, _in(level, edges[0], edges[-1]), _decided(level, now))
        .group_by(bucket, met)).all()
    counts = [[0, 0] for _ in edges[1:]]
    for b, m, n in rows:
        counts[int(b)][0] += int(n)
        counts[int(b)][1] += int(n) if int(m) else 0
    for _start, due, done in _fallback_rows(level, edges[0], edges[-1]):
        if not (due <= now or (done is not None and done <= now)):
            continue
        for i in range(len(edges) - 1):
            if edges[i] <= due < edges[i + 1]:
                counts[i][0] += 1
                counts[i][1] += int(done is not None and done <= due)
    return [Tally(met=m, total=t) for t, m in counts]


def _fallback_rows(level: Level, lo: datetime, hi: datetime, *, with_id: bool = False
                   ) -> list[Any]:
    """(start, computed due, done[, id]) of rows whose stored due is missing, due in
    [lo, hi)."""
    if level.fallback_due is None:
        return []
    rows = db.session.execute(select(level.start, level.done, level.model.id).where(
        *level.where, level.anchor.is_(None), level.start >= lo - level.fallback_window,
        level.start < hi)).all()
    out: list[Any] = []
    clock = BusinessClock()
    for start, done, pk in rows:
        due = level.fallback_due(start, clock)
        if lo <= due < hi:
            out.append((start, due, done, pk) if with_id else (start, due, done))
    return out


def _detail(level: Level) -> Any:
    """SELECT of the columns an Item needs, with the customer's and the staff's names."""
    name: Any = Customer.name
    if level.customer_name is not None:
        name = func.coalesce(Customer.name, level.customer_name)
    pk = level.model.id
    return (select(pk, level.source_id if level.source_id is not None else pk,
                   level.ref if level.ref is not None else literal(""),
                   level.start, level.anchor, level.done, name, Staff.name)
            .select_from(level.model)
            .outerjoin(Customer, Customer.id == level.customer_id)
            .outerjoin(Staff, Staff.id == level.who_id))


def _item(level: Level, row: Any, due: datetime | None = None, **extra: Any) -> Item:
    pk, source, ref, start, anchor, done, customer, who = row
    return Item(level.code, pk, ref or f"{level.ref_prefix}{pk}", customer or "", who or "",
                start, due or anchor + level.offset, done, source, **extra)


def late_items(level: Level, period: Period, now: datetime, limit: int = 50) -> list[Item]:
    """The late items of a period (latest due first, at most `limit`)."""
    lo, hi = period
    stmt = _detail(level).where(*level.where, _in(level, lo, hi), _decided(level, now),
                                not_(met_clause(level)))
    items = [_item(level, r) for r in db.session.execute(
        stmt.order_by(level.anchor.desc(), level.model.id.desc()).limit(limit))]
    if level.fallback_due is not None:
        late = {}  # id → computed due of the late rows without a stored due
        for _start, due, done, pk in _fallback_rows(level, lo, hi, with_id=True):
            decided = due <= now or (done is not None and done <= now)
            if decided and not (done is not None and done <= due):
                late[pk] = due
        wanted = sorted(late, key=lambda pk: (late[pk], pk), reverse=True)[:limit]
        if wanted:
            stmt = _detail(level).where(level.model.id.in_(wanted))
            items += [_item(level, r, late[r[0]]) for r in db.session.execute(stmt)]
        items.sort(key=lambda it: (it.due_at, it.id), reverse=True)
    return items[:limit]


def at_risk_items(level: Level, now: datetime) -> list[Item]:
    """Open items not yet due with ≥ 75 % of their time used, soonest due first."""
    stmt = _detail(level).where(*level.where, level.done.is_(None),
                                level.anchor > now - level.offset)
    rows: list[tuple[Any, datetime | None]] = [(r, None) for r in db.session.execute(stmt)]
    clock = BusinessClock()
    if level.fallback_due is not None:
        stmt = _detail(level).where(*level.where, level.done.is_(None), level.anchor.is_(None),
                                    level.start > now - level.fallback_window)
        rows += [(r, d) for r in db.session.execute(stmt)
                 if (d := level.fallback_due(r[3], clock)) > now]
    out = []
    for r, due in rows:
        due = due or r[4] + level.offset
        used = used_share(r[3], due, now, business=level.business, clock=clock)
        if used >= AT_RISK_SHARE:
            out.append(_item(level, r, due, used=used, left=time_left(
                now, due, business=level.business, clock=clock)))
    return sorted(out, key=lambda it: (it.due_at, it.id))
