"""The follow-ups table: kind, customer, the source that caused it (type + id), the owner
(a staff member; none = reception's list), when it is due, and when and how it was done.

Unique per (kind, source): an event retried, or two workers at once, make one follow-up.
Customer service adds kinds to `FollowUpKind` and outcomes to `Outcome`; nothing else
here needs to change for them.
"""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from showroom.auth.models import Staff
from showroom.clock import now_utc
from showroom.codes import Code
from showroom.customers.models import Customer
from showroom.db import UTCDateTime
from showroom.extensions import Model


class FollowUpKind(Code):
    """Why somebody owes the customer a call (SPEC §8 Details, API.md "Customer service")."""

    INQUIRY_CALLBACK = "inquiry_callback", _l("Inquiry callback")
    VISIT_CALLBACK = "visit_callback", _l("Member visit callback")
    REPAIR_CALLBACK = "repair_callback", _l("Repair callback")
    COMPLAINT_CALLBACK = "complaint_callback", _l("Complaint callback")
    WEEKLY_CONTACT = "weekly_contact", _l("Weekly contact")
    BIRTHDAY = "birthday", _l("Birthday greeting")
    HOLIDAY = "holiday", _l("Festival greeting")
    WISH_ARRIVED = "wish_arrived", _l("Wish arrived")


class Outcome(Code):
    """How the call went. The first four are offered (API.md); `no_answer` and `other` stay
    valid for rows written before customer service (and are still accepted)."""

    SATISFIED = "satisfied", _l("Reached, satisfied")
    UNSATISFIED = "unsatisfied", _l("Reached, not satisfied")
    UNREACHABLE = "unreachable", _l("Unreachable")
    DONE = "done", _l("Done (see the note)")
    NO_ANSWER = "no_answer", _l("No answer")
    OTHER = "other", _l("Other (see the note)")

    @classmethod
    def offered(cls) -> list[Outcome]:
        """The outcomes a screen offers today."""
        return [cls.SATISFIED, cls.UNSATISFIED, cls.UNREACHABLE, cls.DONE]


class CalendarDay(Model):
    """A manager's override of the business calendar for one day: open (working) or closed,
    whatever `chinese-calendar` says (a local festival, a stock-taking day, an extra 调休)."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    working: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(Text, default="")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)


class FollowUp(Model):
    __tablename__ = "followups"
    __table_args__ = (UniqueConstraint("kind", "source_type", "source_id", name="once_per_source"),
                      Index("ix_followups_open_due", "done_at", "due_at"),
                      # the service levels count one kind by its due time (SPEC §11)
                      Index("ix_followups_kind_due_done", "kind", "due_at", "done_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))
    # None for a prospect without a customer file (an inquiry's callback).
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    source_type: Mapped[str] = mapped_column(String(24))
    source_id: Mapped[int] = mapped_column()
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    outcome: Mapped[str] = mapped_column(String(16), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    customer: Mapped[Customer | None] = relationship()
    owner: Mapped[Staff | None] = relationship(foreign_keys=[owner_id])
    done_by: Mapped[Staff | None] = relationship(foreign_keys=[done_by_id])
