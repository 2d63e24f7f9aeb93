"""The customer's history on one page (SPEC §8): visits, orders, payments and refunds,
returns and exchanges (after-sales documents, and the desk's and bench's return slips),
repairs, complaints, remarks, wishes, follow-ups and inquiries — newest first, each with
its date, number and a link where a screen exists.

One query per source, each capped, merged in Python: a page costs the same number of
queries whatever the customer's history holds. `more` says some source had more rows.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app, url_for
from sqlalchemy import select

from showroom.auth.models import Staff
from showroom.customers.models import LedgerEntry
from showroom.customers.services import may_see_debt
from showroom.extensions import db

CAP = 25
CAP_MORE = 500

# Which roles a source's screen lets in (manager passes every check): no link otherwise.
LINKS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "order": ("settlement.order", ("cashier",), "order_id"),
    "order_clerk": ("picking.order", ("clerk",), "order_id"),
    "repair": ("repairs.page", ("reception", "clerk", "cashier"), "repair_id"),
    "aftersales": ("aftersales.document", ("cashier",), "doc_id"),
    "complaint": ("complaints.page", ("reception", "clerk", "cashier"), "complaint_id"),
}


@dataclass
class Event:
    at: datetime
    kind: str  # visit, order, payment, refund, return, exchange, repair, complaint, …
    number: str = ""
    text: str = ""
    status: str = ""
    amount: int | None = None  # fen, shown only to roles that may see money owed
    url: str | None = None
    handled: bool | None = None
    status_group: str = ""  # the label group of `status` (showroom.labels)


@dataclass
class History:
    events: list[Event] = field(default_factory=list)
    more: bool = False


def _link(name: str, viewer: Staff, ident: int) -> str | None:
    endpoint, roles, arg = LINKS[name]
    if endpoint not in current_app.view_functions or not viewer.has_role(*roles):
        return None
    values: dict[str, Any] = {arg: ident}
    return url_for(endpoint, **values)


def history(customer_id: int, viewer: Staff, *, cap: int = CAP) -> History:
    """Everything that happened with the customer, newest first (at most `cap` per kind)."""
    from showroom.aftersales.models import AfterSalesDoc
    from showroom.followups.models import FollowUp
    from showroom.orders.models import Order
    from showroom.picking.models import Remark, Wish
    from showroom.reception.models import Inquiry, Visit
    from showroom.repairs.models import Repair
    from showroom.settlement.models import ReturnSlip

    money = may_see_debt(viewer)
    out = History()

    def take(model: Any, order_col: Any, *where: Any) -> list[Any]:
        rows = list(db.session.scalars(select(model).where(*where)
                                       .order_by(order_col.desc(), model.id.desc())
                                       .limit(cap + 1)))
        if len(rows) > cap:
            out.more = True
        return rows[:cap]

    def add(rows: list[Any], make: Callable[[Any], Event]) -> None:
        out.events.extend(make(r) for r in rows)

    add(take(Visit, Visit.arrived_at, Visit.customer_id == customer_id),
        lambda v: Event(v.arrived_at, "visit", status=v.status, text=v.purpose,
                        status_group="visit"))
    order_link = "order" if viewer.has_role("cashier") else "order_clerk"
    add(take(Order, Order.created_at, Order.customer_id == customer_id),
        lambda o: Event(o.settled_at or o.created_at, "order", o.number, status=o.status,
                        status_group="order", amount=o.total, url=_link(order_link, viewer, o.id)))
    add(take(LedgerEntry, LedgerEntry.created_at, LedgerEntry.customer_id == customer_id,
             LedgerEntry.kind.in_(("payment", "refund"))),
        lambda e: Event(e.created_at, str(e.kind), e.ref, text=_methods(e) if money else "",
                        amount=-e.amount if money else None))
    add(take(AfterSalesDoc, AfterSalesDoc.created_at, AfterSalesDoc.customer_id == customer_id),
        lambda d: Event(d.created_at, str(d.kind), d.number, text=d.note,
                        amount=d.credit if money else None,
                        url=_link("aftersales", viewer, d.id)))
    add(take(ReturnSlip, ReturnSlip.created_at, ReturnSlip.customer_id == customer_id),
        lambda d: Event(d.created_at, "return", d.number,
                        amount=d.total if money else None))
    add(take(Repair, Repair.received_at, Repair.customer_id == customer_id),
        lambda r: Event(r.received_at, "repair", r.number, text=r.description,
                        status=r.status, status_group="repair_status",
                        url=_link("repair", viewer, r.id)))
    _complaints(customer_id, viewer, take, add)
    add(take(Remark, Remark.created_at, Remark.customer_id == customer_id),
        lambda r: Event(r.created_at, "remark", text=r.text, status=r.kind,
                        status_group="remark",
                        handled=r.handled_at is not None))
    add(take(Wish, Wish.created_at, Wish.customer_id == customer_id),
        lambda w: Event(w.created_at, "wish",
                        text=f"{w.product.name if w.product else ''} {w.description} ×{w.qty}",
                        handled=w.notified_at is not None))
    add(take(FollowUp, FollowUp.due_at, FollowUp.customer_id == customer_id),
        lambda f: Event(f.done_at or f.due_at, "followup", text=f.note, status=f.kind,
                        status_group="followup_kind",
                        handled=f.done_at is not None))
    add(take(Inquiry, Inquiry.created_at, Inquiry.customer_id == customer_id),
        lambda i: Event(i.created_at, "inquiry", text=i.question,
                        handled=i.called_back_at is not None))
    out.events.sort(key=lambda e: e.at, reverse=True)
    return out


def _methods(entry: LedgerEntry) -> str:
    """A settlement payment's note lists its method codes ("cash, wechat"): named here."""
    from showroom.labels import label

    if entry.kind != "payment":
        return entry.note
    return "、".join(label(m.strip(), "payment") for m in entry.note.split(",") if m.strip())


def _complaints(customer_id: int, viewer: Staff, take: Callable[..., list[Any]],
                add: Callable[[list[Any], Callable[[Any], Event]], None]) -> None:
    from showroom.complaints.models import Complaint

    add(take(Complaint, Complaint.recorded_at, Complaint.customer_id == customer_id),
        lambda c: Event(c.recorded_at, "complaint", c.number, text=c.text, status=c.status,
                        status_group="complaint_status",
                        url=_link("complaint", viewer, c.id)))
