"""Property: whatever the printer does between passes (answers, refuses, resets, hangs),
no job reaches it twice, a job marked printed did reach it, and once it answers again
every job that was not flagged gets printed."""
from __future__ import annotations

import time
from typing import Any

import pytest
from fake_printer import FakePrinter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from showroom.extensions import db
from showroom.printjobs.models import Printer, PrintJob
from showroom.printjobs.services import queue_job
from showroom.printjobs.worker import Backoff, deliver_pass

MODES = st.sampled_from(["ok", "down", "reset", "hang", "paper_out"])
STEP = st.tuples(MODES, st.integers(min_value=0, max_value=4))  # printer mode, jobs queued before the pass


@pytest.mark.slow
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(STEP, min_size=1, max_size=6))
def test_exactly_once_whatever_the_printer_does(app: Any, ctx: Any, steps: list[tuple[str, int]]) -> None:
    db.session.execute(delete(PrintJob))
    db.session.execute(delete(Printer))
    db.session.commit()
    db.session.expunge_all()  # bulk deletes leave the last example's rows in the identity map
    fake = FakePrinter("down")
    try:
        db.session.add(Printer(name="p", connection=fake.uri, station="reception", paper_mm=58,
                               chinese="gbk", documents="", cutter=True, drawer=False, enabled=True,
                               status_reply=""))
        db.session.commit()
        number = 0
        backoff = Backoff(steps=(0,))
        for mode, new_jobs in steps:
            for _ in range(new_jobs):
                queue_job("locker_ticket", {"visit_id": number, "customer_name": "李",
                                            "locker_no": f"Q{number:03d}", "time": "2026-11-22 10:00"})
                number += 1
            db.session.commit()
            fake.close()
            if mode != "down":
                fake.up(mode)
            deliver_pass(backoff, timeout=0.2)
        fake.close()
        fake.up("ok")
        deliver_pass(Backoff(steps=(0,)), timeout=2)
        db.session.expire_all()
        jobs = db.session.scalars(select(PrintJob).order_by(PrintJob.id)).all()
        first = jobs[0].id if jobs else 0
        printed = {j.id - first for j in jobs if j.status == "printed"}

        def received() -> list[int]:
            return [int(job.split(b"Q", 1)[1][:3]) for job in list(fake.jobs) if b"Q" in job]

        deadline = time.monotonic() + 5  # the fake records a job when its connection closes
        while not printed <= set(received()) and time.monotonic() < deadline:
            time.sleep(0.01)
        got = received()
        assert len(got) == len(set(got)), "a job reached the printer twice"
        for job in jobs:
            assert job.status in ("printed", "needs_attention"), job.status
            if job.status == "printed":
                assert job.id - first in got
    finally:
        fake.close()
