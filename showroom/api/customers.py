"""Customers over the API: register, search, read, correct, and read the ledger."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated

from flask_babel import gettext as _
from pydantic import Field

from showroom.api.problems import invalid_input
from showroom.api.registry import Call, api_route
from showroom.api.schemas import CustomerList, CustomerOut
from showroom.api.types import In, Line, MoneyOut, OneOf, Out, Para, QueryIn
from showroom.auth.models import Staff
from showroom.customers.file import FILE_FIELDS, Gender, Level, birthday_input, update_file
from showroom.customers.models import Customer, CustomerKind, NoticeLang
from showroom.customers.services import (
    get_customer,
    ledger,
    may_see_phone,
    register_customer,
    search_customers,
    update_customer,
)
from showroom.extensions import db
from showroom.money import fen_str
from showroom.shipping.carriers import Carrier as CarrierCode

DESK_ROLES = ("reception", "cashier", "manager")
Kind = Annotated[str, OneOf(CustomerKind)]
Carrier = Annotated[str, OneOf(CarrierCode, "")]
Lang = Annotated[str, OneOf(NoticeLang)]
GenderCode = Annotated[str, OneOf(Gender)]
LevelCode = Annotated[str, OneOf(Level)]
Email = Field(None, max_length=120, examples=["wang@example.com"],
              description="for shipping notices; \"\" removes it")
CarrierField = Field(None, description="how the customer wants goods sent; \"\" = ask")
LangField = Field(None, description="language of the customer's shipping notices")


class CustomerIn(In):
    name: Line = Field(min_length=1, max_length=60, examples=["王丽"])
    phone: Line = Field(min_length=1, max_length=30, examples=["13800001234"])
    kind: Kind
    address: Para | None = Field(None, max_length=200)
    region: Line | None = Field(None, max_length=60)
    email: Line | None = Email
    preferred_carrier: Carrier | None = CarrierField
    notice_lang: Lang | None = LangField
    register_anyway: bool = Field(False, description="the phone number is already on file for "
                                  "another customer and this is a different person: register "
                                  "anyway (without it: 409 duplicate-phone)")


class CustomerPatch(In):
    """Any of the details, and any of the customer file's fields (SPEC §8)."""
    name: Line | None = Field(None, min_length=1, max_length=60)
    phone: Line | None = Field(None, min_length=1, max_length=30)
    kind: Kind | None = None
    address: Para | None = Field(None, max_length=200)
    region: Line | None = Field(None, max_length=60)
    email: Line | None = Email
    preferred_carrier: Carrier | None = CarrierField
    notice_lang: Lang | None = LangField
    member: bool | None = None
    gender: GenderCode | None = Field(None, description="f, m, or \"\" (not given)")
    birthday: Line | None = Field(None, max_length=10, examples=["1980-08-15", "08-15"],
                                  description="YYYY-MM-DD or MM-DD (no year); lunar month "
                                  "and day when birthday_lunar; \"\" removes it")
    birthday_lunar: bool | None = Field(None, description="the birthday is lunar (农历)")
    interests: Para | None = Field(None, max_length=500)
    level: LevelCode | None = Field(None, description="relationship level A/B/C; \"\" = "
                                    "not rated")
    owner_staff_no: Line | None = Field(None, max_length=20, description="the clerk who "
                                        "looks after the customer; \"\" = nobody")


class CustomerFileOut(CustomerOut):
    """A customer with the file (SPEC §8) and the derived last contact."""
    member: bool = False
    gender: str = ""
    birthday: str | None = Field(None, description="YYYY-MM-DD, or MM-DD without a year")
    birthday_lunar: bool = False
    interests: str = ""
    level: str = ""
    owner_staff_no: str | None = None
    last_contact_at: datetime | None = Field(None, description="derived from visits, "
                                             "orders, payments, shipments, repairs, calls")

    @classmethod
    def of_file(cls, c: Customer, viewer: Staff) -> CustomerFileOut:
        from showroom.customers.contact import last_contacts

        owner = db.session.get(Staff, c.owner_id) if c.owner_id else None
        base = CustomerOut.of(c, viewer).model_dump()
        return cls(**base, member=c.member, gender=c.gender,
                   birthday=birthday_input(c) or None, birthday_lunar=c.birthday_lunar,
                   interests=c.interests, level=c.level,
                   owner_staff_no=owner.staff_no if owner else None,
                   last_contact_at=last_contacts([c.id])[c.id])


class CustomerQuery(QueryIn):
    q: Line = Field("", max_length=60, description="name, phone or customer code; empty: latest")


class LedgerEntryOut(Out):
    id: int
    kind: str
    amount: MoneyOut = Field(description="+ raises what the customer owes")
    balance_after: MoneyOut
    ref: str
    note: str
    created_at: datetime


class LedgerOut(Out):
    customer_id: int
    balance: MoneyOut = Field(description="> 0: the customer owes us")
    entries: list[LedgerEntryOut] = Field(description="newest first, at most 200")


@api_route("POST", "/customers", roles=DESK_ROLES, body=CustomerIn, response=CustomerOut,
           status=201, summary="Register a customer", tag="customers", errors=(409,))
def create(call: Call) -> CustomerOut:
    body: CustomerIn = call.body
    extra = body.model_dump(include={"address", "region", "email", "preferred_carrier",
                                     "notice_lang"}, exclude_none=True)
    return CustomerOut.of(register_customer(name=body.name, phone=body.phone, kind=body.kind,
                                            register_anyway=body.register_anyway, **extra),
                          call.staff)


@api_route("GET", "/customers", query=CustomerQuery, response=CustomerList,
           summary="Search customers by name, phone or code", tag="customers")
def search(call: Call) -> CustomerList:
    query: CustomerQuery = call.query
    return CustomerList(items=[CustomerOut.of(c, call.staff) for c in search_customers(
        query.q, by_phone=may_see_phone(call.staff))])


@api_route("GET", "/customers/{customer_id}", response=CustomerOut, summary="Read a customer",
           tag="customers", errors=(404,))
def read(call: Call, customer_id: int) -> CustomerOut:
    return CustomerOut.of(get_customer(customer_id), call.staff)


@api_route("GET", "/customers/{customer_id}/file", response=CustomerFileOut,
           summary="Read a customer with the customer file and the last contact",
           tag="customers", errors=(404,))
def read_file(call: Call, customer_id: int) -> CustomerFileOut:
    return CustomerFileOut.of_file(get_customer(customer_id), call.staff)


@api_route("PATCH", "/customers/{customer_id}", roles=DESK_ROLES, body=CustomerPatch,
           response=CustomerFileOut, summary="Correct a customer's details or file",
           tag="customers", errors=(404,))
def patch(call: Call, customer_id: int) -> CustomerFileOut:
    body: CustomerPatch = call.body
    fields = body.model_dump(exclude_none=True)
    if not fields:
        raise invalid_input({"body": _("give at least one of name, phone, kind, address, "
                                       "region, member, gender, birthday, interests, level, "
                                       "owner_staff_no")})
    file_fields = {k: fields.pop(k) for k in FILE_FIELDS if k in fields}
    customer = get_customer(customer_id)
    if fields:
        update_customer(customer, **fields)
    if file_fields:
        update_file(customer_id, file_fields)
    return CustomerFileOut.of_file(customer, call.staff)


@api_route("GET", "/customers/{customer_id}/ledger", roles=("cashier", "manager"),
           response=LedgerOut, summary="A customer's ledger and balance", tag="customers",
           errors=(404,))
def read_ledger(call: Call, customer_id: int) -> LedgerOut:
    customer = get_customer(customer_id)
    return LedgerOut(
        customer_id=customer.id, balance=fen_str(customer.balance),
        entries=[LedgerEntryOut(id=e.id, kind=e.kind, amount=fen_str(e.amount),
                                balance_after=fen_str(e.balance_after), ref=e.ref, note=e.note,
                                created_at=e.created_at) for e in ledger(customer.id)])
