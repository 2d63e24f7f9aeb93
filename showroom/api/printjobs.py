"""Print jobs over the API: what is queued or failed where, reprints (marked 重印), and a
job's document as PNG or PDF by URL.

The previews answer with a picture, not JSON, so they are not in the JSON route registry:
they sit on their own small blueprint (`files`, registered by the app factory) and go
through the same bearer-token check and problem+json refusals as every API route.
"""
from __future__ import annotations

from typing import Annotated

from flask import Blueprint, Response, request
from flask_babel import gettext as _
from pydantic import Field

from showroom.api.edge import bearer_token
from showroom.api.problems import from_domain_error
from showroom.api.registry import Call, api_route
from showroom.api.schemas import PrintJobList, PrintJobOut
from showroom.api.types import MAX_ID, Id, Line, OneOf, QueryIn
from showroom.errors import DomainError, NotFound
from showroom.extensions import db
from showroom.printjobs.models import JobStatus
from showroom.printjobs.previews import FORMATS, job_preview
from showroom.printjobs.services import list_jobs, reprint


class PrintJobQuery(QueryIn):
    order_id: Id | None = None
    status: Annotated[str, OneOf(JobStatus)] | None = None
    station: Line | None = Field(None, min_length=1, max_length=40)


@api_route("GET", "/print-jobs", query=PrintJobQuery, response=PrintJobList,
           summary="List print jobs (newest first, at most 100)", tag="printing",
           description="Each job's document is also served as a picture: "
                       "GET /api/v1/print-jobs/{id}/preview.png (as the receipt printer draws "
                       "it) and /preview.pdf?page=A5|A4, with the same bearer token.")
def jobs(call: Call) -> PrintJobList:
    query: PrintJobQuery = call.query
    found = list_jobs(order_id=query.order_id, status=query.status, station=query.station)
    return PrintJobList(items=[PrintJobOut.of(j) for j in found])


@api_route("POST", "/print-jobs/{job_id}/reprint", response=PrintJobOut, status=201,
           summary="Reprint a document (a new job marked reprint)", tag="printing",
           errors=(403, 404, 409),
           description="Prints at the token's station, else where the original printed. 409 while "
                       "the original or an earlier reprint has not printed yet; 403 for a document "
                       "the role may not preview (debts, or a box label's full phone).")
def reprint_job(call: Call, job_id: int) -> PrintJobOut:
    job = reprint(job_id, staff_id=call.staff.id, viewer=call.staff)
    if call.station:
        job.station = call.station
        db.session.flush()
    return PrintJobOut.of(job)


files = Blueprint("api_files", __name__, url_prefix="/api/v1")


@files.get("/print-jobs/<int:job_id>/preview.<fmt>")
def preview(job_id: int, fmt: str) -> Response:
    """The job's stored document as image/png (the receipt as the printer draws it, at
    its paper width) or application/pdf (?page=A5|A4). Sales slips and customer
    statements show debts: only for the roles that may see them (403)."""
    try:
        token = bearer_token()
        if fmt not in FORMATS or not 1 <= job_id <= MAX_ID:
            raise NotFound(_("No preview.%(fmt)s for print job %(id)s: use preview.png or "
                             "preview.pdf.", fmt=fmt[:10], id=job_id))
        resp = job_preview(job_id, fmt, token.staff, request.args.get("page"))
    except DomainError as exc:
        db.session.rollback()
        return from_domain_error(exc)
    db.session.rollback()
    return resp
