"""The repair lists: open (not yet back), abroad, overdue (abroad past the end of its
window), back awaiting collection — and the filter the API uses."""
from __future__ import annotations

from datetime import date

from flask import current_app
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from showroom.clock import local, now_utc
from showroom.extensions import db
from showroom.repairs.models import Repair, RepairStatus

LISTS = ("open", "abroad", "overdue", "back")
OPEN = (RepairStatus.RECEIVED, RepairStatus.IN_HOUSE, RepairStatus.ABROAD)


def today() -> date:
    return local(now_utc(), current_app.config["SHOWROOM_TIMEZONE"]).date()


def is_overdue(repair: Repair, on: date | None = None) -> bool:
    return (repair.status == RepairStatus.ABROAD and repair.expected_back_to is not None
            and repair.expected_back_to < (on or today()))


def repair_query(*, status: str | None = None, overdue: bool = False,
                 customer_id: int | None = None, which: str | None = None,
                 limit: int = 200) -> Select[tuple[Repair]]:
    q = select(Repair).options(joinedload(Repair.customer))
    if which == "open":
        q = q.where(Repair.status.in_(OPEN))
    elif which == "abroad":
        q = q.where(Repair.status == RepairStatus.ABROAD)
    elif which == "back":
        q = q.where(Repair.status == RepairStatus.BACK)
    if which == "overdue" or overdue:
        q = q.where(Repair.status == RepairStatus.ABROAD, Repair.expected_back_to < today())
    if status:
        q = q.where(Repair.status == status)
    if customer_id:
        q = q.where(Repair.customer_id == customer_id)
    order = Repair.expected_back_to if which in ("abroad", "overdue") or overdue else Repair.id
    return q.order_by(order, Repair.id).limit(limit)


def repair_list(**kw: object) -> list[Repair]:
    return list(db.session.scalars(repair_query(**kw)))  # type: ignore[arg-type]
