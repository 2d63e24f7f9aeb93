"""The manager's home screen and the monthly PDF report (managers only). Read-only: the
page embeds the dashboard JSON the API serves (static/js/manager_charts.js draws it) and
shows the same figures as tables; the PDF is rendered after the transaction has ended."""
from __future__ import annotations

from typing import Any

from flask import render_template, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from printing.monthly_report import render_monthly_report
from showroom.auth.access import roles_required
from showroom.errors import ValidationFailed
from showroom.manager.figures import dashboard
from showroom.manager.period import parse_month, parse_period, quick_picks
from showroom.manager.shape import dashboard_json, monthly_report
from showroom.money import parse_fen, yuan
from showroom.web.screen import end_read

BUCKETS = {"0_30": _l("0–30 days"), "31_90": _l("31–90 days"), "90_plus": _l("Over 90 days")}
LEVELS = {"greeting_1min": _l("Greeting within 1 minute"),
          "inquiry_callback_24h": _l("Inquiry callback within 24 h"),
          "member_callback_3d": _l("Member callback within 3 days"),
          "online_answer_same_day": _l("Online order answered the same day"),
          "complaint_first_response_24h": _l("Complaint first response within 24 h"),
          "repair_callback_next_day": _l("Repair callback the next day")}
PICKS = {"last_30": _l("Last 30 days"), "this_month": _l("This month"),
         "last_month": _l("Last month"), "this_year": _l("This year")}


def _yuan(amount: str) -> str:
    """"1234.50" (the JSON's money) as "¥1,234.50"."""
    return yuan(parse_fen(amount, allow_negative=True))


def _names(data: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Display names for the codes in the JSON, for the charts' axes and legends."""
    from showroom.labels import label

    return {"method": {p["method"]: str(label(p["method"], "payment"))
                       for p in data["payments_by_method"]},
            "bucket": {k: str(v) for k, v in BUCKETS.items()},
            "level": {w["code"]: str(LEVELS.get(w["code"], w["code"]))
                      for w in data["service_levels_weekly"]},
            "category": {c["category"]: str(label(c["category"], "complaint_category"))
                         for c in data["complaints_by_category"]}}


@roles_required("manager")
def home() -> tuple[str, int]:
    error, asked = None, None
    try:
        period = parse_period(request.args.get("from"), request.args.get("to"))
    except ValidationFailed as exc:
        error, asked = exc.message, (request.args.get("from"), request.args.get("to"))
        period = parse_period(None, None)
    data = dashboard_json(dashboard(period))
    end_read()
    return render_template(
        "manager/home.html", data=data, names=_names(data), period=period, error=error,
        asked=asked, picks=[(k, PICKS[k], p) for k, p in quick_picks()],
        ym=_yuan, month=period.end.strftime("%Y-%m")), 422 if error else 200


@roles_required("manager")
def report_pdf(month: str) -> Response:
    try:
        period = parse_month(month)
    except ValidationFailed as exc:
        return Response(str(exc.errors.get("month") or exc.message), status=422,
                        mimetype="text/plain")
    lang = "en" if get_locale().language == "en" else "zh"
    doc = monthly_report(dashboard(period), month, lang)
    end_read()
    return Response(render_monthly_report(doc), mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="monthly-report-{month}.pdf"',
        "Cache-Control": "no-store"})
