"""The customer file (SPEC §8, Std ch.13): member, gender, birthday (solar, or lunar 农历
month/day), interests, relationship level A/B/C, the owner clerk, and the other people to
reach at the customer. One parser for screens and the API; services flush only.

A birthday without a year is stored in NO_YEAR (a leap year, so 2-29 fits); when
`birthday_lunar` the month and day are lunar (农历), the year only says which lunar year.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from showroom.auth.models import Staff
from showroom.codes import Code
from showroom.customers.models import Customer, CustomerContact
from showroom.customers.services import get_customer, phone_problem
from showroom.errors import NotFound, Problem, ValidationFailed
from showroom.extensions import db
from showroom.money import ascii_number
from showroom.phones import clean_phone
from showroom.validation import clean_text

NO_YEAR = 1904
OWNER_ROLES = ("clerk", "reception")  # who may look after a customer (manager passes)
DATE_RE = re.compile(r"^(?:(\d{4})-)?(\d{1,2})-(\d{1,2})$")
INTERESTS_MAX = 500
CONTACT_LIMITS = {"name": 60, "phone": 30, "wechat": 60, "role": 60, "note": 500}


class Gender(Code):
    NONE = "", _l("Not given")
    FEMALE = "f", _l("Female")
    MALE = "m", _l("Male")


class Level(Code):
    """Relationship level (Std ch.13): A key customers … C occasional; "" not rated. The
    same letters rate an inquiry's prospect by urgency (Std ch.13 §9)."""
    NONE = "", _l("Not rated")
    A = "A", _l("A (key)")
    B = "B", _l("B")
    C = "C", _l("C")


FILE_FIELDS = ("member", "gender", "birthday", "birthday_lunar", "interests", "level",
               "owner_staff_no")


def _flag(value: object, field: str, errors: dict[str, str]) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("", "0", "false", "n", "no", "off"):
        return False
    if isinstance(value, str) and value.strip().lower() in ("1", "true", "y", "yes", "on"):
        return True
    errors[field] = Problem("bad-flag", _("yes or no"))
    return False


def parse_birthday(value: object, lunar: bool, errors: dict[str, str]) -> date | None:
    """"YYYY-MM-DD" or "MM-DD" (no year; full-width digits too) → a date, None for ""."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        errors["birthday"] = Problem("not-text", _("must be text"))
        return None
    m = DATE_RE.match(ascii_number(value.strip()))
    if m is None:
        errors["birthday"] = Problem("bad-date", _("a date like 1980-08-15, or 08-15 "
                                                    "without the year"))
        return None
    year = int(m.group(1)) if m.group(1) else NO_YEAR
    month, day = int(m.group(2)), int(m.group(3))
    if not 1900 <= year <= date.today().year:
        errors["birthday"] = Problem("bad-date", _("a year between 1900 and this year"))
        return None
    if lunar and not (1 <= month <= 12 and 1 <= day <= 30):
        errors["birthday"] = Problem("bad-date", _("a lunar month 1–12 and day 1–30"))
        return None
    try:
        return date(year, month, day)
    except ValueError:
        errors["birthday"] = Problem("bad-date", _("there is no such day"))
        return None


def _owner(value: object, errors: dict[str, str]) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        errors["owner_staff_no"] = Problem("not-text", _("must be text"))
        return None
    staff = db.session.scalar(select(Staff).where(Staff.staff_no == value.strip()[:20]))
    if staff is None or not staff.active or not staff.has_role(*OWNER_ROLES):
        errors["owner_staff_no"] = Problem("bad-owner", _("the staff number of an active "
                                                          "clerk"))
        return None
    return staff.id


def clean_file_fields(raw: Mapping[str, object], *, lunar: bool = False
                      ) -> dict[str, object]:
    """The file fields present in `raw`, checked; every problem at once by field. `lunar`:
    whether a birthday given without `birthday_lunar` is lunar (the stored switch)."""
    errors: dict[str, str] = {}
    out: dict[str, object] = {}
    if "member" in raw:
        out["member"] = _flag(raw["member"], "member", errors)
    if "birthday_lunar" in raw:
        out["birthday_lunar"] = _flag(raw["birthday_lunar"], "birthday_lunar", errors)
    if "gender" in raw:
        gender = raw["gender"] if raw["gender"] is not None else ""
        if gender not in Gender.codes():
            errors["gender"] = Problem("bad-gender", _("f, m or empty"))
        out["gender"] = gender
    if "level" in raw:
        level = raw["level"] if raw["level"] is not None else ""
        if isinstance(level, str):
            level = level.strip().upper()
        if level not in Level.codes():
            errors["level"] = Problem("bad-level", _("A, B, C or empty"))
        out["level"] = level
    if "birthday" in raw:
        out["birthday"] = parse_birthday(raw["birthday"],
                                         bool(out.get("birthday_lunar", lunar)), errors)
    if "interests" in raw:
        out["interests"] = clean_text(raw["interests"], "interests", errors, INTERESTS_MAX,
                                      multiline=True)
    if "owner_staff_no" in raw:
        out["owner_id"] = _owner(raw["owner_staff_no"], errors)
    if errors:
        raise ValidationFailed(_("please correct the customer file"), errors=errors)
    return out


def update_file(customer_id: int, raw: Mapping[str, object]) -> Customer:
    """Write the file fields given in `raw`; nothing is written if any is wrong. A lunar
    switch without a birthday keeps the stored date (re-checked as lunar)."""
    customer = get_customer(customer_id)
    data = clean_file_fields(raw, lunar=customer.birthday_lunar)
    if "birthday_lunar" in data and "birthday" not in data and customer.birthday is not None:
        errors: dict[str, str] = {}
        b = customer.birthday
        parse_birthday(f"{b.year}-{b.month}-{b.day}", bool(data["birthday_lunar"]), errors)
        if errors:
            raise ValidationFailed(_("please correct the customer file"), errors=errors)
    for key, value in data.items():
        setattr(customer, key, value)
    db.session.flush()
    return customer


def birthday_text(customer: Customer) -> str:
    """"1980-08-15", "08-15", or "农历 8月15日" for the screens."""
    b = customer.birthday
    if b is None:
        return ""
    if customer.birthday_lunar:
        text = _("lunar %(m)s/%(d)s", m=b.month, d=b.day)
        return text if b.year == NO_YEAR else f"{b.year} {text}"
    return b.strftime("%m-%d") if b.year == NO_YEAR else b.isoformat()


def birthday_input(customer: Customer) -> str:
    """The birthday as typed in the form: "1980-08-15" or "08-15"."""
    b = customer.birthday
    if b is None:
        return ""
    return f"{b.month:02d}-{b.day:02d}" if b.year == NO_YEAR else b.isoformat()


# -- contacts ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ContactIn:
    name: str
    phone: str
    wechat: str
    role: str
    note: str


def parse_contact(raw: Mapping[str, object]) -> ContactIn:
    errors: dict[str, str] = {}
    values = {f: clean_text(raw.get(f), f, errors, limit, required=f == "name",
                            multiline=f == "note")
              for f, limit in CONTACT_LIMITS.items()}
    if values["phone"] and "phone" not in errors:
        phone = clean_phone(values["phone"])
        if phone is None:
            errors["phone"] = Problem("bad-phone", phone_problem())
        else:
            values["phone"] = phone
    if errors:
        raise ValidationFailed(_("please correct the contact"), errors=errors)
    return ContactIn(**values)


def contacts_of(customer_id: int) -> list[CustomerContact]:
    return list(db.session.scalars(select(CustomerContact).where(
        CustomerContact.customer_id == customer_id).order_by(CustomerContact.id)))


def add_contact(customer_id: int, c: ContactIn) -> CustomerContact:
    get_customer(customer_id)
    contact = CustomerContact(customer_id=customer_id, name=c.name, phone=c.phone,
                              wechat=c.wechat, role=c.role, note=c.note)
    db.session.add(contact)
    db.session.flush()
    return contact


def _contact(customer_id: int, contact_id: int) -> CustomerContact:
    contact = db.session.get(CustomerContact, contact_id)
    if contact is None or contact.customer_id != customer_id:
        raise NotFound(_("no contact %(id)s", id=contact_id))
    return contact


def update_contact(customer_id: int, contact_id: int, c: ContactIn) -> CustomerContact:
    contact = _contact(customer_id, contact_id)
    contact.name, contact.phone, contact.wechat = c.name, c.phone, c.wechat
    contact.role, contact.note = c.role, c.note
    db.session.flush()
    return contact


def remove_contact(customer_id: int, contact_id: int) -> None:
    db.session.delete(_contact(customer_id, contact_id))
    db.session.flush()


def owner_choices() -> list[Staff]:
    """Active staff who may look after a customer, for the staff picker."""
    staff = db.session.scalars(select(Staff).where(Staff.active.is_(True))
                               .order_by(Staff.staff_no))
    return [s for s in staff if s.has_role(*OWNER_ROLES)]
