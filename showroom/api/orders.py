"""Orders over the API: open, read, scan lines in, change or drop a line, submit.

Opening and submitting take an Idempotency-Key, so a tablet that lost the answer can
retry blindly: the same key replays the first response, never a second order.

Changes take the version the client last saw (body "version" or If-Match); a
colleague's change in between gives 409 instead of a silent overwrite.
"""
from __future__ import annotations

from typing import Annotated

from flask import Response, after_this_request, request
from flask_babel import gettext as _
from pydantic import Field

from showroom.api.problems import invalid_input
from showroom.api.registry import Call, api_route
from showroom.api.schemas import OrderOut
from showroom.api.types import Id, In, Line, OneOf, Qty, Version
from showroom.catalog.services import find_product
from showroom.errors import NotFound
from showroom.extensions import db
from showroom.orders.models import Channel as ChannelCode
from showroom.orders.models import Order
from showroom.orders.services import add_line, remove_line, set_line_qty, submit
from showroom.picking.services import start_order

Channel = Annotated[str, OneOf(ChannelCode)]


class OrderIn(In):
    customer_id: Id
    visit_id: Id | None = None
    channel: Channel = "showroom"


class AddLineIn(In):
    barcode: Line | None = Field(None, min_length=1, max_length=64,
                                 description="a scan; or give product_code")
    product_code: Line | None = Field(None, min_length=1, max_length=40)
    qty: Qty = 1
    version: Version | None = None


class LineQtyIn(In):
    qty: Qty
    version: Version | None = None


class VersionIn(In):
    version: Version | None = None


def get_order(order_id: int) -> Order:
    order = db.session.get(Order, order_id)
    if order is None:
        raise NotFound(_("No order with id %(id)s.", id=order_id))
    return order


@api_route("POST", "/orders", roles=("clerk", "reception", "manager"), body=OrderIn,
           response=OrderOut, status=201, idempotent=True, summary="Open an order", tag="orders",
           description="Send an Idempotency-Key (e.g. a UUID per order the tablet means to open): "
                       "a retry after a lost answer then returns the first order instead of "
                       "opening a second one.")
def create(call: Call) -> OrderOut:
    body: OrderIn = call.body  # the clerk's own visit only; an open order is reused (403 else)
    order, _created = start_order(body.customer_id, visit_id=body.visit_id,
                                  channel=body.channel, staff=call.staff)
    return OrderOut.of(order)


@api_route("GET", "/orders/{order_id}", response=OrderOut, summary="Read an order",
           tag="orders", errors=(404,))
def read(call: Call, order_id: int) -> OrderOut:
    return OrderOut.of(get_order(order_id))


@api_route("POST", "/orders/{order_id}/lines", roles=("clerk",), body=AddLineIn,
           response=OrderOut, versioned=True, summary="Add a line by barcode or code",
           tag="orders", errors=(404, 409),
           description="The same product again adds to its line. Over the stock on hand → 409. "
                       "With `Prefer: return=minimal` (RFC 7240) the order comes back with only "
                       "the changed line, so a scanner's answer does not grow with the order.")
def add(call: Call, order_id: int) -> OrderOut:
    body: AddLineIn = call.body
    if (body.barcode is None) == (body.product_code is None):
        message = _("give either barcode or product_code")
        raise invalid_input({"barcode": message, "product_code": message})
    get_order(order_id)
    try:
        find_product(barcode=body.barcode, code=body.product_code)
    except NotFound as exc:
        field = "barcode" if body.barcode is not None else "product_code"
        raise invalid_input({field: exc.message}) from None
    order, line = add_line(order_id, barcode=body.barcode, product_code=body.product_code,
                           qty=body.qty, version=call.version)
    if "return=minimal" in request.headers.get("Prefer", ""):
        after_this_request(_minimal_applied)
        return OrderOut.of(order, lines=[line])
    return OrderOut.of(order)


def _minimal_applied(response: Response) -> Response:
    response.headers["Preference-Applied"] = "return=minimal"
    return response


@api_route("PATCH", "/orders/{order_id}/lines/{line_id}", roles=("clerk",), body=LineQtyIn,
           response=OrderOut, versioned=True, summary="Change a line's quantity",
           tag="orders", errors=(404, 409))
def change_qty(call: Call, order_id: int, line_id: int) -> OrderOut:
    body: LineQtyIn = call.body
    order, _line = set_line_qty(order_id, line_id, body.qty, version=call.version,
                                staff_id=call.staff.id)
    return OrderOut.of(order)


@api_route("DELETE", "/orders/{order_id}/lines/{line_id}", roles=("clerk",), body=VersionIn,
           response=OrderOut, versioned=True, summary="Remove a line (a restock task appears)",
           tag="orders", errors=(404, 409))
def drop(call: Call, order_id: int, line_id: int) -> OrderOut:
    order = remove_line(order_id, line_id, version=call.version, staff_id=call.staff.id)
    return OrderOut.of(order)


@api_route("POST", "/orders/{order_id}/submit", roles=("clerk",), body=VersionIn,
           response=OrderOut, versioned=True, idempotent=True,
           summary="Send the order to the cashier", tag="orders", errors=(404, 409),
           description="With an Idempotency-Key a retry replays the first answer (200) instead of "
                       "a 409 saying the order is no longer open.")
def send(call: Call, order_id: int) -> OrderOut:
    return OrderOut.of(submit(order_id, version=call.version))
