"""代销对账单: one consignor over a period (showroom-local days, default this month) —
sold (code, name, pieces, what they earned, order number, when), returned, still on our
floor, withdrawn, then earned, paid and payable (SPEC §7).

One reading (`build`) feeds the screen, the PDF snapshot (`payload`,
printing.documents.ConsignorStatement), the API (`api_result`) and the text to copy
into WeChat (`wechat_text`: Chinese, amounts in ¥, never a phone number). Payable is the
ledger's sum up to the end of the period: opening + earned − paid + adjustments; for this
month that is today's payable. "Still on our floor" is today's stock (stock has no
history by day).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from flask import current_app
from sqlalchemy import func, select

from showroom.catalog.models import Product
from showroom.clock import local, now_utc, showroom_tz
from showroom.consignment.models import (
    Consignment,
    ConsignmentKind,
    ConsignmentLine,
    Consignor,
    ConsignorEntry,
)
from showroom.consignment.payouts import get_consignor
from showroom.customers.statement import Period, parse_period, this_month
from showroom.extensions import db
from showroom.money import fen_str, yuan
from showroom.settlement.documents import customer_party

__all__ = ["Period", "parse_period", "this_month", "build", "payload", "api_result",
           "wechat_text", "file_name"]
PAID_KINDS = ("payout", "offset")
EARNED_KINDS = ("sale", "return")
TEXT_LINES = 60  # a WeChat message stays readable; the PDF has every line


class Moved(NamedTuple):  # a tuple: 5,000 of them are made per statement
    product_code: str
    name: str
    qty: int
    amount: int
    ref: str
    at: datetime


@dataclass(frozen=True)
class Floor:
    product_code: str
    name: str
    on_hand: int
    since: datetime | None


@dataclass(frozen=True)
class Withdrawn:
    number: str
    at: datetime
    product_code: str
    name: str
    qty: int


@dataclass
class Statement:
    consignor: Consignor
    period: Period
    opening: int
    earned: int
    paid: int
    adjusted: int
    sold: list[Moved] = field(default_factory=list)
    returned: list[Moved] = field(default_factory=list)
    on_hand: list[Floor] = field(default_factory=list)
    withdrawn: list[Withdrawn] = field(default_factory=list)

    @property
    def payable(self) -> int:
        return self.opening + self.earned - self.paid + self.adjusted


def _tz() -> str:
    return str(current_app.config["SHOWROOM_TIMEZONE"])


def build(consignor_id: int, period: Period) -> Statement:
    consignor = get_consignor(consignor_id)
    begin, end = period.utc_bounds(_tz())
    E = ConsignorEntry
    opening = db.session.scalar(select(func.coalesce(func.sum(E.amount), 0))
                                .where(E.consignor_id == consignor.id, E.created_at < begin))
    sums = dict(db.session.execute(
        select(E.kind, func.sum(E.amount)).where(E.consignor_id == consignor.id,
                                                 E.created_at >= begin, E.created_at < end)
        .group_by(E.kind)).tuples().all())
    moved = db.session.execute(
        select(E.kind, Product.code, Product.name, E.qty, E.amount, E.ref, E.created_at)
        .join(Product, Product.id == E.product_id)
        .where(E.consignor_id == consignor.id, E.kind.in_(EARNED_KINDS),
               E.created_at >= begin, E.created_at < end)
        .order_by(E.created_at, E.id)).tuples().all()
    st = Statement(consignor=consignor, period=period, opening=int(opening or 0),
                   earned=sum(int(sums.get(k) or 0) for k in EARNED_KINDS),
                   paid=-sum(int(sums.get(k) or 0) for k in PAID_KINDS),
                   adjusted=sum(int(v or 0) for k, v in sums.items()
                                if k not in EARNED_KINDS + PAID_KINDS))
    for kind, code, name, qty, amount, ref, at in moved:
        (st.sold if kind == "sale" else st.returned).append(
            Moved(code, name, int(qty), int(amount), ref, at))
    st.on_hand = [Floor(code, name, int(n), since) for code, name, n, since in db.session.execute(
        select(Product.code, Product.name, Product.on_hand, intake_date())
        .where(Product.consignor_id == consignor.id, Product.on_hand > 0)
        .order_by(Product.code)).tuples()]
    st.withdrawn = [Withdrawn(*row) for row in db.session.execute(
        select(Consignment.number, Consignment.created_at, Product.code, Product.name,
               ConsignmentLine.qty)
        .join(ConsignmentLine, ConsignmentLine.consignment_id == Consignment.id)
        .join(Product, Product.id == ConsignmentLine.product_id)
        .where(Consignment.consignor_id == consignor.id,
               Consignment.kind == ConsignmentKind.WITHDRAWAL,
               Consignment.created_at >= begin, Consignment.created_at < end)
        .order_by(Consignment.created_at, ConsignmentLine.id)).tuples()]
    return st


def intake_date() -> Any:
    """When a consigned product came in: its first intake list, else the product's birth."""
    first = (select(func.min(Consignment.created_at))
             .join(ConsignmentLine, ConsignmentLine.consignment_id == Consignment.id)
             .where(ConsignmentLine.product_id == Product.id,
                    Consignment.kind == ConsignmentKind.INTAKE)
             .correlate(Product).scalar_subquery())
    return func.coalesce(first, Product.created_at)


def _days() -> Any:
    """A formatter of showroom-local days, the time zone looked up once (5,000 rows)."""
    tz = showroom_tz(_tz())

    def day(at: datetime | None) -> str:
        return at.astimezone(tz).date().isoformat() if at is not None else ""

    return day


def payload(st: Statement, *, lang: str = "zh") -> dict[str, Any]:
    """The PDF snapshot (JSON-ready)."""
    _day = _days()

    def moved(rows: list[Moved]) -> list[dict[str, Any]]:
        return [{"product_code": m.product_code, "name": m.name, "qty": m.qty,
                 "amount": fen_str(m.amount), "order_number": m.ref, "date": _day(m.at)}
                for m in rows]

    return {"shop": current_app.config["SHOWROOM_SHOP_NAME"], "lang": lang,
            "consignor_code": st.consignor.code, "customer": customer_party(st.consignor.customer),
            "period_from": st.period.start.isoformat(), "period_to": st.period.end.isoformat(),
            "printed_at": local(now_utc(), _tz()).strftime("%Y-%m-%d %H:%M"),
            "opening": fen_str(st.opening), "earned": fen_str(st.earned),
            "paid": fen_str(st.paid), "adjusted": fen_str(st.adjusted),
            "payable": fen_str(st.payable), "sold": moved(st.sold),
            "returned": moved(st.returned),
            "on_hand": [{"product_code": f.product_code, "name": f.name, "on_hand": f.on_hand,
                         "since": _day(f.since)} for f in st.on_hand],
            "withdrawn": [{"number": w.number, "date": _day(w.at), "product_code": w.product_code,
                           "name": w.name, "qty": w.qty} for w in st.withdrawn]}


def api_result(st: Statement) -> dict[str, Any]:
    def moved(rows: list[Moved]) -> list[dict[str, Any]]:
        return [{"product_code": m.product_code, "name": m.name, "qty": m.qty,
                 "amount": fen_str(m.amount), "order_number": m.ref, "sold_at": m.at}
                for m in rows]

    c = st.consignor
    return {"consignor": {"id": c.id, "code": c.code, "customer_id": c.customer_id,
                          "name": c.customer.name},
            "period_from": st.period.start.isoformat(),
            "period_to": st.period.end.isoformat(), "sold": moved(st.sold), "returned": moved(st.returned),
            "on_hand": [{"product_code": f.product_code, "name": f.name, "qty": f.on_hand,
                         "since": f.since} for f in st.on_hand],
            "withdrawn": [{"number": w.number, "product_code": w.product_code, "name": w.name,
                           "qty": w.qty, "withdrawn_at": w.at} for w in st.withdrawn],
            "opening": fen_str(st.opening), "earned": fen_str(st.earned),
            "paid": fen_str(st.paid), "adjusted": fen_str(st.adjusted),
            "payable": fen_str(st.payable)}


def wechat_text(st: Statement) -> str:
    """The statement as a message: Chinese whatever the screen language (it goes to the
    consignor), amounts in ¥, the name but never the phone."""
    c = st.consignor
    _day = _days()
    shop = current_app.config["SHOWROOM_SHOP_NAME"]
    out = [f"【{shop}】代销对账单", f"委托人：{c.code} {c.customer.name}",
           f"期间：{st.period.start.isoformat()} 至 {st.period.end.isoformat()}", ""]

    def block(title: str, rows: list[Any], line: Any, pieces: int) -> None:
        out.append(f"{title} {pieces} 件" + ("：" if rows else "：无"))
        out.extend(line(r) for r in rows[:TEXT_LINES])  # only what the message shows
        if len(rows) > TEXT_LINES:
            out.append(f"……另 {len(rows) - TEXT_LINES} 条，详见对账单 PDF")

    def moved(m: Moved) -> str:
        return f"· {m.product_code} {m.name} ×{m.qty} {yuan(m.amount)}（{m.ref}，{_day(m.at)}）"

    block("已售", st.sold, moved, sum(m.qty for m in st.sold))
    if st.returned:
        block("退回", st.returned, moved, sum(m.qty for m in st.returned))
    block("在店未售", st.on_hand, lambda f: f"· {f.product_code} {f.name} ×{f.on_hand}",
          sum(f.on_hand for f in st.on_hand))
    block("已取回", st.withdrawn, lambda w: f"· {w.number} {w.product_code} {w.name} ×{w.qty}",
          sum(w.qty for w in st.withdrawn))
    out += ["", f"期初应付：{yuan(st.opening)}", f"本期应得：{yuan(st.earned)}",
            f"本期已付：{yuan(st.paid)}"]
    if st.adjusted:
        out.append(f"调整：{yuan(st.adjusted)}")
    out += [f"应付代销款：{yuan(st.payable)}", "", "请核对，如有疑问七日内联系本店。"]
    return "\n".join(out)


def file_name(st: Statement) -> str:
    """代销对账单-pf123李-2026-11.pdf"""
    return f"代销对账单-{st.consignor.code}-{st.period.slug()}.pdf"
