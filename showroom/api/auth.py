"""API sign-in: staff number + PIN → a bearer token bound to a station; logout ends it.

Wrong PIN → 401; too many wrong PINs for this staff number from this address → 423
Locked, from this address across numbers → 429; both with Retry-After. Every try is
committed even when refused, so the throttle counts it. The PIN is verified outside any
write transaction (see `sign_in`). Logging out, like signing out of the screens, ends
every session and token of the staff member.
"""
from __future__ import annotations

from datetime import datetime

from pydantic import Field

from showroom.api.registry import Call, api_route
from showroom.api.schemas import StaffOut
from showroom.api.types import In, Line, Out
from showroom.auth.services import (
    AccountLocked,
    SignInFailed,
    end_sessions,
    issue_token,
    sign_in,
)
from showroom.extensions import db


class TokenIn(In):
    staff_no: Line = Field(min_length=1, max_length=20, examples=["1001"])
    pin: Line = Field(min_length=1, max_length=12, examples=["246810"])
    station: Line | None = Field(
        None, min_length=1, max_length=40, examples=["cashier-1"],
        description="the device's station: documents it causes print there")


class TokenOut(Out):
    token: str
    expires_at: datetime
    station: str | None
    staff: StaffOut


class MeOut(Out):
    staff: StaffOut
    station: str | None
    expires_at: datetime


@api_route("POST", "/auth/token", public=True, body=TokenIn, response=TokenOut,
           summary="Get a bearer token", tag="auth", errors=(401, 423, 429))
def issue(call: Call) -> TokenOut:
    body: TokenIn = call.body
    try:
        staff = sign_in(body.staff_no, body.pin, source="api")
    except (SignInFailed, AccountLocked):  # AccountLocked carries its Retry-After
        db.session.commit()  # keep the record of the refused try
        raise
    raw, token = issue_token(staff, body.station)
    return TokenOut(token=raw, expires_at=token.expires_at, station=token.station,
                    staff=StaffOut.of(staff))


@api_route("POST", "/auth/logout", response=MeOut, summary="Sign out everywhere", tag="auth",
           description="This token, every other token and every screen session of the staff "
                       "member stop working at once (as when they sign out of a screen).")
def logout(call: Call) -> MeOut:
    assert call.token is not None
    end_sessions(call.staff)
    return MeOut(staff=StaffOut.of(call.staff), station=call.station,
                 expires_at=call.token.expires_at)


@api_route("GET", "/auth/me", response=MeOut, summary="Who this token belongs to", tag="auth")
def me(call: Call) -> MeOut:
    assert call.token is not None
    return MeOut(staff=StaffOut.of(call.staff), station=call.station,
                 expires_at=call.token.expires_at)
