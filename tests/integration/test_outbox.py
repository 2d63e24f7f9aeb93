"""The outbox shared by printing and e-mail: status changes only along the tables (the
bulk UPDATEs name their from-state), one policy object, failures classified the same way,
and error codes that the screens and the API translate rather than English sentences."""
from __future__ import annotations

import smtplib
from typing import Any

import pytest
from shipping_factories import packed_order

from showroom.errors import InvalidTransition
from showroom.extensions import db
from showroom.outbox import Backoff, Outcome, RetryPolicy, Verdict, policy
from showroom.printjobs.models import JOB_MOVES, JobStatus, PrintJob
from showroom.printjobs.services import queue_job
from showroom.printjobs.worker import LANE
from showroom.shipping import mail
from showroom.shipping.models import ShipmentNotice
from showroom.shipping.notices import record_notice
from showroom.shipping.services import ship_order


def _job() -> PrintJob:
    return queue_job("locker_ticket", {"visit_id": 1, "customer_name": "陈七", "locker_no": "7"})


def test_a_claim_moves_only_a_queued_job_and_a_finish_only_a_printing_one(app: Any, ctx: Any) -> None:
    job = _job()
    db.session.commit()
    assert LANE.claim(job.id, printer="p") is True
    assert LANE.claim(job.id, printer="p") is False  # already printing: the WHERE says queued
    db.session.commit()
    assert LANE.finish(job.id, Verdict.delivered(), attempts=1, retry=RetryPolicy()) == "printed"
    db.session.commit()
    # a late second finish (a confused worker) finds no printing job and changes nothing
    LANE.finish(job.id, Verdict(Outcome.RETRY, "printer_unreachable"), attempts=1,
                retry=RetryPolicy())
    db.session.commit()
    db.session.refresh(job)
    assert (job.status, job.error, job.attempts) == ("printed", "", 1)


def test_a_move_the_table_refuses_is_never_built(app: Any, ctx: Any) -> None:
    with pytest.raises(InvalidTransition):
        JOB_MOVES.update(PrintJob.status, JobStatus.PRINTED, from_=JobStatus.QUEUED)
    with pytest.raises(InvalidTransition):  # a flagged job is confirmed or reprinted, never failed
        JOB_MOVES.update(PrintJob.status, JobStatus.FAILED, from_=JobStatus.NEEDS_ATTENTION)
    job = _job()
    job.status = JobStatus.FAILED  # (a test writes its state directly)
    db.session.commit()
    # only a printing job may go back to the queue: the UPDATE's WHERE says so
    stmt = JOB_MOVES.update(PrintJob.status, JobStatus.QUEUED).where(PrintJob.id == job.id)
    assert db.session.execute(stmt).rowcount == 0
    db.session.commit()
    db.session.refresh(job)
    assert job.status == "failed"


def test_one_policy_object_for_both_with_their_settings(app: Any) -> None:
    printing = policy("print", app.config)
    assert printing.max_attempts is None  # a printer that is off keeps its jobs, in order
    assert printing.backoff == tuple(float(s) for s in app.config["SHOWROOM_PRINT_BACKOFF"])
    assert Backoff.of(printing).steps == printing.backoff
    e_mail = policy("mail", {})
    assert (e_mail.backoff, e_mail.max_attempts) == ((30.0, 120.0), 3)
    assert policy("mail", {"SHOWROOM_MAIL_BACKOFF": "1,2", "SHOWROOM_MAIL_MAX_ATTEMPTS": "5"}) \
        == RetryPolicy(backoff=(1.0, 2.0), max_attempts=5)
    assert e_mail.delay(1).total_seconds() == 30 and e_mail.delay(9).total_seconds() == 120
    retry = Verdict(Outcome.RETRY, "x")
    assert [e_mail.outcome(retry, n) for n in (1, 2, 3)] == ["retry", "retry", "failed"]
    assert printing.outcome(retry, 1000) == "retry"
    assert e_mail.outcome(Verdict(Outcome.UNSURE, "x"), 1) == "unsure"


@pytest.mark.parametrize(("exc", "outcome", "code", "hold"), [
    (ConnectionRefusedError(111, "Connection refused"), "retry", "server_unreachable", True),
    (smtplib.SMTPServerDisconnected("gone"), "retry", "server_unreachable", True),
    (smtplib.SMTPConnectError(421, b"busy"), "retry", "server_unreachable", True),
    (smtplib.SMTPAuthenticationError(535, b"no"), "retry", "login_refused", True),
    (smtplib.SMTPRecipientsRefused({"a@b.c": (550, b"no such user")}), "retry",
     "recipient_refused", False),
    (smtplib.SMTPSenderRefused(553, b"no", "shop@x"), "retry", "sender_refused", False),
    (smtplib.SMTPDataError(554, b"spam"), "retry", "message_refused", False),
    (smtplib.SMTPResponseException(451, b"later"), "retry", "server_error", True),
    (UnicodeEncodeError("ascii", "王", 0, 1, "no"), "failed", "cannot_encode", False),
])
def test_mail_failures_are_classified_by_the_shared_outcomes(exc, outcome, code, hold) -> None:
    verdict = mail.verdict_of(exc)
    assert (verdict.outcome, verdict.code, verdict.hold) == (outcome, code, hold)
    assert type(exc).__name__ in verdict.detail


def test_screens_translate_the_code_and_show_the_detail_to_the_manager(app, client, login_as):
    with app.app_context():
        job = _job()
        job.status, job.error, job.error_detail = "needs_attention", "paper_out", "paper out"
        db.session.commit()
        job_id = job.id
    login_as("clerk")
    page = client.get("/print-jobs/").get_data(as_text=True)
    assert "打印机报告缺纸" in page and "paper_out" not in page
    assert 'class="muted job-detail"' not in page  # the raw detail is for the manager
    preview = client.get(f"/print-jobs/{job_id}").get_data(as_text=True)
    assert "打印机报告缺纸" in preview
    login_as("manager")
    page = client.get("/print-jobs/").get_data(as_text=True)
    assert "打印机报告缺纸" in page and '<div class="muted job-detail">paper out</div>' in page
    english = client.get("/print-jobs/?lang=en").get_data(as_text=True)
    assert "The printer reports paper out" in english


def test_an_old_sentence_in_error_is_still_shown_as_it_is(app, client, login_as):
    with app.app_context():
        job = _job()
        job.status, job.error = "failed", "printer offline"  # written before error codes
        db.session.commit()
    login_as("clerk")
    assert "printer offline" in client.get("/print-jobs/").get_data(as_text=True)


def test_the_shipment_page_translates_a_notice_error(app, client, login_as):
    with app.app_context():
        order = packed_order(name="周老板")
        shipment = ship_order(order.id, carrier="sf_express", waybill="SF1234567890123",
                              fee="10", eta_days=2, staff_id=None)
        notice = ShipmentNotice(shipment_id=shipment.id, channel="emailed", status="failed",
                                to_address="z@example.com", attempts=3,
                                error="server_unreachable",
                                error_detail="ConnectionRefusedError: [Errno 111]")
        db.session.add(notice)
        record_notice(shipment.id, "phoned", None)
        db.session.commit()
        shipment_id = shipment.id
    login_as("shipper")
    page = client.get(f"/shipping/shipments/{shipment_id}").get_data(as_text=True)
    assert "连不上邮件服务器" in page and "server_unreachable" not in page
    assert "Errno 111" not in page
    login_as("manager")
    page = client.get(f"/shipping/shipments/{shipment_id}").get_data(as_text=True)
    assert "连不上邮件服务器" in page and "Errno 111" in page


def test_the_api_answers_the_code_and_the_detail(app, client, api_headers):
    with app.app_context():
        job = _job()
        job.error, job.error_detail = "printer_unreachable", "connection refused"
        db.session.commit()
    body = client.get("/api/v1/print-jobs", headers=api_headers("reception")).get_json()
    [item] = [j for j in body["items"] if j["document"] == "locker_ticket"]
    assert (item["error"], item["error_detail"]) == ("printer_unreachable", "connection refused")


def test_the_worker_records_codes_not_sentences(app, ctx) -> None:
    from showroom.printjobs.worker import run_worker

    job = _job()
    db.session.commit()
    run_worker(app, once=True)
    db.session.refresh(job)
    assert (job.status, job.error) == ("queued", "no_printer")
