"""A manager's approval typed into an action: staff number + PIN, checked like the packing
cross-out (every try recorded, a wrong PIN counts toward that manager's lockout) and
refused unless the staff member is a manager. Refunds of credit and the credit-limit
override both use it."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from showroom.auth.models import Staff
from showroom.auth.services import authenticate
from showroom.errors import Forbidden, ValidationFailed
from showroom.validation import clean_text


@dataclass(frozen=True)
class ManagerApproval:
    """What the cashier types for a manager: their staff number, PIN and the reason."""

    manager_staff_no: str
    manager_pin: str
    reason: str


def check_approval_fields(approval: ManagerApproval | None, errors: dict[str, str]) -> str:
    """Field problems of an approval (missing number, PIN or reason) into `errors`; the
    cleaned reason back."""
    if approval is None:
        errors["manager_staff_no"] = _("a manager's staff number and PIN")
        errors["reason"] = _("required")
        return ""
    reason = clean_text(approval.reason, "reason", errors, 200, required=True)
    if not (approval.manager_staff_no or "").strip():
        errors["manager_staff_no"] = _("a manager's staff number")
    if not (approval.manager_pin or "").strip():
        errors["manager_pin"] = _("the manager's PIN")
    return reason


def approving_manager(approval: ManagerApproval, source: str) -> Staff:
    """The manager who approves, after their PIN is verified; refused for anyone else."""
    errors: dict[str, str] = {}
    check_approval_fields(approval, errors)
    if errors:
        raise ValidationFailed(_("a manager's staff number, PIN and a reason are needed"),
                               errors=errors)
    manager = authenticate(approval.manager_staff_no, approval.manager_pin, source=source)
    if "manager" not in manager.role_set:
        raise Forbidden(_("%(name)s is not a manager: a manager must approve", name=manager.name),
                        errors={"manager_staff_no": _("not a manager")})
    return manager
