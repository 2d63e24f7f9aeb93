"""Print jobs of a station: problems first, status badges, reprint, document preview.

Jobs are written with the business event and delivered by the print worker; this screen
lets any staff member see what printed, what failed, and queue a reprint. The preview
renders the job's stored JSON snapshot as a readable document.
"""
from __future__ import annotations

import json
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from showroom.customers.services import may_see_debt
from showroom.errors import DomainError
from showroom.extensions import db
from showroom.printjobs import bp
from showroom.printjobs.forms import ReprintForm
from showroom.printjobs.models import PrintJob
from showroom.printjobs.services import list_jobs, list_stations, reprint
from showroom.web import safe_next

PROBLEMS = ("failed", "needs_attention")


@bp.route("/")
@login_required
def station() -> str:
    chosen = (request.args.get("station") or "").strip()[:40] or None
    problems = [j for status in PROBLEMS for j in list_jobs(status=status, station=chosen)]
    others = [j for j in list_jobs(station=chosen) if j.status not in PROBLEMS]
    partial = bool(request.headers.get("HX-Request"))
    template = "printjobs/_jobs.html" if partial else "printjobs/station.html"
    return render_template(template, stations=list_stations(), chosen=chosen,
                           problems=problems, jobs=others, form=ReprintForm())


DEBT_DOCUMENTS = frozenset({"sales_slip", "customer_statement"})


@bp.route("/<int:job_id>")
@login_required
def preview(job_id: int) -> str:
    job = db.get_or_404(PrintJob, job_id)
    if job.document in DEBT_DOCUMENTS and not may_see_debt(current_user):
        abort(403)  # SPEC §12: debts are for the roles that need them
    return render_template("printjobs/preview.html", job=job, doc=_payload(job),
                           form=ReprintForm())


def _payload(job: PrintJob) -> dict[str, Any]:
    try:
        data = json.loads(job.payload)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {"value": data}


@bp.route("/<int:job_id>/reprint", methods=["POST"])
@login_required
def reprint_job(job_id: int) -> Response:
    back = safe_next(request.form.get("next")) or url_for("printjobs.station")
    if not ReprintForm().validate_on_submit():
        flash(_("The form expired; please try again."), "error")
        return redirect(back, 303)
    try:
        job = reprint(job_id, staff_id=current_user.id)
    except DomainError:
        db.session.rollback()
        abort(404)
    new_id = job.id
    db.session.commit()
    flash(_("Reprint queued (job #%(id)s).", id=new_id), "success")
    return redirect(back, 303)
