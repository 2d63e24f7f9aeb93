"""Builders for the consignment tests: a consignor from a new customer, an intake list of
a few lines, the counts of every table an intake or withdrawal writes (to prove a refusal
wrote nothing), and the print jobs of a list."""
from __future__ import annotations

import json
from typing import Any

import factories
from sqlalchemy import func, select

from showroom.attachments.models import Attachment
from showroom.catalog.models import Product, StockMove
from showroom.consignment.consignors import make_consignor
from showroom.consignment.intake import IntakeLine, take_in
from showroom.consignment.models import Consignment, ConsignmentLine, Consignor
from showroom.extensions import db
from showroom.printjobs.models import PrintJob


def consignor(name: str = "李明", kind: str = "wholesale", **kw: Any) -> Consignor:
    customer = factories.customer(name=name, kind=kind)
    return make_consignor(customer.id, **kw)


def lines(n: int = 2, qty: int = 3) -> list[IntakeLine]:
    return [IntakeLine(f"代销银手镯{i}号", qty, 12000 + i * 100, 11000 + i * 100,
                       8000 if i % 2 else None) for i in range(1, n + 1)]


def intake(c: Consignor, *, n: int = 2, qty: int = 3, present: bool = False,
           signature_png: bytes | None = None, **kw: Any) -> Consignment:
    return take_in(c.id, lines(n, qty), present=present,
                   signature_png=signature_png or (factories.signature_png() if present else None),
                   **kw)


def counts() -> dict[str, int]:
    tables = {"consignors": Consignor, "consignments": Consignment,
              "lines": ConsignmentLine, "products": Product, "moves": StockMove,
              "jobs": PrintJob, "attachments": Attachment}
    return {name: db.session.scalar(select(func.count()).select_from(model)) or 0
            for name, model in tables.items()}


def jobs_of(ref: str, document: str | None = None) -> list[PrintJob]:
    stmt = select(PrintJob).where(PrintJob.ref == ref)
    if document:
        stmt = stmt.where(PrintJob.document == document)
    return list(db.session.scalars(stmt.order_by(PrintJob.id)))


def payload(job: PrintJob) -> dict[str, Any]:
    return dict(json.loads(job.payload))
