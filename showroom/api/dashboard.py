"""The manager's home over the API (managers only): the JSON the page's charts are drawn
from, for a period of showroom-local days (default the last 30, at most a year)."""
from __future__ import annotations

from pydantic import ConfigDict, Field

from showroom.api.registry import Call, api_route
from showroom.api.types import MoneyOut, Out, QueryIn
from showroom.manager.figures import dashboard as compute
from showroom.manager.period import parse_period
from showroom.manager.shape import dashboard_json


class DashboardQuery(QueryIn):
    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore", populate_by_name=True)

    from_: str | None = Field(None, alias="from", max_length=20,
                              description="YYYY-MM-DD, first day (showroom's time zone); "
                                          "default 29 days before `to`")
    to: str | None = Field(None, max_length=20,
                           description="YYYY-MM-DD, last day, inclusive; default today. "
                                       "At most 366 days in all.")


class DaySalesOut(Out):
    date: str
    sales: MoneyOut = Field(description="totals of the orders settled that day")
    orders: int = Field(description="orders settled that day")
    returns: MoneyOut = Field(description="return credits posted that day")
    net: MoneyOut = Field(description="sales − returns")


class MethodOut(Out):
    method: str = Field(description="cash, bank_transfer, wechat, alipay, on_account")
    amount: MoneyOut = Field(description="at_settlement + at_desk")
    count: int = Field(description="payments (settlement payments and desk receipts)")
    at_settlement: MoneyOut
    at_desk: MoneyOut = Field(description="money desk payments on account (收款单)")


class AgeingOut(Out):
    bucket: str = Field(description="0_30, 31_90, 90_plus (days since the unpaid debit)")
    customers: int
    amount: MoneyOut


class WeekLevelOut(Out):
    week_start: str = Field(description="the Monday (showroom's time zone)")
    code: str
    met: int
    total: int
    share: float | None = Field(description="met / total, 4 decimals; null when none due")


class CategoryOut(Out):
    category: str
    count: int


class HeadlineOut(Out):
    sales: MoneyOut
    orders: int
    returns: MoneyOut
    net_sales: MoneyOut
    payments_total: MoneyOut = Field(description="money received: every method but on account")
    debt_total: MoneyOut = Field(description="Σ positive balances at the period's end (or now)")
    credit_total: MoneyOut = Field(description="Σ credit held at the period's end (or now)")
    debtors: int = Field(description="customers owing now")
    complaints: int = Field(description="complaints recorded in the period")
    complaints_open: int = Field(description="complaints not closed, now")


class DashboardOut(Out):
    model_config = ConfigDict(from_attributes=True, serialize_by_alias=True,
                              populate_by_name=True)

    from_: str = Field(alias="from", serialization_alias="from")
    to: str
    sales_per_day: list[DaySalesOut]
    payments_by_method: list[MethodOut]
    debt_ageing: list[AgeingOut] = Field(description="debts now, by age")
    service_levels_weekly: list[WeekLevelOut]
    complaints_by_category: list[CategoryOut]
    headline: HeadlineOut


@api_route("GET", "/dashboard", roles=("manager",), query=DashboardQuery,
           response=DashboardOut, tag="reports", errors=(401, 403, 422),
           summary="The manager's home: sales per day, payments by method, debt ageing, "
                   "service levels per week, complaints by category")
def dashboard(call: Call) -> DashboardOut:
    q: DashboardQuery = call.query
    period = parse_period(q.from_, q.to)
    return DashboardOut.model_validate(dashboard_json(compute(period)))
