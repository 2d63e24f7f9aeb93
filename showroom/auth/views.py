"""Sign in, fast user switch on a shared tablet, sign out.

Signing out (or switching user) ends every session and API token of the staff member,
so a copied session cookie stops working too. A wrong PIN is 401, a staff number locked
on this device 423, a device that got too many PINs wrong 429; the last two say how
long to wait (Retry-After). Every write goes through the screen edge (web.screen.perform);
a refused PIN is recorded after the rollback (its PinTry) so the throttle counts it.
"""
from __future__ import annotations

from flask import redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from showroom.auth.access import HOME_BY_ROLE
from showroom.auth.forms import EmptyForm, SignInForm
from showroom.auth.models import Staff
from showroom.auth.services import (
    AccountLocked,
    SignInFailed,
    SourceThrottled,
    end_sessions,
    sign_in,
)
from showroom.auth.session import remember_on_device
from showroom.db import deferred_reads
from showroom.errors import DomainError
from showroom.extensions import db
from showroom.labels import station_label
from showroom.printjobs.services import list_stations
from showroom.stations import device_station, remember_station
from showroom.web import safe_next
from showroom.web.screen import PinTry, Refusal, perform

#: The error codes of a refused PIN (wrong, number locked here, device throttled).
PIN_REFUSALS = ("sign-in-failed", "locked", "too-many-attempts")


def home() -> Response:
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    for role, endpoint in HOME_BY_ROLE:
        if role in current_user.role_set:
            return redirect(url_for(endpoint))
    return redirect(url_for("printjobs.station"))


def refusal_message(exc: DomainError) -> str:
    """What the sign-in screen says; lock periods come from the throttle (its settings)."""
    if isinstance(exc, SourceThrottled):
        return ngettext("Too many wrong PINs from this device: wait %(num)s minute before "
                        "trying again.", "Too many wrong PINs from this device: wait %(num)s "
                        "minutes before trying again.", max(1, -(-exc.retry_after // 60)))
    if isinstance(exc, AccountLocked):
        return ngettext("Too many wrong PINs: this staff number is locked on this device for "
                        "%(num)s minute.", "Too many wrong PINs: this staff number is locked "
                        "on this device for %(num)s minutes.", max(1, -(-exc.retry_after // 60)))
    if isinstance(exc, SignInFailed):
        return _("Wrong staff number or PIN.")
    return exc.message


def retry_headers(refusal: Refusal) -> dict[str, str]:
    """Retry-After for a locked number or a throttled device."""
    exc = refusal.error
    return {"Retry-After": str(exc.retry_after)} if isinstance(exc, AccountLocked) else {}


def login() -> ResponseReturnValue:
    form = SignInForm()
    with deferred_reads():  # a sign-in takes SQLite's write lock only for its short write
        form.station.choices = [("", _("— none —"))] + [(s, station_label(s)) for s in list_stations()]
    if request.method == "GET":
        form.station.data = device_station() or ""
        if request.args.get("staff_no"):
            form.staff_no.data = request.args["staff_no"]
        return render_template("auth/login.html", form=form, recent=session.get("recent_staff", []))
    staff_no = form.staff_no.data or ""

    def signed_in(staff: Staff) -> Response:
        login_user(staff)
        remember_on_device(staff)
        response = redirect(safe_next(request.args.get("next")) or url_for("auth.home"))
        remember_station(response, form.station.data or "")
        return response

    def page(refusal: Refusal) -> ResponseReturnValue:
        return (render_template("auth/login.html", form=form, recent=session.get("recent_staff", [])),
                refusal.status, retry_headers(refusal))

    return perform(lambda: sign_in(staff_no, form.pin.data or "", source="screen"),
                   form=form, pin=PinTry(staff_no, "screen"), done=signed_in, refused=page,
                   messages={code: refusal_message for code in PIN_REFUSALS})


def _end_own_sessions() -> None:
    """End every session and token of the signed-in staff member (the caller commits)."""
    staff = db.session.get(Staff, current_user.id)
    if staff is not None:
        end_sessions(staff)


def _signed_out(_result: object, *, clear: bool) -> Response:
    logout_user()
    if clear:
        session.clear()
    else:
        session.pop("seen_at", None)  # keep the recent-staff tiles for the next colleague
    return redirect(url_for("auth.login"))


def switch_user() -> ResponseReturnValue:
    """Hand the tablet to a colleague: sign out (everywhere), keep the recent-staff tiles."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return perform(_end_own_sessions, form=EmptyForm(), say=False,
                   done=lambda r: _signed_out(r, clear=False),
                   refused=lambda _r: redirect(url_for("auth.login")))


@login_required
def logout() -> ResponseReturnValue:
    return perform(_end_own_sessions, form=EmptyForm(), say=False,
                   done=lambda r: _signed_out(r, clear=True),
                   refused=lambda _r: redirect(url_for("auth.login")))
