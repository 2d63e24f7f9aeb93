"""What each complaint step carries, checked as typed — one parser for the screen and the
API, so both accept and refuse the same things (422 with each field's problem):

judge {stands, explanation} · investigate {department, finding} · propose {solution} ·
approve {approved, note (required when not approved)} · implement {note, return_id?,
repair_id?: at least one; a linked document must exist and be this customer's} ·
accept {signature_png (base64 or a data URL) | customer_confirmed} · feedback {rating
1–5, comment?} · reopen {reason}.
"""
from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _

from showroom.complaints.models import Complaint, ComplaintStep
from showroom.errors import Problem, ValidationFailed
from showroom.extensions import db
from showroom.validation import MAX_ID, clean_text

MAX_STEP_TEXT = 2000
MAX_SIGNATURE_B64 = 300_000
DATA_URL = "data:image/png;base64,"
TRUE = ("true", "1", "yes", "on")
FALSE = ("false", "0", "no", "off")


@dataclass(frozen=True)
class StepIn:
    step: str
    text: str = ""  # explanation / finding / solution / note / comment / reason
    stands: bool | None = None
    department: str = ""
    approved: bool = True
    return_id: int | None = None
    repair_id: int | None = None
    signature: bytes = b""
    customer_confirmed: bool = False
    rating: int | None = None
    reopened_from: str = ""


def _bool(raw: object, field: str, errors: dict[str, str], *, required: bool) -> bool | None:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in TRUE:
        return True
    if isinstance(raw, str) and raw.strip().lower() in FALSE:
        return False
    if (raw is None or raw == "") and not required:
        return None
    errors[field] = Problem("required" if raw in (None, "") else "bad-choice",
                            _("yes or no"))
    return None


def _id(raw: object, field: str, errors: dict[str, str]) -> int | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, str) and raw.strip().isdigit():
        raw = int(raw.strip())
    if not isinstance(raw, int) or isinstance(raw, bool) or not 1 <= raw <= MAX_ID:
        errors[field] = Problem("bad-id", _("a number"))
        return None
    return raw


def _signature(raw: object, errors: dict[str, str]) -> bytes:
    from showroom.packing.signoff import clean_signature_png

    if raw is None or raw == "":
        return b""
    if not isinstance(raw, str) or len(raw) > MAX_SIGNATURE_B64:
        errors["signature_png"] = Problem("bad-signature", _(
            "the signature must be a PNG image of at most 200 KB"))
        return b""
    text = raw.strip()
    if text.startswith(DATA_URL):
        text = text[len(DATA_URL):]
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        errors["signature_png"] = Problem("bad-signature", _("the signature image cannot be "
                                                             "read"))
        return b""
    try:
        return clean_signature_png(data)
    except ValidationFailed as exc:
        errors["signature_png"] = Problem("bad-signature", next(iter(exc.errors.values()),
                                                                exc.message))
        return b""


def _linked(c: Complaint, return_id: int | None, repair_id: int | None,
            errors: dict[str, str]) -> None:
    from showroom.aftersales.models import AfterSalesDoc
    from showroom.repairs.models import Repair

    for field, wanted in (("return_id", return_id), ("repair_id", repair_id)):
        if wanted is None:
            continue
        doc: AfterSalesDoc | Repair | None = (db.session.get(AfterSalesDoc, wanted)
                                              if field == "return_id"
                                              else db.session.get(Repair, wanted))
        missing = (_("no such return or exchange") if field == "return_id"
                   else _("no such repair"))
        if doc is None:
            errors[field] = Problem("unknown", missing)
        elif c.customer_id is None:
            errors[field] = Problem("no-customer", _(
                "this complaint has no customer file to link a document of"))
        elif doc.customer_id != c.customer_id:
            errors[field] = Problem("other-customer", _("that document is another customer's"))


def parse_step(step: str, raw: Mapping[str, object], c: Complaint) -> StepIn:
    """The step's data as typed, or ValidationFailed naming each bad field."""
    errors: dict[str, str] = {}

    def text(field: str, limit: int = MAX_STEP_TEXT, *, required: bool = True) -> str:
        return clean_text(raw.get(field), field, errors, limit, required=required,
                          multiline=True)

    out: StepIn
    if step == ComplaintStep.JUDGE:
        stands = _bool(raw.get("stands"), "stands", errors, required=True)
        out = StepIn(step, text=text("explanation"), stands=stands)
    elif step == ComplaintStep.INVESTIGATE:
        department = clean_text(raw.get("department"), "department", errors, 60, required=True)
        out = StepIn(step, department=department, text=text("finding"))
    elif step == ComplaintStep.PROPOSE:
        out = StepIn(step, text=text("solution"))
    elif step == ComplaintStep.APPROVE:
        approved = _bool(raw.get("approved"), "approved", errors, required=True)
        out = StepIn(step, approved=approved is not False,
                     text=text("note", 500, required=approved is False))
    elif step == ComplaintStep.IMPLEMENT:
        rid, pid = _id(raw.get("return_id"), "return_id", errors), \
            _id(raw.get("repair_id"), "repair_id", errors)
        note = text("note", required=False)
        if not note and rid is None and pid is None and not errors:
            errors["note"] = Problem("required", _(
                "link a return, exchange or repair, or say what was done"))
        _linked(c, rid, pid, errors)
        out = StepIn(step, text=note, return_id=rid, repair_id=pid)
    elif step == ComplaintStep.ACCEPT:
        confirmed = _bool(raw.get("customer_confirmed"), "customer_confirmed", errors,
                          required=False)
        out = StepIn(step, signature=_signature(raw.get("signature_png"), errors),
                     customer_confirmed=bool(confirmed))
    elif step == ComplaintStep.FEEDBACK:
        rating = _id(raw.get("rating"), "rating", errors)
        if rating is None or not 1 <= rating <= 5:
            errors["rating"] = Problem("bad-rating", _("a rating from 1 to 5"))
        out = StepIn(step, rating=rating, text=text("comment", 500, required=False))
    else:  # reopen
        out = StepIn(step, text=text("reason", 500), reopened_from=c.status)
    if errors:
        raise ValidationFailed(_("please correct the step"), errors=errors)
    return out
