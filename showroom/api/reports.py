"""The daily report over the API (managers only, SPEC §12): the figures of one business
day in the showroom's time zone, equal to the sums of that day's ledger and payments."""
from __future__ import annotations

from datetime import datetime

from pydantic import Field

from showroom.api.registry import Call, api_route
from showroom.api.types import MoneyOut, Out, QueryIn
from showroom.reports.daily import daily_report, parse_day, report_json


class DailyQuery(QueryIn):
    date: str | None = Field(None, max_length=20,
                             description="YYYY-MM-DD in the showroom's time zone; default today")


class PaymentsByMethod(Out):
    cash: MoneyOut
    bank_transfer: MoneyOut
    wechat: MoneyOut
    alipay: MoneyOut


class ShiftRowOut(Out):
    id: int
    number: str
    seq: int
    cashier_staff_no: str
    cashier: str
    since: datetime | None
    closed_at: datetime
    expected_cash: MoneyOut
    counted_cash: MoneyOut
    cash_difference: MoneyOut
    manager_staff_no: str | None


class DailyReportOut(Out):
    date: str
    sales_total: MoneyOut = Field(description="totals of the settlements of the day")
    orders: int = Field(description="orders settled that day")
    payments_by_method: PaymentsByMethod = Field(
        description="settlement payments (on account apart) + desk payments")
    payments_total: MoneyOut
    on_account_total: MoneyOut = Field(description="left as debt at settlements")
    returns_total: MoneyOut = Field(description="return credits + on-the-spot return slips")
    refunds_total: MoneyOut = Field(description="credit refunds paid out")
    debt_total: MoneyOut = Field(description="Σ positive balances at the end of the day")
    credit_total: MoneyOut = Field(description="Σ negative balances at the end of the day")
    shifts: list[ShiftRowOut]


@api_route("GET", "/reports/daily", roles=("manager",), query=DailyQuery,
           response=DailyReportOut, tag="reports", errors=(401, 403, 422),
           summary="The daily report (日报表) of one business day")
def daily(call: Call) -> DailyReportOut:
    day = parse_day(call.query.date)
    return DailyReportOut.model_validate(report_json(daily_report(day)))
