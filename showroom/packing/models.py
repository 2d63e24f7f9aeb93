"""Counting and packing (点货、包装, Std ch.5): one packing per settled order, its boxes,
every tick that put a unit into a box, and the sign-offs.

Ticks are append-only (a unit taken back out is a tick of -1), so an argument over
"was the 20th bracelet ever packed" is settled by reading who ticked it, when, into
which box, by scan or by hand and why. `OrderLine.packed_qty` caches their sum and the
database refuses a packed quantity above what is left to pack.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from showroom.auth.models import Staff
from showroom.clock import now_utc
from showroom.codes import Code, StatusTable
from showroom.db import UTCDateTime
from showroom.extensions import Model


class PackingStatus(Code):
    PACKING = "packing"
    SEALED = "sealed"  # final: counted, signed and closed


PACKING_MOVES = StatusTable(_l("Packing"), {PackingStatus.PACKING: {PackingStatus.SEALED},
                                            PackingStatus.SEALED: set()})
PACKING, SEALED = PackingStatus.PACKING, PackingStatus.SEALED


class PackingMode(Code):
    """The customer is at the bench, or not (Std ch.5 §1 / §2)."""

    PRESENT = "present", _l("Customer present")
    ABSENT = "absent", _l("Customer not present")


class TickMethod(Code):
    SCAN = "scan", _l("Scanned")
    MANUAL = "manual", _l("Ticked by hand")
    UNTICK = "untick", _l("Taken out")


class VoidReason(Code):
    """Why the sign-offs were voided: a change made after them (SPEC §4.4: they vouch for
    what is in the boxes, so anything taken out, crossed out or re-boxed needs them again),
    with the packer's words for it."""

    UNTICK = "untick", _l("a piece was taken out of a box")
    CROSS_OUT = "cross-out", _l("goods were crossed out")
    BOX_ADDED = "box-added", _l("a box was added")
    BOX_REMOVED = "box-removed", _l("a box was removed")


MODES = PackingMode.codes()
TICK_METHODS = TickMethod.codes()
VOID_REASONS = VoidReason.codes()


class Packing(Model):
    __tablename__ = "packings"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), unique=True)
    status: Mapped[str] = mapped_column(String(10), default=PACKING)
    mode: Mapped[str | None] = mapped_column(String(10))  # chosen at sealing
    packer_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    station: Mapped[str] = mapped_column(String(40), default="")
    # Customer present: the customer's signature (PNG from the tablet's pad) and the
    # packer's check that the order is paid (注意客户是否买单).
    customer_signature: Mapped[bytes | None] = mapped_column(LargeBinary)
    customer_signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    payment_checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    payment_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    name_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    # The last time a change voided the sign-offs, and why (one of VOID_REASONS): the
    # bench asks to sign again while they are missing. Voided counters' rows are kept.
    signoffs_voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signoffs_void_reason: Mapped[str] = mapped_column(String(20), default="")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    sealed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sealed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    packer: Mapped[Staff | None] = relationship(foreign_keys=[packer_id])
    # The counters' sign-offs that still stand (voided ones stay in the table as history).
    signatures: Mapped[list[PackingSignature]] = relationship(
        primaryjoin="and_(Packing.id == PackingSignature.packing_id, "
                    "PackingSignature.voided_at.is_(None))",
        order_by="PackingSignature.id", viewonly=True)


class PackingBox(Model):
    """A carton, numbered 1..N within its order; N is known only when the order is sealed.
    A scan without a box goes into the highest-numbered box (the one being filled). A box
    emptied by unticks and then removed keeps its ticks and is retired with number -id."""

    __tablename__ = "packing_boxes"
    __table_args__ = (UniqueConstraint("packing_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    packing_id: Mapped[int] = mapped_column(ForeignKey("packings.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    units: Mapped[int] = mapped_column(Integer, default=0)  # cached sum of its ticks
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))


class PackingTick(Model):
    """Append-only: +1 (or +n by hand) into a box, -1 taken back out."""

    __tablename__ = "packing_ticks"
    __table_args__ = (CheckConstraint("qty <> 0", name="qty_nonzero"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    packing_id: Mapped[int] = mapped_column(ForeignKey("packings.id"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"), index=True)
    box_id: Mapped[int] = mapped_column(ForeignKey("packing_boxes.id"), index=True)
    qty: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(10))  # scan / manual / untick
    reason: Mapped[str] = mapped_column(Text, default="")  # why by hand / why taken out
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)


class PackingSignature(Model):
    """A counter's sign-off with their own PIN; absent customers need two different staff.
    A change after it voids it (voided_at, void_reason): the row stays, and the same
    counter may sign again — one standing signature per counter and packing."""

    __tablename__ = "packing_signatures"

    id: Mapped[int] = mapped_column(primary_key=True)
    packing_id: Mapped[int] = mapped_column(ForeignKey("packings.id"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    void_reason: Mapped[str] = mapped_column(String(20), default="")

    staff: Mapped[Staff] = relationship(lazy="joined", innerjoin=True)


Index("uq_packing_signatures_standing", PackingSignature.packing_id, PackingSignature.staff_id,
      unique=True, sqlite_where=PackingSignature.voided_at.is_(None),
      postgresql_where=PackingSignature.voided_at.is_(None))
