"""Print jobs of a station: problems first, status badges, reprint, document preview.

Jobs are written with the business event and delivered by the print worker; this screen
lets any staff member see what printed, what failed (or may not have printed), what
cannot print yet, and what each printer last said about itself, and queue a reprint with
one tap. The preview shows the job's stored snapshot as it prints (PNG, PDF) and as text.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import and_, func, or_, select
from werkzeug.wrappers import Response

from printing.documents import PDF_ONLY
from showroom.extensions import db
from showroom.printjobs.forms import ReprintForm
from showroom.printjobs.models import Printer, PrintJob
from showroom.printjobs.previews import PDF_PAGES, may_preview, print_font_ok
from showroom.printjobs.services import confirm_printed, list_jobs, list_stations, reprint
from showroom.web import safe_next
from showroom.web.screen import perform

PROBLEMS = ("failed", "needs_attention")


RECENT, OLDER = 30, 200  # recent jobs listed on the station page; with "show older"


@login_required
def station() -> str:
    chosen = (request.args.get("station") or "").strip()[:40] or None
    more = request.args.get("more") == "1"
    problems = problem_jobs(chosen)
    seen = {j.id for j in problems}
    # The latest few, polled every 15 s; older ones on request (the poll re-renders every
    # row, and 100 rows made it the floor's slowest request under load).
    shown = OLDER if more else RECENT
    listed = list_jobs(station=chosen, limit=shown + 1)
    others = [j for j in listed[:shown] if j.id not in seen]
    partial = bool(request.headers.get("HX-Request"))
    template = "printjobs/_jobs.html" if partial else "printjobs/station.html"
    return render_template(template, stations=list_stations(), chosen=chosen,
                           problems=problems, jobs=others, form=ReprintForm(),
                           printers=_printers(chosen), reprinted=_reprinted(others),
                           more=more, has_older=len(listed) > shown)


def problem_jobs(station: str | None, limit: int = 100) -> list[PrintJob]:
    """Failed and flagged jobs, then queued jobs that carry an error (no printer for the
    kind …), newest first, leaving out those already reprinted."""
    trouble = or_(PrintJob.status.in_(PROBLEMS),
                  and_(PrintJob.status == "queued", PrintJob.error != ""))
    stmt = select(PrintJob).where(trouble)
    if station:
        stmt = stmt.where(PrintJob.station == station)
    found = list(db.session.scalars(stmt.order_by(PrintJob.id.desc()).limit(limit)))
    done = _reprinted([j for j in found if j.status in PROBLEMS])
    # what staff can fix with a reprint first; jobs waiting for a printer after them
    return sorted((j for j in found if j.id not in done), key=lambda j: j.status == "queued")


def _reprinted(jobs: list[PrintJob]) -> dict[int, int]:
    """{job id: its latest reprint's id} for the jobs of `jobs` that were reprinted. A
    reprint is always newer than its original, so only later rows are read."""
    if not jobs:
        return {}
    ids = [j.id for j in jobs]
    rows = db.session.execute(
        select(PrintJob.reprint_of_id, func.max(PrintJob.id))
        .where(PrintJob.id > min(ids), PrintJob.reprint_of_id.in_(ids))
        .group_by(PrintJob.reprint_of_id))
    return {int(original): int(latest) for original, latest in rows}


def _printers(station: str | None) -> list[Printer]:
    stmt = select(Printer).order_by(Printer.station, Printer.name)
    if station:
        stmt = stmt.where(Printer.station == station)
    return list(db.session.scalars(stmt))


@login_required
def preview(job_id: int) -> str:
    job = db.get_or_404(PrintJob, job_id)
    if not may_preview(current_user, job.document):
        abort(403)  # SPEC §12: debts are for the roles that need them
    font_ok = print_font_ok()  # without the CJK font: the text version and the PDF buttons
    return render_template("printjobs/preview.html", job=job, doc=_payload(job),
                           form=ReprintForm(), png=job.document not in PDF_ONLY and font_ok,
                           font_missing=not font_ok, pages=PDF_PAGES)


def _payload(job: PrintJob) -> dict[str, Any]:
    try:
        data = json.loads(job.payload)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {"value": data}


@login_required
def reprint_job(job_id: int) -> Response:
    return _job_action(lambda: reprint(job_id, staff_id=current_user.id, viewer=current_user),
                       lambda job: _("Reprint queued (job #%(id)s).", id=job.id))


@login_required
def confirm_job(job_id: int) -> Response:
    """"It did print": clears a flagged job without printing it again."""
    return _job_action(lambda: confirm_printed(job_id, staff_id=current_user.id),
                       lambda job: _("Job #%(id)s marked as printed.", id=job.id))


def _job_action(action: Callable[[], PrintJob], done: Callable[[PrintJob], str]) -> Response:
    """A station-screen button: run the service, say what happened (404 for an unknown
    job, the service's refusal as a message), back to the screen."""
    back = safe_next(request.form.get("next")) or url_for("printjobs.station")

    def answer(job: PrintJob) -> Response:
        flash(done(job), "success")
        return redirect(back, 303)

    result: Response = perform(action, form=ReprintForm(), done=answer,
                               refused=lambda _r: redirect(back, 303), messages={
                                   "form-expired": _l("The form expired; please try again."),
                                   "invalid-form": _l("The form expired; please try again.")})
    return result
