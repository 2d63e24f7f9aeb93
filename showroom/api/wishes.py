"""Wishes (缺货登记) over the API: record what a customer wanted but we lacked, and list
the open ones for a product so someone can call the customers when it is back."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from pydantic import Field

from showroom.api.problems import invalid_input
from showroom.api.registry import Call, api_route
from showroom.api.types import Id, In, Line, Out, Qty, QueryIn
from showroom.extensions import db
from showroom.orders.models import Order
from showroom.picking.models import Wish
from showroom.picking.services import open_wishes, record_wish


class WishIn(In):
    customer_id: Id
    product_code: Line | None = Field(None, min_length=1, max_length=40)
    description: Line | None = Field(None, min_length=1, max_length=200)
    qty: Qty = 1
    order_id: Id | None = None


class WishQuery(QueryIn):
    product_code: Line | None = Field(None, min_length=1, max_length=40)


class WishOut(Out):
    id: int
    customer_id: int
    customer_name: str
    customer_phone: str
    product_code: str | None
    description: str
    qty: int
    order_id: int | None
    created_at: datetime
    notified_at: datetime | None

    @classmethod
    def of(cls, w: Wish) -> WishOut:
        return cls(id=w.id, customer_id=w.customer_id, customer_name=w.customer.name,
                   customer_phone=w.customer.phone,
                   product_code=w.product.code if w.product else None,
                   description=w.description, qty=w.qty, order_id=w.order_id,
                   created_at=w.created_at, notified_at=w.notified_at)


class WishList(Out):
    items: list[WishOut]


@api_route("POST", "/wishes", roles=("clerk", "reception"), body=WishIn, response=WishOut,
           status=201, summary="Record a wish (product code or description)", tag="picking")
def create(call: Call) -> WishOut:
    body: WishIn = call.body
    if body.order_id is not None and db.session.get(Order, body.order_id) is None:
        raise invalid_input({"order_id": _("no such order")})
    wish = record_wish(body.customer_id, product_code=body.product_code,
                       description=body.description, qty=body.qty, staff_id=call.staff.id,
                       order_id=body.order_id)
    return WishOut.of(wish)


@api_route("GET", "/wishes", query=WishQuery, response=WishList,
           summary="Open wishes (for a product: whom to notify)", tag="picking")
def listing(call: Call) -> WishList:
    query: WishQuery = call.query
    return WishList(items=[WishOut.of(w) for w in open_wishes(query.product_code)])
