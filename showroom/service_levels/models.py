"""Kept weekly tallies of the service levels (the manager's home draws a year of weeks).

A week's tally is final once the week has ended — every item due in it is decided — unless
one of its rows changes afterwards (a late callback done, an old online order cancelled, a
visit typed in later). So each (level, week) row keeps two counters:

- `changes`: bumped by every flush that touches a row due in that week once the week has
  ended (or is about to: see kept.py), in the writer's own transaction;
- `counted`: the value of `changes` the reader saw *before* it counted `met`/`total`.

The tally is trusted only while `counted == changes`: a change the count missed was
committed together with its bump, so the reader that missed it stored the older counter.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from showroom.db import UTCDateTime
from showroom.extensions import Model


class KeptWeek(Model):
    __tablename__ = "service_level_weeks"

    level: Mapped[str] = mapped_column(String(40), primary_key=True)
    week_start: Mapped[date] = mapped_column(Date, primary_key=True)  # a Monday, local
    changes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    counted: Mapped[int | None] = mapped_column(Integer)
    met: Mapped[int | None] = mapped_column(Integer)
    total: Mapped[int | None] = mapped_column(Integer)
    counted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # the `now` it used
