"""Returns and exchanges over the API (API.md "Returns and exchanges", SPEC §6).

`GET …/returnable` lists a customer's sale lines of a product, oldest first;
`POST /returns/check` judges a request and writes nothing; `POST /returns` (with an
Idempotency-Key) makes the document — a refusal is 409 with `rule`, `reasons` and the
`verdict`, unless `override` carries a manager's staff number, PIN and reason (a wrong PIN
is 401 and counts toward that manager's lockout). Franchise contracts and their quota
meter sit on the customer.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from flask_babel import gettext as _
from pydantic import Field

from showroom.aftersales.contracts import parse_contract, set_contract
from showroom.aftersales.models import AfterSalesDoc, AfterSalesKind, AfterSalesReason, Delivery
from showroom.aftersales.requests import parse_request
from showroom.aftersales.returnable import contract_of, quota_of, returnable_lines
from showroom.aftersales.rules import ratio_str
from showroom.aftersales.services import check_return, doc_result, make_return
from showroom.api.packing import keeping_refused_pins
from showroom.api.registry import Call, api_route
from showroom.api.types import Id, In, Line, MoneyOut, OneOf, Out, Para, Qty, QueryIn
from showroom.catalog.services import find_product
from showroom.customers.services import get_customer
from showroom.errors import NotFound, ValidationFailed
from showroom.extensions import db
from showroom.money import fen_str
from showroom.orders.models import Channel

TAG = "returns and exchanges"
ASK = ("clerk", "cashier")
Kind = Annotated[str, OneOf(AfterSalesKind)]
Reason = Annotated[str, OneOf(AfterSalesReason)]


class ReturnableQuery(QueryIn):
    barcode: Line = Field("", max_length=64, description="scanned barcode (or a product code)")
    product_code: Line = Field("", max_length=40)


class ReturnableLineOut(Out):
    order_id: int
    order_number: str
    line_id: int
    product_code: str
    name: str
    sold_qty: int
    returned_qty: int = Field(description="dropped at the desk + crossed out + taken back")
    returnable_qty: int
    unit_price: MoneyOut = Field(description="the price paid")
    channel: Annotated[str, OneOf(Channel)]
    delivery: Annotated[str, OneOf(Delivery)]
    settled_at: datetime | None
    at_packing_bench: bool = Field(description="still being packed: cross out there instead")


class ReturnableOut(Out):
    product_code: str
    items: list[ReturnableLineOut] = Field(description="oldest sale first")


class ContractIn(In):
    starts_on: Line = Field(max_length=10, description="first day, e.g. 2026-01-01")
    ends_on: Line = Field(max_length=10, description="last day, e.g. 2026-12-31")
    return_ratio: Line = Field(max_length=8, description="between 0 and 1, e.g. \"0.10\"")


class ContractOut(Out):
    customer_id: int
    starts_on: date
    ends_on: date
    return_ratio: str = Field(examples=["0.10"])


class QuotaOut(Out):
    starts_on: date
    ends_on: date
    return_ratio: str
    purchased: MoneyOut
    returned: MoneyOut
    limit: MoneyOut
    headroom: MoneyOut


class AfterSalesLineIn(In):
    line_id: Id
    qty: Qty


class AfterSalesReplacementIn(In):
    barcode: Line | None = Field(None, max_length=64)
    product_code: Line | None = Field(None, max_length=40)
    qty: Qty = 1


class AfterSalesOverrideIn(In):
    manager_staff_no: Line = Field(min_length=1, max_length=20)
    manager_pin: Line = Field(min_length=1, max_length=12)
    reason: Line = Field(min_length=1, max_length=200)


class AfterSalesIn(In):
    customer_id: Id
    kind: Kind
    reason: Reason
    quality_confirmed: bool = False
    lines: list[AfterSalesLineIn] = Field(min_length=1, max_length=50)
    replacements: list[AfterSalesReplacementIn] = Field([], max_length=50,
                                              description="an exchange's goods out")
    note: Para | None = Field(None, max_length=200)
    override: AfterSalesOverrideIn | None = Field(None, description="a manager lets a refusal through")


class VerdictOut(Out):
    allowed: bool
    rule: str
    reasons: list[str]


class AfterSalesCheckOut(VerdictOut):
    overridable: bool
    credit: MoneyOut = Field(description="the goods back at the prices paid")
    replacement_total: MoneyOut
    difference: MoneyOut = Field(description="> 0 the customer pays, < 0 credited")
    headroom: MoneyOut | None = Field(None, description="franchise quota left after this")


class AfterSalesLineOut(Out):
    line_id: int
    order_id: int
    product_code: str
    qty: int
    unit_price: MoneyOut
    amount: MoneyOut


class AfterSalesReplacementOut(Out):
    product_code: str
    qty: int
    unit_price: MoneyOut
    amount: MoneyOut


class AfterSalesOut(Out):
    id: int
    number: str = Field(examples=["TH-20261122-0001", "HH-20261122-0001"])
    kind: str
    customer_id: int
    reason: str
    quality_confirmed: bool
    verdict: VerdictOut
    overridden: bool
    override_reason: str
    credit: MoneyOut
    replacement_total: MoneyOut
    difference: MoneyOut = Field(description="the one ledger entry's amount (0.00: none)")
    balance_after: MoneyOut
    lines: list[AfterSalesLineOut]
    replacements: list[AfterSalesReplacementOut]
    created_at: datetime


def _request(body: AfterSalesIn) -> Any:
    return parse_request(body.model_dump())


@api_route("GET", "/customers/{customer_id}/returnable", roles=ASK, query=ReturnableQuery,
           response=ReturnableOut, tag=TAG, errors=(404, 422),
           summary="The customer's sale lines of a scanned product, oldest first")
def returnable(call: Call, customer_id: int) -> ReturnableOut:
    q: ReturnableQuery = call.query
    get_customer(customer_id)
    if not q.barcode and not q.product_code:
        raise ValidationFailed(_("scan a barcode or give a product code"),
                               errors={"barcode": _("barcode or product_code required")})
    product = find_product(barcode=q.barcode or None, code=q.product_code or None)
    items = [ReturnableLineOut(
        order_id=ln.order_id, order_number=ln.order_number, line_id=ln.line_id,
        product_code=ln.product_code, name=ln.name, sold_qty=ln.sold_qty,
        returned_qty=ln.returned_qty, returnable_qty=ln.returnable_qty,
        unit_price=fen_str(ln.unit_price), channel=ln.channel, delivery=ln.delivery,
        settled_at=ln.settled_at, at_packing_bench=ln.at_bench)
        for ln in returnable_lines(customer_id, product.id)]
    return ReturnableOut(product_code=product.code, items=items)


@api_route("PUT", "/customers/{customer_id}/franchise-contract", roles=("manager",),
           body=ContractIn, response=ContractOut, tag=TAG, errors=(404, 409, 422),
           summary="Record a franchisee's contract: period and return ratio",
           description="The ratio is a string between 0 and 1 (\"0.10\" = 10 %), stored "
                       "exactly. Wholesale customers have no contract (409).")
def put_contract(call: Call, customer_id: int) -> ContractOut:
    get_customer(customer_id)
    start, end, bp = parse_contract(call.body.model_dump())
    c = set_contract(customer_id, start, end, bp, staff_id=call.staff.id)
    return ContractOut(customer_id=customer_id, starts_on=c.starts_on, ends_on=c.ends_on,
                       return_ratio=ratio_str(c.ratio_bp))


@api_route("GET", "/customers/{customer_id}/franchise-quota", roles=("cashier",),
           response=QuotaOut, tag=TAG, errors=(404,),
           summary="The quota meter: bought, returned and headroom in the contract period")
def quota(call: Call, customer_id: int) -> QuotaOut:
    get_customer(customer_id)
    q = quota_of(customer_id)
    if q is None:
        raise NotFound(_("no franchise contract for customer %(id)s", id=customer_id))
    return QuotaOut(starts_on=q.starts_on, ends_on=q.ends_on, return_ratio=ratio_str(q.ratio_bp),
                    purchased=fen_str(q.purchased), returned=fen_str(q.returned),
                    limit=fen_str(q.limit), headroom=fen_str(q.headroom))


@api_route("POST", "/returns/check", roles=ASK, body=AfterSalesIn, response=AfterSalesCheckOut, tag=TAG,
           errors=(422,), summary="The verdict of a return or exchange; writes nothing")
def check(call: Call) -> AfterSalesCheckOut:
    a = check_return(_request(call.body))
    exchange = call.body.kind == AfterSalesKind.EXCHANGE
    head = a.headroom_after
    return AfterSalesCheckOut(allowed=a.verdict.allowed, rule=a.verdict.rule,
                    reasons=list(a.verdict.reasons), overridable=a.verdict.overridable,
                    credit=fen_str(a.credit), replacement_total=fen_str(a.replacement_total),
                    difference=fen_str(a.replacement_total - a.credit if exchange else -a.credit),
                    headroom=fen_str(head) if head is not None else None)


@api_route("POST", "/returns", roles=("cashier",), body=AfterSalesIn, response=AfterSalesOut,
           status=201, idempotent=True, tag=TAG, errors=(401, 403, 409, 422, 423),
           summary="Make a return or an exchange: one numbered document, printed",
           description="Goods back into stock at the price paid; an exchange's replacements "
                       "out at today's price; one ledger entry for the credit or the "
                       "difference (none when it is 0). Refused by a rule → 409 with "
                       "`verdict` unless `override`. Never more than `returnable_qty`. "
                       "Send an Idempotency-Key.")
def create(call: Call) -> AfterSalesOut:
    body: AfterSalesIn = call.body
    req = _request(body)
    staff_no = body.override.manager_staff_no if body.override else ""
    doc = keeping_refused_pins(staff_no, f"aftersales:{body.customer_id}", lambda: make_return(
        req, staff_id=call.staff.id, station=call.station))
    return AfterSalesOut.model_validate(doc_result(doc))


@api_route("GET", "/returns/{doc_id}", roles=("cashier",), response=AfterSalesOut, tag=TAG,
           errors=(404,), summary="One return or exchange document")
def show(call: Call, doc_id: int) -> AfterSalesOut:
    doc = db.session.get(AfterSalesDoc, doc_id)
    if doc is None:
        raise NotFound(_("no return or exchange %(id)s", id=doc_id))
    return AfterSalesOut.model_validate(doc_result(doc))


@api_route("GET", "/customers/{customer_id}/franchise-contract", roles=("cashier",),
           response=ContractOut, tag=TAG, errors=(404,),
           summary="A franchisee's contract")
def get_contract(call: Call, customer_id: int) -> ContractOut:
    get_customer(customer_id)
    c = contract_of(customer_id)
    if c is None:
        raise NotFound(_("no franchise contract for customer %(id)s", id=customer_id))
    return ContractOut(customer_id=customer_id, starts_on=c.starts_on, ends_on=c.ends_on,
                       return_ratio=ratio_str(c.ratio_bp))
