"""The printed after-sales return slip (售后退货单) and exchange slip (换货单): a JSON
snapshot on the print job, queued in the same transaction as the document, printed by
the worker (ESC/POS or PDF, printing/compose_aftersales.py and pdf_aftersales.py)."""
from __future__ import annotations

from typing import Any

from showroom.aftersales.models import AfterSalesDoc, AfterSalesKind
from showroom.auth.models import Staff
from showroom.extensions import db
from showroom.money import fen_str
from showroom.orders.models import Order
from showroom.printjobs.services import queue_job
from showroom.settlement.documents import customer_party, now_local


def slip_kind(doc: AfterSalesDoc) -> str:
    return "aftersales_exchange" if doc.kind == AfterSalesKind.EXCHANGE else "aftersales_return"


def _who(staff_id: int | None) -> str:
    staff = db.session.get(Staff, staff_id) if staff_id else None
    return f"{staff.staff_no} {staff.name}" if staff else ""


def slip_payload(doc: AfterSalesDoc) -> dict[str, Any]:
    order_ids = list(dict.fromkeys(ln.order_id for ln in doc.lines))
    numbers = {o.id: o.number for o in (db.session.get(Order, i) for i in order_ids) if o}
    exchange = doc.kind == AfterSalesKind.EXCHANGE
    return {
        "number": doc.number, "printed_at": now_local(), "customer": customer_party(doc.customer),
        "kind": doc.kind, "reason": doc.reason, "quality_confirmed": doc.quality_confirmed,
        "orders": ", ".join(numbers[i] for i in order_ids if i in numbers),
        "lines": [{"code": ln.product.code, "name": ln.product.name, "qty": ln.qty,
                   "unit_price": fen_str(ln.unit_price),
                   "amount": fen_str(ln.unit_price * ln.qty)} for ln in doc.lines],
        "replacements": [{"code": r.product.code, "name": r.product.name, "qty": r.qty,
                          "unit_price": fen_str(r.unit_price),
                          "amount": fen_str(r.unit_price * r.qty)} for r in doc.replacements],
        "credit": fen_str(doc.credit), "replacement_total": fen_str(doc.replacement_total),
        "difference": fen_str(doc.difference if exchange else -doc.credit),
        "balance_after": fen_str(doc.balance_after),
        "rule": doc.rule, "allowed": doc.allowed, "reasons": doc.reason_list,
        "manager": _who(doc.override_manager_id), "override_reason": doc.override_reason,
        "handler": _who(doc.staff_id), "note": doc.note,
    }


def queue_slip(doc: AfterSalesDoc, *, station: str | None, staff_id: int | None) -> None:
    db.session.refresh(doc, ["lines", "replacements"])
    queue_job(slip_kind(doc), slip_payload(doc), station=station, ref=doc.number,
              staff_id=staff_id)
