"""Print jobs, printers and document routes.

A job is a row written in the same transaction as the business event: its document
kind, the station it prints at and a JSON snapshot of the document, so a reprint shows
the same figures. The print worker (`flask print-worker`) delivers queued jobs to the
printer the station has for that kind. A printer belongs to one station and prints the
kinds listed (all kinds when the list is empty); a document route names the station a
kind goes to when the desk that caused it has no printer for it.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from printing.documents import PDF_ONLY
from showroom.clock import now_utc
from showroom.codes import Code, StatusTable
from showroom.db import UTCDateTime
from showroom.extensions import Model


class DocumentKind(Code):
    SALES_SLIP = "sales_slip", _l("Sales slip")
    CASH_RECEIPT = "cash_receipt", _l("Cash receipt")
    RETURN_SLIP = "return_slip", _l("Return slip")
    LOCKER_TICKET = "locker_ticket", _l("Locker ticket")
    PACKING_LIST = "packing_list", _l("Packing list")
    BOX_LABEL = "box_label", _l("Box label")
    SHIPPING_NOTICE = "shipping_notice", _l("Shipping notice")
    PRODUCT_LABEL = "product_label", _l("Product label")
    CUSTOMER_STATEMENT = "customer_statement", _l("Customer statement")
    SHIFT_REPORT = "shift_report", _l("Shift report")
    DAILY_REPORT = "daily_report", _l("Daily report")
    DESK_RECEIPT = "desk_receipt", _l("Payment receipt")
    REFUND_SLIP = "refund_slip", _l("Refund slip")
    AFTERSALES_RETURN = "aftersales_return", _l("After-sales return slip")
    AFTERSALES_EXCHANGE = "aftersales_exchange", _l("Exchange slip")
    REPAIR_RECEIPT = "repair_receipt", _l("Repair receipt")
    REPAIR_BAG_LABEL = "repair_bag_label", _l("Repair bag label")
    REPAIR_HANDOVER = "repair_handover", _l("Repair hand-over list")
    CONSIGNOR_PAYOUT = "consignor_payout", _l("Consignor payout slip")
    CONSIGNOR_STATEMENT = "consignor_statement", _l("Consignor statement")
    CONSIGNMENT_LIST = "consignment_list", _l("Consignment list")
    CONSIGNMENT_LABEL = "consignment_label", _l("Consignment label")
    COMPLAINT_REPORT = "complaint_report", _l("Complaint report")
    REMIT_NOTICE = "remit_notice", _l("Remit notice")


class JobStatus(Code):
    QUEUED = "queued", _l("Queued")
    PRINTING = "printing", _l("Printing")  # claimed by the worker
    PRINTED = "printed", _l("Printed")
    FAILED = "failed", _l("Failed")  # can never print as stored: reprint makes a new job
    NEEDS_ATTENTION = "needs_attention", _l("Needs attention")  # may have printed: staff look


class JobError(Code):
    """Why a job is not printed yet (`PrintJob.error`); the screens show the label, the
    manager also `error_detail` (what the connector or renderer said)."""
    NO_PRINTER = "no_printer", _l("No printer prints this document at its station: add one on "
                                  "the printers screen")
    PRINTER_UNAVAILABLE = "printer_unavailable", _l(
        "The chosen printer is missing, disabled or cannot print this document")
    UNREACHABLE = "printer_unreachable", _l("The printer cannot be reached (off, unplugged or "
                                            "busy): trying again")
    BAD_CONNECTION = "bad_connection", _l("The printer's connection is not valid or not allowed: "
                                          "correct it on the printers screen")
    PRINTER_SILENT = "printer_silent", _l("The printer has not answered since its last failure: "
                                          "waiting for it")
    MAY_HAVE_PRINTED = "may_have_printed", _l("The connection broke during the job: check the "
                                              "paper and reprint if it is missing")
    PAPER_OUT = "paper_out", _l("The printer reports paper out: load paper, then reprint if the "
                                "document did not come out")
    CANNOT_RENDER = "cannot_render", _l("This document cannot be printed from its stored copy")
    WORKER_STOPPED = "worker_stopped", _l("The print worker stopped while sending this job: check "
                                          "the paper and reprint if it is missing")


DOCUMENT_KINDS = DocumentKind.codes()
JOB_STATUSES = JobStatus.codes()
# Queued jobs are claimed one at a time; a claimed job prints, goes back to the queue
# (nothing reached the printer), fails for good, or waits for staff, who confirm it printed
# (or reprint it: a new job). Printed and failed jobs never change again.
JOB_MOVES = StatusTable(_l("Print job"), {
    JobStatus.QUEUED: {JobStatus.PRINTING},
    JobStatus.PRINTING: {JobStatus.QUEUED, JobStatus.PRINTED, JobStatus.FAILED,
                         JobStatus.NEEDS_ATTENTION},
    JobStatus.NEEDS_ATTENTION: {JobStatus.PRINTED},
    JobStatus.PRINTED: set(),
    JobStatus.FAILED: set(),
})
CONNECTION_SCHEMES = ("tcp", "usb", "serial", "cups", "file")
PDF_SCHEMES = ("cups://", "file://")  # printers that can take a PDF


class PrintJob(Model):
    __tablename__ = "print_jobs"
    __table_args__ = (Index("ix_print_jobs_station_status", "station", "status"),
                      Index("ix_print_jobs_status_id", "status", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    document: Mapped[str] = mapped_column(String(24))
    station: Mapped[str] = mapped_column(String(40))
    printer: Mapped[str | None] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(20), default=JobStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")  # a JobError code, "" when fine
    error_detail: Mapped[str] = mapped_column(Text, default="", server_default="")
    copies: Mapped[int] = mapped_column(Integer, default=1)
    reprint: Mapped[bool] = mapped_column(Boolean, default=False)
    reprint_of_id: Mapped[int | None] = mapped_column(ForeignKey("print_jobs.id"))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    ref: Mapped[str] = mapped_column(String(40), default="")
    payload: Mapped[str] = mapped_column(Text)  # JSON snapshot of the document
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    # Delivery: when the next attempt is due (backoff after "connection refused"), when
    # bytes started to go out (a worker that dies after this point leaves the job
    # ambiguous, so it is flagged, never resent), when it was delivered, and what the
    # printer last said about itself (shown, never taken as proof of printing).
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sending_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status_reply: Mapped[str] = mapped_column(String(200), default="")
    # A job for one particular printer (a test page) rather than whatever prints its kind.
    pinned_printer: Mapped[str | None] = mapped_column(String(60))
    # Staff who looked at the printer and confirmed a flagged job did print, and when.
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Printer(Model):
    """A thermal printer at a station, with the profile its ESC/POS is rendered for."""
    __tablename__ = "printers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    connection: Mapped[str] = mapped_column(String(300))  # tcp://host:9100, usb://04b8:0202 …
    paper_mm: Mapped[int] = mapped_column(Integer, default=80)
    chinese: Mapped[str] = mapped_column(String(10), default="gb18030")
    station: Mapped[str] = mapped_column(String(40), index=True)
    documents: Mapped[str] = mapped_column(String(300), default="")  # comma-separated kinds; "" = all
    cutter: Mapped[bool] = mapped_column(Boolean, default=True)
    drawer: Mapped[bool] = mapped_column(Boolean, default=False)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    status_reply: Mapped[str] = mapped_column(String(200), default="")
    status_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    @property
    def document_kinds(self) -> list[str]:
        return [k for k in self.documents.split(",") if k]

    def prints(self, document: str) -> bool:
        """Enabled, listed for this kind (or for all), and able to take its format: PDF-only
        kinds (the customer statement) need a cups:// or file:// printer."""
        if document in PDF_ONLY and not self.connection.startswith(PDF_SCHEMES):
            return False
        return self.enabled and (not self.documents or document in self.document_kinds)


class DocumentRoute(Model):
    """The station a document kind prints at when the causing desk has no printer for it."""
    __tablename__ = "document_routes"

    document: Mapped[str] = mapped_column(String(24), primary_key=True)
    station: Mapped[str] = mapped_column(String(40))
