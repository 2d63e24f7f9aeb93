"""Taking a piece in for repair (SPEC §6 Details, Std ch.10): the intake is checked as
typed (both edges call `parse_intake`), Thai silver (泰银) is refused by its rule before
anything is written, and an accepted piece gets its number, its first custody record
(customer → counter), its photos and its printouts — intake receipt in three copies and a
bag label — in one transaction.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _

from showroom.attachments.services import store_photo
from showroom.auth.models import Staff
from showroom.customers.models import Customer
from showroom.errors import Problem, RuleRefused, ValidationFailed
from showroom.extensions import db
from showroom.money import ascii_number
from showroom.numbering import next_number
from showroom.printjobs.services import queue_job
from showroom.repairs.documents import bag_label_payload, receipt_payload
from showroom.repairs.models import Custody, Material, Place, Repair, RepairStatus
from showroom.validation import MAX_ID, clean_text

MAX_WEIGHT_CG = 1_000_000  # 10 kg: anything heavier is a typing slip
MAX_PHOTOS = 4
WEIGHT_RE = re.compile(r"^\d{1,5}(\.\d{1,2})?$")


@dataclass(frozen=True)
class IntakeIn:
    customer_id: int
    product_code: str
    description: str
    part: str
    material: str
    weight_cg: int | None


def thai_silver_reasons() -> list[str]:
    return [_("Thai silver (泰银) is not accepted for repair (service standard, ch. 10)."),
            _("Thai silver is darkened by an oxidising finish that a repair strips; it cannot "
              "be restored to match. Please take the piece back.")]


def parse_weight(raw: object, field: str, errors: dict[str, str]) -> int | None:
    """Grams as typed ("12.35", full-width digits allowed), at most two decimals, more
    than 0 and at most 10 kg → centigrams; "" → None."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if not isinstance(raw, str):
        errors[field] = Problem("not-text", _("grams as text, like \"12.35\""))
        return None
    text = ascii_number(raw).strip()
    if text.startswith("-"):
        errors[field] = Problem("bad-weight", _("a weight must be more than 0 g"))
        return None
    if not WEIGHT_RE.match(text):
        errors[field] = Problem("bad-weight", _("grams like 12.35: at most two decimals"))
        return None
    cg = int(Decimal(text) * 100)
    if cg <= 0:
        errors[field] = Problem("bad-weight", _("a weight must be more than 0 g"))
    elif cg > MAX_WEIGHT_CG:
        errors[field] = Problem("bad-weight", _("at most 10000 g"))
    return cg if field not in errors else None


def parse_intake(raw: Mapping[str, object]) -> IntakeIn:
    """`{customer_id, product_code?, description, part, material, weight_g?}` as typed.
    Thai silver is refused by its rule (409 `thai_silver`) ahead of any field problem."""
    material = raw.get("material")
    if material == Material.THAI_SILVER:
        raise RuleRefused("thai_silver", thai_silver_reasons(),
                          errors={"material": _("Thai silver is not accepted")})
    errors: dict[str, str] = {}
    customer_id = raw.get("customer_id")
    if isinstance(customer_id, str) and customer_id.strip().isdigit():
        customer_id = int(customer_id.strip())
    if not isinstance(customer_id, int) or isinstance(customer_id, bool) or \
            not 1 <= customer_id <= MAX_ID:
        errors["customer_id"] = Problem("required", _("choose the customer"))
        customer_id = 0
    elif db.session.get(Customer, customer_id) is None:
        errors["customer_id"] = Problem("unknown", _("no such customer"))
    if not isinstance(material, str) or material not in Material.codes():
        errors["material"] = Problem("bad-material", _("one of %(choices)s", choices=", ".join(
            m for m in Material.codes() if m != Material.THAI_SILVER)))
        material = ""
    product_code = clean_text(raw.get("product_code"), "product_code", errors, 40)
    description = clean_text(raw.get("description"), "description", errors, 500,
                             required=True, multiline=True)
    part = clean_text(raw.get("part"), "part", errors, 60, required=True)
    weight = parse_weight(raw.get("weight_g"), "weight_g", errors)
    if errors:
        raise ValidationFailed(_("please correct the repair intake"), errors=errors)
    return IntakeIn(int(customer_id), product_code, description, part, str(material), weight)


def take_in(i: IntakeIn, photos: Sequence[bytes] = (), *, staff_id: int | None,
            station: str | None = None) -> Repair:
    """The piece is ours to repair: numbered, in custody at the counter, photographed,
    its receipt (3 copies) and bag label queued — all or nothing."""
    if len(photos) > MAX_PHOTOS:
        raise ValidationFailed(_("at most %(n)s photos", n=MAX_PHOTOS),
                               errors={"photos": Problem("too-many", _("at most %(n)s photos",
                                                                       n=MAX_PHOTOS))})
    customer = db.session.get(Customer, i.customer_id)
    if customer is None:
        raise ValidationFailed(_("no such customer"),
                               errors={"customer_id": Problem("unknown", _("no such customer"))})
    repair = Repair(number=next_number("repair"), customer_id=customer.id,
                    product_code=i.product_code, description=i.description, part=i.part,
                    material=i.material, weight_in_cg=i.weight_cg, status=RepairStatus.RECEIVED,
                    received_by_id=staff_id)
    db.session.add(repair)
    db.session.flush()
    db.session.add(Custody(repair_id=repair.id, from_place=Place.CUSTOMER, to_place=Place.COUNTER,
                           staff_id=staff_id, receiver_id=staff_id,
                           receiver_name="", note=""))
    for n, data in enumerate(photos, start=1):
        store_photo("repair", repair.id, data, staff_id=staff_id, field=f"photo{n}")
    db.session.flush()
    staff = db.session.get(Staff, staff_id) if staff_id else None
    queue_job("repair_receipt", receipt_payload(repair, customer, staff, len(photos)),
              station=station, ref=repair.number, staff_id=staff_id)
    queue_job("repair_bag_label", bag_label_payload(repair, customer), station=station,
              ref=repair.number, staff_id=staff_id)
    return repair
