"""Finding complaints: the list (by status, category, recording period), open ones whose
first response is overdue first, then the newest."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from showroom.clock import now_utc
from showroom.complaints.models import Complaint
from showroom.complaints.stats import period_bounds
from showroom.extensions import db

LIMIT = 500


def response_overdue(c: Complaint, now: datetime | None = None) -> bool:
    """No first response yet and its due time has passed."""
    return c.first_response_at is None and c.first_response_due <= (now or now_utc())


def complaint_list(*, status: str | None = None, category: str | None = None,
                   start: date | None = None, end: date | None = None,
                   customer_id: int | None = None, limit: int = LIMIT) -> list[Complaint]:
    q = select(Complaint).options(joinedload(Complaint.customer))
    if status:
        q = q.where(Complaint.status == status)
    if category:
        q = q.where(Complaint.category == category)
    if customer_id:
        q = q.where(Complaint.customer_id == customer_id)
    lo, hi = period_bounds(start, end)
    if lo is not None:
        q = q.where(Complaint.recorded_at >= lo)
    if hi is not None:
        q = q.where(Complaint.recorded_at < hi)
    rows = list(db.session.scalars(q.order_by(Complaint.recorded_at.desc(), Complaint.id.desc())
                                   .limit(limit)))
    now = now_utc()
    return sorted(rows, key=lambda c: not response_overdue(c, now))  # stable: newest within
