""""Last contact" of customers, derived from what happened, never typed (SPEC §8).

The latest of: a visit (arrival), a settled order, a payment (at the desk or at
settlement: a ledger `payment` entry), a shipment, a repair (received, back, handed
over), a follow-up done, a phone / online inquiry linked to the customer (or its
callback). One UNION ALL query for a whole page of customers, never one per customer.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, literal, select, union_all

from showroom.codes import Code
from showroom.customers.models import LedgerEntry
from showroom.extensions import db


class ContactSource(Code):
    """What the last contact was."""
    VISIT = "visit", _l("Visit")
    ORDER = "order", _l("Order settled")
    PAYMENT = "payment", _l("Payment")
    SHIPMENT = "shipment", _l("Shipment")
    REPAIR = "repair", _l("Repair")
    FOLLOWUP = "followup", _l("Call (follow-up)")
    INQUIRY = "inquiry", _l("Inquiry")


class HistoryKind(Code):
    """The kinds of events on the customer's history page."""
    VISIT = "visit", _l("Visit")
    ORDER = "order", _l("Order")
    PAYMENT = "payment", _l("Payment")
    REFUND = "refund", _l("Refund")
    RETURN = "return", _l("Return")
    EXCHANGE = "exchange", _l("Exchange")
    REPAIR = "repair", _l("Repair")
    COMPLAINT = "complaint", _l("Complaint")
    REMARK = "remark", _l("Remark")
    WISH = "wish", _l("Wish")
    FOLLOWUP = "followup", _l("Follow-up")
    INQUIRY = "inquiry", _l("Inquiry")

# Ledger payments with this ref are the opening balances of a new database, not contact.
OPENING_REF = "OPENING"


def _sources(ids: list[int]) -> list[Select[Any]]:
    """(customer_id, at, source) selects, each restricted to the given customers."""
    from showroom.followups.models import FollowUp
    from showroom.orders.models import Order
    from showroom.reception.models import Inquiry, Visit
    from showroom.repairs.models import Repair
    from showroom.shipping.models import Shipment

    def one(customer_col: Any, at: Any, name: str, *where: Any) -> Select[Any]:
        return (select(customer_col.label("customer_id"), func.max(at).label("at"),
                       literal(name).label("source"))
                .where(customer_col.in_(ids), at.is_not(None), *where)
                .group_by(customer_col))

    return [
        one(Visit.customer_id, Visit.arrived_at, "visit"),
        one(Order.customer_id, Order.settled_at, "order"),
        one(LedgerEntry.customer_id, LedgerEntry.created_at, "payment",
            LedgerEntry.kind == "payment", LedgerEntry.ref != OPENING_REF),
        one(Shipment.customer_id, Shipment.shipped_at, "shipment"),
        one(Repair.customer_id, Repair.received_at, "repair"),
        one(Repair.customer_id, Repair.back_at, "repair"),
        one(Repair.customer_id, Repair.closed_at, "repair"),
        one(FollowUp.customer_id, FollowUp.done_at, "followup"),
        one(Inquiry.customer_id, Inquiry.created_at, "inquiry"),
        one(Inquiry.customer_id, Inquiry.called_back_at, "inquiry"),
    ]


def last_contact_details(customer_ids: Sequence[int]) -> dict[int, tuple[datetime, str]]:
    """{customer id: (when, what)} for the customers with any contact; one query."""
    ids = sorted({int(i) for i in customer_ids})
    if not ids:
        return {}
    rows = db.session.execute(union_all(*_sources(ids))).all()
    best: dict[int, tuple[datetime, str]] = {}
    for customer_id, at, source in rows:
        if at is None:
            continue
        if isinstance(at, str):  # SQLite hands back text when the column type is lost
            at = datetime.fromisoformat(at)
        if at.tzinfo is None:
            at = at.replace(tzinfo=UTC)
        if customer_id not in best or at > best[customer_id][0]:
            best[customer_id] = (at, source)
    return best


def last_contacts(customer_ids: Sequence[int]) -> dict[int, datetime | None]:
    """{customer id: latest contact or None} for every id asked about; one query."""
    found = last_contact_details(customer_ids)
    return {int(i): (found[int(i)][0] if int(i) in found else None) for i in customer_ids}


def last_contact(customer_id: int) -> tuple[datetime, str] | None:
    """The one customer's latest contact and what it was, or None."""
    return last_contact_details([customer_id]).get(customer_id)
