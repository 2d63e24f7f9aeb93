"""`flask staff add NUMBER NAME --role ROLE … --pin PIN`, `flask staff set-pin NUMBER`,
`flask staff disable NUMBER`, `flask staff list`."""
from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from showroom.auth.models import ROLES, Staff
from showroom.auth.services import add_staff, end_sessions, find_staff, set_pin
from showroom.errors import DomainError
from showroom.extensions import db

staff_cli = AppGroup("staff", help="Staff members, their roles and PINs.")


def _refused(exc: DomainError) -> click.ClickException:
    db.session.rollback()
    detail = "; ".join(f"{k}: {v}" for k, v in exc.errors.items() if k != "pin")  # said already
    return click.ClickException(f"{exc.message}{' (' + detail + ')' if detail else ''}")


@staff_cli.command("add")
@click.argument("number")
@click.argument("name")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLES))
@click.option("--pin", required=True, help="6 to 12 digits, not easy to guess")
def add_command(number: str, name: str, roles: tuple[str, ...], pin: str) -> None:
    try:
        staff = add_staff(number, name, list(roles), pin)
        db.session.commit()
    except DomainError as exc:
        raise _refused(exc) from exc
    click.echo(f"added {staff.staff_no} {staff.name} ({staff.roles})")


@staff_cli.command("set-pin")
@click.argument("number")
@click.option("--pin", prompt="New PIN", hide_input=True, confirmation_prompt="Again",
              help="6 to 12 digits, not easy to guess (asked twice, hidden, when not given)")
def set_pin_command(number: str, pin: str) -> None:
    """Give a staff member a new PIN; every session and API token of theirs ends."""
    try:
        staff = set_pin(find_staff(number), pin)
        db.session.commit()
    except DomainError as exc:
        raise _refused(exc) from exc
    click.echo(f"new PIN set for {staff.staff_no} {staff.name}; they are signed out everywhere")


@staff_cli.command("disable")
@click.argument("number")
def disable_command(number: str) -> None:
    try:
        staff = find_staff(number)
    except DomainError as exc:
        raise _refused(exc) from exc
    staff.active = False
    end_sessions(staff)
    db.session.commit()
    click.echo(f"disabled {number}; their sessions and API tokens are ended")


@staff_cli.command("list")
def list_command() -> None:
    for s in db.session.scalars(select(Staff).order_by(Staff.staff_no)):
        click.echo(f"{s.staff_no}\t{s.name}\t{s.roles}\t{'active' if s.active else 'disabled'}")
