"""Shift close (交班对账, SPEC §9.1): what each payment method should hold since the
cashier's previous close, against what they counted.

Expected per method = money taken at settlements by this cashier (Payment.amount: the
change went back) + desk payments they took − credit refunds and consignor payouts they
paid out, plus the opening float in cash. A movement whose ledger entry was reversed is left out (a reversal
means it never happened). A cash difference needs a manager's staff number and PIN and is
recorded with them. Each close is the cashier's n-th (`seq`): two closes of the same shift
cannot both stand — the second is refused (409), on SQLite by the check below, on
PostgreSQL by the unique (cashier_id, seq) constraint.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from showroom.auth.models import Staff
from showroom.auth.services import authenticate
from showroom.clock import local, now_utc
from showroom.customers.models import LedgerEntry
from showroom.errors import Conflict, Forbidden, RuleRefused, ValidationFailed
from showroom.extensions import db
from showroom.money import MoneyError, fen_str, parse_fen, yuan
from showroom.money_desk.models import DESK_METHODS, CreditRefund, DeskPayment, ShiftClose
from showroom.numbering import next_number
from showroom.orders.models import Order
from showroom.printjobs.services import queue_job
from showroom.settlement.models import Payment, Settlement
from showroom.validation import clean_text

METHODS: tuple[str, ...] = DESK_METHODS  # cash, bank_transfer, wechat, alipay
NOTE_MAX = 200


class ShiftAlreadyClosed(Conflict):
    code = "shift-already-closed"


@dataclass(frozen=True)
class Counted:
    """What the cashier counted, in fen; None = that method was not counted."""

    cash: int
    bank_transfer: int | None = None
    wechat: int | None = None
    alipay: int | None = None

    def get(self, method: str) -> int | None:
        return int(getattr(self, method)) if getattr(self, method) is not None else None


def parse_counted(raw: object) -> Counted:
    """From API/form strings to fen; cash is required, the others optional. Every problem
    is reported against its field (counted.cash …)."""
    if not isinstance(raw, dict):
        raise ValidationFailed(_("counted must be an object with the cash count"),
                               errors={"counted": _("an object like {\"cash\": \"1234.50\"}")})
    errors: dict[str, str] = {}
    values: dict[str, int | None] = {}
    for method in METHODS:
        value = raw.get(method)
        if value is None or (isinstance(value, str) and not value.strip()):
            if method == "cash":
                errors["counted.cash"] = _("count the cash in the drawer (0.00 if empty)")
            values[method] = None
            continue
        try:
            values[method] = parse_fen(value)
        except MoneyError as exc:
            errors[f"counted.{method}"] = str(exc)
    unknown = sorted(set(raw) - set(METHODS))
    if unknown:
        errors["counted"] = _("unknown method(s): %(names)s", names=", ".join(map(str, unknown)))
    if errors:
        raise ValidationFailed(_("please correct the counted amounts"), errors=errors)
    cash = values["cash"]
    assert cash is not None
    return Counted(cash=cash, bank_transfer=values["bank_transfer"], wechat=values["wechat"],
                   alipay=values["alipay"])


def opening_float() -> int:
    """SHOWROOM_OPENING_FLOAT (yuan) in fen: the cash left in the drawer for change."""
    return parse_fen(str(current_app.config.get("SHOWROOM_OPENING_FLOAT", "0") or "0"))


def last_close(cashier_id: int) -> ShiftClose | None:
    return db.session.scalar(select(ShiftClose).where(ShiftClose.cashier_id == cashier_id)
                             .order_by(ShiftClose.seq.desc()).limit(1))


def _window(column: Any, since: datetime | None, until: datetime) -> ColumnElement[bool]:
    cond = column <= until
    return and_(column > since, cond) if since is not None else cond


def _not_reversed(entry_id: Any) -> ColumnElement[bool]:
    rev = aliased(LedgerEntry)
    return ~exists().where(rev.reverses_id == entry_id)


def taken(cashier_id: int, since: datetime | None, until: datetime) -> dict[str, int]:
    """Money per method this cashier took in (since, until], opening float left out."""
    out = dict.fromkeys(METHODS, 0)
    pay = aliased(LedgerEntry)
    settled_pay = (
        select(Payment.method, func.coalesce(func.sum(Payment.amount), 0))
        .join(Settlement, Settlement.id == Payment.settlement_id)
        .join(Order, Order.id == Settlement.order_id)
        .where(Settlement.cashier_id == cashier_id, Payment.method.in_(METHODS),
               _window(Settlement.created_at, since, until),
               # the settlement's payment entry (ref = order number) not reversed
               ~exists().where(pay.customer_id == Order.customer_id, pay.kind == "payment",
                               pay.ref == Order.number,
                               exists().where(LedgerEntry.reverses_id == pay.id)))
        .group_by(Payment.method))
    for method, amount in db.session.execute(settled_pay):
        out[method] += int(amount)
    for model, sign in ((DeskPayment, 1), (CreditRefund, -1)):
        stmt = (select(model.method, func.coalesce(func.sum(model.amount), 0))
                .where(model.staff_id == cashier_id, _window(model.created_at, since, until),
                       _not_reversed(model.ledger_entry_id))
                .group_by(model.method))
        for method, amount in db.session.execute(stmt):
            out[method] += sign * int(amount)
    for method, amount in db.session.execute(consignor_payouts_out(cashier_id, since, until)):
        out[method] -= int(amount)  # 付代销款 paid from the drawer, like a credit refund
    return out


def consignor_payouts_out(cashier_id: int, since: datetime | None, until: datetime) -> Any:
    """Payouts to consignors this cashier paid (offsets move no money), not reversed."""
    from showroom.consignment.models import ConsignorEntry, ConsignorPayout

    paid = aliased(ConsignorEntry)
    return (select(ConsignorPayout.method, func.coalesce(func.sum(ConsignorPayout.amount), 0))
            .where(ConsignorPayout.staff_id == cashier_id, ConsignorPayout.method.in_(METHODS),
                   _window(ConsignorPayout.created_at, since, until),
                   ~exists().where(paid.payout_id == ConsignorPayout.id,
                                   paid.reverses_id.is_not(None)))
            .group_by(ConsignorPayout.method))


@dataclass(frozen=True)
class ShiftView:
    """The shift still open for a cashier: its number, start and what each method holds."""

    seq: int
    since: datetime | None
    until: datetime
    opening_float: int
    expected: dict[str, int]


def open_shift(cashier_id: int) -> ShiftView:
    previous = last_close(cashier_id)
    since = previous.closed_at if previous is not None else None
    until = now_utc()
    float_ = opening_float()
    expected = taken(cashier_id, since, until)
    expected["cash"] += float_
    return ShiftView(seq=(previous.seq if previous else 0) + 1, since=since, until=until,
                     opening_float=float_, expected=expected)


def close_shift(cashier_id: int, counted: Counted, *, manager_staff_no: str = "",
                manager_pin: str = "", note: str = "", station: str | None = None,
                seq: int | None = None) -> ShiftClose:
    """Close the cashier's open shift. `seq` is the shift the count was made for (the
    screen sends the one it showed): a close already made for it is refused."""
    errors: dict[str, str] = {}
    note = clean_text(note or "", "note", errors, NOTE_MAX)
    if errors:
        raise ValidationFailed(_("please correct the note"), errors=errors)
    cashier = db.session.get(Staff, cashier_id)
    assert cashier is not None
    shift = open_shift(cashier_id)
    if seq is not None and seq != shift.seq:
        raise ShiftAlreadyClosed(_("shift %(n)s of %(name)s is already closed; reload and count "
                                   "the open shift", n=seq, name=cashier.name),
                                 errors={"seq": _("already closed")})
    difference = counted.cash - shift.expected["cash"]
    manager_id = None
    if difference:
        manager_id = _manager_approves(manager_staff_no, manager_pin, difference)
    close = ShiftClose(
        number=next_number("shift_close"), cashier_id=cashier_id, seq=shift.seq,
        since=shift.since, closed_at=shift.until, opening_float=shift.opening_float,
        expected_cash=shift.expected["cash"],
        expected_bank_transfer=shift.expected["bank_transfer"],
        expected_wechat=shift.expected["wechat"], expected_alipay=shift.expected["alipay"],
        counted_cash=counted.cash, counted_bank_transfer=counted.bank_transfer,
        counted_wechat=counted.wechat, counted_alipay=counted.alipay,
        cash_difference=difference, manager_id=manager_id, note=note, station=station or "")
    try:
        with db.session.begin_nested():
            db.session.add(close)
            db.session.flush()
    except IntegrityError:  # PostgreSQL: another close of this shift committed first
        raise ShiftAlreadyClosed(_("this shift was closed a moment ago (%(name)s, shift "
                                   "%(n)s); nothing was recorded twice",
                                   name=cashier.name, n=shift.seq),
                                 errors={"seq": _("already closed")}) from None
    queue_job("shift_report", shift_payload(close), station=station, ref=close.number,
              staff_id=cashier_id)
    return close


def _manager_approves(staff_no: str, pin: str, difference: int) -> int:
    reason = (_("the cash counted is %(amount)s short", amount=yuan(-difference))
              if difference < 0 else
              _("the cash counted is %(amount)s over", amount=yuan(difference)))
    if not (staff_no or "").strip() or not (pin or "").strip():
        raise RuleRefused("cash_difference",
                          [reason, _("a manager must approve it with their PIN")],
                          message=_("a cash difference needs a manager's staff number and PIN"),
                          errors={"manager": _("a manager's staff number and PIN")})
    manager = authenticate(staff_no, pin, source="shift-close")
    if "manager" not in manager.role_set:
        raise Forbidden(_("%(name)s is not a manager: a manager must approve the difference",
                          name=manager.name), errors={"manager": _("not a manager")})
    return manager.id


def figures(close: ShiftClose) -> dict[str, dict[str, int | None]]:
    """expected / counted / difference per method (None where not counted)."""
    expected = {m: int(getattr(close, f"expected_{m}")) for m in METHODS}
    counted = {m: getattr(close, f"counted_{m}") for m in METHODS}
    difference = {m: (None if counted[m] is None else counted[m] - expected[m]) for m in METHODS}
    return {"expected": expected, "counted": counted, "difference": difference}


def shift_result(close: ShiftClose) -> dict[str, Any]:
    """The API's answer: money as strings, null where a method was not counted."""
    f = figures(close)

    def strs(d: dict[str, int | None]) -> dict[str, str | None]:
        return {m: (None if v is None else fen_str(v)) for m, v in d.items()}

    return {"id": close.id, "number": close.number, "seq": close.seq,
            "since": close.since, "closed_at": close.closed_at,
            "opening_float": fen_str(close.opening_float),
            "expected": strs(f["expected"]), "counted": strs(f["counted"]),
            "difference": strs(f["difference"]),
            "manager_staff_no": close.manager.staff_no if close.manager else None,
            "note": close.note}


def _local(dt: datetime | None) -> str:
    if dt is None:
        return ""
    return local(dt, current_app.config["SHOWROOM_TIMEZONE"]).strftime("%Y-%m-%d %H:%M")


def shift_payload(close: ShiftClose) -> dict[str, Any]:
    """The shift report's snapshot (printing.documents.ShiftReport)."""
    f = figures(close)
    cashier = db.session.get(Staff, close.cashier_id)
    manager = db.session.get(Staff, close.manager_id) if close.manager_id else None
    rows = [{"method": m, "expected": fen_str(f["expected"][m] or 0),
             "counted": "" if f["counted"][m] is None else fen_str(int(f["counted"][m] or 0)),
             "difference": "" if f["difference"][m] is None
             else fen_str(int(f["difference"][m] or 0))} for m in METHODS]
    return {"number": close.number, "printed_at": _local(now_utc()),
            "cashier": f"{cashier.staff_no} {cashier.name}" if cashier else "",
            "since": _local(close.since), "until": _local(close.closed_at),
            "opening_float": fen_str(close.opening_float), "rows": rows,
            "cash_difference": fen_str(close.cash_difference),
            "manager": f"{manager.staff_no} {manager.name}" if manager else "",
            "note": close.note}
