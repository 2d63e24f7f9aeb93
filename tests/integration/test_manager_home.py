"""The manager's home: its figures equal a row-by-row count (and the daily report, day by
day), local days honoured around midnight; the page (managers only, where managers land)
shows the same figures as its tables and embeds the API's JSON; the monthly PDF."""
from __future__ import annotations

import json
import re
import subprocess
from datetime import date, timedelta
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from manager_support import NOW, TODAY, brute_force, build_history, fake_weekly

from showroom.clock import set_now
from showroom.manager.figures import dashboard
from showroom.manager.period import Period, parse_month, parse_period
from showroom.manager.shape import dashboard_json
from showroom.money_desk.ageing import debt_ageing
from showroom.reports.daily import daily_report, outstanding_at

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "pdf"
PERIOD = Period(TODAY - timedelta(days=29), TODAY)


@pytest.fixture
def history(app: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setattr("showroom.service_levels.weekly.weekly", fake_weekly)
    return build_history(app)


def test_figures_equal_a_direct_count(app: Any, history: dict[str, Any]) -> None:
    with app.app_context():
        d = dashboard(PERIOD)
        brute = brute_force(PERIOD.start, PERIOD.end)
        assert [s.day for s in d.sales_per_day] == PERIOD.day_list()
        for s in d.sales_per_day:
            assert s.sales == brute["sales"].get(s.day, 0), s.day
            assert s.orders == brute["orders"].get(s.day, 0), s.day
            daily = daily_report(s.day)
            assert (s.sales, s.orders) == (daily.sales_total, daily.orders), s.day
        by_day = {s.day: s for s in d.sales_per_day}
        # 23:50 on the 12th and 00:10 on the 13th are 20 minutes and a day apart
        assert by_day[date(2026, 11, 12)].sales == 10_000 + 10_000  # with 10 days ago
        assert by_day[date(2026, 11, 12)].orders == 2
        assert by_day[date(2026, 11, 13)].sales == 20_000 + 40_000
        assert by_day[date(2026, 11, 13)].orders == 2
        assert by_day[date(2026, 10, 24)].sales == 10_000  # 23:55 on the 23rd left out
        assert by_day[date(2026, 11, 18)].returns == 10_000
        assert by_day[date(2026, 11, 18)].net == -10_000
        assert d.sales == sum(brute["sales"].values()) == 130_000
        assert d.returns == 10_000
        methods = {p.method: p for p in d.payments_by_method}
        assert list(methods) == ["cash", "bank_transfer", "wechat", "alipay", "on_account"]
        for m, p in methods.items():
            assert [p.amount, p.count] == brute["methods"].get(m, [0, 0]), m
        assert methods["cash"].at_settlement == 50_000 and methods["cash"].at_desk == 5_000
        assert methods["on_account"].amount == 20_000  # 10 days ago + the 13th
        assert d.payments_total == sum(v[0] for m, v in brute["methods"].items()
                                       if m != "on_account")
        rows, totals = debt_ageing(NOW)
        assert {a.bucket: a.amount for a in d.debt_ageing} == {
            b: totals[b] for b in ("0_30", "31_90", "90_plus")}
        # a owes 35,000 (10,000 of 10 days, 25,000 of 120); b 10,000 of 60 days
        assert [a.amount for a in d.debt_ageing] == [10_000, 20_000 - 10_000, 30_000 - 5_000]
        assert [a.customers for a in d.debt_ageing] == [1, 1, 1]
        assert d.debtors == len(rows) == 2
        debt, credit = outstanding_at(NOW)
        assert (d.debt_total, d.credit_total) == (debt, -credit) == (35_000 + 10_000, 20_000)
        assert dict(d.complaints_by_category) == {"quality": 2, "service": 0, "delivery": 1,
                                                  "price": 0, "other": 0}
        assert dict(d.complaints_by_category) | {} == {
            k: brute["categories"].get(k, 0) for k, _n in d.complaints_by_category}
        assert d.complaints_open == 4  # the one before the period is open too
        assert [(w.week_start, w.code, w.share) for w in d.service_levels_weekly] == [
            (date(2026, 11, 9), "greeting_1min", 0.9), (date(2026, 11, 9),
                                                        "inquiry_callback_24h", 0.75),
            (date(2026, 11, 16), "greeting_1min", 1.0),
            (date(2026, 11, 16), "inquiry_callback_24h", None)]


def test_a_past_month_and_an_empty_period(app: Any, history: dict[str, Any]) -> None:
    with app.app_context():
        october = dashboard(parse_month("2026-10"))
        assert october.period == Period(date(2026, 10, 1), date(2026, 10, 31))
        assert len(october.sales_per_day) == 31
        assert october.sales == 10_000 + 70_000
        assert dict(october.complaints_by_category)["price"] == 1
        # balances at the end of October: a's 120-day debt, b's 60-day one
        assert (october.debt_total, october.credit_total) == (30_000 + 20_000, 0)
        empty = dashboard(Period(date(2025, 1, 1), date(2025, 1, 7)))
        assert empty.sales == empty.orders == empty.payments_total == 0
        assert all(p.count == 0 for p in empty.payments_by_method)


def test_periods_parse_and_refuse() -> None:
    from showroom import create_app
    from showroom.errors import ValidationFailed

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True,
                      "SECRET_KEY": "x"})
    with app.test_request_context("/"):
        set_now(NOW)
        try:
            assert parse_period(None, "") == PERIOD
            assert parse_period("2026-01-01", "２０２６-１２-３１").days == 365
            assert parse_period("2024-01-01", "2024-12-31").days == 366
            for bad in (("2026-13-01", None), ("yesterday", None), ("2026-11-23", "2026-11-22"),
                        ("2025-01-01", "2026-01-02"), ("1999-01-01", "1999-01-02")):
                with pytest.raises(ValidationFailed):
                    parse_period(*bad)
            for bad_month in ("2026-13", "2026", "26-11", "２０２６-1x"):
                with pytest.raises(ValidationFailed):
                    parse_month(bad_month)
            assert parse_month("2024-02") == Period(date(2024, 2, 1), date(2024, 2, 29))
        finally:
            set_now(None)


JSON_BLOCK = re.compile(r'<script type="application/json" id="dashboard-data">(.*?)</script>',
                        re.S)


def _cells(html: str, table: str) -> dict[str, dict[str, str]]:
    body = html.split(f'id="table-{table}"', 1)[1].split("</tbody>", 1)[0]
    out = {}
    for key, row in re.findall(r'<tr data-key="([^"]+)">(.*?)</tr>', body, re.S):
        out[unescape(key)] = {f: unescape(v) for f, v in re.findall(
            r'data-field="(\w+)"(?: data-value="([^"]*)")?', row)}
        for f, text in re.findall(r'data-field="(\w+)">([^<]*)<', row):
            out[unescape(key)].setdefault(f, text)
            if not out[unescape(key)][f]:
                out[unescape(key)][f] = text
    return out


def test_page_managers_land_here_and_tables_equal_the_json(
        app: Any, client: Any, history: dict[str, Any], login_as: Any) -> None:
    login_as("manager")
    home = client.get("/")
    assert home.status_code == 302 and home.headers["Location"].endswith("/manager")
    resp = client.get("/manager")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert 'id="nav-manager-home"' in html and 'id="report-pdf"' in html
    embedded = json.loads(unescape(JSON_BLOCK.search(html).group(1)))["data"]
    with app.app_context():
        assert embedded == dashboard_json(dashboard(PERIOD))
    sales = _cells(html, "sales")
    assert len(sales) == 30
    for row in embedded["sales_per_day"]:
        assert sales[row["date"]]["sales"] == row["sales"]
        assert sales[row["date"]]["orders"] == str(row["orders"])
    pays = _cells(html, "payments")
    for row in embedded["payments_by_method"]:
        assert (pays[row["method"]]["amount"], pays[row["method"]]["count"]) == (
            row["amount"], str(row["count"]))
    ageing = _cells(html, "ageing")
    for row in embedded["debt_ageing"]:
        assert ageing[row["bucket"]]["amount"] == row["amount"]
        assert ageing[row["bucket"]]["customers"] == str(row["customers"])
    levels = _cells(html, "levels")
    assert len(levels) == len(embedded["service_levels_weekly"]) == 4
    complaints = _cells(html, "complaints")
    for row in embedded["complaints_by_category"]:
        assert complaints[row["category"]]["count"] == str(row["count"])
    assert 'data-figure="sales" data-value="1300.00"' in html
    assert "¥1,300.00" in html
    # a quick pick and a bad period (the last 30 days shown, with the message, 422)
    october = client.get("/manager?from=2026-10-01&to=2026-10-31").get_data(as_text=True)
    assert 'data-figure="sales" data-value="800.00"' in october
    bad = client.get("/manager?from=2026-11-30&to=2026-11-01")
    assert bad.status_code == 422
    assert 'id="period-error"' in bad.get_data(as_text=True)
    assert client.get("/manager?from=2025-01-01&to=2026-06-30").status_code == 422
    assert client.get("/manager?from=%00").status_code == 422


@pytest.mark.parametrize("role", ["cashier", "reception", "clerk", "packer", "shipper"])
def test_only_managers(client: Any, login_as: Any, role: str) -> None:
    login_as(role)
    assert client.get("/manager").status_code == 403
    assert client.get("/manager/report/2026-11.pdf").status_code == 403
    assert 'id="nav-manager-home"' not in client.get("/customers/").get_data(as_text=True)


def test_signed_out_goes_to_sign_in(client: Any) -> None:
    assert "/login" in client.get("/manager").headers["Location"]


def test_monthly_pdf(app: Any, client: Any, history: dict[str, Any], login_as: Any,
                     tmp_path: Any) -> None:
    login_as("manager")
    resp = client.get("/manager/report/2026-11.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / "manager-monthly-report.pdf"
    path.write_bytes(resp.data)
    subprocess.run(["pdftoppm", "-png", "-r", "80", str(path), str(path.with_suffix(""))],
                   check=True)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "月度经营报告" in text and "银饰批发展厅" in text
    assert "2026-11-01 – 2026-11-30" in text
    assert "¥1,200.00" in text  # November's sales
    assert "¥100.00" in text  # the return credit
    assert "1 分钟内接待" in text and "90.00 %" in text
    assert "质量" in text and "打印时间" in text and "2026-11-22 12:00" in text
    en = client.get("/manager/report/2026-11.pdf?lang=en")
    path = tmp_path / "en.pdf"
    path.write_bytes(en.data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Monthly report" in text and "Sales per day" in text
    assert client.get("/manager/report/2026-13.pdf").status_code == 422
    assert client.get("/manager/report/november.pdf").status_code == 422


@pytest.mark.parametrize("zone", ["Asia/Kathmandu", "America/New_York"])
def test_local_days_in_other_time_zones(app: Any, history: dict[str, Any], zone: str) -> None:
    """Quarter-hour buckets (+5:45) and daylight saving (New York leaves it on 11-01)."""
    from zoneinfo import ZoneInfo

    from sqlalchemy import select

    from showroom.extensions import db
    from showroom.settlement.models import Settlement

    app.config["SHOWROOM_TIMEZONE"] = zone
    tz = ZoneInfo(zone)
    with app.app_context():
        period = Period(date(2026, 10, 20), date(2026, 11, 22))
        expected: dict[date, int] = {}
        for s in db.session.scalars(select(Settlement)):
            day = s.created_at.astimezone(tz).date()
            expected[day] = expected.get(day, 0) + s.total
        got = {r.day: r.sales for r in dashboard(period).sales_per_day}
        assert got == {d: expected.get(d, 0) for d in period.day_list()}
