"""How long a sign-in must wait, read from the recorded tries (LoginAttempt).

Two keys, so that nobody can lock a colleague out from another device:
- a staff number tried from one client address: locked after SHOWROOM_LOCKOUT_ATTEMPTS
  wrong PINs within SHOWROOM_LOCKOUT_MINUTES (since the last good PIN from there), until
  the last of them is that old;
- a client address across all numbers: refused after SHOWROOM_SOURCE_ATTEMPTS wrong PINs
  within SHOWROOM_SOURCE_MINUTES, until the oldest of them is that old.
Tries refused by either (`locked`) are recorded but never counted, so a refusal never
extends itself. Only reads: callers record the try.
"""
from __future__ import annotations

import math
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from showroom.auth.models import LoginAttempt
from showroom.clock import now_utc
from showroom.extensions import db


def _seconds(delta: timedelta) -> int:
    return max(1, math.ceil(delta.total_seconds()))


def pair_wait(staff_no: str, address: str, at: datetime | None = None) -> int:
    """Seconds this staff number stays locked for this address; 0 when not locked."""
    cfg = current_app.config
    at = at or now_utc()
    n, window = cfg["SHOWROOM_LOCKOUT_ATTEMPTS"], timedelta(minutes=cfg["SHOWROOM_LOCKOUT_MINUTES"])
    mine = (LoginAttempt.staff_no == staff_no, LoginAttempt.address == address)
    last_success = db.session.scalar(
        select(func.max(LoginAttempt.at)).where(*mine, LoginAttempt.success.is_(True)))
    q = select(LoginAttempt.at).where(*mine, LoginAttempt.success.is_(False),
                                      LoginAttempt.locked.is_(False))
    if last_success is not None:
        q = q.where(LoginAttempt.at > last_success)
    times = list(db.session.scalars(q.order_by(LoginAttempt.at.desc()).limit(n)))
    if len(times) == n and times[0] - times[-1] <= window and at - times[0] < window:
        return _seconds(times[0] + window - at)
    return 0


def source_wait(address: str, at: datetime | None = None) -> int:
    """Seconds this client address is refused for having spent its budget of wrong PINs
    across all staff numbers; 0 when it may try."""
    cfg = current_app.config
    at = at or now_utc()
    limit, window = cfg["SHOWROOM_SOURCE_ATTEMPTS"], timedelta(minutes=cfg["SHOWROOM_SOURCE_MINUTES"])
    times = list(db.session.scalars(
        select(LoginAttempt.at).where(
            LoginAttempt.address == address, LoginAttempt.success.is_(False),
            LoginAttempt.locked.is_(False), LoginAttempt.at > at - window)
        .order_by(LoginAttempt.at.desc()).limit(limit)))
    if len(times) < limit:
        return 0
    return _seconds(times[-1] + window - at)  # the limit-th newest leaves the window then
