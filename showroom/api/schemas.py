"""Response models (API.md's object shapes) and their builders from domain objects.

Endpoints must return one of these; the OpenAPI document shows the same models, so
the documented shape is the served shape. Money leaves as "1234.50" strings.
"""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import Field

from showroom.api.types import MoneyOut, OneOf, Out
from showroom.auth.models import Staff
from showroom.catalog.models import Product
from showroom.customers.models import Customer, CustomerKind
from showroom.extensions import db
from showroom.money import fen_str
from showroom.orders.models import Channel, Order, OrderLine, OrderStatus
from showroom.printjobs.models import JobError, PrintJob


class Problem(Out):
    """application/problem+json (RFC 9457)."""

    type: str = Field(examples=["urn:showroom:problem:validation"])
    title: str
    status: int
    detail: str
    errors: dict[str, str] | None = Field(
        None, description="one message per invalid field, e.g. {\"lines[0].qty\": \"...\"}")


class ProductOut(Out):
    id: int
    code: str
    barcode: str | None
    name: str
    price_wholesale: MoneyOut
    price_franchise: MoneyOut
    stock_qty: int
    category: str
    area: str | None
    care_note: str
    material: str = ""
    origin: str = ""
    washing_note: str = Field("", description="product facts told on a video call")
    background: str = ""
    consignor_code: str | None = Field(
        None, examples=["pf123李"],
        description="consigned goods: the consignor's code (their stock, not ours); null for ours")

    @classmethod
    def of(cls, p: Product) -> ProductOut:
        return cls(id=p.id, code=p.code, barcode=p.barcode, name=p.name,
                   price_wholesale=fen_str(p.price_wholesale),
                   price_franchise=fen_str(p.price_franchise), stock_qty=p.on_hand,
                   category=p.category or "", area=p.area.code if p.area else None,
                   care_note=p.care_note or "", material=p.material or "",
                   origin=p.origin or "", washing_note=p.washing_note or "",
                   background=p.background or "", consignor_code=consignor_code(p))


def consignor_code(p: Product) -> str | None:
    """The owner's code of a consigned product (the session's identity map keeps each
    consignor after the first look), None for ours."""
    if p.consignor_id is None:
        return None
    from showroom.consignment.models import Consignor

    owner = db.session.get(Consignor, p.consignor_id)
    return owner.code if owner is not None else None


class ProductList(Out):
    items: list[ProductOut]


class CustomerOut(Out):
    id: int
    code: str
    name: str
    phone: str
    kind: Annotated[str, OneOf(CustomerKind)]
    address: str
    region: str
    balance: MoneyOut | None = Field(description="> 0: the customer owes us; null for roles "
                                                 "that may not see debts (cashier, manager do)")
    file_complete: bool = Field(description="name, phone and address are filled in "
                                            "(needed before settling)")
    email: str = ""
    preferred_carrier: str = Field("", description="carrier code; \"\" = ask the customer")
    notice_lang: str = Field("zh", description="language of shipping notices: zh or en")
    credit_limit: MoneyOut | None = Field(None, description="most debt allowed; null = no "
                                          "limit (or a role that may not see debts)")

    @classmethod
    def of(cls, c: Customer, viewer: Staff) -> CustomerOut:
        """Phone in full for reception/cashier/manager, else masked; balance for
        cashier/manager only (SPEC §12)."""
        from showroom.customers.services import may_see_debt, may_see_phone
        from showroom.privacy import mask_phone

        return cls(id=c.id, code=c.code, name=c.name,
                   phone=c.phone if may_see_phone(viewer) else mask_phone(c.phone),
                   kind=c.kind,
                   address=c.address, region=c.region,
                   balance=fen_str(c.balance) if may_see_debt(viewer) else None,
                   file_complete=c.file_complete, email=c.email,
                   preferred_carrier=c.preferred_carrier, notice_lang=c.notice_lang,
                   credit_limit=fen_str(c.credit_limit) if c.credit_limit is not None
                   and may_see_debt(viewer) else None)


class CustomerList(Out):
    items: list[CustomerOut]


class LineOut(Out):
    id: int
    product_code: str
    barcode: str | None
    name: str
    qty: int
    returned_qty: int = Field(description="returned on the spot; not charged")
    unit_price: MoneyOut
    amount: MoneyOut = Field(description="unit_price × (qty − returned_qty)")

    @classmethod
    def of(cls, line: OrderLine) -> LineOut:
        p = line.product
        return cls(id=line.id, product_code=p.code, barcode=p.barcode, name=p.name,
                   qty=line.qty, returned_qty=line.returned_qty,
                   unit_price=fen_str(line.unit_price),
                   amount=fen_str(line.unit_price * (line.qty - line.returned_qty)))


class OrderOut(Out):
    id: int
    number: str
    status: Annotated[str, OneOf(OrderStatus)]
    customer_id: int
    visit_id: int | None
    channel: Annotated[str, OneOf(Channel)]
    clerk_staff_no: str | None
    lines: list[LineOut]
    total: MoneyOut
    version: int = Field(description="send it back as \"version\" or If-Match when changing "
                                     "the order")
    created_at: datetime
    submitted_at: datetime | None
    settled_at: datetime | None
    external_ref: str | None = Field(None, description="the website's reference (online)")
    answer_due_at: datetime | None = Field(None, description="when an online order must be "
                                                             "answered (SPEC §5)")
    answered_at: datetime | None = None
    answer_note: str = ""
    answer_shortages: list[dict[str, Any]] = Field(
        default_factory=list, description="[{product_code, name, qty, kind, note}]: at "
        "creation what could not be supplied; after the answer what the customer was told")
    remit_status: str = Field("", description="\"\" | awaiting | received | released")
    shipping_fee: MoneyOut | None = None

    @classmethod
    def of(cls, order: Order, lines: list[OrderLine] | None = None) -> OrderOut:
        """The order with all its lines, or only `lines` (a minimal answer to a scan)."""
        from showroom.orders.services import order_lines
        from showroom.remote.services import shortages_of

        clerk: Staff | None = order.clerk
        if lines is None:
            lines = list(reversed(order_lines(order.id)))
        return cls(id=order.id, number=order.number, status=order.status,
                   customer_id=order.customer_id, visit_id=order.visit_id,
                   channel=order.channel,
                   clerk_staff_no=clerk.staff_no if clerk else None,
                   lines=[LineOut.of(ln) for ln in lines],
                   total=fen_str(order.total), version=order.version,
                   created_at=order.created_at, submitted_at=order.submitted_at,
                   settled_at=order.settled_at, external_ref=order.external_ref,
                   answer_due_at=order.answer_due_at, answered_at=order.answered_at,
                   answer_note=order.answer_note or "",
                   answer_shortages=shortages_of(order), remit_status=order.remit_status or "",
                   shipping_fee=fen_str(order.shipping_fee)
                   if order.shipping_fee is not None else None)


class PrintJobOut(Out):
    id: int
    document: str
    station: str
    printer: str | None
    status: str
    attempts: int
    error: str = Field(description="why it has not printed: a code, \"\" when fine — "
                                   + ", ".join(JobError.codes()))
    error_detail: str = Field("", description="what the printer or the renderer said, as it "
                                              "said it (for the manager)")
    copies: int
    reprint: bool
    reprint_of_id: int | None
    order_id: int | None
    ref: str
    created_at: datetime
    status_reply: str = Field(description="what the printer last said about itself (e.g. "
                                          "\"paper out\"); never proof of printing")
    printed_at: datetime | None = Field(description="when the printer took the whole job")
    next_attempt_at: datetime | None = Field(
        description="when the worker tries again after \"connection refused\"")

    @classmethod
    def of(cls, job: PrintJob) -> PrintJobOut:
        return cls.model_validate(job)


class PrintJobList(Out):
    items: list[PrintJobOut]


class StaffOut(Out):
    staff_no: str
    name: str
    roles: list[str]

    @classmethod
    def of(cls, staff: Staff) -> StaffOut:
        return cls(staff_no=staff.staff_no, name=staff.name, roles=sorted(staff.role_set))
