"""The after-sales check for `flask ops check` (`integrity.check_database`): no sale line
has more taken back — dropped at the desk, crossed out at packing and returned or
exchanged after the sale — than was sold, and every slip's credit is its lines."""
from __future__ import annotations

from collections.abc import Iterator

from flask_babel import gettext as _
from sqlalchemy import func, select

from showroom.aftersales.models import AfterSalesDoc, AfterSalesLine
from showroom.extensions import db
from showroom.money import fen_str
from showroom.ops.integrity import Finding, sums_by
from showroom.orders.models import Order, OrderLine


def aftersales_within_sold() -> Iterator[Finding]:
    back = sums_by(AfterSalesLine.qty, AfterSalesLine.order_line_id)
    taken = func.coalesce(back.c.total, 0)
    for number, line_id, qty, r, c, b in db.session.execute(
            select(Order.number, OrderLine.id, OrderLine.qty, OrderLine.returned_qty,
                   OrderLine.crossed_qty, taken)
            .join(Order, Order.id == OrderLine.order_id)
            .join(back, back.c.key == OrderLine.id)
            .where(OrderLine.returned_qty + OrderLine.crossed_qty + taken > OrderLine.qty)
            .order_by(OrderLine.id)):
        yield Finding("aftersales_lines", _(
            "order %(number)s line #%(id)s: %(qty)s sold, but %(returned)s dropped, %(crossed)s "
            "crossed out and %(back)s taken back after the sale", number=number, id=line_id,
            qty=qty, returned=r, crossed=c, back=int(b)))
    credit = sums_by(AfterSalesLine.qty * AfterSalesLine.unit_price, AfterSalesLine.doc_id)
    summed = func.coalesce(credit.c.total, 0)
    for number, total, lines_total in db.session.execute(
            select(AfterSalesDoc.number, AfterSalesDoc.credit, summed)
            .outerjoin(credit, credit.c.key == AfterSalesDoc.id)
            .where(AfterSalesDoc.credit != summed).order_by(AfterSalesDoc.id)):
        yield Finding("aftersales_slip", _(
            "after-sales slip %(number)s: credit %(total)s, but its lines add up to %(sum)s",
            number=number, total=fen_str(total), sum=fen_str(int(lines_total))))
