"""Print jobs over the API: what is queued or failed where, and reprints (marked 重印)."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from showroom.api.registry import Call, api_route
from showroom.api.schemas import PrintJobList, PrintJobOut
from showroom.api.types import Id, Line, QueryIn
from showroom.extensions import db
from showroom.printjobs.services import list_jobs, reprint


class PrintJobQuery(QueryIn):
    order_id: Id | None = None
    status: Literal["queued", "printing", "printed", "failed", "needs_attention"] | None = None
    station: Line | None = Field(None, min_length=1, max_length=40)


@api_route("GET", "/print-jobs", query=PrintJobQuery, response=PrintJobList,
           summary="List print jobs (newest first, at most 100)", tag="printing")
def jobs(call: Call) -> PrintJobList:
    query: PrintJobQuery = call.query
    found = list_jobs(order_id=query.order_id, status=query.status, station=query.station)
    return PrintJobList(items=[PrintJobOut.of(j) for j in found])


@api_route("POST", "/print-jobs/{job_id}/reprint", response=PrintJobOut, status=201,
           summary="Reprint a document (a new job marked reprint)", tag="printing",
           errors=(404,),
           description="Prints at the token's station, else where the original printed.")
def reprint_job(call: Call, job_id: int) -> PrintJobOut:
    job = reprint(job_id, staff_id=call.staff.id)
    if call.station:
        job.station = call.station
        db.session.flush()
    return PrintJobOut.of(job)
