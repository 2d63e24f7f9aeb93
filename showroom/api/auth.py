"""API sign-in: staff number + PIN → a bearer token bound to a station; logout revokes it.

Wrong PIN → 401, too many wrong PINs → 423 Locked (with Retry-After). Every try is
committed even when refused, so the lockout count survives the failed request.
"""
from __future__ import annotations

from datetime import datetime

from flask import current_app
from pydantic import Field

from showroom.api.registry import Call, api_route
from showroom.api.schemas import StaffOut
from showroom.api.types import In, Line, Out
from showroom.auth.services import (
    AccountLocked,
    SignInFailed,
    authenticate,
    issue_token,
    revoke_token,
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
           summary="Get a bearer token", tag="auth", errors=(401, 423))
def issue(call: Call) -> TokenOut:
    body: TokenIn = call.body
    try:
        staff = authenticate(body.staff_no, body.pin, source="api")
    except AccountLocked as exc:
        db.session.commit()  # keep the record of the refused try
        minutes = current_app.config["SHOWROOM_LOCKOUT_MINUTES"]
        exc.headers = {"Retry-After": str(minutes * 60)}  # type: ignore[attr-defined]
        raise
    except SignInFailed:
        db.session.commit()
        raise
    raw, token = issue_token(staff, body.station)
    return TokenOut(token=raw, expires_at=token.expires_at, station=token.station,
                    staff=StaffOut.of(staff))


@api_route("POST", "/auth/logout", response=MeOut, summary="Revoke this token", tag="auth",
           description="The token used for this request stops working at once.")
def logout(call: Call) -> MeOut:
    assert call.token is not None
    revoke_token(call.token)
    return MeOut(staff=StaffOut.of(call.staff), station=call.station,
                 expires_at=call.token.expires_at)


@api_route("GET", "/auth/me", response=MeOut, summary="Who this token belongs to", tag="auth")
def me(call: Call) -> MeOut:
    assert call.token is not None
    return MeOut(staff=StaffOut.of(call.staff), station=call.station,
                 expires_at=call.token.expires_at)
