"""`flask showroom backup FILE | restore FILE | check`: the shell's edge over `showroom.ops`.

Each command calls one service, prints its lines and exits 0 when all is well; a
refusal or failure prints why and exits 1 with nothing changed, and `check` (also run
after every restore) exits 1 with the list of findings when the database disagrees
with itself, so cron and scripts can tell.
"""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError

from showroom.errors import DomainError
from showroom.extensions import db
from showroom.ops.backup import backup_database
from showroom.ops.integrity import check_database
from showroom.ops.restore import restore_database


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--overwrite", is_flag=True, help="Replace FILE if it exists.")
@with_appcontext
def backup_command(file: Path, overwrite: bool) -> None:
    """Write a consistent backup of the whole database to FILE while the app runs
    (SQLite: online backup API; PostgreSQL: pg_dump -Fc). FILE gets mode 0600."""
    try:
        result = backup_database(file, overwrite=overwrite)
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    except SQLAlchemyError as exc:
        raise unreadable(exc) from exc
    finally:
        db.session.rollback()
    for line in result.lines():
        click.echo(line)


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True,
              help="Replace a database that already has data (all of it is lost).")
@with_appcontext
def restore_command(file: Path, force: bool) -> None:
    """Restore a backup into the app's database, which must be EMPTY (stop the app and
    the print worker first), then check it."""
    try:
        result = restore_database(file, force=force)
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    except SQLAlchemyError as exc:
        raise unreadable(exc) from exc
    finally:
        db.session.rollback()
    for line in result.lines():
        click.echo(line)
    if not result.report.ok:
        raise click.exceptions.Exit(1)


@click.command("check")
@with_appcontext
def check_command() -> None:
    """Check that the database agrees with itself (balances, stock, settlements,
    packing); exit 1 with every finding when it does not."""
    try:
        report = check_database()
    except SQLAlchemyError as exc:
        raise unreadable(exc) from exc
    finally:
        db.session.rollback()
    for line in report.lines():
        click.echo(line)
    if not report.ok:
        raise click.exceptions.Exit(1)


def unreadable(exc: SQLAlchemyError) -> click.ClickException:
    """The database itself answered with an error (unreachable, no tables, ...)."""
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    return click.ClickException(_("cannot use the database (%(reason)s); is it running, and "
                                  "are its tables created (`flask db upgrade`)?", reason=reason))


COMMANDS = (backup_command, restore_command, check_command)
