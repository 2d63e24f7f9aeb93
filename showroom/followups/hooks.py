"""Where follow-ups are born: one small function per event, called by the service that
records the event, in its transaction (SPEC §8 Details). Each opens its follow-up once per
source, so an event retried, or two workers at once, leave one row.

- an inquiry logged → `inquiry_callback`, due 24 working hours later (the inquiry's own
  `callback_due_at` is set to the same moment, so the two never disagree);
- a member's visit → `visit_callback`, due by closing time of the 3rd working day after;
- stock received for a product a customer wished for → `wish_arrived`, due within
  WISH_HOURS working hours;
- an inquiry called back / a wish notified on their own screens → the follow-up is closed.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import select

from showroom import bizcal
from showroom.clock import now_utc, showroom_tz
from showroom.customers.models import Customer
from showroom.extensions import db
from showroom.followups.models import FollowUp, FollowUpKind, Outcome
from showroom.followups.services import open_followup, owner_for

if TYPE_CHECKING:
    from datetime import datetime

    from showroom.picking.models import Wish
    from showroom.reception.models import Inquiry, Visit

VISIT_WORKING_DAYS = 3
WISH_HOURS = 4


def inquiry_callback(inquiry: Inquiry) -> FollowUp:
    """The inquiry's callback: SHOWROOM_CALLBACK_HOURS (24) working hours after it came
    in, owned by the caller's clerk when the caller has a customer file."""
    hours = int(current_app.config.get("SHOWROOM_CALLBACK_HOURS", 24))
    due = bizcal.due_after(inquiry.created_at, working_hours=hours)
    customer = db.session.get(Customer, inquiry.customer_id) if inquiry.customer_id else None
    f = open_followup(FollowUpKind.INQUIRY_CALLBACK, customer_id=inquiry.customer_id,
                      source_type="inquiry", source_id=inquiry.id, due_at=due,
                      owner_id=owner_for(customer))
    inquiry.callback_due_at = f.due_at
    db.session.flush()
    return f


def visit_due(arrived: datetime) -> datetime:
    """Closing time of the 3rd working day after the visit's local day."""
    cal = bizcal.Calendar.from_config()
    day = arrived.astimezone(showroom_tz(cal.tz_name)).date()
    for _i in range(VISIT_WORKING_DAYS - 1):
        day = cal.next_working_day(day).date()
    return cal.next_working_day(day, at=cal.periods[-1][1]).astimezone(arrived.tzinfo)


def visit_callback(visit: Visit) -> FollowUp | None:
    """A member's visit: call back within 3 working days (Std ch.13); others: none."""
    customer = db.session.get(Customer, visit.customer_id)
    if customer is None or not customer.member:
        return None
    return open_followup(FollowUpKind.VISIT_CALLBACK, customer_id=customer.id,
                         source_type="visit", source_id=visit.id,
                         due_at=visit_due(visit.arrived_at), owner_id=owner_for(customer))


def wishes_arrived(product_ids: Iterable[int], *, now: datetime | None = None
                   ) -> list[FollowUp]:
    """Stock came in for these products: one `wish_arrived` follow-up per open wish."""
    from showroom.picking.models import Wish

    ids = sorted(set(product_ids))
    if not ids:
        return []
    due = bizcal.due_after(now or now_utc(), working_hours=WISH_HOURS)
    wishes = db.session.scalars(select(Wish).where(
        Wish.notified_at.is_(None), Wish.product_id.in_(ids)).order_by(Wish.id))
    out = []
    for wish in list(wishes):
        customer = db.session.get(Customer, wish.customer_id)
        out.append(open_followup(FollowUpKind.WISH_ARRIVED, customer_id=wish.customer_id,
                                 source_type="wish", source_id=wish.id, due_at=due,
                                 owner_id=owner_for(customer)))
    return out


def close_for(kind: FollowUpKind, source_type: str, source_id: int, *, staff_id: int | None,
              note: str) -> None:
    """The event was handled on its own screen: its open follow-up is done too. Through
    the ORM (one or two rows), so the kept service-level weeks see which week changed."""
    for followup in db.session.scalars(select(FollowUp).where(
            FollowUp.kind == str(kind), FollowUp.source_type == source_type,
            FollowUp.source_id == source_id, FollowUp.done_at.is_(None)).with_for_update()):
        followup.done_at = now_utc()
        followup.done_by_id = staff_id
        followup.outcome = str(Outcome.DONE)
        followup.note = note[:500]
    db.session.flush()


def inquiry_called_back(inquiry: Inquiry) -> None:
    close_for(FollowUpKind.INQUIRY_CALLBACK, "inquiry", inquiry.id,
              staff_id=inquiry.called_back_by_id, note=inquiry.callback_note)


def wish_notified(wish: Wish, staff_id: int | None) -> None:
    close_for(FollowUpKind.WISH_ARRIVED, "wish", wish.id, staff_id=staff_id, note="")
