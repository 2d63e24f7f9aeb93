"""Customer file and ledger. The ledger is append-only; balance = sum of entries.

Every entry locks the customer row first, so `balance_after` is a true running
balance even when two desks post for one customer at once.
"""
from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, func, or_, select

from showroom import text_rule
from showroom.auth.models import Staff
from showroom.customers.models import (
    CUSTOMER_KINDS,
    LEDGER_KINDS,
    Customer,
    LedgerEntry,
    LedgerKind,
    NoticeLang,
)
from showroom.errors import (
    Conflict,
    DuplicatePhone,
    NotFound,
    Problem,
    RuleRefused,
    ValidationFailed,
    required,
)
from showroom.extensions import db
from showroom.numbering import next_code
from showroom.phones import clean_phone, phone_digits
from showroom.shipping.carriers import Carrier

PHONE_RE = re.compile(r"^\+?[0-9][0-9\- ]{5,19}$")  # callers' numbers (inquiries): any country
EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
LIMITS = {"name": 60, "phone": 30, "address": 200, "region": 60, "email": 120}
# A customer's preferred carrier ("" = ask); shipping.carriers imports nothing of ours.
CARRIER_CODES = Carrier.codes()
NOTICE_LANGS = NoticeLang.codes()


def clean_customer_fields(data: dict[str, object], *, partial: bool) -> dict[str, str]:
    """Validate name / phone / kind / address / region (and the shipping fields e-mail,
    preferred carrier, notice language); raise with every field's problem, each a
    `Problem` whose code (required, not-text, too-long, bad-kind, bad-phone, bad-email,
    bad-carrier, bad-lang) screens reword by instead of comparing sentences."""
    errors: dict[str, str] = {}
    out: dict[str, str] = {}
    for field in ("name", "phone", "kind", "address", "region"):
        if field not in data or data[field] is None:
            if not partial and field in ("name", "phone", "kind"):
                errors[field] = required()
            continue
        value = data[field]
        if not isinstance(value, str):
            errors[field] = Problem("not-text", _("must be text"))
            continue
        value = value.strip()
        if field == "kind":
            if value not in CUSTOMER_KINDS:
                errors[field] = Problem("bad-kind", _("must be wholesale or franchise"))
        elif len(value) > LIMITS[field]:
            errors[field] = Problem("too-long", _("at most %(n)s characters", n=LIMITS[field]))
        elif field == "name" and not value:
            errors[field] = required()
        elif field == "phone":
            phone = clean_phone(value)
            if phone is None:
                errors[field] = Problem("bad-phone", phone_problem())
            value = phone or value
        elif (refused := text_rule.check(value)) is not None:
            errors[field] = Problem("bad-text", refused)
        out[field] = value
    _clean_shipping_fields(data, out, errors)
    if errors:
        raise ValidationFailed(_("please correct the customer details"), errors=errors)
    return out


def _clean_shipping_fields(data: dict[str, object], out: dict[str, str],
                           errors: dict[str, str]) -> None:
    """E-mail for shipping notices, preferred carrier ("" = ask), notice language; all
    optional, checked only when given."""
    for field in ("email", "preferred_carrier", "notice_lang"):
        value = data.get(field)
        if value is None:
            continue
        if not isinstance(value, str):
            errors[field] = Problem("not-text", _("must be text"))
            continue
        value = value.strip()
        if field == "email":
            if len(value) > LIMITS["email"]:
                errors[field] = Problem("too-long",
                                        _("at most %(n)s characters", n=LIMITS["email"]))
            elif value and (not EMAIL_RE.match(value) or not value.isprintable()):
                errors[field] = Problem("bad-email", _("an e-mail address like name@example.com"))
        elif field == "preferred_carrier" and value not in ("", *CARRIER_CODES):
            errors[field] = Problem("bad-carrier",
                                    _("one of %(choices)s", choices=", ".join(CARRIER_CODES)))
        elif field == "notice_lang" and value not in NOTICE_LANGS:
            errors[field] = Problem("bad-lang", _("zh or en"))
        out[field] = value


def phone_problem() -> str:
    return _("a mainland mobile (11 digits from 1) or a landline with its area code, "
             "e.g. 13800138000 or 010-12345678")


def same_phone(phone: str, limit: int = 5, *, exclude: int | None = None) -> list[Customer]:
    """Customers already registered with this phone number (compared digit for digit, so
    "138-0013-8000" finds 13800138000)."""
    if not phone_digits(phone):
        return []
    stmt = select(Customer).where(whole_phone(phone))
    if exclude is not None:
        stmt = stmt.where(Customer.id != exclude)
    return list(db.session.scalars(stmt.order_by(Customer.id).limit(limit)))


def register_customer(*, register_anyway: bool = False, **fields: object) -> Customer:
    """A new customer file. A phone number someone already has is refused (409,
    `duplicate-phone`) unless `register_anyway` says the desk checked it is someone else
    (two people sharing a shop's phone) — screens and the API ask the same question."""
    data = clean_customer_fields(fields, partial=False)
    if not register_anyway and same_phone(data["phone"], 1):
        raise DuplicatePhone(
            _("a customer with this phone number is already registered"),
            errors={"phone": Problem("duplicate-phone", _("already registered"))})
    customer = Customer(code=next_code("K"), balance=0, **({"address": "", "region": ""} | data))
    db.session.add(customer)
    db.session.flush()
    return customer


def update_customer(customer: Customer, **fields: object) -> Customer:
    data = clean_customer_fields(fields, partial=True)
    for key, value in data.items():
        setattr(customer, key, value)
    db.session.flush()
    return customer


def get_customer(customer_id: int) -> Customer:
    customer = db.session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(_("no customer %(id)s", id=customer_id))
    return customer


def search_customers(q: str, limit: int = 20, *, by_phone: bool = False) -> list[Customer]:
    """One box for name, phone or code: exact code/phone first, then prefixes, then names.

    Phone prefixes only for `by_phone` (roles that may see phones, `may_see_phone`): for
    anyone else a prefix search would reveal a masked number digit by digit, so a phone
    matches only when the whole number is typed (compared digit for digit)."""
    q = (q or "").strip()[:60]
    if not q:
        stmt = select(Customer).order_by(Customer.id.desc()).limit(limit)
        return list(db.session.scalars(stmt))
    if text_rule.problem(q) is not None:  # matches nothing stored; PostgreSQL refuses NUL
        return []
    like = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    matches = [Customer.code == q.upper(), Customer.name.like(f"%{like}%", escape="\\")]
    if by_phone:
        matches.append(Customer.phone.like(f"{like}%", escape="\\"))
    if clean_phone(q) is not None:
        matches.append(whole_phone(q))
    stmt = select(Customer).where(or_(*matches)).order_by(Customer.name).limit(limit)
    return list(db.session.scalars(stmt))


def whole_phone(q: str) -> ColumnElement[bool]:
    """Customers whose stored number has exactly the digits of the whole number `q`."""
    stored = func.replace(func.replace(Customer.phone, "-", ""), " ", "")
    return stored == phone_digits(q)


def lock_customer(customer_id: int) -> Customer:
    customer = db.session.execute(  # populate_existing: the balance may have moved
        select(Customer).where(Customer.id == customer_id).with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if customer is None:
        raise NotFound(_("no customer %(id)s", id=customer_id))
    return customer


def post_entry(customer_id: int, kind: str, amount: int, *, ref: str = "", note: str = "",
               staff_id: int | None = None, reverses_id: int | None = None) -> LedgerEntry:
    """Append one entry (+ raises the debt) and move the cached balance with it."""
    if kind not in LEDGER_KINDS:
        raise ValueError(f"unknown ledger kind {kind}")
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise TypeError("ledger amounts are integer fen")
    customer = lock_customer(customer_id)
    customer.balance = customer.balance + amount
    entry = LedgerEntry(customer_id=customer.id, kind=kind, amount=amount,
                        balance_after=customer.balance, ref=ref, note=note,
                        staff_id=staff_id, reverses_id=reverses_id)
    db.session.add(entry)
    db.session.flush()
    return entry


# A sale is undone only by a return (with its stock movement), and a return credit by
# nothing at the desk (SPEC §9.1): neither can be reversed in the ledger.
NOT_REVERSIBLE = frozenset({"sale", "return_credit"})
REVERSIBLE = ("payment", "refund", "shipping_fee", "adjustment")


def reverse_entry(entry_id: int, *, staff_id: int | None, note: str = "") -> LedgerEntry:
    """Correct a mistake by posting its opposite, linked to it (`reverses_id`); an entry can
    be reversed only once, always with a reason. Payments, refunds, fees and adjustments
    only: sales and return credits are refused (rule `not_reversible`)."""
    entry = db.session.get(LedgerEntry, entry_id)
    if entry is None:
        raise NotFound(_("no ledger entry %(id)s", id=entry_id))
    if entry.kind == "reversal":
        raise Conflict(_("a reversal cannot itself be reversed; post a new entry"))
    if entry.kind in NOT_REVERSIBLE:
        raise RuleRefused("not_reversible", [
            _("Entry #%(id)s is a %(kind)s (%(ref)s): it cannot be reversed in the ledger.",
              id=entry.id, kind=LedgerKind(entry.kind).label, ref=entry.ref or "—"),
            _("Undo a sale by a return: the return slip moves the goods back to stock and "
              "credits the customer.")])
    reason = (note or "").strip()
    if not reason or len(reason) > 200 or text_rule.check(reason) is not None:
        raise ValidationFailed(_("Give a reason for the reversal (at most 200 characters)."),
                               errors={"reason": required() if not reason
                                       else Problem("bad-text", _("at most 200 characters, "
                                                                  "plain text"))})
    lock_customer(entry.customer_id)  # two managers at once: the second sees the first
    already = db.session.scalar(select(LedgerEntry.id).where(LedgerEntry.reverses_id == entry_id))
    if already:
        raise Conflict(_("entry %(id)s is already reversed", id=entry_id))
    return post_entry(entry.customer_id, "reversal", -entry.amount, ref=entry.ref,
                      note=reason, staff_id=staff_id, reverses_id=entry.id)


def ledger(customer_id: int, limit: int = 200) -> list[LedgerEntry]:
    stmt = (select(LedgerEntry).where(LedgerEntry.customer_id == customer_id)
            .order_by(LedgerEntry.id.desc()).limit(limit))
    return list(db.session.scalars(stmt))


# SPEC §12: only roles that need them see a customer's phone number or debt.
# The shipper phones the customer once the goods leave (Std ch.6 §4).
PHONE_ROLES = ("reception", "cashier", "shipper")  # manager passes every role check
LEDGER_ROLES = ("cashier",)


def may_see_phone(staff: Staff) -> bool:
    return staff.has_role(*PHONE_ROLES)


def may_see_debt(staff: Staff) -> bool:
    return staff.has_role(*LEDGER_ROLES)
