"""Keeping staff over the API (manager): add a staff member, change their name, roles,
active flag or PIN. Answers never carry a PIN or its hash. Disabling someone or giving
them a new PIN ends their sessions and tokens (the session epoch)."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated

from flask_babel import gettext as _
from pydantic import Field

from showroom.api.problems import invalid_input
from showroom.api.registry import Call, api_route
from showroom.api.types import In, Line, OneOf, Out
from showroom.auth.keeping import update_staff
from showroom.auth.models import Role, Staff
from showroom.auth.services import add_staff, find_staff

RoleCode = Annotated[str, OneOf(Role)]
Pin = Annotated[str, Field(min_length=6, max_length=12, pattern=r"^[0-9]+$",
                           description="6 to 12 digits; not one digit repeated, not a run "
                                       "like 123456, not containing the staff number")]


class StaffIn(In):
    staff_no: Line = Field(min_length=1, max_length=20, examples=["1024"],
                           description="1 to 20 letters or digits (ASCII)")
    name: Line = Field(min_length=1, max_length=60, examples=["陈志强"])
    roles: list[RoleCode] = Field(min_length=1, max_length=6)
    pin: Pin


class StaffPatchIn(In):
    name: Line | None = Field(None, min_length=1, max_length=60)
    roles: list[RoleCode] | None = Field(None, min_length=1, max_length=6)
    active: bool | None = None
    pin: Pin | None = None


class StaffOut(Out):
    id: int
    staff_no: str
    name: str
    roles: list[str]
    active: bool
    created_at: datetime

    @classmethod
    def of(cls, s: Staff) -> StaffOut:
        return cls(id=s.id, staff_no=s.staff_no, name=s.name,
                   roles=[r for r in Role.codes() if r in s.role_set], active=s.active,
                   created_at=s.created_at)


@api_route("POST", "/staff", roles=("manager",), body=StaffIn, response=StaffOut, status=201,
           summary="Add a staff member", tag="staff", errors=(409,),
           description="A weak PIN is refused (422); a staff number already taken is 409.")
def create(call: Call) -> StaffOut:
    body: StaffIn = call.body
    return StaffOut.of(add_staff(body.staff_no, body.name, list(body.roles), body.pin))


@api_route("PATCH", "/staff/{staff_no}", roles=("manager",), body=StaffPatchIn,
           response=StaffOut, summary="Change a staff member's name, roles, active or PIN",
           tag="staff", errors=(403, 404),
           description="Disabling or a new PIN ends the staff member's sessions and tokens. "
                       "A manager cannot disable themself nor take away their own manager "
                       "role (403).")
def patch(call: Call, staff_no: str) -> StaffOut:
    body: StaffPatchIn = call.body
    given = body.model_dump(exclude_unset=True)
    if not given:
        raise invalid_input({"body": _("send at least one of name, roles, active, pin")})
    nulls = [k for k, v in given.items() if v is None]
    if nulls:
        raise invalid_input({k: _("cannot be null") for k in nulls})
    staff = find_staff(staff_no[:20])
    return StaffOut.of(update_staff(staff, by=call.staff, name=body.name, roles=body.roles,
                                    active=body.active, pin=body.pin))
