"""Staff sign-in: PINs hashed with argon2id, lockout after repeated failures, API tokens."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from showroom.auth.models import ROLES, ApiToken, LoginAttempt, Staff
from showroom.clock import now_utc
from showroom.errors import Conflict, DomainError, ValidationFailed
from showroom.extensions import db


class SignInFailed(DomainError):
    status = 401
    code = "sign-in-failed"


class AccountLocked(DomainError):
    status = 423
    code = "locked"


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(
        time_cost=cfg["SHOWROOM_ARGON2_TIME_COST"], memory_cost=cfg["SHOWROOM_ARGON2_MEMORY_KIB"]
    )


def validate_pin(pin: str) -> None:
    if not (pin.isdigit() and 6 <= len(pin) <= 12):
        raise ValidationFailed(_("PIN must be 6 to 12 digits"), errors={"pin": _("6 to 12 digits")})


def add_staff(staff_no: str, name: str, roles: list[str], pin: str) -> Staff:
    staff_no, name = staff_no.strip(), name.strip()
    errors = {}
    if not staff_no or len(staff_no) > 20 or not staff_no.isalnum():
        errors["staff_no"] = _("1 to 20 letters or digits")
    if not name or len(name) > 60:
        errors["name"] = _("1 to 60 characters")
    bad = [r for r in roles if r not in ROLES]
    if not roles or bad:
        errors["roles"] = _("choose from %(roles)s", roles=", ".join(ROLES))
    if errors:
        raise ValidationFailed(_("invalid staff member"), errors=errors)
    validate_pin(pin)
    if db.session.scalar(select(Staff.id).where(Staff.staff_no == staff_no)):
        raise Conflict(_("staff number %(no)s already exists", no=staff_no))
    staff = Staff(staff_no=staff_no, name=name, roles=",".join(dict.fromkeys(roles)),
                  pin_hash=_hasher().hash(pin), active=True, on_duty=True)
    db.session.add(staff)
    db.session.flush()
    return staff


def is_locked(staff_no: str, at: datetime | None = None) -> bool:
    """Locked when the last N wrong PINs (since the last good one) fell within the window
    and the latest of them is less than the lock period old."""
    cfg = current_app.config
    at = at or now_utc()
    n, window = cfg["SHOWROOM_LOCKOUT_ATTEMPTS"], timedelta(minutes=cfg["SHOWROOM_LOCKOUT_MINUTES"])
    last_success = db.session.scalar(
        select(func.max(LoginAttempt.at)).where(
            LoginAttempt.staff_no == staff_no, LoginAttempt.success.is_(True))
    )
    q = select(LoginAttempt.at).where(
        LoginAttempt.staff_no == staff_no, LoginAttempt.success.is_(False),
        LoginAttempt.locked.is_(False),
    )
    if last_success is not None:
        q = q.where(LoginAttempt.at > last_success)
    times = list(db.session.scalars(q.order_by(LoginAttempt.at.desc()).limit(n)))
    return len(times) == n and times[0] - times[-1] <= window and at - times[0] < window


def authenticate(staff_no: str, pin: str, source: str = "") -> Staff:
    """Check a staff number and PIN; every try is recorded (and committed by the caller,
    even on failure, so lockout counts survive)."""
    staff_no = (staff_no or "").strip()[:20]
    if is_locked(staff_no):
        db.session.add(LoginAttempt(staff_no=staff_no, success=False, locked=True, source=source))
        raise AccountLocked(_("too many wrong PINs: this staff number is locked for 15 minutes"))
    staff = db.session.scalar(select(Staff).where(Staff.staff_no == staff_no))
    ok = False
    if staff is not None and staff.active:
        try:
            ok = _hasher().verify(staff.pin_hash, pin or "")
        except (VerificationError, InvalidHashError):
            ok = False
    db.session.add(LoginAttempt(staff_no=staff_no, success=ok, source=source))
    if not ok or staff is None:
        db.session.flush()
        if is_locked(staff_no):
            raise AccountLocked(_("too many wrong PINs: this staff number is locked for 15 minutes"))
        raise SignInFailed(_("wrong staff number or PIN"))
    return staff


def keep_refused_attempt(staff_no: str, source: str) -> None:
    """After a request that checked a PIN was rolled back (dropping authenticate's record
    of the try), record the failed try again and commit it, so the lockout counts it. As
    authenticate does, a try while already locked is marked locked."""
    db.session.rollback()
    staff_no = (staff_no or "").strip()[:20]
    db.session.add(LoginAttempt(staff_no=staff_no, success=False, locked=is_locked(staff_no),
                                source=source[:60]))
    db.session.commit()


def issue_token(staff: Staff, station: str | None) -> tuple[str, ApiToken]:
    raw = secrets.token_urlsafe(32)
    token = ApiToken(
        staff_id=staff.id, token_hash=hash_token(raw), station=(station or None),
        expires_at=now_utc() + timedelta(hours=current_app.config["SHOWROOM_TOKEN_HOURS"]),
    )
    db.session.add(token)
    db.session.flush()
    return raw, token


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_owner(raw: str) -> ApiToken | None:
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(raw)))
    if token is None or token.revoked_at is not None or token.expires_at <= now_utc():
        return None
    if not token.staff.active:
        return None
    return token


def revoke_token(token: ApiToken) -> None:
    token.revoked_at = now_utc()


def revoke_all_tokens(staff: Staff) -> None:
    for token in db.session.scalars(
        select(ApiToken).where(ApiToken.staff_id == staff.id, ApiToken.revoked_at.is_(None))
    ):
        token.revoked_at = now_utc()


def on_duty_clerks() -> list[Staff]:
    rows = db.session.scalars(
        select(Staff).where(Staff.active.is_(True), Staff.on_duty.is_(True)).order_by(Staff.staff_no)
    )
    return [s for s in rows if "clerk" in s.role_set]
