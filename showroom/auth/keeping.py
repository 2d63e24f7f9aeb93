"""Keeping staff (SPEC §13): change a staff member's name, roles, active flag or PIN in
one call, for the manager's screens and PATCH /api/v1/staff/{staff_no}.

Disabling or a new PIN ends the staff member's sessions and API tokens (the session
epoch, see auth.models.Staff). A manager cannot disable themself nor take away their own
manager role: the last manager could otherwise lock everyone out.
"""
from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _

from showroom.auth.models import ROLES, Staff
from showroom.auth.pins import validate_pin
from showroom.auth.services import end_sessions, set_pin
from showroom.errors import Forbidden, ValidationFailed
from showroom.validation import clean_text


def clean_roles(roles: object) -> list[str]:
    if not isinstance(roles, list | tuple) or not roles or not all(
            isinstance(r, str) for r in roles):
        raise ValidationFailed(_("Choose at least one role."),
                               errors={"roles": _("choose from %(roles)s",
                                                  roles=", ".join(ROLES))})
    bad = [r for r in roles if r not in ROLES]
    if bad:
        raise ValidationFailed(_("Unknown role: %(roles)s", roles=", ".join(bad[:5])[:100]),
                               errors={"roles": _("choose from %(roles)s",
                                                  roles=", ".join(ROLES))})
    return [r for r in ROLES if r in roles]  # in the list's order, once each


def update_staff(staff: Staff, *, by: Staff, name: str | None = None,
                 roles: Sequence[str] | None = None, active: bool | None = None,
                 pin: str | None = None) -> Staff:
    """Only what is given changes; everything is checked before anything changes."""
    errors: dict[str, str] = {}
    clean_name = clean_text(name, "name", errors, 60, required=True) if name is not None else None
    if errors:
        raise ValidationFailed(_("Please correct the name."), errors=errors)
    clean = clean_roles(list(roles)) if roles is not None else None
    if pin is not None:
        validate_pin(pin, staff.staff_no)
    if staff.id == by.id:
        if active is False:
            raise Forbidden(_("You cannot disable yourself: ask another manager."),
                            errors={"active": _("not yourself")})
        if clean is not None and "manager" not in clean:
            raise Forbidden(_("You cannot take away your own manager role: another manager "
                              "must do it, so the showroom always keeps one."),
                            errors={"roles": _("keep your manager role")})
    if clean_name is not None:
        staff.name = clean_name
    if clean is not None:
        staff.roles = ",".join(clean)
    if pin is not None:
        set_pin(staff, pin)  # the PIN rule; ends sessions and tokens
    if active is not None and active != staff.active:
        staff.active = active
        if not active:
            end_sessions(staff)
    return staff
