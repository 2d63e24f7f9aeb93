"""Manager screens of the back office's figures (SPEC §9.1, §12: managers only): the daily
report (screen, PDF) and the exports (customer balances, the daily report, a customer's
ledger) as CSV or Excel. Read-only: the transaction ends before a file is rendered."""
from __future__ import annotations

from urllib.parse import quote

from flask import render_template, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from printing.documents import document_from_payload
from showroom.auth.access import roles_required
from showroom.customers.models import Customer
from showroom.errors import ValidationFailed
from showroom.extensions import db
from showroom.reports.daily import daily_report, parse_day, report_payload
from showroom.reports.exports import (
    Sheet,
    balances_sheet,
    daily_sheet,
    ledger_sheet,
    to_csv,
    to_xlsx,
)
from showroom.web.screen import end_read

FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@roles_required("manager")
def daily() -> Response | str | tuple[str, int]:
    try:
        day = parse_day(request.args.get("date"))
    except ValidationFailed as exc:
        day = parse_day(None)
        return render_template("reports/daily.html", r=daily_report(day),
                               error=exc.errors.get("date"), asked=request.args.get("date")), 422
    return render_template("reports/daily.html", r=daily_report(day), error=None, asked=None)


def _file(data: bytes, name: str, mimetype: str) -> Response:
    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_")
    return Response(data, mimetype=mimetype, headers={
        "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; "
                               f"filename*=UTF-8''{quote(name)}",
        "Cache-Control": "no-store"})


def _sheet_file(sheet: Sheet, fmt: str, stem: str) -> Response:
    if fmt not in FORMATS:
        return Response(_("Choose csv or xlsx."), status=404, mimetype="text/plain")
    end_read()
    data = to_csv(sheet) if fmt == "csv" else to_xlsx(sheet)
    return _file(data, f"{stem}.{fmt}", FORMATS[fmt])


def _bad_date(exc: ValidationFailed) -> Response:
    return Response(str(exc.errors.get("date") or exc.message), status=422,
                    mimetype="text/plain")


@roles_required("manager")
def daily_pdf() -> Response:
    try:
        day = parse_day(request.args.get("date"))
    except ValidationFailed as exc:
        return _bad_date(exc)
    payload = report_payload(daily_report(day))
    end_read()
    from flask import current_app

    from printing.pdf import render_pdf

    payload = {"shop": current_app.config["SHOWROOM_SHOP_NAME"], **payload}
    pdf = render_pdf(document_from_payload("daily_report", payload), page="A4")
    return _file(pdf, f"daily-report-{day.isoformat()}.pdf", "application/pdf")


@roles_required("manager")
def daily_export(fmt: str) -> Response:
    try:
        day = parse_day(request.args.get("date"))
    except ValidationFailed as exc:
        return _bad_date(exc)
    return _sheet_file(daily_sheet(daily_report(day)), fmt, f"daily-report-{day.isoformat()}")


@roles_required("manager")
def balances_export(fmt: str) -> Response:
    return _sheet_file(balances_sheet(), fmt, "customer-balances")


@roles_required("manager")
def ledger_export(customer_id: int, fmt: str) -> Response:
    customer = db.get_or_404(Customer, customer_id)
    return _sheet_file(ledger_sheet(customer), fmt, f"ledger-{customer.code}")
