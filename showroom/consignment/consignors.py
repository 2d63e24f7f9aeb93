"""Making a customer a consignor (SPEC §7, Std ch.12): the consignor code and the share.

The code is what every consigned label shows: the kind prefix (`pf` 批发 wholesale, `jm`
加盟 franchise, from the customer's kind), a running number per prefix that never resets
and is never reused (showroom/numbering.py's counter, so two managers at once never share
one), and the surname — `pf123李`, `jm45薛`, `pf7欧阳` for the common compound surnames.
A name in Latin letters gives its family name (the last word) instead: `pf8Smith`.

A customer is a consignor once (409 `consignor_exists`). The share of a sale a consignor
earns for an item without its own price defaults to SHOWROOM_CONSIGNOR_SHARE_BP (8000 =
80 %), or is given, 0–100 %.
"""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from showroom.consignment.models import Consignor
from showroom.customers.models import Customer
from showroom.customers.services import lock_customer
from showroom.errors import NotFound, Problem, RuleRefused, ValidationFailed
from showroom.extensions import db
from showroom.money import ascii_number
from showroom.numbering import next_code

PREFIXES = {"wholesale": "pf", "franchise": "jm"}  # 批发 / 加盟
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容",
                     "长孙")
DEFAULT_SHARE_BP = 8000
MAX_LATIN_SURNAME = 8
CODE_HEAD = re.compile(r"[a-z]+[0-9]+")


def _is_latin_letter(ch: str) -> bool:
    return ch.isalpha() and unicodedata.name(ch, "").startswith("LATIN")


def surname_of(name: str) -> str:
    """The surname as the code carries it: the first character of a Chinese name (two for
    a compound surname), the family name (last word, at most 8 letters, accents dropped)
    of a name in Latin letters, else the first letter of the name; "" when none."""
    name = unicodedata.normalize("NFKC", name or "").strip()
    if not name:
        return ""
    for compound in COMPOUND_SURNAMES:
        if name.startswith(compound) and len(name) > len(compound):
            return compound
    if _is_latin_letter(name[0]):
        words = [w for w in name.replace(",", " ").split() if any(map(_is_latin_letter, w))]
        family = words[-1] if words else name
        plain = unicodedata.normalize("NFKD", family)
        letters = "".join(c for c in plain if c.isascii() and c.isalpha())
        return letters[:MAX_LATIN_SURNAME].capitalize()
    first = next((c for c in name if c.isalpha()), "")
    return first


def default_share_bp() -> int:
    value = current_app.config.get("SHOWROOM_CONSIGNOR_SHARE_BP", DEFAULT_SHARE_BP)
    try:
        share = int(value)
    except (TypeError, ValueError):
        return DEFAULT_SHARE_BP
    return share if 0 <= share <= 10000 else DEFAULT_SHARE_BP


def clean_share_bp(share_bp: object) -> int:
    """Basis points 0–10000 (0–100 %), else a refusal under `consignor_share`."""
    if isinstance(share_bp, bool) or not isinstance(share_bp, int) or not 0 <= share_bp <= 10000:
        message = _("the consignor's share is 0 to 100 %")
        raise ValidationFailed(message, errors={"consignor_share": Problem("bad-share", message)})
    return share_bp


def consignor_of_customer(customer_id: int) -> Consignor | None:
    return db.session.scalar(select(Consignor).where(Consignor.customer_id == customer_id))


def make_consignor(customer_id: int, *, share_bp: int | None = None,
                   staff_id: int | None = None) -> Consignor:
    """The customer becomes a consignor with a new code (flushes; the caller commits).
    Unknown customer → 404; already a consignor → 409 `consignor_exists`."""
    share = default_share_bp() if share_bp is None else clean_share_bp(share_bp)
    if db.session.get(Customer, customer_id) is None:
        raise NotFound(_("no customer %(id)s", id=customer_id),
                       errors={"customer_id": Problem("unknown", _("no such customer"))})
    customer = lock_customer(customer_id)  # two managers at once: the second sees the first
    existing = consignor_of_customer(customer.id)
    if existing is not None:
        raise RuleRefused("consignor_exists", [_(
            "%(name)s is already a consignor with code %(code)s", name=customer.name,
            code=existing.code)], errors={"customer_id": Problem(
                "exists", _("already consignor %(code)s", code=existing.code))})
    prefix = PREFIXES.get(customer.kind, "pf")
    code = next_code(prefix, width=1) + surname_of(customer.name)
    consignor = Consignor(customer_id=customer.id, code=code, share_bp=share, balance=0,
                          staff_id=staff_id)
    db.session.add(consignor)
    db.session.flush()
    return consignor


def find_consignor(consignor_id: int) -> Consignor:
    consignor = db.session.get(Consignor, consignor_id)
    if consignor is None:
        raise NotFound(_("no consignor %(id)s", id=consignor_id),
                       errors={"consignor_id": Problem("unknown", _("no such consignor"))})
    return consignor


def code_letters_number(code: str) -> str:
    """The ASCII head of a consignor code (`pf123李` → `pf123`), which product codes and
    barcodes start with."""
    match = CODE_HEAD.match(code)
    return match.group(0) if match else code


def parse_share(raw: object, *, percent: bool = False) -> int | None:
    """The share as typed: a fraction "0.80" (the API) or a percentage "80" / "75.5" (the
    tablet), at most two decimals of a percent → basis points; blank → None (the default).
    Anything else, or beyond 0–100 %, is refused under `consignor_share`."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    message = _("the consignor's share is 0 to 100 %")
    bad = ValidationFailed(message, errors={"consignor_share": Problem("bad-share", message)})
    if not isinstance(raw, str):
        raise bad
    text = ascii_number(raw).strip().rstrip("%").strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise bad from None
    if not value.is_finite():
        raise bad
    bp = value * (100 if percent else 10000)
    if bp != bp.to_integral_value() or not 0 <= bp <= 10000:
        raise bad
    return int(bp)


def consignor_code(product: object) -> str:
    """The consignor code of a consigned product ("" for ours), for screens."""
    consignor_id = getattr(product, "consignor_id", None)
    if consignor_id is None:
        return ""
    owner = db.session.get(Consignor, consignor_id)
    return owner.code if owner is not None else ""
