"""Sign in, fast user switch on a shared tablet, sign out."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from showroom.auth.access import HOME_BY_ROLE
from showroom.auth.forms import EmptyForm, SignInForm
from showroom.auth.services import AccountLocked, SignInFailed, authenticate
from showroom.auth.session import remember_on_device
from showroom.extensions import db
from showroom.labels import station_label
from showroom.printjobs.services import list_stations
from showroom.stations import device_station, remember_station
from showroom.web import safe_next


def home() -> Response:
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    for role, endpoint in HOME_BY_ROLE:
        if role in current_user.role_set:
            return redirect(url_for(endpoint))
    return redirect(url_for("printjobs.station"))


def login() -> ResponseReturnValue:
    form = SignInForm()
    form.station.choices = [("", _("— none —"))] + [(s, station_label(s)) for s in list_stations()]
    if request.method == "GET":
        form.station.data = device_station() or ""
    if request.method == "GET" and request.args.get("staff_no"):
        form.staff_no.data = request.args["staff_no"]
    if form.validate_on_submit():
        try:
            staff = authenticate(form.staff_no.data or "", form.pin.data or "",
                                 source=request.remote_addr or "")
        except (SignInFailed, AccountLocked) as exc:
            db.session.commit()  # the failed attempt counts toward lockout
            flash(_("Wrong staff number or PIN.") if isinstance(exc, SignInFailed)
                  else _("Too many wrong PINs: this staff number is locked for 15 minutes."),
                  "error")
            return render_template("auth/login.html", form=form), 401
        db.session.commit()
        login_user(staff)
        remember_on_device(staff)
        target = safe_next(request.args.get("next")) or url_for("auth.home")
        response = redirect(target)
        remember_station(response, form.station.data or "")
        return response
    status = 422 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form,
                           recent=session.get("recent_staff", [])), status


def switch_user() -> Response:
    """Hand the tablet to a colleague: sign out, keep the recent-staff tiles."""
    form = EmptyForm()
    if form.validate_on_submit():
        logout_user()
        session.pop("seen_at", None)
    return redirect(url_for("auth.login"))


@login_required
def logout() -> Response:
    form = EmptyForm()
    if form.validate_on_submit():
        logout_user()
        session.clear()
    return redirect(url_for("auth.login"))
