"""The print worker: delivers queued jobs to printers, exactly once or flagged for staff.

Jobs are claimed one at a time (queued → printing, committed) and sent with no database
transaction open, so the floor never waits on a printer. Just before bytes flow the job
is stamped `sending_at`; a worker that dies before that point leaves a job that is safe to
queue again, one that dies after it leaves a job that may have printed, which is flagged
`needs_attention` rather than resent. "Connection refused" keeps the job queued and backs
off per printer (later jobs for that printer wait behind it, so order holds); an ambiguous
failure flags the job and marks the printer suspect: its later jobs stay queued until it
answers a status query again, so one jam does not turn a queue into reprints. "Paper out"
after a job flags it too. The cash drawer opens only for a receipt delivered within a
minute of the sale. One worker per database, held by a lock; each pass first settles any
job a failed pass left in `printing`. What is retried, how long it waits and what a stop
mid-send means is the outbox's one policy (showroom.outbox); a job stores an error code
(JobError) and what the printer or renderer said, never a sentence.
"""
from __future__ import annotations

import fcntl
import json
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select, text, update
from sqlalchemy.exc import OperationalError

from printing.connectors import Ambiguous, NotDelivered, connector_for
from printing.documents import PDF_ONLY, document_from_payload
from showroom.clock import now_utc
from showroom.db import deferred_reads
from showroom.extensions import db
from showroom.outbox import Backoff, Lane, Outcome, Verdict, policy
from showroom.printjobs.models import JOB_MOVES, JobError, JobStatus, Printer, PrintJob
from showroom.printjobs.printers import allow_list
from showroom.printjobs.routing import printer_for, profile_of

log = logging.getLogger("showroom.print_worker")
ADVISORY_LOCK_KEY = 0x5052494E54  # "PRINT"
PDF_SCHEMES = ("cups://", "file://")
DRAWER_WINDOW = timedelta(seconds=60)  # a drawer kick later than this would open an unattended till
LANE = Lane(model=PrintJob, moves=JOB_MOVES, queued=JobStatus.QUEUED, sending=JobStatus.PRINTING,
            delivered=JobStatus.PRINTED, unsure=JobStatus.NEEDS_ATTENTION, failed=JobStatus.FAILED,
            stopped=JobError.WORKER_STOPPED, stamps_sending=True, touches="updated_at")


class WorkerBusy(RuntimeError):
    """Another print worker already serves this database."""


@dataclass
class _Claimed:
    """What a delivery needs, copied out of the session so no transaction stays open."""
    id: int
    document: str
    payload: dict[str, Any]
    copies: int
    reprint: bool
    printer: str
    connection: str
    profile: Any
    drawer: bool
    attempts: int = 1


__all__ = ["Backoff", "WorkerBusy", "deliver_pass", "recover_interrupted", "render_job",
           "run_worker", "worker_lock"]


def recover_interrupted() -> int:
    """Settle jobs a dead worker left in `printing` (call while holding the worker lock):
    back to the queue if no byte went out, else flagged (`worker_stopped`), never resent."""
    return LANE.recover()


def deliver_pass(backoff: Backoff, *, timeout: float = 5.0) -> int:
    """One pass over the whole queue in job order; returns how many jobs were delivered.
    Jobs with no printer, or behind a printer that is waiting, are skipped without writes."""
    recover_interrupted()  # we hold the worker lock: nothing of ours is in flight now
    with deferred_reads():
        queued = list(db.session.execute(
            select(PrintJob.id, PrintJob.document, PrintJob.station, PrintJob.pinned_printer,
                   PrintJob.error)
            .where(PrintJob.status == JobStatus.QUEUED).order_by(PrintJob.id)))
        db.session.commit()
    delivered = 0
    waiting: set[str] = set()
    resolved: dict[tuple[str, str, str | None], str | None] = {}
    for job_id, document, station, pinned, error in queued:
        key = (document, station, pinned)
        if key not in resolved:
            with deferred_reads():
                printer = _pinned(pinned, document) if pinned else printer_for(document, station)
                resolved[key] = printer.name if printer else None
                db.session.commit()
        name = resolved[key]
        if name is None:
            _no_printer(job_id, document, station, pinned, error)
            continue
        if name in waiting or backoff.blocked(name, now_utc()):
            waiting.add(name)  # keep this printer's jobs in order behind the one waiting
            continue
        if name in backoff.suspect and not _answers_again(name, job_id, backoff, timeout):
            waiting.add(name)
            continue
        claimed = _claim(job_id, name)
        if claimed is None:
            continue
        outcome = _deliver(claimed, backoff, timeout)
        if outcome == "printed":
            delivered += 1
        elif outcome == "wait":
            waiting.add(name)
    return delivered


def _answers_again(name: str, job_id: int, backoff: Backoff, timeout: float) -> bool:
    """After an ambiguous failure, send nothing more until the printer answers a status query."""
    connection = db.session.scalar(select(Printer.connection).where(Printer.name == name))
    db.session.commit()
    try:
        answered = connection is not None and connector_for(
            connection, timeout=timeout, allow=allow_list()).probe()
    except (NotDelivered, ValueError):
        answered = False
    if answered:
        backoff.suspect.discard(name)
        return True
    backoff.fail(name, now_utc())
    LANE.note(job_id, JobError.PRINTER_SILENT, name)
    db.session.commit()
    return False


def _pinned(name: str, document: str) -> Printer | None:
    printer = db.session.scalar(select(Printer).where(Printer.name == name))
    return printer if printer is not None and printer.prints(document) else None


def _no_printer(job_id: int, document: str, station: str, pinned: str | None, error: str) -> None:
    code = JobError.PRINTER_UNAVAILABLE if pinned else JobError.NO_PRINTER
    if error == code:
        return  # already said: a waiting queue costs no writes
    LANE.note(job_id, code, pinned or f"{document} @ {station}")
    db.session.commit()


def _claim(job_id: int, printer_name: str) -> _Claimed | None:
    now = now_utc()
    if not LANE.claim(job_id, printer=printer_name, sending_at=None, updated_at=now):
        db.session.rollback()
        return None
    job = db.session.get(PrintJob, job_id)
    printer = db.session.scalar(select(Printer).where(Printer.name == printer_name))
    if job is None or printer is None:  # renamed or removed since the pass began
        db.session.rollback()
        return None
    try:
        payload = json.loads(job.payload)
    except ValueError:
        payload = None
    fresh = now - job.created_at <= DRAWER_WINDOW
    claimed = _Claimed(id=job.id, document=job.document, payload=payload, copies=job.copies,
                       reprint=job.reprint, printer=printer.name, connection=printer.connection,
                       profile=profile_of(printer), drawer=printer.drawer and fresh,
                       attempts=job.attempts)
    db.session.commit()
    return claimed


def render_job(claimed: _Claimed) -> bytes:
    """The bytes a job sends: ESC/POS for the printer's profile, or a PDF for PDF-only kinds."""
    doc = document_from_payload(claimed.document, claimed.payload)
    if claimed.document in PDF_ONLY:
        from printing.pdf import render_pdf

        if not claimed.connection.startswith(PDF_SCHEMES):
            raise ValueError(f"{claimed.document} prints as PDF only: route it to a cups:// or "
                             f"file:// printer")
        return render_pdf(doc, page="A4", reprint=claimed.reprint)
    from printing.escpos_render import render_escpos

    cash_in_or_out = claimed.document == "cash_receipt" or (  # desk documents paid in cash
        claimed.document in ("desk_receipt", "refund_slip") and getattr(doc, "method", "") == "cash")
    drawer = cash_in_or_out and claimed.drawer and not claimed.reprint
    data = render_escpos(doc, claimed.profile, reprint=claimed.reprint, open_drawer=drawer)
    if claimed.document != "sales_slip" and claimed.copies > 1:
        data *= claimed.copies  # a sales slip already carries its named copies
    return data


def _deliver(claimed: _Claimed, backoff: Backoff, timeout: float) -> str:
    """"printed", "wait" (the printer failed: its later jobs wait) or "failed" (this job only)."""
    try:
        data = render_job(claimed)
    except Exception as exc:  # a snapshot that cannot print must not stop the queue
        log.warning("job %s cannot be rendered: %s", claimed.id, exc)
        _finish(claimed, Verdict(Outcome.FAILED, JobError.CANNOT_RENDER, str(exc)))
        return "failed"
    try:
        connector = connector_for(claimed.connection, timeout=timeout,
                                  raw=claimed.document not in PDF_ONLY, allow=allow_list())
    except ValueError as exc:  # nonsense or not allowed, edited behind the service's back
        until = backoff.fail(claimed.printer, now_utc())
        _finish(claimed, Verdict(Outcome.RETRY, JobError.BAD_CONNECTION, str(exc), hold=True),
                next_attempt_at=until, sending_at=None)
        return "wait"

    def stamp_sending() -> None:
        db.session.execute(update(PrintJob).where(PrintJob.id == claimed.id)
                           .values(sending_at=now_utc()))
        db.session.commit()

    try:
        delivery = connector.send(data, on_connected=stamp_sending)
    except NotDelivered as exc:  # nothing reached the printer: safe to send again
        until = backoff.fail(claimed.printer, now_utc())
        _finish(claimed, Verdict(Outcome.RETRY, JobError.UNREACHABLE, str(exc), hold=True),
                next_attempt_at=until, sending_at=None)
        return "wait"
    except Ambiguous as exc:  # it may have printed: never resent, the printer is probed first
        backoff.fail(claimed.printer, now_utc())
        backoff.suspect.add(claimed.printer)
        _finish(claimed, Verdict(Outcome.UNSURE, JobError.MAY_HAVE_PRINTED, str(exc), hold=True))
        return "wait"
    backoff.ok(claimed.printer)
    now = now_utc()
    if delivery.status_reply == "paper out":  # in the printer's buffer, maybe never on paper
        _finish(claimed, Verdict(Outcome.UNSURE, JobError.PAPER_OUT, delivery.status_reply),
                printed_at=None, next_attempt_at=None, status_reply=delivery.status_reply)
    else:
        _finish(claimed, Verdict.delivered(), printed_at=now, next_attempt_at=None,
                status_reply=delivery.status_reply)
    if delivery.status_reply:
        db.session.execute(update(Printer).where(Printer.name == claimed.printer)
                           .values(status_reply=delivery.status_reply, status_at=now))
        db.session.commit()
    return "printed"


def _finish(claimed: _Claimed, verdict: Verdict, **values: Any) -> None:
    """printing → printed, queued, needs attention or failed, as the outbox policy says."""
    LANE.finish(claimed.id, verdict, attempts=claimed.attempts,
                retry=policy("print", current_app.config), **values)
    db.session.commit()


@contextmanager
def worker_lock(app: Flask) -> Iterator[None]:
    """Hold the one-worker-per-database lock: a PostgreSQL advisory lock on its own
    connection, or an exclusive flock beside the SQLite file."""
    url = db.engine.url
    if url.get_backend_name() == "postgresql":
        conn = db.engine.connect()
        got = False
        try:
            got = bool(conn.execute(text("SELECT pg_try_advisory_lock(:k)"),
                                    {"k": ADVISORY_LOCK_KEY}).scalar())
            conn.commit()
            if not got:
                raise WorkerBusy("another print worker is already running for this database")
            yield
        finally:
            if got:  # a pooled connection outlives us; a dead process's session frees it anyway
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_LOCK_KEY})
                conn.commit()
            conn.close()
        return
    path = (url.database or "memory") + ".print-worker.lock"
    with open(path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise WorkerBusy("another print worker is already running for this database") from None
        yield


def _mail_pass() -> None:
    """Shipping notices by e-mail ride along with each pass; a failure never stops printing."""
    try:
        from showroom.shipping.mail import deliver_mail_pass

        deliver_mail_pass()
    except Exception:
        log.exception("print worker: e-mail pass failed; retrying")
    finally:
        db.session.remove()


def run_worker(app: Flask, *, once: bool = False, poll: float = 1.0,
               stop: threading.Event | None = None, backoff: Backoff | None = None) -> int:
    """Deliver until stopped (or, with once=True, one pass over what is due). Returns the
    number of jobs delivered."""
    stop = stop or threading.Event()
    backoff = backoff or Backoff.of(policy("print", app.config))
    timeout = float(app.config["SHOWROOM_PRINT_TIMEOUT"])
    total = 0
    import printing.escpos_render  # noqa: F401 - ~0.5 s of imports paid at start, not on the first job

    with app.app_context(), worker_lock(app):
        recovered = recover_interrupted()
        if recovered:
            log.warning("recovered %s job(s) left by a stopped worker", recovered)
        while not stop.is_set():
            try:
                done = deliver_pass(backoff, timeout=timeout)
            except OperationalError as exc:  # database busy or restarting: try again shortly
                log.warning("print worker: database unavailable (%s); retrying", exc.orig)
                done = 0
            except Exception:  # never let one bad pass stop the printing; the next pass recovers
                log.exception("print worker: pass failed; retrying")
                done = 0
            finally:
                db.session.remove()
            _mail_pass()
            total += done
            if once:
                break
            if not done:
                stop.wait(poll)
    return total
