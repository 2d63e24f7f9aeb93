"""The dashboard as the API serves it and the page embeds it (API.md: money as "1234.50",
dates ISO), and as the monthly PDF's snapshot (printing.monthly_report.MonthlyReport)."""
from __future__ import annotations

from typing import Any

from flask import current_app

from printing.monthly_report import (
    AgeRow,
    CategoryRow,
    DayRow,
    Headline,
    LevelRow,
    MethodRow,
    MonthlyReport,
)
from showroom.clock import local, now_utc
from showroom.manager.figures import Dashboard
from showroom.money import fen_str


def headline(d: Dashboard) -> dict[str, Any]:
    return {"sales": fen_str(d.sales), "orders": d.orders, "returns": fen_str(d.returns),
            "net_sales": fen_str(d.sales - d.returns),
            "payments_total": fen_str(d.payments_total),
            "debt_total": fen_str(d.debt_total), "credit_total": fen_str(d.credit_total),
            "debtors": d.debtors, "complaints": d.complaints,
            "complaints_open": d.complaints_open}


def dashboard_json(d: Dashboard) -> dict[str, Any]:
    return {
        "from": d.period.start.isoformat(), "to": d.period.end.isoformat(),
        "sales_per_day": [{"date": s.day.isoformat(), "sales": fen_str(s.sales),
                           "orders": s.orders, "returns": fen_str(s.returns),
                           "net": fen_str(s.net)} for s in d.sales_per_day],
        "payments_by_method": [{"method": p.method, "amount": fen_str(p.amount),
                                "count": p.count, "at_settlement": fen_str(p.at_settlement),
                                "at_desk": fen_str(p.at_desk)} for p in d.payments_by_method],
        "debt_ageing": [{"bucket": a.bucket, "customers": a.customers,
                         "amount": fen_str(a.amount)} for a in d.debt_ageing],
        "service_levels_weekly": [{"week_start": w.week_start.isoformat(), "code": w.code,
                                   "met": w.met, "total": w.total, "share": w.share}
                                  for w in d.service_levels_weekly],
        "complaints_by_category": [{"category": c, "count": n}
                                   for c, n in d.complaints_by_category],
        "headline": headline(d),
    }


def monthly_report(d: Dashboard, month: str, lang: str = "zh") -> MonthlyReport:
    """The monthly report's snapshot: the same figures as the page, times already local."""
    tz = current_app.config["SHOWROOM_TIMEZONE"]
    body = dashboard_json(d)
    return MonthlyReport(
        shop=current_app.config["SHOWROOM_SHOP_NAME"], lang=lang, month=month,
        start=body["from"], end=body["to"],
        printed_at=local(now_utc(), tz).strftime("%Y-%m-%d %H:%M"),
        headline=Headline(**body["headline"]),
        days=[DayRow(**r) for r in body["sales_per_day"]],
        payments=[MethodRow(**r) for r in body["payments_by_method"]],
        ageing=[AgeRow(**r) for r in body["debt_ageing"]],
        levels=[LevelRow(**{**r, "share": "" if r["share"] is None else f"{r['share']:.4f}"})
                for r in body["service_levels_weekly"]],
        complaints=[CategoryRow(**r) for r in body["complaints_by_category"]])
