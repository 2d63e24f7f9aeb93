"""The print worker against a fake 127.0.0.1 printer: delivery, routing, drawer, reprints,
recovery after a crash, and the one-worker lock."""
from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from fake_printer import FakePrinter
from sqlalchemy import select

from showroom.extensions import db
from showroom.printjobs.models import Printer, PrintJob
from showroom.printjobs.services import queue_job, reprint
from showroom.printjobs.worker import (
    Backoff,
    WorkerBusy,
    deliver_pass,
    recover_interrupted,
    run_worker,
    worker_lock,
)


@pytest.fixture
def app_config(tmp_path: Any) -> dict[str, Any]:
    # file:// printers write only into the spool folder: here the test's own folder
    return {"SHOWROOM_PRINT_TIMEOUT": 0.5, "SHOWROOM_PRINT_BACKOFF": (0.05, 0.1, 0.2),
            "SHOWROOM_PRINT_SPOOL": str(tmp_path)}


def add_printer(name: str, uri: str, station: str, **kw: Any) -> Printer:
    printer = Printer(name=name, connection=uri, station=station, paper_mm=kw.pop("paper_mm", 80),
                      chinese=kw.pop("chinese", "gb18030"), documents=kw.pop("documents", ""),
                      cutter=True, drawer=kw.pop("drawer", False), enabled=True, status_reply="")
    db.session.add(printer)
    db.session.commit()
    return printer


def locker(n: int) -> dict[str, Any]:
    return {"visit_id": n, "customer_name": "王丽华", "customer_code": "C1",
            "locker_no": f"L{n:03d}", "time": "2026-11-22 10:00"}


def cash_receipt() -> dict[str, Any]:
    return {"number": "XS-20261122-0001", "printed_at": "2026-11-22 10:00",
            "customer": {"name": "王丽华", "phone_masked": "138****0000"},
            "cash": "587.50", "tendered": "600.00", "change": "12.50"}


def job_states() -> list[tuple[str, int]]:
    db.session.expire_all()
    return [(j.status, j.attempts) for j in db.session.scalars(select(PrintJob).order_by(PrintJob.id))]


def test_delivers_a_job_and_records_the_printers_answer(app: Any, ctx: Any) -> None:
    with FakePrinter() as fake:
        add_printer("rcp", fake.uri, "reception")
        queue_job("locker_ticket", locker(7))
        db.session.commit()
        assert run_worker(app, once=True) == 1
        assert fake.wait_for(1)
        assert b"L007" in fake.jobs[0]
        assert "王丽华".encode("gb18030") in fake.jobs[0]
    job = db.session.scalars(select(PrintJob)).one()
    assert (job.status, job.attempts, job.printer, job.status_reply) == ("printed", 1, "rcp", "paper ok")
    assert job.printed_at is not None and job.sending_at is not None and job.error == ""
    printer = db.session.scalars(select(Printer)).one()
    assert printer.status_reply == "paper ok" and printer.status_at is not None


def test_paper_out_after_a_job_flags_it_for_staff_and_is_not_resent(app: Any, ctx: Any) -> None:
    with FakePrinter("paper_out") as fake:
        add_printer("rcp", fake.uri, "reception")
        queue_job("locker_ticket", locker(1))
        db.session.commit()
        run_worker(app, once=True)
        run_worker(app, once=True)
        assert fake.connections == 1
    job = db.session.scalars(select(PrintJob)).one()
    assert (job.status, job.status_reply, job.printed_at) == ("needs_attention", "paper out", None)
    assert (job.error, job.error_detail) == ("paper_out", "paper out")  # a code the screens translate


def test_no_printer_for_the_station_keeps_the_job_queued_with_a_reason(app: Any, ctx: Any) -> None:
    queue_job("locker_ticket", locker(1))
    db.session.commit()
    assert run_worker(app, once=True) == 0
    job = db.session.scalars(select(PrintJob)).one()
    assert (job.status, job.error, job.error_detail) == (
        "queued", "no_printer", "locker_ticket @ reception")


def test_a_desk_without_its_own_printer_prints_at_the_kinds_station(app: Any, ctx: Any) -> None:
    with FakePrinter() as fake:
        add_printer("cash", fake.uri, "cashier-1", documents="sales_slip,cash_receipt")
        queue_job("cash_receipt", cash_receipt(), station="cashier-2")
        db.session.commit()
        assert run_worker(app, once=True) == 1
        assert fake.wait_for(1)


def test_printer_down_then_back_delivers_100_jobs_exactly_once_in_order(app: Any, ctx: Any) -> None:
    fake = FakePrinter("down")
    try:
        add_printer("rcp", fake.uri, "reception")
        for n in range(100):
            queue_job("locker_ticket", locker(n))
        db.session.commit()
        stop = threading.Event()
        worker = threading.Thread(target=run_worker, args=(app,), kwargs={"stop": stop, "poll": 0.02})
        worker.start()
        try:
            with app.app_context():
                deadline = time.monotonic() + 30
                while job_states()[0][1] < 2 and time.monotonic() < deadline:
                    db.session.rollback()
                    time.sleep(0.02)
                states = job_states()
                db.session.rollback()
            assert states[0][0] in ("queued", "printing") and states[0][1] >= 2  # tried, refused, retried
            assert all(s == "queued" and a == 0 for s, a in states[1:])  # later jobs wait their turn
            fake.up("ok")
            assert fake.wait_for(100, timeout=30)
            threading.Event().wait(0.3)
        finally:
            stop.set()
            worker.join(10)
        numbers = [int(job.split(b"L", 1)[1][:3]) for job in fake.jobs if b"L0" in job]
        assert numbers == list(range(100))  # each exactly once, in queue order
        assert fake.connections == 100
        assert {s for s, _ in job_states()} == {"printed"}
    finally:
        fake.close()


@pytest.mark.parametrize("mode", ["hang", "reset"])
def test_ambiguous_failures_are_flagged_never_resent(app: Any, ctx: Any, mode: str) -> None:
    """The job in flight is flagged; the printer turns suspect, so the next job waits
    (queued, not sent) until the printer answers a status query again, then prints."""
    with FakePrinter(mode) as fake:
        add_printer("cash", fake.uri, "cashier-1")
        queue_job("cash_receipt", cash_receipt())
        queue_job("locker_ticket", locker(2), station="cashier-1")
        db.session.commit()
        backoff = Backoff(steps=(0,))
        deliver_pass(backoff, timeout=0.5)
        deliver_pass(backoff, timeout=0.5)
        first, second = db.session.scalars(select(PrintJob).order_by(PrintJob.id))
        db.session.refresh(first)
        db.session.refresh(second)
        assert (first.status, first.attempts) == ("needs_attention", 1)
        assert first.error == "may_have_printed" and first.error_detail
        assert (second.status, second.attempts) == ("queued", 0)
        assert (second.error, second.error_detail) == ("printer_silent", "cash")
        db.session.commit()
        fake.close()
        fake.up("ok")
        assert deliver_pass(backoff, timeout=0.5) == 1
        assert fake.wait_for(1) and b"L002" in fake.jobs[-1]
    db.session.expire_all()
    assert [j.status for j in db.session.scalars(select(PrintJob).order_by(PrintJob.id))] == [
        "needs_attention", "printed"]


def test_reprint_of_a_flagged_job_prints_marked_reprint(app: Any, ctx: Any) -> None:
    with FakePrinter() as fake:
        add_printer("cash", fake.uri, "cashier-1", drawer=True)
        original = queue_job("cash_receipt", cash_receipt())
        original.status = "needs_attention"
        db.session.commit()
        reprint(original.id, staff_id=None)
        db.session.commit()
        assert run_worker(app, once=True) == 1
        assert fake.wait_for(1)
        data = fake.jobs[0]
    assert "重印".encode("gb18030") in data
    assert b"\x1bp" not in data  # a reprint never opens the cash drawer


def test_cash_receipt_opens_the_drawer_only_where_there_is_one(app: Any, ctx: Any) -> None:
    with FakePrinter() as with_drawer, FakePrinter() as without:
        add_printer("a", with_drawer.uri, "cashier-1", drawer=True)
        add_printer("b", without.uri, "cashier-2", drawer=False)
        queue_job("cash_receipt", cash_receipt(), station="cashier-1")
        queue_job("cash_receipt", cash_receipt(), station="cashier-2")
        db.session.commit()
        assert run_worker(app, once=True) == 2
        assert with_drawer.wait_for(1) and without.wait_for(1)
        assert b"\x1bp" in with_drawer.jobs[0] and b"\x1bp" not in without.jobs[0]


def test_recovery_requeues_unsent_jobs_and_flags_sending_ones(app: Any, ctx: Any) -> None:
    from showroom.clock import now_utc

    unsent = queue_job("locker_ticket", locker(1))
    sending = queue_job("locker_ticket", locker(2))
    unsent.status, sending.status, sending.sending_at = "printing", "printing", now_utc()
    db.session.commit()
    assert recover_interrupted() == 2
    db.session.expire_all()
    assert (unsent.status, sending.status) == ("queued", "needs_attention")
    assert (sending.error, unsent.error) == ("worker_stopped", "")


def test_only_one_worker_per_database(app: Any, ctx: Any) -> None:
    with worker_lock(app), pytest.raises(WorkerBusy):
        run_worker(app, once=True)
    assert run_worker(app, once=True) == 0  # free again once the first let go


def test_a_snapshot_that_cannot_print_fails_alone(app: Any, ctx: Any) -> None:
    with FakePrinter() as fake:
        add_printer("rcp", fake.uri, "reception")
        bad = queue_job("locker_ticket", {"visit_id": "not a number"})
        queue_job("locker_ticket", locker(3))
        db.session.commit()
        assert run_worker(app, once=True) == 1
        db.session.expire_all()
        assert bad.status == "failed" and bad.error == "cannot_render" and bad.error_detail
        assert fake.wait_for(1)


def test_statement_prints_as_pdf_to_a_file_printer_only(app: Any, ctx: Any, tmp_path: Any) -> None:
    from printing.documents import to_payload
    from printing.samples import sample

    out = tmp_path / "statements.pdf"
    add_printer("office", f"file://{out}", "manager")
    job = queue_job("customer_statement", to_payload(sample("customer_statement")))
    db.session.commit()
    assert run_worker(app, once=True) == 1
    assert out.read_bytes().startswith(b"%PDF")
    db.session.expire_all()
    assert job.status == "printed"


def test_settling_never_touches_a_printer(app: Any, ctx: Any) -> None:
    """Settlement only writes job rows; a hanging printer cannot hold up the till."""
    import factories as f

    from showroom.settlement.services import PaymentIn, settle

    with FakePrinter("hang") as fake:
        add_printer("cash", fake.uri, "cashier-1")
        cashier = f.staff("cashier")
        cust = f.customer()
        prod = f.product()
        order = f.order_with_lines(cust.id, [(prod, 2)])
        db.session.commit()
        settle(order.id, [PaymentIn("cash", order.total)], cashier_id=cashier.id, station="cashier-1")
        db.session.commit()
        assert fake.connections == 0
    assert {j.status for j in db.session.scalars(select(PrintJob))} == {"queued"}


def test_a_job_pinned_to_a_printer_goes_there_not_to_the_first_one(app: Any, ctx: Any) -> None:
    with FakePrinter() as first, FakePrinter() as second:
        add_printer("first", first.uri, "reception")
        add_printer("second", second.uri, "reception")
        job = queue_job("locker_ticket", locker(5))
        job.pinned_printer = "second"
        db.session.commit()
        assert run_worker(app, once=True) == 1
        assert second.wait_for(1) and first.connections == 0
        db.session.get(Printer, 2).enabled = False  # type: ignore[union-attr]
        again = queue_job("locker_ticket", locker(6))
        again.pinned_printer = "second"
        db.session.commit()
        assert run_worker(app, once=True) == 0
        db.session.expire_all()
        assert (again.status, again.error, again.error_detail) == (
            "queued", "printer_unavailable", "second")


def test_the_drawer_stays_shut_for_a_receipt_printed_long_after_the_sale(app: Any, ctx: Any) -> None:
    from datetime import timedelta

    from showroom.clock import now_utc

    with FakePrinter() as fake:
        add_printer("a", fake.uri, "cashier-1", drawer=True)
        late = queue_job("cash_receipt", cash_receipt())
        late.created_at = now_utc() - timedelta(minutes=5)  # the printer was down at the sale
        db.session.commit()
        assert run_worker(app, once=True) == 1
        assert fake.wait_for(1) and b"\x1bp" not in fake.jobs[0]


def test_statements_skip_receipt_printers_and_go_to_a_pdf_printer(app: Any, ctx: Any,
                                                                   tmp_path: Any) -> None:
    from printing.documents import to_payload
    from printing.samples import sample

    with FakePrinter() as receipt:
        add_printer("labels", receipt.uri, "manager")  # registered first, prints all kinds
        add_printer("office", f"file://{tmp_path}", "manager")
        job = queue_job("customer_statement", to_payload(sample("customer_statement")))
        db.session.commit()
        assert run_worker(app, once=True) == 1
        assert receipt.connections == 0
    assert [p.suffix for p in tmp_path.glob("job-*")] == [".pdf"]
    db.session.expire_all()
    assert (job.status, job.printer) == ("printed", "office")


def test_a_slow_printer_that_keeps_reading_is_not_mistaken_for_a_hung_one(app: Any, ctx: Any) -> None:
    """A big image-mode slip trickles in well past the timeout; progress keeps it alive."""
    from printing.documents import to_payload
    from printing.samples import sample_sales_slip

    with FakePrinter(read_rate=400_000) as fake:
        add_printer("img", fake.uri, "cashier-1", chinese="image")
        queue_job("sales_slip", to_payload(sample_sales_slip(40)), copies=3)
        db.session.commit()
        backoff = Backoff(steps=(30,))
        assert deliver_pass(backoff, timeout=0.5) == 1
        assert fake.wait_for(1) and len(fake.jobs[0]) > 400_000  # > 1 s of reading at this rate


def test_one_bad_pass_does_not_stop_the_worker(app: Any, ctx: Any, monkeypatch: Any) -> None:
    import showroom.printjobs.worker as worker

    calls: list[int] = []
    real = worker.deliver_pass

    def flaky(backoff: Backoff, *, timeout: float) -> int:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("boom")
        stop.set()
        return real(backoff, timeout=timeout)

    stop = threading.Event()
    monkeypatch.setattr(worker, "deliver_pass", flaky)
    run_worker(app, stop=stop, poll=0.01)
    assert len(calls) == 2


def test_a_job_left_printing_by_a_failed_pass_is_settled_by_the_next(app: Any, ctx: Any) -> None:
    with FakePrinter() as fake:
        add_printer("rcp", fake.uri, "reception")
        stuck = queue_job("locker_ticket", locker(9))
        stuck.status = "printing"  # a pass died between claim and sending
        db.session.commit()
        assert deliver_pass(Backoff(), timeout=0.5) == 1
        assert fake.wait_for(1) and b"L009" in fake.jobs[0]
