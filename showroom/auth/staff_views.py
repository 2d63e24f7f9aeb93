"""Keeping staff on screen: managers list staff, reset a PIN, disable or enable someone;
everyone changes their own PIN. A new PIN or disabling ends the staff member's sessions
and tokens (after changing their own PIN, this tablet stays signed in)."""
from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user
from sqlalchemy import select

from showroom.auth import bp
from showroom.auth.access import roles_required
from showroom.auth.forms import ChangePinForm, EmptyForm, NewPinForm
from showroom.auth.models import Staff
from showroom.auth.services import (
    AccountLocked,
    SignInFailed,
    change_own_pin,
    set_active,
    set_pin,
)
from showroom.auth.views import refusal_message
from showroom.db import deferred_reads
from showroom.errors import DomainError
from showroom.extensions import db


def _staff_page(status: int = 200, *, failed: int | None = None, form: NewPinForm | None = None
                ) -> ResponseReturnValue:
    staff = db.session.scalars(select(Staff).order_by(Staff.active.desc(), Staff.staff_no)).all()
    return render_template("auth/staff.html", staff=staff, failed=failed,
                           failed_form=form, blank=NewPinForm(formdata=None),
                           button=EmptyForm()), status


@bp.route("/staff/")
@roles_required("manager")
def staff_list() -> ResponseReturnValue:
    return _staff_page()


def _target(staff_id: int) -> Staff:
    staff = db.session.get(Staff, staff_id)
    if staff is None:
        abort(404)
    return staff


@bp.route("/staff/<int:staff_id>/pin", methods=["POST"])
@roles_required("manager")
def reset_pin(staff_id: int) -> ResponseReturnValue:
    staff = _target(staff_id)
    if staff.id == current_user.id:
        flash(_("Change your own PIN here: it asks for your current PIN first."), "warning")
        return redirect(url_for("auth.change_pin"), 303)
    form = NewPinForm()
    if not form.validate_on_submit():
        return _staff_page(422, failed=staff.id, form=form)
    try:
        set_pin(staff, form.new_pin.data or "")
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        form.new_pin.errors = [exc.errors.get("pin", exc.message)]
        flash(exc.message, "error")
        return _staff_page(exc.status, failed=staff_id, form=form)
    flash(_("New PIN set for %(name)s (%(no)s): they are signed out everywhere.",
            name=staff.name, no=staff.staff_no), "success")
    return redirect(url_for("auth.staff_list") + f"#staff-{staff.id}", 303)


@bp.route("/staff/<int:staff_id>/active", methods=["POST"])
@roles_required("manager")
def switch_active(staff_id: int) -> ResponseReturnValue:
    staff = _target(staff_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    active = request.form.get("active") == "1"
    try:
        set_active(staff.id, active, by=current_user)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return _staff_page(exc.status)
    flash(_("%(name)s (%(no)s) can sign in again.", name=staff.name, no=staff.staff_no) if active
          else _("%(name)s (%(no)s) is disabled and signed out everywhere.",
                 name=staff.name, no=staff.staff_no), "success")
    return redirect(url_for("auth.staff_list") + f"#staff-{staff.id}", 303)


@bp.route("/me/pin", methods=["GET", "POST"])
@login_required
def change_pin() -> ResponseReturnValue:
    form = ChangePinForm()
    if request.method == "GET":
        return render_template("auth/change_pin.html", form=form)
    if not form.validate_on_submit():
        return render_template("auth/change_pin.html", form=form), 422
    staff_id = current_user.id
    headers: dict[str, Any] = {}
    try:
        staff = change_own_pin(staff_id, form.current_pin.data or "", form.new_pin.data or "")
        db.session.commit()
    except (SignInFailed, AccountLocked) as exc:
        db.session.commit()  # the wrong current PIN counts toward the throttle
        if isinstance(exc, AccountLocked):
            headers["Retry-After"] = str(exc.retry_after)
            form.current_pin.errors = [refusal_message(exc)]
        else:
            form.current_pin.errors = [_("The current PIN is wrong.")]
        return render_template("auth/change_pin.html", form=form), exc.status, headers
    except DomainError as exc:
        db.session.rollback()
        form.new_pin.errors = [exc.message]
        return render_template("auth/change_pin.html", form=form), exc.status
    with deferred_reads():
        login_user(staff)  # this tablet carries on under the new session epoch
    flash(_("Your PIN is changed. You are signed out on every other device."), "success")
    return redirect(url_for("auth.home"), 303)
