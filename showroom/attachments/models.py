"""Stored photos: the bytes (re-encoded by us, never as uploaded) with their media type,
size and pixel size, and what they belong to (owner type + id, e.g. "repair", 12).

Kept in the database so a photo is written and rolled back with the intake that takes
it — a refused intake leaves no file behind — and backed up with everything else.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from showroom.clock import now_utc
from showroom.db import UTCDateTime
from showroom.extensions import Model


class Attachment(Model):
    __tablename__ = "attachments"
    __table_args__ = (Index("ix_attachments_owner", "owner_type", "owner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_type: Mapped[str] = mapped_column(String(24))
    owner_id: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(20))  # image/jpeg or image/png, ours
    size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
