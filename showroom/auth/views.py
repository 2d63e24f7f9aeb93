"""Sign in, fast user switch on a shared tablet, sign out.

Signing out (or switching user) ends every session and API token of the staff member,
so a copied session cookie stops working too. A wrong PIN is 401, a staff number locked
on this device 423, a device that got too many PINs wrong 429; the last two say how
long to wait (Retry-After).
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from showroom.auth import bp
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
from showroom.extensions import db
from showroom.printjobs.services import list_stations
from showroom.stations import device_station, remember_station
from showroom.web import safe_next


@bp.route("/")
def home() -> Response:
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    for role, endpoint in HOME_BY_ROLE:
        if role in current_user.role_set:
            return redirect(url_for(endpoint))
    return redirect(url_for("printjobs.station"))


def refusal_message(exc: SignInFailed | AccountLocked) -> str:
    """What the sign-in screen says; lock periods come from the throttle (its settings)."""
    if isinstance(exc, SourceThrottled):
        return ngettext("Too many wrong PINs from this device: wait %(num)s minute before "
                        "trying again.", "Too many wrong PINs from this device: wait %(num)s "
                        "minutes before trying again.", max(1, -(-exc.retry_after // 60)))
    if isinstance(exc, AccountLocked):
        return ngettext("Too many wrong PINs: this staff number is locked on this device for "
                        "%(num)s minute.", "Too many wrong PINs: this staff number is locked "
                        "on this device for %(num)s minutes.", max(1, -(-exc.retry_after // 60)))
    return _("Wrong staff number or PIN.")


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    form = SignInForm()
    with deferred_reads():  # a sign-in takes SQLite's write lock only for its short write
        form.station.choices = [("", _("— none —"))] + [(s, s) for s in list_stations()]
    if request.method == "GET":
        form.station.data = device_station() or ""
    if request.method == "GET" and request.args.get("staff_no"):
        form.staff_no.data = request.args["staff_no"]
    if form.validate_on_submit():
        try:
            staff = sign_in(form.staff_no.data or "", form.pin.data or "", source="screen")
        except (SignInFailed, AccountLocked) as exc:
            db.session.commit()  # the failed try counts toward the throttle
            flash(refusal_message(exc), "error")
            headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, AccountLocked) else {}
            return render_template("auth/login.html", form=form), exc.status, headers
        db.session.commit()
        with deferred_reads():  # reloading the committed row needs no write lock
            login_user(staff)
            remember_on_device(staff)
        target = safe_next(request.args.get("next")) or url_for("auth.home")
        response = redirect(target)
        remember_station(response, form.station.data or "")
        return response
    status = 422 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form,
                           recent=session.get("recent_staff", [])), status


def _end_own_sessions() -> None:
    """Sign this browser out and end every other session and token of the staff member."""
    staff = db.session.get(Staff, current_user.id)
    if staff is not None:
        end_sessions(staff)
        db.session.commit()
    logout_user()


@bp.route("/switch", methods=["POST"])
def switch_user() -> Response:
    """Hand the tablet to a colleague: sign out (everywhere), keep the recent-staff tiles."""
    form = EmptyForm()
    if form.validate_on_submit() and current_user.is_authenticated:
        _end_own_sessions()
        session.pop("seen_at", None)
    return redirect(url_for("auth.login"))


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Response:
    form = EmptyForm()
    if form.validate_on_submit():
        _end_own_sessions()
        session.clear()
    return redirect(url_for("auth.login"))
