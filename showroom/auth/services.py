"""Staff sign-in: PINs hashed with argon2id, a throttle per staff number and client
address and per address, sessions and API tokens that end, and keeping staff.

Every PIN check is recorded as a LoginAttempt (the caller commits, even on failure, so
the throttle counts it). `sign_in` (screens and API) reads in a read transaction, ends
it, verifies the PIN holding no transaction and records the try in one short write: 40
tablets signing in at once then queue for milliseconds of SQLite's write lock instead of
for each other's argon2. `authenticate` checks a PIN inside the caller's transaction
(the packing bench's counter and manager PINs).
"""
from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, has_request_context, request
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from showroom import text_rule
from showroom.auth import throttle
from showroom.auth.models import ROLES, ApiToken, LoginAttempt, Staff
from showroom.auth.pins import hash_pin, validate_pin, verify_pin
from showroom.clock import now_utc
from showroom.db import deferred_reads
from showroom.errors import Conflict, DomainError, Forbidden, NotFound, ValidationFailed
from showroom.extensions import db

__all__ = ["AccountLocked", "SignInFailed", "SourceThrottled", "add_staff", "authenticate",
           "is_locked", "keep_refused_attempt", "sign_in", "token_owner", "validate_pin"]


class SignInFailed(DomainError):
    status = 401
    code = "sign-in-failed"


class AccountLocked(DomainError):
    """Too many wrong PINs for this staff number from this address (423)."""

    status = 423
    code = "locked"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.headers = {"Retry-After": str(retry_after)}  # the API edge sends these


class SourceThrottled(AccountLocked):
    """Too many wrong PINs from this address across staff numbers (429). An AccountLocked,
    so every caller that keeps a refused PIN try handles it the same way."""

    status = 429
    code = "too-many-attempts"


def _minutes(seconds: int) -> int:
    return max(1, math.ceil(seconds / 60))


def _pair_locked(wait: int) -> AccountLocked:
    return AccountLocked(ngettext(
        "too many wrong PINs: this staff number is locked on this device for %(num)s minute",
        "too many wrong PINs: this staff number is locked on this device for %(num)s minutes",
        _minutes(wait)), retry_after=wait)


def _source_refused(wait: int) -> SourceThrottled:
    return SourceThrottled(ngettext(
        "too many wrong PINs from this device: wait %(num)s minute before trying again",
        "too many wrong PINs from this device: wait %(num)s minutes before trying again",
        _minutes(wait)), retry_after=wait)


def client_address(address: str | None = None) -> str:
    """The address the try came from: given, else the request's, else "" (the CLI)."""
    if address is None:
        address = (request.remote_addr or "") if has_request_context() else ""
    return address[:64]


def is_locked(staff_no: str, address: str = "") -> bool:
    return throttle.pair_wait(staff_no, address) > 0


def _refusal(staff_no: str, address: str) -> AccountLocked | None:
    wait = throttle.source_wait(address)
    if wait:
        return _source_refused(wait)
    wait = throttle.pair_wait(staff_no, address)
    return _pair_locked(wait) if wait else None


@dataclass(frozen=True)
class _Candidate:
    staff_id: int | None
    pin_hash: str | None  # None: unknown or disabled number, verified against the dummy


def _candidate(staff_no: str) -> _Candidate:
    row = db.session.execute(select(Staff.id, Staff.pin_hash, Staff.active)
                             .where(Staff.staff_no == staff_no)).first()
    if row is None or not row.active:
        return _Candidate(None, None)
    return _Candidate(row.id, row.pin_hash)


def _record(staff_no: str, address: str, source: str, *, ok: bool, locked: bool = False) -> None:
    db.session.add(LoginAttempt(staff_no=staff_no, address=address, source=source[:60],
                                success=ok, locked=locked))
    db.session.flush()


def _check(staff_no: str, pin: str, source: str, address: str | None, *,
           outside_transaction: bool) -> Staff:
    staff_no = (staff_no or "").strip()[:20]
    address = client_address(address)
    if outside_transaction:
        db.session.rollback()  # end what the request began (it only read)
        with deferred_reads():  # SQLite: a read, without the write lock
            refusal = _refusal(staff_no, address)
            candidate = _candidate(staff_no) if refusal is None else None
        db.session.rollback()  # end the read: nothing is held while argon2 runs
    else:
        refusal = _refusal(staff_no, address)
        candidate = _candidate(staff_no) if refusal is None else None
    if refusal is not None:  # refused before any hashing: a refused try costs no CPU
        _record(staff_no, address, source, ok=False, locked=True)
        raise refusal
    assert candidate is not None
    ok, rehash = verify_pin(candidate.pin_hash, pin)
    new_hash = hash_pin(pin) if rehash else None  # still outside the write
    # the short write: a good PIN loads the staff member (still active, PIN not changed
    # while we were hashing); the try is recorded either way
    staff = db.session.get(Staff, candidate.staff_id) if ok and candidate.staff_id else None
    if staff is not None and (not staff.active or staff.pin_hash != candidate.pin_hash):
        staff = None
    _record(staff_no, address, source, ok=staff is not None)
    if staff is None:
        wait = throttle.pair_wait(staff_no, address)
        if wait:
            raise _pair_locked(wait)
        raise SignInFailed(_("wrong staff number or PIN"))
    if new_hash is not None:
        staff.pin_hash = new_hash
        db.session.flush()
    return staff


def sign_in(staff_no: str, pin: str, *, source: str, address: str | None = None) -> Staff:
    """Sign-in of a screen or an API client. Ends the request's transaction first (the one
    service that does: the point is to hold no transaction while the PIN is hashed); the
    caller commits the try and what it issues (a session, a token) in one short write."""
    return _check(staff_no, pin, source, address, outside_transaction=True)


def authenticate(staff_no: str, pin: str, source: str = "", address: str | None = None) -> Staff:
    """Check a staff number and PIN inside the caller's transaction (packing counter and
    manager PINs). Every try is recorded; the caller commits it, even on failure."""
    return _check(staff_no, pin, source, address, outside_transaction=False)


def keep_refused_attempt(staff_no: str, source: str) -> None:
    """After a request that checked a PIN was rolled back (dropping the record of the
    try), record the failed try again and commit it, so the throttle counts it. A try
    that was refused by the throttle is marked locked, as the check marks it."""
    db.session.rollback()
    staff_no = (staff_no or "").strip()[:20]
    address = client_address()
    locked = bool(throttle.source_wait(address) or throttle.pair_wait(staff_no, address))
    _record(staff_no, address, source, ok=False, locked=locked)
    db.session.commit()


# --- sessions and tokens --------------------------------------------------------------

def end_sessions(staff: Staff) -> None:
    """Every browser session and API token of this staff member stops working: the
    session epoch moves on (checked on every request) and open tokens are revoked."""
    staff.session_epoch = Staff.session_epoch + 1
    revoke_all_tokens(staff)
    db.session.flush()
    db.session.refresh(staff, ["session_epoch"])


def issue_token(staff: Staff, station: str | None) -> tuple[str, ApiToken]:
    raw = secrets.token_urlsafe(32)
    token = ApiToken(
        staff_id=staff.id, token_hash=hash_token(raw), station=(station or None),
        expires_at=now_utc() + timedelta(hours=current_app.config["SHOWROOM_TOKEN_HOURS"]),
        epoch=staff.session_epoch,
    )
    db.session.add(token)
    db.session.flush()
    return raw, token


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


# Every API request reads its token and the staff member: one statement, built once.
_TOKEN = (select(ApiToken).options(joinedload(ApiToken.staff))
          .where(ApiToken.token_hash == bindparam("token_hash")))


def token_owner(raw: str) -> ApiToken | None:
    token = db.session.scalar(_TOKEN, {"token_hash": hash_token(raw)})
    if token is None or token.revoked_at is not None or token.expires_at <= now_utc():
        return None
    if not token.staff.active or token.epoch != token.staff.session_epoch:
        return None
    return token


def revoke_token(token: ApiToken) -> None:
    token.revoked_at = now_utc()


def revoke_all_tokens(staff: Staff) -> None:
    for token in db.session.scalars(
        select(ApiToken).where(ApiToken.staff_id == staff.id, ApiToken.revoked_at.is_(None))
    ):
        token.revoked_at = now_utc()


# --- keeping staff ----------------------------------------------------------------------

def add_staff(staff_no: str, name: str, roles: list[str], pin: str, *,
              demo_pin: bool = False) -> Staff:
    """A new staff member. `demo_pin` lets the demo seed (and only it) keep its weak
    demo PINs (staff number + "00")."""
    staff_no, name = staff_no.strip(), name.strip()
    errors = {}
    if not staff_no or len(staff_no) > 20 or not (staff_no.isascii() and staff_no.isalnum()):
        errors["staff_no"] = _("1 to 20 letters or digits")
    if not name or len(name) > 60:
        errors["name"] = _("1 to 60 characters")
    elif text_rule.check(name) is not None:
        errors["name"] = str(text_rule.check(name))
    bad = [r for r in roles if r not in ROLES]
    if not roles or bad:
        errors["roles"] = _("choose from %(roles)s", roles=", ".join(ROLES))
    if errors:
        raise ValidationFailed(_("invalid staff member"), errors=errors)
    if demo_pin and current_app.config["SHOWROOM_ENV"] == "production":
        raise Forbidden(_("Demo staff are never created when SHOWROOM_ENV=production."))
    validate_pin(pin, staff_no, demo=demo_pin)
    if db.session.scalar(select(Staff.id).where(Staff.staff_no == staff_no)):
        raise Conflict(_("staff number %(no)s already exists", no=staff_no))
    staff = Staff(staff_no=staff_no, name=name, roles=",".join(dict.fromkeys(roles)),
                  pin_hash=hash_pin(pin), active=True, on_duty=True)
    db.session.add(staff)
    db.session.flush()
    return staff


def find_staff(staff_no: str) -> Staff:
    staff = db.session.scalar(select(Staff).where(Staff.staff_no == (staff_no or "").strip()))
    if staff is None:
        raise NotFound(_("no staff member %(no)s", no=staff_no))
    return staff


def set_pin(staff: Staff, pin: str) -> Staff:
    """A new PIN (a manager's reset, `flask staff set-pin`): every session and token of
    the staff member ends."""
    validate_pin(pin, staff.staff_no)
    staff.pin_hash = hash_pin(pin)
    end_sessions(staff)
    return staff


def change_own_pin(staff_id: int, current: str, new: str) -> Staff:
    """Staff change their own PIN: the current PIN first (a wrong one counts toward the
    throttle like a sign-in), then the new one; their other sessions and tokens end."""
    staff = db.session.get(Staff, staff_id)
    if staff is None or not staff.active:
        raise NotFound(_("no staff member %(no)s", no=staff_id))
    staff_no = staff.staff_no
    validate_pin(new, staff_no)
    if new == current:
        raise ValidationFailed(_("The new PIN must differ from the current one."),
                               errors={"new_pin": _("same as the current PIN")})
    staff = sign_in(staff_no, current, source="change-pin")
    return set_pin(staff, new)


def set_active(staff_id: int, active: bool, *, by: Staff) -> Staff:
    """A manager disables or enables a staff member; disabling ends their sessions and
    tokens. Nobody disables themselves (the last manager could lock everyone out)."""
    staff = db.session.get(Staff, staff_id)
    if staff is None:
        raise NotFound(_("no staff member %(no)s", no=staff_id))
    if staff.id == by.id and not active:
        raise Forbidden(_("You cannot disable yourself: ask another manager."))
    staff.active = active
    if not active:
        end_sessions(staff)
    db.session.flush()
    return staff


def on_duty_clerks() -> list[Staff]:
    rows = db.session.scalars(
        select(Staff).where(Staff.active.is_(True), Staff.on_duty.is_(True)).order_by(Staff.staff_no)
    )
    return [s for s in rows if "clerk" in s.role_set]
