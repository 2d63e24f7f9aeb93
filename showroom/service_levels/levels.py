"""One definition per service level (SPEC §11): its code, target, the rows it measures,
and how their due and done moments are read from what was recorded — never from counters.

Every level reads three moments of a row: when its time started (`start`), when it is due
(`anchor + offset`: the stored due column, or for the greeting the arrival plus one minute)
and when it was done (`done`, NULL while open). The definitions are data, so the SQL in
`measure.py` is written once for all of them.

- greeting_1min: visits; start arrived_at; due arrived_at + 1 min; done greeted_at; wall
  clock.
- inquiry_callback_24h: inquiries; start created_at; due callback_due_at (24 working
  hours); done called_back_at.
- member_callback_3d: follow-ups `visit_callback`; start created_at; due due_at (closing
  time of the 3rd working day); done done_at.
- online_answer_same_day: orders on channel online; start created_at; due answer_due_at
  (bizcal.same_day_due with SHOWROOM_ONLINE_CUTOFF, computed when NULL); done answered_at; an order cancelled
  before it was answered is left out.
- complaint_first_response_24h: complaints; start recorded_at; due first_response_due;
  done first_response_at.
- repair_callback_next_day: follow-ups `repair_callback`; start created_at; due due_at
  (the next working day after the piece is back); done done_at.
All but the greeting run on the business calendar.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_
from sqlalchemy.sql.elements import ColumnElement


@dataclass(frozen=True)
class Level:
    """A service level: where its items come from and how they are read."""

    code: str
    label: Any  # lazy string
    target: Any  # lazy string: "≤ 1 minute"
    model: Any
    start: Any  # column: when the item's time starts
    anchor: Any  # column: due = anchor + offset
    done: Any  # column: when it was done (NULL = open)
    business: bool  # True: time on the business calendar; False: wall clock
    offset: timedelta = timedelta(0)
    where: tuple[ColumnElement[bool], ...] = ()
    ref: Any = None  # column of a document number, else ref_prefix + id
    ref_prefix: str = ""
    customer_id: Any = None  # column
    customer_name: Any = None  # expression used when there is no customer file
    who_id: Any = None  # column or expression: the staff member answerable
    link: Callable[[int, int | None], str] = field(default=lambda _i, _s: "")
    source_id: Any = None  # column handed to `link` beside the row's id
    # the due time when `anchor` is NULL, from the start (and a BusinessClock)
    fallback_due: Callable[[datetime, Any], datetime] | None = None
    fallback_window: timedelta = timedelta(days=20)  # max(due - start) of fallback rows
    # `where` in Python for one loaded row (on columns that never change), so a flush of a
    # row no level reads (a showroom order, a birthday follow-up) bumps no kept week
    concerns: Callable[[Any], bool] | None = None


def _url(endpoint: str, **kwargs: Any) -> str:
    try:
        return url_for(endpoint, **kwargs)
    except RuntimeError:  # outside a request (weekly chart, CLI): no links needed
        return ""


def _online_due(created: datetime, clock: Any) -> datetime:
    """`bizcal.same_day_due(created, cutoff=SHOWROOM_ONLINE_CUTOFF)`, as the order's own
    answer_due_at is set."""
    from flask import current_app

    from showroom import bizcal

    cutoff = bizcal._hm(current_app.config.get("SHOWROOM_ONLINE_CUTOFF") or "17:00")
    return clock.same_day_due(created, cutoff)


@cache
def levels() -> tuple[Level, ...]:
    """The levels in the order the dashboard, the API and the weekly chart show them."""
    from showroom.complaints.models import Complaint
    from showroom.followups.models import FollowUp, FollowUpKind
    from showroom.orders.models import Channel, Order, OrderStatus
    from showroom.reception.models import Inquiry, Visit

    def followup_link(kind: str) -> Callable[[int, int | None], str]:
        if kind == FollowUpKind.REPAIR_CALLBACK:
            return lambda _i, src: _url("repairs.page", repair_id=src)
        return lambda _i, src: _url("reception.visit", visit_id=src)

    def followups(code: str, kind: str, label: Any, target: Any, prefix: str) -> Level:
        return Level(code, label, target, FollowUp, FollowUp.created_at, FollowUp.due_at,
                     FollowUp.done_at, True, where=(FollowUp.kind == kind,),
                     ref_prefix=prefix, customer_id=FollowUp.customer_id,
                     who_id=func.coalesce(FollowUp.done_by_id, FollowUp.owner_id),
                     link=followup_link(kind), source_id=FollowUp.source_id,
                     concerns=lambda f: f.kind == kind)

    return (
        Level("greeting_1min", _l("Greeting at the door"), _l("within 1 minute of arrival"), Visit,
              Visit.arrived_at, Visit.arrived_at, Visit.greeted_at, False,
              offset=timedelta(minutes=1), ref_prefix="V-", customer_id=Visit.customer_id,
              who_id=Visit.greeted_by_id,
              link=lambda i, _s: _url("reception.visit", visit_id=i)),
        Level("inquiry_callback_24h", _l("Inquiry callback"), _l("within 24 working hours"),
              Inquiry, Inquiry.created_at, Inquiry.callback_due_at, Inquiry.called_back_at,
              True, ref_prefix="IQ-", customer_id=Inquiry.customer_id,
              customer_name=Inquiry.caller_name, who_id=Inquiry.staff_id,
              link=lambda i, _s: _url("reception.inquiry_history")),
        followups("member_callback_3d", FollowUpKind.VISIT_CALLBACK,
                  _l("Member callback"), _l("within 3 working days of the visit"), "FU-"),
        Level("online_answer_same_day", _l("Online order answered"),
              _l("the same working day (next one after the cut-off)"), Order,
              Order.created_at, Order.answer_due_at, Order.answered_at, True,
              # an order the customer cancelled before it was answered owes no answer
              where=(Order.channel == Channel.ONLINE,
                     or_(Order.status != OrderStatus.CANCELLED, Order.answered_at.is_not(None))),
              ref=Order.number,
              customer_id=Order.customer_id,
              who_id=func.coalesce(Order.answered_by_id, Order.clerk_id),
              link=lambda i, _s: _url("picking.order", order_id=i),
              fallback_due=_online_due, concerns=lambda o: o.channel == Channel.ONLINE),
        Level("complaint_first_response_24h", _l("Complaint first response"),
              _l("within 24 working hours"), Complaint, Complaint.recorded_at,
              Complaint.first_response_due, Complaint.first_response_at, True,
              ref=Complaint.number, customer_id=Complaint.customer_id,
              customer_name=Complaint.caller, who_id=Complaint.recorded_by_id,
              link=lambda i, _s: _url("complaints.page", complaint_id=i)),
        followups("repair_callback_next_day", FollowUpKind.REPAIR_CALLBACK,
                  _l("Repair callback"), _l("the working day after the piece is back"),
                  "FU-"),
    )


def level_codes() -> list[str]:
    return [lv.code for lv in levels()]


def by_code(code: str) -> Level:
    for lv in levels():
        if lv.code == code:
            return lv
    raise KeyError(code)
