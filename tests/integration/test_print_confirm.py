"""Staff confirm a flagged job did print: it leaves the problems list, nothing is resent,
and who confirmed is recorded; only flagged jobs can be confirmed."""
from __future__ import annotations

from typing import Any

from showroom.extensions import db
from showroom.printjobs.models import PrintJob
from showroom.printjobs.services import queue_job


def _flagged(app: Any, status: str = "needs_attention") -> int:
    with app.app_context():
        job = queue_job("locker_ticket", {"visit_id": 1, "customer_name": "王丽华", "locker_no": "A1",
                                          "time": "2026-11-22 10:00"})
        job.status, job.error = status, "connection lost mid-job"
        db.session.commit()
        return job.id


def test_it_printed_clears_a_flagged_job(app: Any, client: Any, login_as: Any) -> None:
    job_id = _flagged(app)
    staff = login_as("reception")
    page = client.get("/print-jobs/?station=reception").get_data(as_text=True)
    assert f'/print-jobs/{job_id}/confirm' in page
    resp = client.post(f"/print-jobs/{job_id}/confirm", data={"next": "/print-jobs/?station=reception"})
    assert resp.status_code == 303
    with app.app_context():
        job = db.session.get(PrintJob, job_id)
        assert job is not None
        assert (job.status, job.confirmed_by_id, job.attempts) == ("printed", staff["id"], 0)
        assert job.confirmed_at is not None and job.printed_at is not None
        assert db.session.query(PrintJob).count() == 1  # nothing queued again
    page = client.get("/print-jobs/?station=reception").get_data(as_text=True)
    assert f'/print-jobs/{job_id}/confirm' not in page


def test_only_flagged_jobs_can_be_confirmed(app: Any, client: Any, login_as: Any) -> None:
    job_id = _flagged(app, status="queued")
    login_as("reception")
    resp = client.post(f"/print-jobs/{job_id}/confirm", follow_redirects=True)
    assert resp.status_code == 200
    with app.app_context():
        assert db.session.get(PrintJob, job_id).status == "queued"  # type: ignore[union-attr]
    assert client.post("/print-jobs/999999/confirm").status_code == 404
