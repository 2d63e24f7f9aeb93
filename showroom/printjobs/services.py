"""Queueing print jobs with the business event; delivery is the print worker's job."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from showroom.clock import now_utc
from showroom.errors import Conflict, Forbidden, NotFound
from showroom.extensions import db
from showroom.printjobs.models import DOCUMENT_KINDS, JOB_MOVES, JobStatus, Printer, PrintJob
from showroom.printjobs.rights import may_preview, refusal
from showroom.printjobs.routing import DEFAULT_STATIONS, routed_station

if TYPE_CHECKING:
    from showroom.auth.models import Staff


def queue_job(document: str, payload: dict[str, Any], *, station: str | None = None,
              copies: int = 1, order_id: int | None = None, ref: str = "",
              staff_id: int | None = None) -> PrintJob:
    if document not in DOCUMENT_KINDS:
        raise ValueError(f"unknown document kind {document}")
    payload = {"shop": current_app.config["SHOWROOM_SHOP_NAME"], **payload}
    job = PrintJob(document=document, station=station or routed_station(document),
                   status=JobStatus.QUEUED, copies=copies, order_id=order_id, ref=ref,
                   payload=json.dumps(payload, ensure_ascii=False, sort_keys=True),
                   created_by_id=staff_id, attempts=0, error="", reprint=False)
    db.session.add(job)
    db.session.flush()
    return job


UNPRINTED = ("queued", "printing")


def reprint(job_id: int, *, staff_id: int | None, viewer: Staff | None = None) -> PrintJob:
    """A new job with the same document snapshot, marked 重印 / REPRINT. Refused while the
    original or an earlier reprint of it has not printed yet (a double tap would print it
    twice), and to a `viewer` who may not preview the document (SPEC §12: a reprint shows
    what the preview shows; None = the shell, which may reprint anything)."""
    original = db.session.get(PrintJob, job_id, with_for_update=True)
    if original is None:
        raise NotFound(_("no print job %(id)s", id=job_id))
    if viewer is not None and not may_preview(viewer, original.document):
        raise Forbidden(refusal(original.document))
    if original.status in UNPRINTED:
        raise Conflict(_("job #%(id)s has not printed yet: it prints as soon as its printer can "
                         "take it", id=original.id))
    pending = db.session.scalar(select(PrintJob.id).where(
        PrintJob.reprint_of_id == original.id, PrintJob.status.in_(UNPRINTED)).limit(1))
    if pending is not None:
        raise Conflict(_("a reprint of job #%(id)s is already waiting (job #%(new)s)",
                         id=original.id, new=pending))
    job = PrintJob(document=original.document, station=original.station, status=JobStatus.QUEUED,
                   copies=original.copies, order_id=original.order_id, ref=original.ref,
                   payload=original.payload, created_by_id=staff_id, attempts=0, error="",
                   reprint=True, reprint_of_id=original.id, updated_at=now_utc())
    db.session.add(job)
    db.session.flush()
    return job


def confirm_printed(job_id: int, *, staff_id: int) -> PrintJob:
    """Staff looked at the printer: a flagged job did print after all. Recorded who and
    when; nothing is sent again."""
    job = db.session.get(PrintJob, job_id, with_for_update=True)
    if job is None:
        raise NotFound(_("no print job %(id)s", id=job_id))
    if job.status != JobStatus.NEEDS_ATTENTION:
        raise Conflict(_("only a job that may have printed can be confirmed (this one is %(status)s)",
                         status=job.status))
    now = now_utc()
    JOB_MOVES.move(job, JobStatus.PRINTED, name=f"#{job.id}")
    job.printed_at, job.updated_at = now, now
    job.confirmed_by_id, job.confirmed_at = staff_id, now
    db.session.flush()
    return job


def list_jobs(*, order_id: int | None = None, status: str | None = None,
              station: str | None = None, limit: int = 100) -> list[PrintJob]:
    stmt = select(PrintJob)
    if order_id is not None:
        stmt = stmt.where(PrintJob.order_id == order_id)
    if status:
        stmt = stmt.where(PrintJob.status == status)
    if station:
        stmt = stmt.where(PrintJob.station == station)
    return list(db.session.scalars(stmt.order_by(PrintJob.id.desc()).limit(limit)))


def list_stations() -> list[str]:
    """Every station a job can go to: the defaults plus any station jobs were sent to."""
    used = set(db.session.scalars(select(PrintJob.station).distinct()))
    used |= set(db.session.scalars(select(Printer.station).distinct()))
    return sorted(set(DEFAULT_STATIONS.values()) | {s for s in used if s})
