"""Inquiries keep their history (SPEC §8): every inquiry stays listed after its callback,
searchable by caller name or phone, can become a customer file (prefilled, then linked),
can be passed to the manager's inbox later, and carries the prospect's urgency A/B/C
(Std ch.13 §9). Services flush only.

Phone search follows the privacy rule of `customers.services.search_customers`: a prefix
of the number only for roles that may see phones; anyone else must type the whole number.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, func, or_, select

from showroom import text_rule
from showroom.customers.models import Customer
from showroom.customers.services import register_customer
from showroom.errors import Conflict, NotFound, ValidationFailed
from showroom.extensions import db
from showroom.phones import phone_digits
from showroom.reception.inquiries import _urgency
from showroom.reception.models import Inquiry

PAGE = 30


@dataclass
class InquiryPage:
    items: list[Inquiry]
    page: int
    more: bool


def _digits_of_phone() -> ColumnElement[str]:
    return func.replace(func.replace(func.replace(Inquiry.phone, "-", ""), " ", ""), "+", "")


def search_inquiries(q: str = "", *, by_phone: bool = False, page: int = 1,
                     per_page: int = PAGE) -> InquiryPage:
    """Every inquiry, newest first, matching `q` by caller name, region, or phone."""
    q = (q or "").strip()[:60]
    page = max(1, min(int(page), 1000))
    stmt = select(Inquiry)
    if q:
        if text_rule.problem(q) is not None:
            return InquiryPage([], page, False)
        like = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        matches: list[ColumnElement[bool]] = [
            Inquiry.caller_name.like(f"%{like}%", escape="\\"),
            Inquiry.region.like(f"%{like}%", escape="\\")]
        digits = phone_digits(q)
        if digits and len(digits) >= 3:
            if by_phone:
                matches.append(_digits_of_phone().like(f"{digits}%"))
            else:
                matches.append(_digits_of_phone() == digits)
                if digits.startswith("86") and len(digits) > 11:
                    matches.append(_digits_of_phone() == digits[2:])
        stmt = stmt.where(or_(*matches))
    rows = list(db.session.scalars(stmt.order_by(Inquiry.created_at.desc(), Inquiry.id.desc())
                                   .offset((page - 1) * per_page).limit(per_page + 1)))
    return InquiryPage(rows[:per_page], page, len(rows) > per_page)


def get_inquiry(inquiry_id: int, *, lock: bool = False) -> Inquiry:
    inquiry = db.session.get(Inquiry, inquiry_id, with_for_update=lock or None,
                             populate_existing=lock)
    if inquiry is None:
        raise NotFound(_("no inquiry %(id)s", id=inquiry_id))
    return inquiry


def escalate(inquiry_id: int) -> Inquiry:
    """Pass an inquiry to a manager: it lands in the manager's inbox (once)."""
    inquiry = get_inquiry(inquiry_id, lock=True)
    if inquiry.escalated:
        raise Conflict(_("this inquiry is already with a manager"))
    inquiry.escalated = True
    db.session.flush()
    return inquiry


def set_urgency(inquiry_id: int, urgency: object) -> Inquiry:
    errors: dict[str, str] = {}
    value = _urgency(urgency, errors)
    if errors:
        raise ValidationFailed(_("please choose the urgency"), errors=errors)
    inquiry = get_inquiry(inquiry_id, lock=True)
    inquiry.urgency = value
    db.session.flush()
    return inquiry


def to_customer(inquiry_id: int, *, name: str, phone: str, kind: str, region: str = "",
                register_anyway: bool = False) -> Customer:
    """Register the caller as a customer (the form comes prefilled from the inquiry) and
    link the inquiry to the new file; an inquiry already linked is refused (409)."""
    inquiry = get_inquiry(inquiry_id, lock=True)
    if inquiry.customer_id is not None:
        raise Conflict(_("this inquiry already has a customer file"))
    customer = register_customer(name=name, phone=phone, kind=kind, region=region,
                                 register_anyway=register_anyway)
    inquiry.customer_id = customer.id
    db.session.flush()
    return customer


def prefill(inquiry: Inquiry) -> dict[str, str]:
    """The customer form's values taken from the inquiry."""
    return {"name": inquiry.caller_name, "phone": inquiry.phone, "region": inquiry.region,
            "kind": "wholesale"}


def inquiries_of(customer_id: int, limit: int = 50) -> list[Inquiry]:
    return list(db.session.scalars(select(Inquiry).where(Inquiry.customer_id == customer_id)
                                   .order_by(Inquiry.created_at.desc()).limit(limit)))


def linked_customer(inquiry: Inquiry) -> Customer | None:
    return db.session.get(Customer, inquiry.customer_id) if inquiry.customer_id else None
