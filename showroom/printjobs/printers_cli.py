"""`flask printers add|list|test|disable|enable`: set up the floor's printers from a shell.

The checks are the manager screen's (`showroom.printjobs.printers`), so the shell and the
screen accept the same settings. `printers test NAME` is the one place that prints
synchronously: it renders a short test page for the printer's profile, sends it, and says
whether it was delivered, not delivered (safe to try again) or ambiguous (may have printed).
"""
from __future__ import annotations

import unicodedata

import click
from flask.cli import AppGroup

from printing.connectors import Ambiguous, NotDelivered, connector_for
from printing.profiles import CHINESE_MODES
from showroom.errors import DomainError
from showroom.extensions import db
from showroom.printjobs.models import DOCUMENT_KINDS, Printer
from showroom.printjobs.printers import (
    add_printer,
    allow_list,
    clean_printer,
    get_printer,
    list_printers,
    page_kind_for_test,
    record_status,
    sample_test_page,
    set_enabled,
)
from showroom.printjobs.routing import profile_of

printers_cli = AppGroup("printers", help="Receipt and label printers at the stations.")

ADD_HELP = f"""Register a printer at a station.

\b
CONNECTION is one of
  tcp://HOST:PORT            network raw port, e.g. tcp://192.168.1.50:9100
  usb://VID:PID              e.g. usb://04b8:0202
  serial:///dev/ttyUSB0?baud=115200
  cups://QUEUE               a raw CUPS queue
  file:///path               append the bytes to a file
\b
--chinese: {", ".join(CHINESE_MODES)} (image prints Chinese as a picture on any printer)
--documents: kinds this printer prints, comma-separated; none = every kind
  ({", ".join(DOCUMENT_KINDS)})

Nothing is written if any setting is wrong; every problem is listed.
"""


def _fail(exc: DomainError) -> click.ClickException:
    db.session.rollback()
    lines = [exc.message] + [f"  --{field}: {msg}" for field, msg in exc.errors.items()]
    return click.ClickException("\n".join(lines))


@printers_cli.command("add", help=ADD_HELP)
@click.argument("name")
@click.option("--connection", required=True,
              help="tcp://HOST:PORT (add ?status=0 if the printer never answers DLE EOT status "
                   "queries), usb://VID:PID, serial:///dev/ttyUSB0?baud=115200, cups://QUEUE or "
                   "file:///path")
@click.option("--paper", required=True, help="80 or 58 (mm)")
@click.option("--chinese", required=True, help=" | ".join(CHINESE_MODES))
@click.option("--station", required=True, help="e.g. cashier-1, reception, pack-1")
@click.option("--documents", default="", help="KIND,KIND (default: every kind)")
@click.option("--drawer/--no-drawer", default=False, help="a cash drawer hangs on it")
@click.option("--cutter/--no-cutter", default=True, help="it cuts the paper (default yes)")
def add_command(name: str, connection: str, paper: str, chinese: str, station: str,
                documents: str, drawer: bool, cutter: bool) -> None:
    try:
        fields = clean_printer(name=name, connection=connection, paper=paper, chinese=chinese,
                               station=station, documents=documents, cutter=cutter,
                               drawer=drawer)
        printer = add_printer(fields)
    except DomainError as exc:
        raise _fail(exc) from exc
    db.session.commit()
    click.echo(f"added printer {printer.name} at {printer.station}: {printer.connection}, "
               f"{printer.paper_mm} mm, {printer.chinese}, prints {_kinds(printer)}")


def _kinds(printer: Printer) -> str:
    return ",".join(printer.document_kinds) or "all"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=True))
            .rstrip() for row in rows]


@printers_cli.command("list")
def list_command() -> None:
    """Every printer: name, station, connection, paper, Chinese mode, kinds, enabled,
    and what it last said about itself."""
    printers = list_printers()
    if not printers:
        click.echo("no printers yet: add one with `flask printers add`")
        return
    rows = [["NAME", "STATION", "CONNECTION", "PAPER", "CHINESE", "DOCUMENTS", "ENABLED",
             "LAST STATUS"]]
    for p in printers:
        status = p.status_reply or "-"
        if p.status_reply and p.status_at is not None:
            status += f" ({p.status_at:%Y-%m-%d %H:%M} UTC)"
        rows.append([p.name, p.station, p.connection, f"{p.paper_mm}mm", p.chinese, _kinds(p),
                     "yes" if p.enabled else "no", status])
    for line in _table(rows):
        click.echo(line)


@printers_cli.command("test")
@click.argument("name")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="language of the labels on the test page")
@click.option("--timeout", default=5.0, show_default=True, help="seconds to wait")
def test_command(name: str, lang: str, timeout: float) -> None:
    """Print a short test page on printer NAME now and say whether it arrived."""
    from printing.escpos_render import render_escpos

    try:
        printer = get_printer(name)
    except DomainError as exc:
        raise _fail(exc) from exc
    kind = page_kind_for_test(printer)
    data = render_escpos(sample_test_page(kind, lang), profile_of(printer))
    if not printer.enabled:
        click.echo(f"note: {printer.name} is disabled (it gets no jobs); testing it anyway")
    click.echo(f"sending a {kind} test page ({len(data)} bytes, {printer.paper_mm} mm, "
               f"{printer.chinese}) to {printer.name} at {printer.connection} …")
    printer_id, connection = printer.id, printer.connection
    db.session.rollback()  # no transaction (SQLite write lock) open while the printer is slow
    try:
        delivery = connector_for(connection, timeout=timeout, allow=allow_list()).send(data)
    except NotDelivered as exc:
        raise click.ClickException(f"not delivered: {exc} (nothing printed; safe to try "
                                   "again)") from exc
    except ValueError as exc:  # a connection that is not allowed here (any more)
        raise click.ClickException(f"not delivered: {exc}") from exc
    except Ambiguous as exc:
        raise click.ClickException(f"ambiguous: {exc} (it may have printed: look at the "
                                   "printer)") from exc
    reply = delivery.status_reply
    printer = get_printer(printer_id)
    if reply:
        record_status(printer, reply)
        db.session.commit()
    click.echo(f"delivered to {printer.name}" + (f"; the printer says: {reply}" if reply else
                                                 "; no status reply"))
    if "paper out" in reply:
        raise click.ClickException("the printer reports paper out: load paper and test again")


def _switch(name: str, enabled: bool) -> None:
    try:
        printer = set_enabled(get_printer(name), enabled)
    except DomainError as exc:
        raise _fail(exc) from exc
    db.session.commit()
    click.echo(f"{printer.name} {'enabled' if enabled else 'disabled'}")


@printers_cli.command("disable")
@click.argument("name")
def disable_command(name: str) -> None:
    """Stop sending jobs to printer NAME (its settings stay)."""
    _switch(name, False)


@printers_cli.command("enable")
@click.argument("name")
def enable_command(name: str) -> None:
    """Send jobs to printer NAME again."""
    _switch(name, True)
