"""Complaint statistics (SPEC §6 "classified statistics", §11 first response ≤ 24 h):
counts by category, status and month of recording, the share that stood, the share whose
first response came by its due time, reopenings and the median days to close — computed
from the complaints as recorded, one function for the API, the page and its charts.

The period filters the recording time by the showroom's local days (`from`..`to`
inclusive). A first response counts as met when it came at or before its due time; a
complaint still unanswered counts only once its due time has passed.
"""
from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from statistics import median
from typing import Any

from sqlalchemy import select

from showroom.clock import now_utc, showroom_tz
from showroom.complaints.models import Complaint, ComplaintCategory, ComplaintStatus
from showroom.extensions import db


def period_bounds(start: date | None, end: date | None) -> tuple[datetime | None,
                                                                 datetime | None]:
    tz = showroom_tz()
    lo = datetime.combine(start, time.min, tzinfo=tz) if start else None
    hi = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz) if end else None
    return lo, hi


def complaints_in(start: date | None = None, end: date | None = None) -> list[Complaint]:
    lo, hi = period_bounds(start, end)
    q = select(Complaint).order_by(Complaint.recorded_at, Complaint.id)
    if lo is not None:
        q = q.where(Complaint.recorded_at >= lo)
    if hi is not None:
        q = q.where(Complaint.recorded_at < hi)
    return list(db.session.scalars(q))


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def first_response_met(c: Complaint) -> bool:
    return c.first_response_at is not None and c.first_response_at <= c.first_response_due


def complaint_stats(start: date | None = None, end: date | None = None, *,
                    now: datetime | None = None) -> dict[str, Any]:
    """The figures of complaints recorded in the period (every category and status listed,
    zeros included, so a chart's axis never changes shape)."""
    now = now or now_utc()
    tz = showroom_tz()
    rows = complaints_in(start, end)
    by_category = dict.fromkeys(ComplaintCategory.codes(), 0)
    by_status = dict.fromkeys(ComplaintStatus.codes(), 0)
    by_month: Counter[str] = Counter()
    judged = stood = due = met = 0
    days: list[float] = []
    for c in rows:
        by_category[c.category] = by_category.get(c.category, 0) + 1
        by_status[c.status] = by_status.get(c.status, 0) + 1
        by_month[c.recorded_at.astimezone(tz).strftime("%Y-%m")] += 1
        if c.stands is not None:
            judged += 1
            stood += bool(c.stands)
        if c.first_response_at is not None or c.first_response_due <= now:
            due += 1
            met += first_response_met(c)
        if c.status == ComplaintStatus.CLOSED and c.closed_at is not None:
            days.append((c.closed_at - c.recorded_at).total_seconds() / 86400)
    return {
        "from": start.isoformat() if start else None, "to": end.isoformat() if end else None,
        "total": len(rows), "by_category": by_category, "by_status": by_status,
        "by_month": dict(sorted(by_month.items())),
        "stands_share": _share(stood, judged), "judged": judged,
        "first_response_met_share": _share(met, due), "first_response_counted": due,
        "reopen_count": sum(c.reopen_count or 0 for c in rows),
        "reopened": sum(1 for c in rows if c.reopen_count),
        "closed": len(days),
        "median_days_to_close": round(median(days), 2) if days else None,
    }
