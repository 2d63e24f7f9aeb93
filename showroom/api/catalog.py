"""Products (create, change, search, look up by barcode) and stock receipts (入库) over the API."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from pydantic import Field
from sqlalchemy import select

from showroom.api.problems import ApiError, invalid_input
from showroom.api.registry import Call, api_route
from showroom.api.schemas import ProductList, ProductOut
from showroom.api.types import In, Line, Money, Out, Para, Qty, QueryIn
from showroom.catalog.models import Product
from showroom.catalog.services import (
    create_product,
    find_product,
    receive_stock,
    search_products,
    update_product,
)
from showroom.extensions import db


class ProductIn(In):
    code: Line = Field(min_length=1, max_length=40, examples=["SL-1001"])
    barcode: Line | None = Field(None, min_length=1, max_length=64, examples=["6901234567892"])
    name: Line = Field(min_length=1, max_length=120, examples=["925银手链"])
    price_wholesale: Money
    price_franchise: Money
    area: Line | None = Field(None, min_length=1, max_length=20, description="area code")
    care_note: Para | None = Field(None, max_length=2000)
    category: Line | None = Field(None, max_length=40)
    material: Line | None = Field(None, max_length=60)
    origin: Line | None = Field(None, max_length=60)
    washing_note: Para | None = Field(None, max_length=2000, description="how to wash it")
    background: Para | None = Field(None, max_length=2000, description="the piece's story")


class ProductPatchIn(In):
    """Any product field; only those sent change. `null` (or "") clears an optional one
    (barcode, area, care note, category, material, origin)."""

    code: Line | None = Field(None, min_length=1, max_length=40)
    barcode: Line | None = Field(None, max_length=64)
    name: Line | None = Field(None, min_length=1, max_length=120)
    price_wholesale: Money | None = None
    price_franchise: Money | None = None
    area: Line | None = Field(None, max_length=20, description="area code; null: no area")
    care_note: Para | None = Field(None, max_length=2000)
    category: Line | None = Field(None, max_length=40)
    material: Line | None = Field(None, max_length=60)
    origin: Line | None = Field(None, max_length=60)
    washing_note: Para | None = Field(None, max_length=2000, description="how to wash it")
    background: Para | None = Field(None, max_length=2000, description="the piece's story")


class ProductQuery(QueryIn):
    q: Line = Field("", max_length=60, description="code, barcode or part of the name")


class ReceiptLineIn(In):
    product_code: Line = Field(min_length=1, max_length=40)
    qty: Qty


class ReceiptIn(In):
    lines: list[ReceiptLineIn] = Field(min_length=1, max_length=500)


class ReceiptLineOut(Out):
    product_code: str
    qty: int
    stock_qty: int = Field(description="on hand after the receipt")


class ReceiptOut(Out):
    id: int
    number: str
    created_at: datetime
    lines: list[ReceiptLineOut]


@api_route("POST", "/products", roles=("manager",), body=ProductIn, response=ProductOut,
           status=201, summary="Create a product", tag="catalog", errors=(409,))
def create(call: Call) -> ProductOut:
    body: ProductIn = call.body
    product = create_product(body.model_dump(exclude_none=True))
    return ProductOut.of(product)


@api_route("PATCH", "/products/{code}", roles=("manager",), body=ProductPatchIn,
           response=ProductOut, summary="Change a product's fields", tag="catalog",
           errors=(404, 409), description="The same rules as creating one: code and barcode "
           "unique (409 naming the product that has it), prices with at most two decimals, "
           "a known area. Stock is not a field: it moves by receipts, sales and returns.")
def patch(call: Call, code: str) -> ProductOut:
    body: ProductPatchIn = call.body
    data = body.model_dump(exclude_unset=True)
    if not data:
        raise invalid_input({"body": _("send at least one product field")})
    return ProductOut.of(update_product(code.strip()[:40], data))


@api_route("GET", "/products", query=ProductQuery, response=ProductList,
           summary="Search products by code, barcode or name", tag="catalog")
def search(call: Call) -> ProductList:
    query: ProductQuery = call.query
    return ProductList(items=[ProductOut.of(p) for p in search_products(query.q)])


@api_route("GET", "/products/by-barcode/{barcode}", response=ProductOut,
           summary="Look up a scanned barcode", tag="catalog", errors=(404,))
def by_barcode(call: Call, barcode: str) -> ProductOut:
    barcode = barcode.strip()
    if not barcode or len(barcode) > 64 or not barcode.isprintable():
        raise ApiError(404, _("No product with this barcode."), code="not-found")
    return ProductOut.of(find_product(barcode=barcode))


@api_route("POST", "/stock/receipts", roles=("manager",), body=ReceiptIn, response=ReceiptOut,
           status=201, idempotent=True, summary="Receive goods into stock", tag="catalog",
           description="All lines or none; unknown product codes are listed together. "
                       "Send an Idempotency-Key so a retry never receives twice.")
def receive(call: Call) -> ReceiptOut:
    body: ReceiptIn = call.body
    lines = [(ln.product_code, ln.qty) for ln in body.lines]
    receipt = receive_stock(lines, staff_id=call.staff.id)
    stock = dict(db.session.execute(
        select(Product.code, Product.on_hand).where(Product.code.in_({c for c, _q in lines}))
    ).tuples().all())
    return ReceiptOut(id=receipt.id, number=receipt.number, created_at=receipt.created_at,
                      lines=[ReceiptLineOut(product_code=code, qty=qty, stock_qty=stock[code])
                             for code, qty in lines])
