"""Rows for the service-level tests, written directly with the times a test wants: a visit
(arrived, greeted), an inquiry, a follow-up, a complaint, an online order."""
from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

import factories

from showroom.complaints.models import Complaint
from showroom.extensions import db
from showroom.followups.models import FollowUp
from showroom.orders.models import Order
from showroom.reception.models import Inquiry, Visit

_seq = itertools.count(1)


def world() -> dict[str, Any]:
    c = factories.customer(name="李老板")
    s = factories.staff("reception", name="王芳")
    db.session.flush()
    return {"customer": c, "staff": s}


def add(level: str, w: dict[str, Any], start: datetime, due: datetime | None,
        done: datetime | None) -> Any:
    """One item of `level` that started at `start`, due at `due` (ignored for the greeting:
    arrival + 1 min) and done at `done` (None: open)."""
    n = next(_seq)
    cid, sid = w["customer"].id, w["staff"].id
    row: Any
    if level == "greeting_1min":
        row = Visit(customer_id=cid, arrived_at=start, greeted_at=done,
                    greeted_by_id=sid if done else None)
    elif level == "inquiry_callback_24h":
        assert due is not None
        row = Inquiry(caller_name=f"来电{n}", phone="13800000000", question="价格",
                      created_at=start, callback_due_at=due, called_back_at=done, staff_id=sid)
    elif level in ("member_callback_3d", "repair_callback_next_day"):
        assert due is not None
        kind = "visit_callback" if level == "member_callback_3d" else "repair_callback"
        row = FollowUp(kind=kind, customer_id=cid, source_type=kind.split("_")[0],
                       source_id=n, created_at=start, due_at=due, done_at=done, owner_id=sid)
    elif level == "complaint_first_response_24h":
        assert due is not None
        row = Complaint(number=f"TS-T-{n:05d}", status="recorded", customer_id=cid,
                        channel="phone", category="service", text="慢", recorded_at=start,
                        first_response_due=due, first_response_at=done, recorded_by_id=sid)
    elif level == "online_answer_same_day":
        row = Order(number=f"XS-T-{n:05d}", customer_id=cid, channel="online",
                    created_at=start, answer_due_at=due, answered_at=done,
                    answered_by_id=sid if done else None)
    else:
        raise KeyError(level)
    db.session.add(row)
    db.session.flush()
    return row
