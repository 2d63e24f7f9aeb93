"""Kill the print worker (SIGKILL) in the middle of a queue and start it again: every job
ends printed or flagged for staff, none reaches the printer twice."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from fake_printer import FakePrinter
from sqlalchemy import select

from showroom.extensions import db
from showroom.printjobs.models import Printer, PrintJob
from showroom.printjobs.services import queue_job

ROOT = Path(__file__).resolve().parents[2]
JOBS = 60


def worker_process(app: Any, log: Path, *args: str) -> subprocess.Popen[bytes]:
    env = dict(os.environ, DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
               SHOWROOM_SECRET_KEY="test", SHOWROOM_PRINT_TIMEOUT="2",
               SHOWROOM_PRINTER_PORTS="9100-9109,1024-65535")  # the fake printer's random port
    flask = str(Path(sys.executable).with_name("flask"))
    with log.open("ab") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen([flask, "--app", "wsgi", "print-worker", "--poll", "0.05", *args],  # noqa: S603
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def test_worker_killed_mid_queue_loses_nothing_and_prints_nothing_twice(app: Any, ctx: Any,
                                                                       tmp_path: Path) -> None:
    log = tmp_path / "worker.log"
    with FakePrinter(delay=0.04) as fake:
        db.session.add(Printer(name="rcp", connection=fake.uri, station="reception", paper_mm=80,
                               chinese="gb18030", documents="", cutter=True, drawer=False,
                               enabled=True, status_reply=""))
        for n in range(JOBS):
            queue_job("locker_ticket", {"visit_id": n, "customer_name": "王丽华", "locker_no": f"K{n:03d}",
                                        "time": "2026-11-22 10:00"})
        db.session.commit()

        first = worker_process(app, log)
        try:
            deadline = time.monotonic() + 150  # a cold `flask print-worker` start under xdist load
            while len(fake.jobs) < 15 and time.monotonic() < deadline:
                time.sleep(0.01)
            assert len(fake.jobs) >= 15, log.read_text()
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait(10)
        time.sleep(0.3)
        db.session.expire_all()
        in_flight = db.session.scalars(select(PrintJob).where(PrintJob.status == "printing")).all()
        assert len(in_flight) <= 1
        printed_before = len(fake.jobs)
        assert printed_before < JOBS
        db.session.rollback()  # release the read transaction before the new worker writes

        second = worker_process(app, log, "--once")
        assert second.wait(timeout=120) == 0, log.read_text()

        db.session.expire_all()
        jobs = db.session.scalars(select(PrintJob).order_by(PrintJob.id)).all()
        statuses = [j.status for j in jobs]
        assert set(statuses) <= {"printed", "needs_attention"}
        assert statuses.count("needs_attention") <= 1
        received = [int(data.split(b"K", 1)[1][:3]) for data in fake.jobs]
        assert len(received) == len(set(received))  # nothing twice
        printed = {int(j.id) - jobs[0].id for j in jobs if j.status == "printed"}
        assert printed <= set(received)  # everything marked printed reached the printer
        assert set(range(JOBS)) - set(received) <= {int(j.id) - jobs[0].id for j in jobs
                                                    if j.status == "needs_attention"}
