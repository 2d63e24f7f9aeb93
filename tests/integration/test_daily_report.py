"""The daily report: its figures equal the sums of that day's ledger and payments (in the
showroom's time zone), on the screen, the API, the PDF and the exports; managers only."""
from __future__ import annotations

import csv
import io
import subprocess
from datetime import UTC, date, datetime, timedelta
from typing import Any

import factories
from api_support import API, assert_problem
from desk_support import credit_refund, desk_payment
from sqlalchemy import func, select

from showroom.clock import set_now
from showroom.customers.models import LedgerEntry
from showroom.extensions import db
from showroom.money_desk.shifts import Counted, close_shift
from showroom.reports.daily import daily_report, day_bounds
from showroom.settlement.models import Payment, Settlement
from showroom.settlement.services import PaymentIn, return_on_the_spot, settle

DAY = date(2026, 11, 22)
# 23:30 on the 21st in Shanghai is 15:30 UTC: the day before. 00:30 local on the 22nd is
# 16:30 UTC on the 21st: already the 22nd.
BEFORE = datetime(2026, 11, 21, 15, 30, tzinfo=UTC)
START = datetime(2026, 11, 21, 16, 30, tzinfo=UTC)
AFTER = datetime(2026, 11, 22, 16, 30, tzinfo=UTC)


def build_day(app: Any) -> dict[str, Any]:
    """Movements before, during and after the day; committed."""
    with app.app_context():
        set_now(BEFORE)
        cashier = factories.staff("cashier", staff_no="7101", name="李娜")
        manager = factories.staff("manager", staff_no="7001", name="王经理")
        a = factories.customer(name="甲")
        b = factories.customer(name="=乙")  # a name that looks like a formula
        prod = factories.product(wholesale=10_000, stock=1000)
        old = factories.order_with_lines(a.id, [(prod, 2)])
        settle(old.id, [PaymentIn("on_account", 20_000)], cashier_id=cashier.id)
        t = START
        for pays, cust in (
                ([PaymentIn("cash", 10_000, tendered=20_000)], a),
                ([PaymentIn("wechat", 5_000), PaymentIn("on_account", 15_000)], a),
                ([PaymentIn("bank_transfer", 30_000)], b)):
            t += timedelta(minutes=30)
            set_now(t)
            qty = sum(p.amount for p in pays) // 10_000
            order = factories.order_with_lines(cust.id, [(prod, qty)])
            settle(order.id, pays, cashier_id=cashier.id)
        set_now(t + timedelta(minutes=5))
        spot = factories.order_with_lines(b.id, [(prod, 3)])
        from showroom.orders.services import order_lines

        return_on_the_spot(spot.id, [(order_lines(spot.id)[0].id, 1)], staff_id=cashier.id)
        settle(spot.id, [PaymentIn("alipay", 20_000)], cashier_id=cashier.id)
        set_now(t + timedelta(minutes=10))
        desk_payment(a.id, "cash", 25_000, staff_id=cashier.id, tendered=30_000)
        desk_payment(b.id, "wechat", 100_000, staff_id=cashier.id)  # b now holds credit
        credit_refund(b.id, "cash", 4_000, staff_id=cashier.id, manager_id=manager.id)
        set_now(t + timedelta(minutes=20))
        close_shift(cashier.id, Counted(cash=10_000 + 25_000 - 4_000 - 1_000, wechat=0),
                    manager_staff_no="7001", manager_pin="246810")
        set_now(AFTER + timedelta(hours=1))  # the next day
        nxt = factories.order_with_lines(a.id, [(prod, 1)])
        settle(nxt.id, [PaymentIn("on_account", 10_000)], cashier_id=cashier.id)
        desk_payment(a.id, "cash", 1_000, staff_id=cashier.id)
        db.session.commit()
        set_now(None)
        return {"a": a.id, "b": b.id, "manager": manager.staff_no}


def test_figures_equal_the_sums_of_the_ledger_and_payments(app: Any) -> None:
    build_day(app)
    with app.app_context():
        start, end = day_bounds(DAY)
        assert start == datetime(2026, 11, 21, 16, 0, tzinfo=UTC) == START - timedelta(minutes=30)
        assert end == AFTER - timedelta(minutes=30)
        r = daily_report(DAY)

        def ledger(kind: str) -> int:
            return int(db.session.scalar(select(func.coalesce(func.sum(LedgerEntry.amount), 0))
                                         .where(LedgerEntry.kind == kind,
                                                LedgerEntry.created_at >= start,
                                                LedgerEntry.created_at < end)))

        assert r.sales_total == ledger("sale") == 10_000 + 20_000 + 30_000 + 20_000
        assert r.orders == 4
        assert r.payments_total == -ledger("payment")
        pays = dict(db.session.execute(
            select(Payment.method, func.sum(Payment.amount)).join(Settlement)
            .where(Settlement.created_at >= start, Settlement.created_at < end)
            .group_by(Payment.method)).tuples().all())
        assert r.payments_by_method == {"cash": pays["cash"] + 25_000,
                                        "bank_transfer": pays["bank_transfer"],
                                        "wechat": pays["wechat"] + 100_000,
                                        "alipay": pays["alipay"]}
        assert r.on_account_total == pays["on_account"] == 15_000
        assert r.refunds_total == ledger("refund") == 4_000
        assert r.returns_total == 10_000  # the on-the-spot slip (never on the ledger)
        # balances at the end of the day, from the ledger itself
        per_customer = db.session.execute(
            select(LedgerEntry.customer_id, func.sum(LedgerEntry.amount))
            .where(LedgerEntry.created_at < end).group_by(LedgerEntry.customer_id)).all()
        assert r.debt_total == sum(v for _c, v in per_customer if v > 0)
        assert r.credit_total == sum(v for _c, v in per_customer if v < 0)
        assert r.credit_total < 0 < r.debt_total
        assert [s["cash_difference"] for s in r.shifts] == [-1_000]
        assert r.shifts[0]["manager"] == "王经理"


def test_api_screen_pdf_and_exports(app: Any, client: Any, api_headers: Any,
                                    login_as: Any, tmp_path: Any) -> None:
    ids = build_day(app)
    h = api_headers("manager")
    body = client.get(f"{API}/reports/daily?date=2026-11-22", headers=h).get_json()
    assert body["date"] == "2026-11-22" and body["sales_total"] == "800.00"
    assert body["payments_by_method"] == {"cash": "350.00", "bank_transfer": "300.00",
                                          "wechat": "1050.00", "alipay": "200.00"}
    assert body["refunds_total"] == "40.00" and body["returns_total"] == "100.00"
    assert body["shifts"][0]["cash_difference"] == "-10.00"
    full_width = client.get(f"{API}/reports/daily?date=２０２６-１１-２２", headers=h).get_json()
    assert full_width == body
    for bad in ("2026-13-01", "yesterday", "2026-11-2", "1999-01-01"):
        assert_problem(client.get(f"{API}/reports/daily?date={bad}", headers=h), 422, "date")
    assert_problem(client.get(f"{API}/reports/daily", headers=api_headers("cashier")), 403)

    login_as("manager")
    page = client.get("/reports/daily?date=2026-11-22").get_data(as_text=True)
    assert "¥800.00" in page and "¥1,050.00" in page and "-¥10.00" in page
    assert client.get("/reports/daily?date=nope").status_code == 422
    pdf = client.get("/reports/daily.pdf?date=2026-11-22")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    path = tmp_path / "daily.pdf"
    path.write_bytes(pdf.data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout.replace(" ", "")
    assert "日报表" in text and "¥800.00" in text and "1,050.00" in text

    raw = client.get("/reports/balances.csv")
    assert raw.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.data.decode("utf-8-sig"))))
    names = {r[1]: r for r in rows[1:]}
    assert "'=乙" in names and "=乙" not in names  # neutralised
    assert all(r[3].count(".") == 1 and len(r[3].split(".")[1]) == 2 for r in rows[1:])

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(client.get("/reports/balances.xlsx").data))
    ws = book.active
    cells = {ws.cell(row=i, column=2).value: ws.cell(row=i, column=4)
             for i in range(2, ws.max_row + 1)}
    assert "'=乙" in cells and cells["'=乙"].number_format == "0.00"
    assert isinstance(cells["'=乙"].value, (int, float))

    ledger = client.get(f"/reports/customers/{ids['a']}/ledger.csv").data.decode("utf-8-sig")
    assert "200.00" in ledger and "-250.00" in ledger
    daily_xlsx = load_workbook(io.BytesIO(client.get("/reports/daily.xlsx?date=2026-11-22").data))
    values = [r[1] for r in daily_xlsx.active.iter_rows(min_row=2, values_only=True)]
    assert 800 in values
    assert client.get("/reports/daily.csv?date=bad").status_code == 422
    assert client.get("/reports/balances.txt").status_code == 404
    detail = client.get(f"/customers/{ids['a']}").get_data(as_text=True)
    assert f"/reports/customers/{ids['a']}/ledger.xlsx" in detail


def test_exports_are_for_managers_only(app: Any, client: Any, login_as: Any) -> None:
    login_as("cashier")
    for url in ("/reports/daily", "/reports/balances.csv", "/reports/daily.pdf",
                "/reports/customers/1/ledger.xlsx"):
        assert client.get(url).status_code in (302, 403), url


def test_neutral_cells() -> None:
    from showroom.reports.exports import neutral

    for text in ("=1+1", "+86", "-3", "@SUM(A1)", "\tx", "\rx"):
        assert neutral(text).startswith("'")
    assert neutral("王丽") == "王丽"
