"""Keeping staff on screen: managers list staff, add someone, change their name and roles,
reset a PIN, disable or enable someone;
everyone changes their own PIN. A new PIN or disabling ends the staff member's sessions
and tokens (after changing their own PIN, this tablet stays signed in). Every write goes
through the screen edge (web.screen.perform)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user
from sqlalchemy import select

from showroom.auth.access import roles_required
from showroom.auth.forms import (
    ChangePinForm,
    EmptyForm,
    NewPinForm,
    NewStaffForm,
    StaffRolesForm,
)
from showroom.auth.keeping import update_staff
from showroom.auth.models import Staff
from showroom.auth.services import add_staff, change_own_pin, set_active, set_pin
from showroom.auth.views import PIN_REFUSALS, refusal_message, retry_headers
from showroom.extensions import db
from showroom.web.screen import PinTry, Refusal, mark_fields, perform


def _staff_page(status: int = 200, *, failed: int | None = None, form: NewPinForm | None = None
                ) -> ResponseReturnValue:
    staff = db.session.scalars(select(Staff).order_by(Staff.active.desc(), Staff.staff_no)).all()
    return render_template("auth/staff.html", staff=staff, failed=failed,
                           failed_form=form, blank=NewPinForm(formdata=None),
                           button=EmptyForm()), status


@roles_required("manager")
def staff_list() -> ResponseReturnValue:
    return _staff_page()


def _target(staff_id: int) -> Staff:
    staff = db.session.get(Staff, staff_id)
    if staff is None:
        abort(404)
    return staff


def _to_row(staff: Staff) -> ResponseReturnValue:
    return redirect(url_for("auth.staff_list") + f"#staff-{staff.id}", 303)


@roles_required("manager")
def reset_pin(staff_id: int) -> ResponseReturnValue:
    staff = _target(staff_id)
    if staff.id == current_user.id:
        flash(_("Change your own PIN here: it asks for your current PIN first."), "warning")
        return redirect(url_for("auth.change_pin"), 303)
    form = NewPinForm()
    name, number = staff.name, staff.staff_no

    def done(_staff: Staff) -> ResponseReturnValue:
        flash(_("New PIN set for %(name)s (%(no)s): they are signed out everywhere.",
                name=name, no=number), "success")
        return redirect(url_for("auth.staff_list") + f"#staff-{staff_id}", 303)

    def refused(refusal: Refusal) -> ResponseReturnValue:
        if refusal.code != "invalid-form":
            form.new_pin.errors = [refusal.errors.get("pin", refusal.message)]
        return _staff_page(refusal.status, failed=staff_id, form=form)

    return perform(lambda: set_pin(_target(staff_id), form.new_pin.data or ""), form=form,
                   done=done, refused=refused)


@roles_required("manager")
def switch_active(staff_id: int) -> ResponseReturnValue:
    staff = _target(staff_id)
    active = request.form.get("active") == "1"
    name, number = staff.name, staff.staff_no

    def done(_staff: Staff) -> ResponseReturnValue:
        flash(_("%(name)s (%(no)s) can sign in again.", name=name, no=number) if active
              else _("%(name)s (%(no)s) is disabled and signed out everywhere.",
                     name=name, no=number), "success")
        return redirect(url_for("auth.staff_list") + f"#staff-{staff_id}", 303)

    def refused(refusal: Refusal) -> ResponseReturnValue:
        if refusal.code == "form-expired":
            abort(400)
        return _staff_page(refusal.status)

    return perform(lambda: set_active(staff_id, active, by=current_user), form=EmptyForm(),
                   done=done, refused=refused)


@login_required
def change_pin() -> ResponseReturnValue:
    form = ChangePinForm()
    if request.method == "GET":
        return render_template("auth/change_pin.html", form=form)

    def done(staff: Staff) -> ResponseReturnValue:
        login_user(staff)  # this tablet carries on under the new session epoch
        flash(_("Your PIN is changed. You are signed out on every other device."), "success")
        return redirect(url_for("auth.home"), 303)

    def refused(refusal: Refusal) -> ResponseReturnValue:
        if refusal.code in ("locked", "too-many-attempts"):
            form.current_pin.errors = [refusal.message]
        elif refusal.code == "sign-in-failed":
            form.current_pin.errors = [_("The current PIN is wrong.")]
        elif refusal.code != "invalid-form":
            form.new_pin.errors = [refusal.message]
        return (render_template("auth/change_pin.html", form=form), refusal.status,
                retry_headers(refusal))

    return perform(lambda: change_own_pin(current_user.id, form.current_pin.data or "",
                                          form.new_pin.data or ""),
                   form=form, pin=PinTry(current_user.staff_no, "change-pin"), say=False,
                   done=done, refused=refused,
                   messages={code: refusal_message for code in PIN_REFUSALS})


@roles_required("manager")
def new_staff() -> ResponseReturnValue:
    """Add a staff member: number, name, roles, a first PIN (the one PIN rule)."""
    form = NewStaffForm()
    if request.method == "GET":
        return render_template("auth/staff_new.html", form=form)

    def done(staff: Staff) -> ResponseReturnValue:
        flash(_("%(name)s (%(no)s) added: they can sign in now.", name=staff.name,
                no=staff.staff_no), "success")
        return redirect(url_for("auth.staff_list") + f"#staff-{staff.id}", 303)

    def refused(refusal: Refusal) -> ResponseReturnValue:
        errors = dict(refusal.errors)
        if "pin" in errors:
            errors["new_pin"] = errors.pop("pin")
        if refusal.code == "conflict":
            errors["staff_no"] = refusal.message
        if "roles" in errors:
            errors["roles"] = _("Choose at least one role.")
        mark_fields(form, errors)
        return render_template("auth/staff_new.html", form=form), refusal.status

    return perform(lambda: add_staff(form.staff_no.data or "", form.name.data or "",
                                     list(form.roles.data or []), form.new_pin.data or ""),
                   form=form, done=done, refused=refused)


@roles_required("manager")
def edit_staff(staff_id: int) -> ResponseReturnValue:
    """A staff member's name and roles. A manager keeps their own manager role."""
    staff = _target(staff_id)
    if request.method == "GET":
        form = StaffRolesForm(obj=staff)
        form.roles.data = sorted(staff.role_set)
        return render_template("auth/staff_edit.html", form=form, staff=staff)
    form = StaffRolesForm()

    def done(changed: Staff) -> ResponseReturnValue:
        flash(_("%(name)s (%(no)s) saved.", name=changed.name, no=changed.staff_no),
              "success")
        return redirect(url_for("auth.staff_list") + f"#staff-{staff_id}", 303)

    def refused(refusal: Refusal) -> ResponseReturnValue:
        mark_fields(form, refusal.errors)
        return (render_template("auth/staff_edit.html", form=form, staff=_target(staff_id)),
                refusal.status)

    return perform(lambda: update_staff(_target(staff_id), by=current_user,
                                        name=form.name.data or "",
                                        roles=list(form.roles.data or [])),
                   form=form, done=done, refused=refused)
