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
from showroom.api.registry import Answered, Call, api_route
from showroom.api.schemas import OrderOut
from showroom.api.types import Id, In, Line, OneOf, Qty, Version
from showroom.catalog.services import find_product
from showroom.customers.models import Customer
from showroom.errors import NotFound, ValidationFailed
from showroom.extensions import db
from showroom.orders.models import Channel as ChannelCode
from showroom.orders.models import Order
from showroom.orders.services import add_line, remove_line, set_line_qty, submit
from showroom.picking.services import start_order
from showroom.remote import services as remote

Channel = Annotated[str, OneOf(ChannelCode)]


class OnlineLineIn(In):
    product_code: Line = Field(min_length=1, max_length=40)
    qty: Qty = 1


class OrderIn(In):
    customer_id: Id
    visit_id: Id | None = None
    channel: Channel = "showroom"
    lines: list[OnlineLineIn] | None = Field(
        None, max_length=200, description="online orders from the website: the goods ordered")
    external_ref: Line | None = Field(
        None, min_length=1, max_length=64,
        description="the website's order reference: the same reference again returns the "
                    "first order (200) instead of opening a second")


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
           errors=(403, 422),
           description="Send an Idempotency-Key (e.g. a UUID per order the tablet means to open): "
                       "a retry after a lost answer then returns the first order instead of "
                       "opening a second one. The website back end posts online orders as "
                       "`{customer_id, channel: \"online\", lines:[{product_code, qty}], "
                       "external_ref}`: the same external_ref again (also two posts at once) "
                       "answers 200 with the first order. Unknown product codes: 422 per line, "
                       "nothing written; goods short in stock are accepted, the line takes "
                       "what is on hand and the shortfall is listed in answer_shortages for "
                       "the clerk's answer.")
def create(call: Call) -> OrderOut | Answered:
    body: OrderIn = call.body  # the clerk's own visit only; an open order is reused (403 else)
    if body.external_ref is not None or body.lines is not None:
        return _online(body, call)
    order, _created = start_order(body.customer_id, visit_id=body.visit_id,
                                  channel=body.channel, staff=call.staff)
    return OrderOut.of(order)


def _online(body: OrderIn, call: Call) -> OrderOut | Answered:
    """An online order from the website back end (SPEC §5): idempotent on external_ref."""
    errors: dict[str, str] = {}
    if body.channel != "online":
        errors["channel"] = _("lines and external_ref come with channel \"online\"")
    if body.visit_id is not None:
        errors["visit_id"] = _("an online order has no visit")
    if body.external_ref is None:
        errors["external_ref"] = _("required")
    if errors:
        raise invalid_input(errors)
    assert body.external_ref is not None
    customer_errors: dict[str, str] = {}
    if db.session.get(Customer, body.customer_id) is None:
        customer_errors["customer_id"] = _("no such customer")
    try:
        lines = remote.parse_lines([ln.model_dump() for ln in body.lines or []])
    except ValidationFailed as exc:
        raise invalid_input(customer_errors | dict(exc.errors)) from None
    if customer_errors:
        raise invalid_input(customer_errors)
    order, created = remote.create_online_order(body.customer_id, lines, body.external_ref,
                                                staff=call.staff)
    return OrderOut.of(order) if created else Answered(OrderOut.of(order), 200)


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
