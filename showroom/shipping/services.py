"""Shipping packed orders (发货, Std ch.6, SPEC §4.5): record the hand-over once, post
the fee the customer pays to their ledger, write the notice; and find shipments again.

`ship_order` does everything in the caller's transaction (flush, never commit): the
shipment row, the ledger entry (once: an order has at most one shipment and leaves
`packed` here), the order's move to `shipped`, and the notice text. Any refusal raises
before anything is written.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import joinedload

from showroom.clock import local, now_utc, showroom_tz
from showroom.customers.models import Customer
from showroom.customers.services import post_entry
from showroom.errors import Conflict, InvalidTransition, ValidationFailed
from showroom.extensions import db
from showroom.labels import label
from showroom.money import MoneyError, parse_fen
from showroom.numbering import next_number
from showroom.orders.models import PACKED, SETTLED, SHIPPED, Order
from showroom.orders.services import lock_order
from showroom.packing.models import Packing, PackingBox
from showroom.shipping.carriers import check_carrier, check_waybill
from showroom.shipping.models import FEE_PAYERS, Shipment
from showroom.shipping.notices import NOTICE_LANGS, email_notice, email_refusal, notice_text
from showroom.shipping.rates import MAX_BOXES, MAX_DAYS, MAX_GRAMS, find_rate, parse_weight_g
from showroom.validation import clean_text

MAX_BACKDATE_DAYS = 30


@dataclass(frozen=True)
class Waiting:
    """A packed order on the shipper's queue."""
    order: Order
    boxes: int
    packed_at: datetime | None


def packed_boxes(order_id: int) -> int:
    """How many boxes the packer sealed for the order (0 when there is no packing)."""
    return int(db.session.scalar(
        select(func.count(PackingBox.id)).join(Packing, Packing.id == PackingBox.packing_id)
        .where(Packing.order_id == order_id, PackingBox.number > 0)) or 0)


def shipping_queue() -> list[Waiting]:
    """Packed orders, the longest waiting first, with their box count and sealing time."""
    boxes = (select(func.count(PackingBox.id)).join(Packing, Packing.id == PackingBox.packing_id)
             .where(Packing.order_id == Order.id, PackingBox.number > 0)  # not retired boxes
             .correlate(Order).scalar_subquery())
    sealed = (select(Packing.sealed_at).where(Packing.order_id == Order.id)
              .correlate(Order).scalar_subquery())
    rows = db.session.execute(
        select(Order, boxes, sealed).options(joinedload(Order.customer))
        .where(Order.status == PACKED).order_by(sealed, Order.id)).all()
    return [Waiting(order=o, boxes=int(n or 0), packed_at=at) for o, n, at in rows]


def today_local() -> date:
    return local(now_utc(), current_app.config["SHOWROOM_TIMEZONE"]).date()


def default_eta_days(carrier: str, customer: Customer) -> int | None:
    """The rate table's slowest days for the customer's region (or anywhere), if known."""
    if carrier == "self_pickup":
        return None
    rate = find_rate(carrier, customer.region)
    return rate.max_days if rate is not None else None


def _refuse_state(order: Order) -> None:
    if order.status == PACKED:
        return
    if order.status == SHIPPED:
        shipment = db.session.scalar(select(Shipment).where(Shipment.order_id == order.id))
        raise Conflict(_("order %(number)s was already shipped (%(shipment)s, waybill "
                         "%(waybill)s); nothing was changed", number=order.number,
                         shipment=shipment.number if shipment else "—",
                         waybill=(shipment.waybill if shipment else "") or "—"))
    if order.status == SETTLED:
        raise InvalidTransition(_("order %(number)s is not packed yet: it must be counted, "
                                  "packed and sealed at the packing station first",
                                  number=order.number))
    raise InvalidTransition(_("order %(number)s is %(status)s: only packed orders can be "
                              "shipped", number=order.number,
                              status=label(order.status, "order_state")))


def _fee(fee: object, errors: dict[str, str]) -> int:
    """Fen as an int, or yuan as text ("23.50")."""
    if isinstance(fee, int) and not isinstance(fee, bool):
        if fee < 0:
            errors["fee"] = _("amount cannot be negative")
        return fee
    try:
        return parse_fen(fee if fee not in (None, "") else "0")
    except MoneyError as exc:
        errors["fee"] = str(exc)
        return 0


def _whole(value: object, field: str, low: int, high: int, errors: dict[str, str]) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        errors[field] = _("a whole number from %(low)s to %(high)s", low=low, high=high)
        return low
    return value


def _shipped_at(shipped_on: date | None, today: date, errors: dict[str, str]) -> datetime:
    """Now, or noon (showroom time) of an earlier day recorded after the fact."""
    if shipped_on is None or shipped_on == today:
        return now_utc()
    if shipped_on > today or (today - shipped_on).days > MAX_BACKDATE_DAYS:
        errors["shipped_on"] = _("today or up to %(n)s days ago", n=MAX_BACKDATE_DAYS)
        return now_utc()
    tz = showroom_tz(current_app.config["SHOWROOM_TIMEZONE"])
    return datetime.combine(shipped_on, time(12), tz).astimezone(UTC)


def ship_order(order_id: int, *, carrier: str, waybill: object, fee: object,
               boxes: int | None = None, eta_days: int | None = None,
               fee_payer: str = "customer", weight_g: int | None = None,
               staff_id: int | None, station: str | None = None,
               notice_lang: str | None = None, shipped_on: date | None = None,
               note: object = "", weight_kg: object = None) -> Shipment:
    """Record the hand-over to the carrier (or the customer's own pickup).

    Boxes default to the boxes sealed at packing; at least 1, except self pickup (0
    allowed: the goods may leave unboxed). Weight as grams, or as kilogram text
    (weight_kg="3.5"). The ETA is the shipping day + eta_days,
    which defaults to the rate table's slowest days for the customer's region; none for
    self pickup. A fee the customer pays is posted to their ledger once. When the customer
    has an e-mail address and SMTP is configured, the notice is queued for e-mail too.
    """
    order = lock_order(order_id)
    _refuse_state(order)
    customer = order.customer
    errors: dict[str, str] = {}
    try:
        check_carrier(carrier)
        waybill_clean = check_waybill(carrier, waybill)
    except ValidationFailed as exc:
        errors.update(exc.errors)
        waybill_clean = ""
    fee_fen = _fee(fee, errors)
    if fee_payer not in FEE_PAYERS:
        errors["fee_payer"] = _("one of %(choices)s", choices=", ".join(FEE_PAYERS))
    n_boxes = packed_boxes(order.id) if boxes is None else boxes
    n_boxes = _whole(n_boxes, "boxes", 0 if carrier == "self_pickup" else 1, MAX_BOXES, errors)
    if weight_kg not in (None, ""):  # as typed on the screen / API: "3.5"
        try:
            weight_g = parse_weight_g(weight_kg)
        except ValidationFailed as exc:
            errors.update(exc.errors)
    elif weight_g is not None:
        _whole(weight_g, "weight", 1, MAX_GRAMS, errors)
    if eta_days is not None:
        _whole(eta_days, "eta_days", 0, MAX_DAYS, errors)
    lang = notice_lang or customer.notice_lang or "zh"
    if lang not in NOTICE_LANGS:
        errors["notice_lang"] = _("zh or en")
    today = today_local()
    shipped_at = _shipped_at(shipped_on, today, errors)
    note_text = clean_text(note, "note", errors, 500, multiline=True)
    if errors:
        raise ValidationFailed(_("please correct the shipment"), errors=errors)

    days = eta_days if eta_days is not None else default_eta_days(carrier, customer)
    day = shipped_on or today
    eta = day + timedelta(days=days) if days is not None and carrier != "self_pickup" else None
    shipment = Shipment(
        number=next_number("shipment", current_app.config["SHOWROOM_TIMEZONE"]),
        order_id=order.id, customer_id=customer.id, carrier=carrier, waybill=waybill_clean,
        boxes=n_boxes, weight_g=weight_g, fee=fee_fen, fee_payer=fee_payer,
        shipped_at=shipped_at, eta=eta, notice_lang=lang, note=note_text, staff_id=staff_id,
        notice_text=notice_text(
            lang=lang, shop=current_app.config["SHOWROOM_SHOP_NAME"], customer=customer.name,
            order_number=order.number, boxes=n_boxes, carrier=carrier, waybill=waybill_clean,
            shipped_on=day, eta=eta, new_goods_first=customer.new_goods_first))
    db.session.add(shipment)
    db.session.flush()
    if fee_payer == "customer" and fee_fen > 0:
        entry = post_entry(customer.id, "shipping_fee", fee_fen, ref=shipment.number,
                           note=order.number, staff_id=staff_id)
        shipment.ledger_entry_id = entry.id
    order.transition(SHIPPED)
    order.version += 1
    db.session.flush()
    if email_refusal(customer) is None:  # an address and SMTP set up: the notice goes out
        email_notice(shipment.id, staff_id)
    return shipment


def _day_start_utc(d: date) -> datetime:
    tz = showroom_tz(current_app.config["SHOWROOM_TIMEZONE"])
    return datetime.combine(d, time(0), tz).astimezone(UTC)


def search_shipments(*, waybill: str | None = None, customer_id: int | None = None,
                     customer_q: str | None = None, date_from: date | None = None,
                     date_to: date | None = None, limit: int = 100,
                     by_phone: bool = False) -> list[Shipment]:
    """Newest first. Waybill: exact or prefix, however it was typed (spaces, case,
    full-width); customer by id or by name / code (and phone, for roles that may see
    phones: a phone prefix search would otherwise reveal numbers digit by digit); days in
    showroom time, both ends included."""
    from showroom.shipping.carriers import clean_waybill

    where: list[ColumnElement[bool]] = []
    if waybill:
        cleaned = clean_waybill(waybill)[:40]
        if cleaned:
            esc = cleaned.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            where.append(Shipment.waybill.like(f"{esc}%", escape="\\"))
    if customer_id is not None:
        where.append(Shipment.customer_id == customer_id)
    q = " ".join((customer_q or "").split())[:60]
    if q:
        like = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        matches = [Customer.code == q.upper(), Customer.name.like(f"%{like}%", escape="\\")]
        if by_phone:
            matches.append(Customer.phone.like(f"{like}%", escape="\\"))
        where.append(Shipment.customer_id.in_(select(Customer.id).where(or_(*matches))))
    if date_from is not None:
        where.append(Shipment.shipped_at >= _day_start_utc(date_from))
    if date_to is not None:
        where.append(Shipment.shipped_at < _day_start_utc(date_to + timedelta(days=1)))
    stmt = (select(Shipment).options(joinedload(Shipment.customer), joinedload(Shipment.staff))
            .where(*where).order_by(Shipment.shipped_at.desc(), Shipment.id.desc())
            .limit(max(1, min(limit, 500))))
    return list(db.session.scalars(stmt).unique())


def order_of(shipment: Shipment) -> Order:
    order = db.session.get(Order, shipment.order_id)
    assert order is not None
    return order
