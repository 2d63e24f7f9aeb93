"""Shift close (交班对账) over the API: the cashier sends what they counted; the answer
shows what each method should have held and the difference. A cash difference needs a
manager's staff number and PIN (409 `rule: "cash_difference"` without them; a wrong PIN
counts toward the manager's lockout). Two closes of one shift: one stands, the other 409.
"""
from __future__ import annotations

from datetime import datetime

from pydantic import Field

from showroom.api.packing import keeping_refused_pins
from showroom.api.registry import Call, api_route
from showroom.api.types import In, Line, Money, MoneyOut, Out, Para
from showroom.money_desk.shifts import close_shift, parse_counted, shift_result


class CountedIn(In):
    cash: Money = Field(description="cash in the drawer, float included")
    bank_transfer: Money | None = None
    wechat: Money | None = None
    alipay: Money | None = None


class ShiftCloseIn(In):
    counted: CountedIn
    manager_staff_no: Line | None = Field(None, max_length=20)
    manager_pin: Line | None = Field(None, max_length=12)
    note: Para | None = Field(None, max_length=200)
    seq: int | None = Field(None, ge=1, le=1_000_000,
                            description="the shift this count is for (the cashier's n-th "
                                        "close); a close already made for it → 409")


class PerMethod(Out):
    cash: MoneyOut | None
    bank_transfer: MoneyOut | None
    wechat: MoneyOut | None
    alipay: MoneyOut | None


class ShiftCloseOut(Out):
    id: int
    number: str
    seq: int
    since: datetime | None = Field(description="the previous close (null: the first)")
    closed_at: datetime
    opening_float: MoneyOut
    expected: PerMethod
    counted: PerMethod = Field(description="null where the method was not counted")
    difference: PerMethod = Field(description="counted − expected; null where not counted")
    manager_staff_no: str | None
    note: str


@api_route("POST", "/shifts/close", roles=("cashier",), body=ShiftCloseIn,
           response=ShiftCloseOut, status=201, idempotent=True, tag="money desk",
           errors=(401, 403, 409, 423),
           summary="Close the cashier's shift (交班对账); the shift report prints",
           description="Expected per method since the cashier's previous close: money taken "
                       "at settlements and desk payments minus credit refunds (reversed "
                       "ones left out), plus the opening float in cash. A cash difference "
                       "needs manager_staff_no + manager_pin (409 rule cash_difference).")
def close(call: Call) -> ShiftCloseOut:
    body: ShiftCloseIn = call.body
    counted = parse_counted(body.counted.model_dump(exclude_none=True))
    manager_no = body.manager_staff_no or ""
    done = keeping_refused_pins(manager_no, "shift-close", lambda: close_shift(
        call.staff.id, counted, manager_staff_no=manager_no,
        manager_pin=body.manager_pin or "", note=body.note or "", station=call.station,
        seq=body.seq))
    return ShiftCloseOut.model_validate(shift_result(done))
