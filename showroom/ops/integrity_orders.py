"""Order-side checks for `integrity.check_database`: settlements, totals, packing, shipping.

What must hold once an order has moved on: a settled, packed or shipped order has exactly
one settlement (and nothing earlier has any), its settlement adds up, no line has more
packed + returned + crossed out than was ordered, the cached totals and packed
quantities equal what their rows add up to, and packing and shipping agree with the
order's status. Each check is one aggregate query.
"""
from __future__ import annotations

from collections.abc import Iterator

from flask_babel import gettext as _
from sqlalchemy import and_, case, func, or_, select

from showroom.catalog.models import Product
from showroom.extensions import db
from showroom.labels import label
from showroom.money import fen_str
from showroom.ops.integrity import Check, Finding, sums_by
from showroom.orders.models import PACKED, SETTLED, SHIPPED, Order, OrderLine
from showroom.packing.models import SEALED, Packing, PackingBox, PackingTick
from showroom.settlement.models import Payment, ReturnLine, ReturnSlip, Settlement
from showroom.shipping.models import Shipment

DONE = (SETTLED, PACKED, SHIPPED)  # statuses an order reaches only through settling


def _state(status: str) -> str:
    return label(status, "order_state")


def settlement_count() -> Iterator[Finding]:
    per_order = (select(Settlement.order_id.label("key"), func.count().label("n"))
                 .group_by(Settlement.order_id).subquery())
    n = func.coalesce(per_order.c.n, 0)
    rows = db.session.execute(
        select(Order.number, Order.status, n).outerjoin(per_order, per_order.c.key == Order.id)
        .where(or_(and_(Order.status.in_(DONE), n != 1), and_(Order.status.not_in(DONE), n != 0)))
        .order_by(Order.id))
    for number, status, count in rows:
        yield Finding("settlement_count", _(
            "order %(number)s is %(status)s and has %(n)s settlements (expected %(expected)s)",
            number=number, status=_state(status), n=count, expected=1 if status in DONE else 0))


def settlement_sums() -> Iterator[Finding]:
    """The settlement took what the order cost; its payments, paid + on account, and the
    customer's balance before and after all say the same."""
    pays = sums_by(Payment.amount, Payment.settlement_id)
    paid = func.coalesce(pays.c.total, 0)
    s = Settlement
    rows = db.session.execute(
        select(Order.number, Order.total, s.total, s.paid, s.on_account, paid,
               s.balance_after - s.balance_before)
        .join(Order, Order.id == s.order_id).outerjoin(pays, pays.c.key == s.id)
        .where(or_(s.total != Order.total, s.paid + s.on_account != s.total, paid != s.total,
                   s.balance_after - s.balance_before != s.on_account))
        .order_by(s.id))
    for number, order_total, total, paid_, on_account, payments, moved in rows:
        yield Finding("settlement_sums", _(
            "settlement of order %(number)s does not add up: order %(order)s, settled "
            "%(total)s = paid %(paid)s + on account %(on_account)s, payments %(payments)s, "
            "balance moved by %(moved)s", number=number, order=fen_str(order_total),
            total=fen_str(total), paid=fen_str(paid_), on_account=fen_str(on_account),
            payments=fen_str(int(payments)), moved=fen_str(moved)))


def line_quantities() -> Iterator[Finding]:
    ln = OrderLine
    rows = db.session.execute(
        select(Order.number, ln.id, Product.code, ln.qty, ln.packed_qty, ln.returned_qty,
               ln.crossed_qty)
        .join(Order, Order.id == ln.order_id).join(Product, Product.id == ln.product_id)
        .where(or_(ln.packed_qty < 0, ln.returned_qty < 0, ln.crossed_qty < 0,
                   ln.packed_qty + ln.returned_qty + ln.crossed_qty > ln.qty))
        .order_by(ln.id))
    for number, line_id, code, qty, packed, returned, crossed in rows:
        yield Finding("over_packed", _(
            "order %(number)s line #%(id)s (%(code)s): packed %(packed)s + returned "
            "%(returned)s + crossed out %(crossed)s, but %(qty)s were ordered", number=number,
            id=line_id, code=code, packed=packed, returned=returned, crossed=crossed, qty=qty))


def packed_ticks() -> Iterator[Finding]:
    ticks = sums_by(PackingTick.qty, PackingTick.order_line_id)
    ticked = func.coalesce(ticks.c.total, 0)
    rows = db.session.execute(
        select(Order.number, OrderLine.id, OrderLine.packed_qty, ticked)
        .join(Order, Order.id == OrderLine.order_id)
        .outerjoin(ticks, ticks.c.key == OrderLine.id)
        .where(OrderLine.packed_qty != ticked).order_by(OrderLine.id))
    for number, line_id, packed, summed in rows:
        yield Finding("packed_ticks", _(
            "order %(number)s line #%(id)s: %(packed)s packed, but its packing ticks add up "
            "to %(sum)s", number=number, id=line_id, packed=packed, sum=int(summed)))


def box_units() -> Iterator[Finding]:
    ticks = sums_by(PackingTick.qty, PackingTick.box_id)
    ticked = func.coalesce(ticks.c.total, 0)
    rows = db.session.execute(
        select(Order.number, PackingBox.id, PackingBox.units, ticked)
        .join(Packing, Packing.id == PackingBox.packing_id).join(Order, Order.id == Packing.order_id)
        .outerjoin(ticks, ticks.c.key == PackingBox.id)
        .where(PackingBox.units != ticked).order_by(PackingBox.id))
    for number, box_id, units, summed in rows:
        yield Finding("box_units", _(
            "order %(number)s box #%(id)s: %(units)s units, but its ticks add up to %(sum)s",
            number=number, id=box_id, units=units, sum=int(summed)))


def order_totals() -> Iterator[Finding]:
    ln = OrderLine
    active = ln.removed_at.is_(None)
    lines = (select(ln.order_id.label("key"),
                    func.sum(case((active, ln.unit_price * (ln.qty - ln.returned_qty)),
                                  else_=0)).label("total"),
                    func.sum(case((active, 1), else_=0)).label("n"))
             .group_by(ln.order_id).subquery())
    total, count = func.coalesce(lines.c.total, 0), func.coalesce(lines.c.n, 0)
    rows = db.session.execute(
        select(Order.number, Order.total, total, Order.line_count, count)
        .outerjoin(lines, lines.c.key == Order.id)
        .where(or_(Order.total != total, Order.line_count != count)).order_by(Order.id))
    for number, cached, summed, line_count, counted in rows:
        yield Finding("order_total", _(
            "order %(number)s: total %(total)s over %(count)s lines, but its lines add up to "
            "%(sum)s over %(counted)s", number=number, total=fen_str(cached), count=line_count,
            sum=fen_str(int(summed)), counted=int(counted)))


def return_slips() -> Iterator[Finding]:
    """A slip's total is its lines; a line's returned / crossed-out quantities are the
    on-the-spot / cross-out slip lines that name it."""
    rl = ReturnLine
    slips = sums_by(rl.qty * rl.unit_price, rl.return_slip_id)
    summed = func.coalesce(slips.c.total, 0)
    for number, total, lines_total in db.session.execute(
            select(ReturnSlip.number, ReturnSlip.total, summed)
            .outerjoin(slips, slips.c.key == ReturnSlip.id)
            .where(ReturnSlip.total != summed).order_by(ReturnSlip.id)):
        yield Finding("return_slip", _(
            "return slip %(number)s: total %(total)s, but its lines add up to %(sum)s",
            number=number, total=fen_str(total), sum=fen_str(int(lines_total))))
    crossed = ReturnSlip.kind == "cross_out"
    per_line = (select(rl.order_line_id.label("key"),
                       func.sum(case((crossed, 0), else_=rl.qty)).label("returned"),
                       func.sum(case((crossed, rl.qty), else_=0)).label("crossed"))
                .join(ReturnSlip, ReturnSlip.id == rl.return_slip_id)
                .group_by(rl.order_line_id).subquery())
    returned, crossed_out = (func.coalesce(per_line.c.returned, 0),
                             func.coalesce(per_line.c.crossed, 0))
    for number, line_id, r, c, slip_r, slip_c in db.session.execute(
            select(Order.number, OrderLine.id, OrderLine.returned_qty, OrderLine.crossed_qty,
                   returned, crossed_out)
            .join(Order, Order.id == OrderLine.order_id)
            .outerjoin(per_line, per_line.c.key == OrderLine.id)
            .where(or_(OrderLine.returned_qty != returned, OrderLine.crossed_qty != crossed_out))
            .order_by(OrderLine.id)):
        yield Finding("return_lines", _(
            "order %(number)s line #%(id)s: %(returned)s returned and %(crossed)s crossed out, "
            "but its return slips say %(slip_returned)s and %(slip_crossed)s", number=number,
            id=line_id, returned=r, crossed=c, slip_returned=int(slip_r), slip_crossed=int(slip_c)))


def packing_and_shipping() -> Iterator[Finding]:
    """Packed and shipped orders have a sealed packing, and only they do; shipped orders
    have their shipment, and only they do."""
    gone = (PACKED, SHIPPED)
    for number, status, packing in db.session.execute(
            select(Order.number, Order.status, Packing.status)
            .outerjoin(Packing, Packing.order_id == Order.id)
            .where(or_(and_(Order.status.in_(gone), func.coalesce(Packing.status, "") != SEALED),
                       and_(Packing.status == SEALED, Order.status.not_in(gone))))
            .order_by(Order.id)):
        yield Finding("packing_status", _(
            "order %(number)s is %(status)s, but its packing is %(packing)s", number=number,
            status=_state(status), packing=packing or _("missing")))
    for number, status, shipment in db.session.execute(
            select(Order.number, Order.status, Shipment.number)
            .outerjoin(Shipment, Shipment.order_id == Order.id)
            .where(or_(and_(Order.status == SHIPPED, Shipment.id.is_(None)),
                       and_(Shipment.id.is_not(None), Order.status != SHIPPED)))
            .order_by(Order.id)):
        yield Finding("shipment", _(
            "order %(number)s is %(status)s, but has shipment %(shipment)s", number=number,
            status=_state(status), shipment=shipment) if shipment else _(
            "order %(number)s is %(status)s, but has no shipment", number=number,
            status=_state(status)))


def kept_service_level_weeks() -> Iterator[Finding]:
    """The manager's home reuses kept tallies of ended weeks: each equals a recount."""
    from showroom.service_levels.kept import mismatches

    for code, week, met, total, counted_met, counted_total in mismatches():
        yield Finding("service_level_week", _(
            "service level %(code)s, week of %(week)s: kept %(met)s of %(total)s met, "
            "counted %(counted_met)s of %(counted_total)s", code=code, week=week.isoformat(),
            met=met, total=total, counted_met=counted_met, counted_total=counted_total))


from showroom.aftersales.integrity import aftersales_within_sold  # noqa: E402 - uses ours

ORDER_CHECKS: tuple[Check, ...] = (settlement_count, settlement_sums, line_quantities,
                                   packed_ticks, box_units, order_totals, return_slips,
                                   packing_and_shipping, aftersales_within_sold,
                                   kept_service_level_weeks)
