"""The complaint report (投诉处理单, A4 PDF with the customer's signature) — downloaded,
or queued for the manager's printer like every printout — and the manager's statistics
page: the figures of GET /api/v1/complaints/stats as tables, drawn beside them as charts
by static/js/complaint_charts.js (Apache ECharts, vendored) from the same JSON, carried in
a <script type="application/json"> block (the CSP allows no inline script)."""
from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from showroom.auth.access import roles_required
from showroom.complaints.documents import report_payload
from showroom.complaints.models import Complaint, ComplaintCategory, ComplaintStatus
from showroom.complaints.stats import complaint_stats
from showroom.complaints.views import STAFF
from showroom.extensions import db
from showroom.printjobs.services import queue_job
from showroom.stations import device_station
from showroom.web.screen import end_read, perform


@roles_required(*STAFF)
def report_pdf(complaint_id: int) -> Response:
    from printing.documents import document_from_payload
    from printing.pdf import render_pdf

    c: Complaint = db.get_or_404(Complaint, complaint_id)
    payload = report_payload(c)
    end_read()
    pdf = render_pdf(document_from_payload("complaint_report", payload), page="A4")
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="complaint-{c.number}.pdf"'})


@roles_required(*STAFF)
def print_report(complaint_id: int) -> Response:
    c: Complaint = db.get_or_404(Complaint, complaint_id)
    back = redirect(url_for("complaints.page", complaint_id=complaint_id), 303)

    def queue() -> None:
        queue_job("complaint_report", report_payload(c), station=device_station(),
                  ref=c.number, staff_id=current_user.id)

    def done(_r: object) -> Response:
        flash(_("The complaint report is printing."), "success")
        return back

    return perform(queue, done=done, refused=lambda _r: back)


def _day(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


@roles_required("manager")
def stats() -> str:
    start, end = _day("from"), _day("to")
    figures = complaint_stats(start, end)
    names = {"category": {c.value: c.label for c in ComplaintCategory},
             "status": {c.value: c.label for c in ComplaintStatus}, "month": {}}
    # lists, not objects: the chart keeps the table's order (tojson sorts object keys)
    charts = {chart: {"keys": list(rows), "names": [names[chart].get(k, k) for k in rows],
                      "values": list(rows.values())}
              for chart, rows in (("category", figures["by_category"]),
                                  ("status", figures["by_status"]),
                                  ("month", figures["by_month"]))}
    return render_template("complaints/stats.html", s=figures, start=start, end=end,
                           charts=charts)
