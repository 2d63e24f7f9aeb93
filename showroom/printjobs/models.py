"""Print jobs: rows written in the same transaction as the business event.

Delivering them to printers is the print worker's job (printing issue); here a job
carries its document kind, the station it prints at, and a JSON snapshot of the
document so a reprint shows the same figures.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from showroom.clock import now_utc
from showroom.db import UTCDateTime
from showroom.extensions import Model

DOCUMENT_KINDS = (
    "sales_slip", "cash_receipt", "return_slip", "locker_ticket", "packing_list",
    "box_label", "shipping_notice", "product_label", "customer_statement",
)
JOB_STATUSES = ("queued", "printing", "printed", "failed", "needs_attention")


class PrintJob(Model):
    __tablename__ = "print_jobs"
    __table_args__ = (Index("ix_print_jobs_station_status", "station", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document: Mapped[str] = mapped_column(String(24))
    station: Mapped[str] = mapped_column(String(40))
    printer: Mapped[str | None] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(20), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    copies: Mapped[int] = mapped_column(Integer, default=1)
    reprint: Mapped[bool] = mapped_column(Boolean, default=False)
    reprint_of_id: Mapped[int | None] = mapped_column(ForeignKey("print_jobs.id"))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    ref: Mapped[str] = mapped_column(String(40), default="")
    payload: Mapped[str] = mapped_column(Text)  # JSON snapshot of the document
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
