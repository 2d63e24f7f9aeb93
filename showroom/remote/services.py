"""Orders without a visit (SPEC §5): a clerk opens a video, phone or online order for a
customer; the website back end posts online orders (idempotent on its reference); each
online order is due an answer the same working day (next if it came after the cut-off)
and is picked the same day or the next if it came late or is large.

Online orders: unknown product codes refuse the whole order (422, per line, nothing
written); goods we are short of are accepted — the line takes what is on hand and the
shortfall is listed in `answer_shortages`, for the clerk to tell the customer when
answering (Std ch.9). The same `external_ref` again returns the first order; two posts at
once are decided by the unique index (the loser's insert fails inside a SAVEPOINT and it
reads the winner). Answering twice is refused (409): the first answer is what the
customer was told, and when it was given is what the service level measures.
Services flush, never commit.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from showroom import bizcal
from showroom.catalog.models import Product
from showroom.catalog.services import clean_qty
from showroom.clock import local, now_utc, showroom_tz
from showroom.errors import Conflict, Forbidden, NotFound, ValidationFailed
from showroom.extensions import db
from showroom.orders.models import CANCELLED, Channel, Order, OrderLine
from showroom.orders.services import create_order, lock_order
from showroom.remote.codes import AnswerKind
from showroom.remote.remit import REMOTE_CHANNELS
from showroom.validation import clean_text

MAX_LINES = 200
MAX_REF = 64
LARGE_PIECES = 100  # an online order of more pieces is picked the next working day


def _staff_may_open(staff: Any) -> int | None:
    roles = staff.role_set
    if not roles & {"clerk", "manager"}:
        raise Forbidden(_("only a clerk or a manager opens orders without a visit"))
    return int(staff.id)


def clean_ref(value: object, errors: dict[str, str]) -> str | None:
    ref = clean_text(value, "external_ref", errors, MAX_REF)
    return ref or None


def open_remote_order(customer_id: int, channel: str, *, staff: Any,
                      external_ref: object = None) -> Order:
    """A video, phone or online order typed in by a clerk (or a manager) on the tablet;
    it lands on the picking order screen like any other."""
    errors: dict[str, str] = {}
    if channel not in REMOTE_CHANNELS:
        errors["channel"] = _("one of %(choices)s", choices=", ".join(REMOTE_CHANNELS))
    ref = clean_ref(external_ref, errors)
    if ref and channel != Channel.ONLINE:
        errors["external_ref"] = _("only online orders carry the website's reference")
    if errors:
        raise ValidationFailed(_("please correct the order"), errors=errors)
    clerk_id = _staff_may_open(staff)
    taken = by_ref(ref) if ref is not None else None
    if taken is not None:
        raise Conflict(_("the website's order %(ref)s is already here", ref=ref),
                       errors={"external_ref": _("already used by order %(number)s",
                                                 number=taken.number)})
    order = create_order(customer_id, channel=channel, clerk_id=clerk_id)
    if channel == Channel.ONLINE:
        order.external_ref = ref
        db.session.flush()
    return order


def by_ref(ref: str) -> Order | None:
    return db.session.scalar(select(Order).where(Order.external_ref == ref))


def cutoff() -> time:
    hours, _sep, minutes = str(current_app.config.get("SHOWROOM_ONLINE_CUTOFF") or "17:00"
                               ).partition(":")
    return time(int(hours), int(minutes or 0))


def set_due(order: Order) -> None:
    order.answer_due_at = bizcal.same_day_due(order.created_at or now_utc(), cutoff=cutoff())


@dataclass(frozen=True)
class OnlineLine:
    product: Product
    qty: int


def parse_lines(raw: object) -> list[OnlineLine]:
    """`[{product_code, qty}]`: every unknown code or bad quantity reported by its line."""
    if not isinstance(raw, list) or not raw:
        raise ValidationFailed(_("an online order needs its lines"),
                               errors={"lines": _("at least one line")})
    if len(raw) > MAX_LINES:
        raise ValidationFailed(_("too many lines"), errors={"lines": _("at most %(n)s",
                                                                          n=MAX_LINES)})
    errors: dict[str, str] = {}
    merged: dict[int, OnlineLine] = {}
    for i, item in enumerate(raw):
        code = item.get("product_code") if isinstance(item, dict) else None
        qty = item.get("qty", 1) if isinstance(item, dict) else None
        if not isinstance(code, str) or not code.strip():
            errors[f"lines[{i}].product_code"] = _("required")
            continue
        product = db.session.scalar(select(Product).where(Product.code == code.strip()))
        if product is None:
            errors[f"lines[{i}].product_code"] = _("no product with code %(code)s",
                                                   code=code.strip()[:40])
        try:
            n = clean_qty(qty)
        except ValidationFailed as exc:
            errors[f"lines[{i}].qty"] = next(iter(exc.errors.values()))
            continue
        if product is not None:
            before = merged.get(product.id)
            merged[product.id] = OnlineLine(product, n + (before.qty if before else 0))
    if errors:
        raise ValidationFailed(_("please correct the lines"), errors=errors)
    return list(merged.values())


def create_online_order(customer_id: int, lines: list[OnlineLine], external_ref: str, *,
                        staff: Any) -> tuple[Order, bool]:
    """(order, created): the same reference again — also from a post racing this one —
    gives the first order back."""
    existing = by_ref(external_ref)
    if existing is not None:
        return existing, False
    try:
        with db.session.begin_nested():
            order = create_order(customer_id, channel=Channel.ONLINE,
                                 clerk_id=staff.id if staff.role_set & {"clerk", "manager"}
                                 else None)
            order.external_ref = external_ref
            db.session.flush()  # the unique index decides here
    except IntegrityError:
        winner = by_ref(external_ref)
        if winner is None:
            raise
        return winner, False
    _fill(order, lines)
    return order, True


def _fill(order: Order, lines: list[OnlineLine]) -> None:
    from showroom.orders.services import add_line

    shortages = []
    for line in lines:
        product = line.product
        take = min(line.qty, max(0, product.on_hand))
        if take:
            add_line(order.id, product_code=product.code, qty=take)
        if take < line.qty:
            shortages.append({"product_code": product.code, "name": product.name,
                              "qty": line.qty - take, "kind": AnswerKind.SHORTAGE.value,
                              "note": _("ordered %(wanted)s, %(on_hand)s in stock",
                                        wanted=line.qty, on_hand=take)})
    order.answer_shortages = json.dumps(shortages, ensure_ascii=False) if shortages else ""
    db.session.flush()


def shortages_of(order: Order) -> list[dict[str, Any]]:
    try:
        value = json.loads(order.answer_shortages or "[]")
    except ValueError:
        return []
    return value if isinstance(value, list) else []


def parse_shortages(raw: object) -> list[dict[str, Any]]:
    """`[{product_code, qty?, kind?, note?}]` of the answer, each problem by its line."""
    if raw in (None, ""):
        return []
    if not isinstance(raw, list) or len(raw) > MAX_LINES:
        raise ValidationFailed(_("shortages must be a list"),
                               errors={"shortages": _("a list of at most %(n)s", n=MAX_LINES)})
    errors: dict[str, str] = {}
    out = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            errors[f"shortages[{i}]"] = _("an object with product_code and qty")
            continue
        code = clean_text(item.get("product_code"), f"shortages[{i}].product_code", errors,
                          40, required=True)
        product = db.session.scalar(select(Product).where(Product.code == code)) if code \
            else None
        if code and product is None and f"shortages[{i}].product_code" not in errors:
            errors[f"shortages[{i}].product_code"] = _("no product with code %(code)s",
                                                       code=code)
        kind = item.get("kind") or AnswerKind.SHORTAGE.value
        if kind not in AnswerKind.codes():
            errors[f"shortages[{i}].kind"] = _("one of %(choices)s",
                                               choices=", ".join(AnswerKind.codes()))
        qty = 0
        if item.get("qty") not in (None, "") or kind == AnswerKind.SHORTAGE:
            try:
                qty = clean_qty(item.get("qty"), f"shortages[{i}].qty")
            except ValidationFailed as exc:
                errors.update(exc.errors)
        note = clean_text(item.get("note"), f"shortages[{i}].note", errors, 200)
        if product is not None:
            out.append({"product_code": product.code, "name": product.name, "qty": qty,
                        "kind": kind, "note": note})
    if errors:
        raise ValidationFailed(_("please correct the shortages"), errors=errors)
    return out


def answer_order(order_id: int, *, note: object, shortages: object = None,
                 staff_id: int | None) -> Order:
    """Record what the customer was told (note; shortages, colour differences and price
    changes per product). Once: a second answer is refused (409)."""
    errors: dict[str, str] = {}
    text = clean_text(note, "note", errors, 1000, required=True, multiline=True)
    if errors:
        raise ValidationFailed(_("please correct the answer"), errors=errors)
    items = parse_shortages(shortages)
    order = lock_order(order_id)
    if order.channel != Channel.ONLINE:
        raise Conflict(_("only online orders are answered here"))
    if order.answered_at is not None:
        raise Conflict(_("order %(number)s was already answered", number=order.number))
    order.answered_at = now_utc()
    order.answered_by_id = staff_id
    order.answer_note = text
    order.answer_shortages = json.dumps(items, ensure_ascii=False) if items else ""
    order.version += 1
    db.session.flush()
    return order


def get_order(order_id: int) -> Order:
    order = db.session.get(Order, order_id)
    if order is None:
        raise NotFound(_("no order %(id)s", id=order_id))
    return order


# --- the day's online orders ------------------------------------------------------

@dataclass(frozen=True)
class OnlineRow:
    order: Order
    pieces: int
    pick_day: datetime
    overdue: bool
    shortages: list[dict[str, Any]]
    lines: list[OrderLine]


def pick_day(order: Order, pieces: int) -> datetime:
    """The same working day if it came before the cut-off, else the next; a large order
    (more than LARGE_PIECES pieces) one working day later."""
    due = order.answer_due_at or bizcal.same_day_due(order.created_at, cutoff=cutoff())
    if pieces > LARGE_PIECES:
        due = bizcal.next_working_day(due)
    return local(due)


def online_orders(day: datetime | None = None) -> list[OnlineRow]:
    """Online orders received that day, due that day, or still unanswered and overdue;
    the oldest first."""
    now = now_utc()
    local_day = local(day or now).date()
    tz = showroom_tz()
    start = datetime.combine(local_day, time(0), tzinfo=tz)
    end = start + timedelta(days=1)
    stmt = (select(Order).options(joinedload(Order.customer))
            .where(Order.channel == Channel.ONLINE, Order.status != CANCELLED,
                   or_(and_(Order.created_at >= start, Order.created_at < end),
                       and_(Order.answer_due_at >= start, Order.answer_due_at < end),
                       and_(Order.answered_at.is_(None), Order.answer_due_at < end)))
            .order_by(Order.created_at, Order.id).limit(300))
    orders = list(db.session.scalars(stmt))
    ids = [o.id for o in orders]
    by_order: dict[int, list[OrderLine]] = {i: [] for i in ids}
    if ids:
        for ln in db.session.scalars(select(OrderLine).where(
                OrderLine.order_id.in_(ids), OrderLine.removed_at.is_(None))
                .order_by(OrderLine.id)):
            by_order[ln.order_id].append(ln)
    rows = []
    for o in orders:
        lines = by_order[o.id]
        pieces = sum(ln.qty for ln in lines)
        overdue = o.answered_at is None and o.answer_due_at is not None and o.answer_due_at < now
        rows.append(OnlineRow(o, pieces, pick_day(o, pieces), overdue, shortages_of(o), lines))
    return rows


def my_remote_orders(clerk_id: int) -> list[Order]:
    """This clerk's open remote orders and settled ones waiting for the money."""
    stmt = (select(Order).options(joinedload(Order.customer))
            .where(Order.clerk_id == clerk_id, Order.channel.in_(REMOTE_CHANNELS),
                   or_(Order.status.in_(("open", "awaiting_settlement")),
                       Order.remit_status == "awaiting"))
            .order_by(Order.id.desc()).limit(50))
    return list(db.session.scalars(stmt))
