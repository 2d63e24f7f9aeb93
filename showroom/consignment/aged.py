"""Unsold consigned goods older than N days (SHOWROOM_CONSIGNMENT_AGED_DAYS, default 90):
the list of what to return to its consignor, for one consignor or for all (SPEC §7).
An item's age counts from its first intake list (else when the product was made)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from showroom.catalog.models import Product
from showroom.clock import now_utc
from showroom.consignment.models import Consignor
from showroom.consignment.statement import intake_date
from showroom.customers.models import Customer
from showroom.extensions import db


@dataclass(frozen=True)
class AgedItem:
    consignor_id: int
    consignor_code: str
    consignor_name: str
    product_code: str
    name: str
    on_hand: int
    since: datetime
    days: int


def aged_days() -> int:
    return int(current_app.config.get("SHOWROOM_CONSIGNMENT_AGED_DAYS", 90))


def aged_goods(consignor_id: int | None = None, *, days: int | None = None,
               limit: int = 500) -> list[AgedItem]:
    """Consigned items still on our floor that came in more than `days` days ago, the
    oldest first."""
    days = aged_days() if days is None else days
    now = now_utc()
    since = intake_date().label("since")
    inner = (select(Product.consignor_id, Consignor.code.label("ccode"),
                    Customer.name.label("cname"), Product.code.label("pcode"),
                    Product.name.label("pname"), Product.on_hand, since)
             .join(Consignor, Consignor.id == Product.consignor_id)
             .join(Customer, Customer.id == Consignor.customer_id)
             .where(Product.consignor_id.is_not(None), Product.on_hand > 0))
    if consignor_id is not None:
        inner = inner.where(Product.consignor_id == consignor_id)
    sub = inner.subquery()
    rows = db.session.execute(select(sub).where(sub.c.since < now - timedelta(days=days))
                              .order_by(sub.c.since, sub.c.pcode).limit(limit)).tuples()
    out = []
    for cid, ccode, cname, pcode, pname, on_hand, at in rows:
        age = now - (at if at.tzinfo else at.replace(tzinfo=now.tzinfo))
        out.append(AgedItem(cid, ccode, cname, pcode, pname, int(on_hand), at, age.days))
    return out
