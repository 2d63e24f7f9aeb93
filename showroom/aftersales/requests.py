"""What a cashier asks for, checked field by field before any rule is asked: the customer,
return or exchange, the reason, the sale lines and quantities, the replacements (an
exchange only), a note, and a manager's override. The screen and the API both send their
input through `parse_request`, so they accept and refuse exactly the same things."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from showroom.aftersales.models import KINDS, REASONS, AfterSalesKind
from showroom.catalog.services import MAX_QTY
from showroom.errors import Problem, ValidationFailed, required
from showroom.money_desk.approval import ManagerApproval, check_approval_fields
from showroom.validation import clean_text

MAX_ITEMS = 50
MAX_ID = 2**31 - 1


@dataclass(frozen=True)
class ReturnRequest:
    customer_id: int
    kind: str
    reason: str
    quality_confirmed: bool
    lines: tuple[tuple[int, int], ...]  # (sale line id, qty), one entry per line
    replacements: tuple[tuple[str, int], ...] = ()  # (barcode or product code, qty)
    note: str = ""
    override: ManagerApproval | None = None


def _whole(value: object, low: int, high: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return None
    return value


def _qty_problem() -> Problem:
    return Problem("bad-qty", _("a whole number from 1 to %(n)s", n=MAX_QTY))


def _lines(raw: object, errors: dict[str, str]) -> tuple[tuple[int, int], ...]:
    if not isinstance(raw, list) or not raw:
        errors["lines"] = Problem("no-lines", _("choose at least one sale line to take back"))
        return ()
    if len(raw) > MAX_ITEMS:
        errors["lines"] = Problem("too-many", _("at most %(n)s lines", n=MAX_ITEMS))
        return ()
    merged: dict[int, int] = {}
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            errors[f"lines[{i}]"] = Problem("bad-line", _("an object with line_id and qty"))
            continue
        line_id = _whole(item.get("line_id"), 1, MAX_ID)
        qty = _whole(item.get("qty"), 1, MAX_QTY)
        if line_id is None:
            errors[f"lines[{i}].line_id"] = Problem("bad-line", _("a sale line's id"))
        if qty is None:
            errors[f"lines[{i}].qty"] = _qty_problem()
        if line_id is not None and qty is not None:
            merged[line_id] = merged.get(line_id, 0) + qty
    return tuple(sorted(merged.items()))


def _replacements(raw: object, kind: str, errors: dict[str, str]) -> tuple[tuple[str, int], ...]:
    items = raw if raw is not None else []
    if not isinstance(items, list):
        errors["replacements"] = Problem("bad-replacements", _("a list of items"))
        return ()
    if kind != AfterSalesKind.EXCHANGE:
        if items:
            errors["replacements"] = Problem("not-exchange", _("only an exchange sends goods out"))
        return ()
    if not items:
        errors["replacements"] = Problem("no-replacements",
                                         _("scan what goes out in exchange"))
        return ()
    if len(items) > MAX_ITEMS:
        errors["replacements"] = Problem("too-many", _("at most %(n)s items", n=MAX_ITEMS))
        return ()
    merged: dict[str, int] = {}
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            errors[f"replacements[{i}]"] = Problem("bad-item", _("an object with barcode and qty"))
            continue
        qty = _whole(item.get("qty", 1), 1, MAX_QTY)
        problems: dict[str, str] = {}
        code = clean_text(item.get("barcode") or item.get("product_code"), "code", problems, 64,
                          required=True)
        if problems:
            errors[f"replacements[{i}].barcode"] = Problem("bad-code",
                                                           _("a barcode or product code"))
        if qty is None:
            errors[f"replacements[{i}].qty"] = _qty_problem()
        if code and not problems and qty is not None:
            merged[code] = merged.get(code, 0) + qty
    return tuple(merged.items())


def _override(raw: object, errors: dict[str, str]) -> ManagerApproval | None:
    if raw is None or raw == {}:
        return None
    if not isinstance(raw, dict):
        errors["override"] = Problem("bad-override",
                                     _("manager_staff_no, manager_pin and reason"))
        return None
    values = {k: raw.get(k) for k in ("manager_staff_no", "manager_pin", "reason")}
    if not any(isinstance(v, str) and v.strip() for v in values.values()):
        return None  # the screen's empty override fields
    approval = ManagerApproval(*(v if isinstance(v, str) else "" for v in values.values()))
    found: dict[str, str] = {}
    reason = check_approval_fields(approval, found)
    errors.update({f"override.{k}": v for k, v in found.items()})
    return ManagerApproval(approval.manager_staff_no.strip(), approval.manager_pin.strip(),
                           reason)


def parse_request(raw: dict[str, Any]) -> ReturnRequest:
    """Every field's problem at once (422), or the request."""
    errors: dict[str, str] = {}
    customer_id = _whole(raw.get("customer_id"), 1, MAX_ID)
    if customer_id is None:
        errors["customer_id"] = required() if raw.get("customer_id") is None else Problem(
            "bad-customer", _("a customer's id"))
    kind = raw.get("kind")
    if kind not in KINDS:
        errors["kind"] = Problem("bad-kind", _("return or exchange"))
    reason = raw.get("reason")
    if reason not in REASONS:
        errors["reason"] = Problem("bad-reason", _("one of %(choices)s",
                                                   choices=", ".join(REASONS)))
    confirmed = raw.get("quality_confirmed", False)
    if confirmed is None:
        confirmed = False
    if not isinstance(confirmed, bool):
        errors["quality_confirmed"] = Problem("bad-bool", _("true or false"))
    lines = _lines(raw.get("lines"), errors)
    replacements = _replacements(raw.get("replacements"), str(kind), errors)
    note = clean_text(raw.get("note") or "", "note", errors, 200, multiline=True)
    override = _override(raw.get("override"), errors)
    if errors:
        raise ValidationFailed(_("please correct the return"), errors=errors)
    assert customer_id is not None
    return ReturnRequest(customer_id=customer_id, kind=str(kind), reason=str(reason),
                         quality_confirmed=bool(confirmed), lines=lines,
                         replacements=replacements, note=note, override=override)
