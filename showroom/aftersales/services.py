"""Returns and exchanges (SPEC §6): the verdict first, then one document, exactly once.

`check_return` judges a request and writes nothing. `make_return` locks the orders of the
chosen sale lines (id order), reads what is still returnable under those locks, judges
again, and only then moves anything: the goods back into stock at the price paid, an
exchange's replacements out at today's price for the customer's kind, ONE ledger entry
(a return: its credit; an exchange: the difference either way, none when it is 0), the
slip queued for printing. A refusal stops everything (409 with the verdict) unless a
manager's staff number, PIN and reason override it; the returnable quantity is never
overridden. A refund in money is the money desk's refund, not done here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from showroom.aftersales.models import (
    AfterSalesDoc,
    AfterSalesKind,
    AfterSalesLine,
    AfterSalesReplacement,
    Delivery,
)
from showroom.aftersales.requests import ReturnRequest
from showroom.aftersales.returnable import ReturnableLine, lines_by_id, quota_of, today_local
from showroom.aftersales.rules import Asked, Case, Quota, Verdict, judge
from showroom.catalog.models import Product
from showroom.catalog.services import find_product, move_stock
from showroom.consignment.ledger import post_aftersales
from showroom.customers.models import Customer, CustomerKind
from showroom.customers.services import lock_customer, post_entry
from showroom.errors import InsufficientStock, NotFound, RuleRefused, ValidationFailed
from showroom.extensions import db
from showroom.money import fen_str
from showroom.money_desk.approval import approving_manager
from showroom.numbering import next_number
from showroom.orders.models import OrderLine
from showroom.orders.services import lock_order
from showroom.picking.models import RestockTask


class VerdictRefused(RuleRefused):
    """A rule refused the return: 409 with `rule`, `reasons` and the whole `verdict`."""

    def __init__(self, verdict: Verdict, *, credit: int = 0) -> None:
        super().__init__(verdict.rule, list(verdict.reasons))
        self.verdict = verdict
        self.extra = {"verdict": verdict.as_dict(), "credit": fen_str(credit)}


@dataclass
class Assessment:
    """Everything the verdict was made from, and what the document would move."""
    customer: Customer
    verdict: Verdict
    lines: list[tuple[ReturnableLine, int]]
    replacements: list[tuple[Product, int, int]]  # product, qty, unit price today
    credit: int
    replacement_total: int
    quota_value: int
    quota: Quota | None

    @property
    def headroom_after(self) -> int | None:
        if self.quota is None:
            return None
        return max(0, self.quota.limit - self.quota.returned - self.quota_value)


def _customer(customer_id: int) -> Customer:
    customer = db.session.get(Customer, customer_id)
    if customer is None:
        raise ValidationFailed(_("no customer %(id)s", id=customer_id),
                               errors={"customer_id": _("no such customer")})
    return customer


def _price(product: Product, kind: str) -> int:
    return product.price_franchise if kind == CustomerKind.FRANCHISE else product.price_wholesale


def _delivery(lines: list[tuple[ReturnableLine, int]]) -> str:
    """The strictest way any of the lines left: self-pickup, then shipped, then unshipped."""
    found = {line.delivery for line, _qty in lines}
    for d in (Delivery.SELF_PICKUP, Delivery.SHIPPED, Delivery.UNSHIPPED):
        if d in found:
            return d
    return Delivery.UNSHIPPED


def _replacements(req: ReturnRequest, kind: str) -> list[tuple[Product, int, int]]:
    out: list[tuple[Product, int, int]] = []
    errors: dict[str, str] = {}
    for i, (code, qty) in enumerate(req.replacements):
        try:
            product = find_product(barcode=code)
        except NotFound:
            errors[f"replacements[{i}].barcode"] = _("no product %(code)s", code=code)
            continue
        out.append((product, qty, _price(product, kind)))
    if errors:
        raise ValidationFailed(_("unknown replacement: %(codes)s",
                                 codes=", ".join(errors.values())), errors=errors)
    return out


def assess(req: ReturnRequest, *, lock: bool) -> Assessment:
    """Gather the facts and judge. With `lock`, the orders of the chosen lines are locked
    first (in id order, so two desks never deadlock) and the facts read under the locks."""
    customer = _customer(req.customer_id)
    line_ids = [line_id for line_id, _qty in req.lines]
    if lock:
        order_ids = db.session.scalars(select(OrderLine.order_id).distinct()
                                       .where(OrderLine.id.in_(line_ids)))
        for order_id in sorted(order_ids):
            lock_order(order_id)
        lock_customer(customer.id)  # the quota and the balance: one desk at a time
    facts = lines_by_id(line_ids)
    errors: dict[str, str] = {}
    chosen: list[tuple[ReturnableLine, int]] = []
    for i, (line_id, qty) in enumerate(req.lines):
        line = facts.get(line_id)
        if line is None or line.customer_id != customer.id:
            errors[f"lines[{i}].line_id"] = _("line %(id)s is not a sale of this customer",
                                              id=line_id)
            continue
        chosen.append((line, qty))
    if errors:
        raise ValidationFailed(_("choose sale lines of this customer's settled orders"),
                               errors=errors)
    replacements = _replacements(req, customer.kind)
    credit = sum(line.unit_price * qty for line, qty in chosen)
    replacement_total = sum(price * qty for _p, qty, price in replacements)
    exchange = req.kind == AfterSalesKind.EXCHANGE
    if exchange:
        in_stock = all(p.on_hand >= qty for p, qty, _price in replacements)
    else:
        on_hand = dict(db.session.execute(select(Product.id, Product.on_hand).where(
            Product.id.in_({line.product_id for line, _q in chosen}))).tuples().all())
        in_stock = all(on_hand.get(line.product_id, 0) > 0 for line, _q in chosen)
    quota_value = max(0, credit - replacement_total) if exchange else credit
    quota = quota_of(customer.id) if customer.kind == CustomerKind.FRANCHISE else None
    case = Case(customer.kind, req.kind, req.reason, req.quality_confirmed, _delivery(chosen),
                in_stock)
    asked = [Asked(f"{line.order_number} {line.product_code}", qty, line.returnable_qty,
                   line.at_bench) for line, qty in chosen]
    verdict = judge(case, asked, quota, quota_value, today_local())
    return Assessment(customer, verdict, chosen, replacements, credit, replacement_total,
                      quota_value, quota)


def check_return(req: ReturnRequest) -> Assessment:
    """The verdict as the screen shows it before anything moves; writes nothing."""
    return assess(req, lock=False)


def make_return(req: ReturnRequest, *, staff_id: int | None,
                station: str | None = None) -> AfterSalesDoc:
    a = assess(req, lock=True)
    approver = None
    if not a.verdict.allowed:
        if not a.verdict.overridable or req.override is None:
            raise VerdictRefused(a.verdict, credit=a.credit)
        approver = approving_manager(req.override, f"aftersales:{a.customer.code}")
    exchange = req.kind == AfterSalesKind.EXCHANGE
    short = [p.code for p, qty, _price in a.replacements if p.on_hand < qty]
    if short:
        raise InsufficientStock(_("not enough stock for the replacement: %(codes)s",
                                  codes=", ".join(short)))
    lock_customer(a.customer.id)
    doc = AfterSalesDoc(
        number=next_number("exchange" if exchange else "return"), kind=req.kind,
        customer_id=a.customer.id, reason=req.reason, quality_confirmed=req.quality_confirmed,
        note=req.note, credit=a.credit, replacement_total=a.replacement_total if exchange else 0,
        quota_value=a.quota_value, rule=a.verdict.rule, allowed=a.verdict.allowed,
        reasons="\n".join(a.verdict.reasons),
        override_manager_id=approver.id if approver else None,
        override_reason=req.override.reason if approver and req.override else "",
        staff_id=staff_id, station=station or "")
    db.session.add(doc)
    db.session.flush()
    for line, qty in sorted(a.lines, key=lambda pair: (pair[0].product_id, pair[0].line_id)):
        db.session.add(AfterSalesLine(doc_id=doc.id, order_line_id=line.line_id,
                                      order_id=line.order_id, product_id=line.product_id,
                                      qty=qty, unit_price=line.unit_price))
        move_stock(line.product_id, qty, "return", ref=doc.number, staff_id=staff_id)
        db.session.add(RestockTask(product_id=line.product_id, qty=qty, order_id=line.order_id,
                                   created_by_id=staff_id))
    for product, qty, price in sorted(a.replacements, key=lambda r: r[0].id):
        db.session.add(AfterSalesReplacement(doc_id=doc.id, product_id=product.id, qty=qty,
                                             unit_price=price))
        move_stock(product.id, -qty, "exchange", ref=doc.number, staff_id=staff_id)
    db.session.flush()
    _refuse_negative_stock([p.id for p, _q, _pr in a.replacements])
    post_aftersales(doc.id, doc.number, staff_id)  # consignors: returns back, replacements out
    for product_id in {line.product_id for line, _q in a.lines} | {
            p.id for p, _q, _pr in a.replacements}:
        touched = db.session.get(Product, product_id)
        if touched is not None:  # on_hand moved by an UPDATE: read it again when asked
            db.session.expire(touched, ["on_hand"])
    amount = doc.difference if exchange else -doc.credit
    if amount:
        entry = post_entry(a.customer.id, "sale" if amount > 0 else "return_credit", amount,
                           ref=doc.number, staff_id=staff_id, note=req.note)
        doc.ledger_entry_id = entry.id
    customer = lock_customer(a.customer.id)
    doc.balance_after = customer.balance
    db.session.flush()
    from showroom.aftersales.documents import queue_slip

    queue_slip(doc, station=station, staff_id=staff_id)
    return doc


def _refuse_negative_stock(product_ids: list[int]) -> None:
    if not product_ids:
        return
    short = db.session.scalars(select(Product.code).where(Product.id.in_(product_ids),
                                                          Product.on_hand < 0)).all()
    if short:
        raise InsufficientStock(_("not enough stock for the replacement: %(codes)s",
                                  codes=", ".join(short)))


def doc_result(doc: AfterSalesDoc) -> dict[str, Any]:
    """A document as the API answers it (money as strings)."""
    return {
        "id": doc.id, "number": doc.number, "kind": doc.kind, "customer_id": doc.customer_id,
        "reason": doc.reason, "quality_confirmed": doc.quality_confirmed,
        "verdict": {"allowed": doc.allowed, "rule": doc.rule, "reasons": doc.reason_list},
        "overridden": doc.override_manager_id is not None,
        "override_reason": doc.override_reason,
        "credit": fen_str(doc.credit), "replacement_total": fen_str(doc.replacement_total),
        "difference": fen_str(doc.difference if doc.kind == AfterSalesKind.EXCHANGE
                              else -doc.credit),
        "balance_after": fen_str(doc.balance_after),
        "lines": [{"line_id": ln.order_line_id, "order_id": ln.order_id,
                   "product_code": ln.product.code, "qty": ln.qty,
                   "unit_price": fen_str(ln.unit_price),
                   "amount": fen_str(ln.unit_price * ln.qty)} for ln in doc.lines],
        "replacements": [{"product_code": r.product.code, "qty": r.qty,
                          "unit_price": fen_str(r.unit_price),
                          "amount": fen_str(r.unit_price * r.qty)} for r in doc.replacements],
        "created_at": doc.created_at,
    }
