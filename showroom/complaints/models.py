"""Complaints (投诉) and the log of their steps (SPEC §6, Std ch.14, seed 003).

A complaint moves through gates in order: recorded → judged (stands or not, with the
explanation for the customer) → investigated → proposed → approved (by a manager who is
not the proposer) → implemented (linked to a return/exchange, a repair, or a note) →
accepted (the customer signs on the tablet, or confirms by phone) → feedback (rating 1–5
from the next-day callback) → closed. A complaint judged as not standing closes after the
explanation is accepted. Reopening sends it back and is counted (`reopen_count`).

The complaint row keeps the current figures of each gate (who, when, what); every step is
also appended to `complaint_steps` (never updated or deleted) with its data as JSON, so
the history and the statistics read from what was recorded.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from showroom.clock import now_utc
from showroom.codes import Code
from showroom.customers.models import Customer
from showroom.db import UTCDateTime
from showroom.extensions import Model


class ComplaintStatus(Code):
    RECORDED = "recorded", _l("Recorded")
    JUDGED = "judged", _l("Judged")
    INVESTIGATED = "investigated", _l("Investigated")
    PROPOSED = "proposed", _l("Solution proposed")
    APPROVED = "approved", _l("Approved")
    IMPLEMENTED = "implemented", _l("Implemented")
    ACCEPTED = "accepted", _l("Accepted by the customer")
    CLOSED = "closed", _l("Closed")


class ComplaintStep(Code):
    JUDGE = "judge", _l("Judge")
    INVESTIGATE = "investigate", _l("Investigate")
    PROPOSE = "propose", _l("Propose a solution")
    APPROVE = "approve", _l("Approve")
    IMPLEMENT = "implement", _l("Implement")
    ACCEPT = "accept", _l("Customer accepts")
    FEEDBACK = "feedback", _l("Feedback")
    REOPEN = "reopen", _l("Reopen")


class ComplaintChannel(Code):
    VISIT = "visit", _l("In the showroom")
    PHONE = "phone", _l("Phone")
    ONLINE = "online", _l("Online")
    VIDEO = "video", _l("Video call")


class ComplaintCategory(Code):
    QUALITY = "quality", _l("Quality")
    SERVICE = "service", _l("Service")
    DELIVERY = "delivery", _l("Delivery")
    PRICE = "price", _l("Price")
    OTHER = "other", _l("Other")


class Acceptance(Code):
    SIGNATURE = "signature", _l("Signed on the tablet")
    PHONE = "phone", _l("Confirmed by phone")


class Complaint(Model):
    __tablename__ = "complaints"
    __table_args__ = (CheckConstraint("rating is null or rating between 1 and 5", name="rating"),
                      # service levels: first responses counted by due time (SPEC §11)
                      Index("ix_complaints_first_response", "first_response_due",
                            "first_response_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)  # TS-20261206-0001
    status: Mapped[str] = mapped_column(String(16), index=True)
    # Who complained: a customer on file, or a caller and phone (SPEC §12: phone masked).
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    caller: Mapped[str] = mapped_column(String(60), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    channel: Mapped[str] = mapped_column(String(10))
    category: Mapped[str] = mapped_column(String(10), index=True)
    text: Mapped[str] = mapped_column(Text)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))
    # The follow-up whose unsatisfied answer opened it, if any.
    followup_id: Mapped[int | None] = mapped_column(ForeignKey("followups.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, index=True)
    first_response_due: Mapped[datetime] = mapped_column(UTCDateTime)
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # judge
    stands: Mapped[bool | None] = mapped_column(Boolean)
    explanation: Mapped[str] = mapped_column(Text, default="")
    judged_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    judged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # investigate
    department: Mapped[str] = mapped_column(String(60), default="")
    finding: Mapped[str] = mapped_column(Text, default="")
    investigated_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    investigated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # propose
    solution: Mapped[str] = mapped_column(Text, default="")
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    proposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # approve (a manager who is not the proposer)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approval_note: Mapped[str] = mapped_column(Text, default="")
    # implement: linked to a return/exchange document, a repair, or only a note
    implement_note: Mapped[str] = mapped_column(Text, default="")
    aftersales_doc_id: Mapped[int | None] = mapped_column(ForeignKey("aftersales_docs.id"))
    repair_id: Mapped[int | None] = mapped_column(ForeignKey("repairs.id"))
    implemented_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    implemented_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # accept: the customer's signature (attachments store) or a recorded phone confirmation
    acceptance: Mapped[str] = mapped_column(String(10), default="")
    signature_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id"))
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # feedback from the next-day callback
    rating: Mapped[int | None] = mapped_column(Integer)
    feedback_comment: Mapped[str] = mapped_column(Text, default="")
    feedback_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=0)

    customer: Mapped[Customer | None] = relationship()
    steps: Mapped[list[ComplaintStepLog]] = relationship(order_by="ComplaintStepLog.id")


class ComplaintStepLog(Model):
    """Append-only: one row per step taken (who, when, the step's data as JSON)."""

    __tablename__ = "complaint_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    step: Mapped[str] = mapped_column(String(12))
    status_after: Mapped[str] = mapped_column(String(16))
    data: Mapped[str] = mapped_column(Text, default="{}")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
