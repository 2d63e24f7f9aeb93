"""Franchise contracts on the customer's file (SPEC §6): period and return ratio, set by a
manager. The ratio is stored exactly, in basis points ("0.10" → 1000), never as a float."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from showroom.aftersales.models import FranchiseContract
from showroom.aftersales.returnable import contract_of
from showroom.aftersales.rules import parse_ratio
from showroom.clock import now_utc
from showroom.customers.models import CustomerKind
from showroom.customers.services import get_customer
from showroom.errors import Conflict, Problem, ValidationFailed, required
from showroom.extensions import db


def _day(value: object, field: str, errors: dict[str, str]) -> date | None:
    if value is None or value == "":
        errors[field] = required()
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    errors[field] = Problem("bad-date", _("a date like 2026-01-31"))
    return None


def parse_contract(raw: dict[str, object]) -> tuple[date, date, int]:
    """(starts_on, ends_on, ratio in basis points) or every field's problem at once."""
    errors: dict[str, str] = {}
    start = _day(raw.get("starts_on"), "starts_on", errors)
    end = _day(raw.get("ends_on"), "ends_on", errors)
    ratio = parse_ratio(raw.get("return_ratio"))
    if ratio is None:
        errors["return_ratio"] = Problem("bad-ratio", _(
            "a ratio between 0 and 1 with at most four decimals, e.g. 0.10 for 10%"))
    if start and end and end < start:
        errors["ends_on"] = Problem("before-start", _("must not be before the start"))
    if errors:
        raise ValidationFailed(_("please correct the franchise contract"), errors=errors)
    assert start is not None and end is not None and ratio is not None
    return start, end, ratio


def set_contract(customer_id: int, starts_on: date, ends_on: date, ratio_bp: int, *,
                 staff_id: int | None) -> FranchiseContract:
    """Record (or replace) the franchisee's contract; only franchise customers have one."""
    customer = get_customer(customer_id)
    if customer.kind != CustomerKind.FRANCHISE:
        raise Conflict(_("%(name)s is a wholesale customer: only franchisees have a franchise "
                         "contract", name=customer.name))
    contract = contract_of(customer_id)
    if contract is None:
        contract = FranchiseContract(customer_id=customer_id)
        db.session.add(contract)
    contract.starts_on, contract.ends_on, contract.ratio_bp = starts_on, ends_on, ratio_bp
    contract.updated_by_id, contract.updated_at = staff_id, now_utc()
    db.session.flush()
    return contract
