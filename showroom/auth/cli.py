"""`flask staff add NUMBER NAME --role ROLE … --pin PIN` and friends."""
from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from showroom.auth.models import ROLES, Staff
from showroom.auth.services import add_staff, revoke_all_tokens
from showroom.errors import DomainError
from showroom.extensions import db

staff_cli = AppGroup("staff", help="Staff members and their roles.")


@staff_cli.command("add")
@click.argument("number")
@click.argument("name")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLES))
@click.option("--pin", required=True, help="6 to 12 digits")
def add_command(number: str, name: str, roles: tuple[str, ...], pin: str) -> None:
    try:
        staff = add_staff(number, name, list(roles), pin)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        detail = "; ".join(f"{k}: {v}" for k, v in exc.errors.items())
        raise click.ClickException(f"{exc.message}{' (' + detail + ')' if detail else ''}") from exc
    click.echo(f"added {staff.staff_no} {staff.name} ({staff.roles})")


@staff_cli.command("disable")
@click.argument("number")
def disable_command(number: str) -> None:
    staff = db.session.scalar(select(Staff).where(Staff.staff_no == number))
    if staff is None:
        raise click.ClickException(f"no staff member {number}")
    staff.active = False
    revoke_all_tokens(staff)
    db.session.commit()
    click.echo(f"disabled {number}; their API tokens are revoked")


@staff_cli.command("list")
def list_command() -> None:
    for s in db.session.scalars(select(Staff).order_by(Staff.staff_no)):
        click.echo(f"{s.staff_no}\t{s.name}\t{s.roles}\t{'active' if s.active else 'disabled'}")
