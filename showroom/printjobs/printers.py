"""Printers and document routes: the one place their rules live.

The manager's screen and `flask printers` both go through these functions, so they
accept and refuse exactly the same input (a connection URI the connectors can use and may
reach — `allow_list()`: tcp hosts on SHOWROOM_PRINTER_NETWORKS and ports in
SHOWROOM_PRINTER_PORTS, serial ports under /dev, files in the spool folder — paper 80 or
58 mm, a Chinese mode, a station name, known document kinds, a unique name). Like
every service they flush and leave the commit to the edge; a refusal raises
`ValidationFailed` with one message per field and writes nothing.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from printing.connectors import (
    AllowList,
    NotAllowed,
    parse_connection,
    parse_networks,
    parse_ports,
    port_ranges,
)
from printing.documents import PDF_ONLY, Document, SalesSlip, to_payload
from printing.profiles import CHINESE_MODES, PAPER_WIDTHS
from printing.samples import sample
from showroom.clock import now_utc
from showroom.errors import NotFound, ValidationFailed
from showroom.extensions import db
from showroom.printjobs.models import DOCUMENT_KINDS, DocumentRoute, Printer, PrintJob
from showroom.printjobs.routing import DEFAULT_STATIONS, printer_for
from showroom.printjobs.services import list_stations, queue_job
from showroom.stations import valid_station
from showroom.validation import clean_text

LIMITS = {"name": 60, "connection": 300, "station": 40}
TEST_COPY = "测试页 TEST"


@dataclass(frozen=True, kw_only=True)
class PrinterFields:
    """A printer's settings after checking: what the model stores."""
    name: str
    connection: str
    paper_mm: int
    chinese: str
    station: str
    documents: str  # comma-separated kinds, "" = every kind
    cutter: bool = True
    drawer: bool = False


def clean_printer(*, name: object, connection: object, paper: object, chinese: object,
                  station: object, documents: object = "", cutter: bool = True,
                  drawer: bool = False, current_id: int | None = None,
                  from_screen: bool = False) -> PrinterFields:
    """Check a printer's settings as typed (CLI strings or form values); every problem is
    reported at once against its field. Screen and shell alike, the connection must be
    allowed (`allow_list`): a form must not make the worker append to any file or talk to
    any host (`from_screen` is kept for callers; the rule is the same)."""
    errors: dict[str, str] = {}
    clean_name = clean_text(name, "name", errors, LIMITS["name"], required=True)
    if clean_name and "name" not in errors:
        if not clean_name.isprintable() or "," in clean_name:
            errors["name"] = _("letters, digits and spaces only")
        elif _name_taken(clean_name, current_id):
            errors["name"] = _("a printer named %(name)s already exists", name=clean_name)
    uri = clean_text(connection, "connection", errors, LIMITS["connection"], required=True)
    if uri and "connection" not in errors:
        try:
            allow_list().check(parse_connection(uri))
        except NotAllowed as exc:
            errors["connection"] = not_allowed_message(exc)
        except ValueError as exc:
            errors["connection"] = _("not a printer connection (%(why)s)", why=str(exc))
    paper_mm = _paper(paper, errors)
    mode = str(chinese or "").strip().lower()
    if mode not in CHINESE_MODES:
        errors["chinese"] = _("one of %(modes)s", modes=", ".join(CHINESE_MODES))
    where = clean_text(station, "station", errors, LIMITS["station"], required=True).lower()
    if where and "station" not in errors and not valid_station(where):
        errors["station"] = _("lower-case letters, digits and dashes, e.g. cashier-1")
    kinds = _kinds(documents, errors)
    if errors:
        raise ValidationFailed(_("please correct the printer's settings"), errors=errors)
    return PrinterFields(name=clean_name, connection=uri, paper_mm=paper_mm, chinese=mode,
                         station=where, documents=",".join(kinds), cutter=bool(cutter),
                         drawer=bool(drawer))


def allow_list() -> AllowList:
    """Where printers may be, from the settings (the connectors check it again)."""
    cfg = current_app.config
    return AllowList(networks=parse_networks(cfg["SHOWROOM_PRINTER_NETWORKS"]),
                     ports=parse_ports(cfg["SHOWROOM_PRINTER_PORTS"]), spool=str(spool_folder()))


def not_allowed_message(exc: NotAllowed) -> str:
    allow = allow_list()
    if exc.code == "port":
        return _("not a printer port here: use one of %(ports)s (SHOWROOM_PRINTER_PORTS)",
                 ports=port_ranges(allow.ports))
    if exc.code == "network":
        return _("this printer is outside the shop's networks (%(networks)s; "
                 "SHOWROOM_PRINTER_NETWORKS)",
                 networks=", ".join(str(n) for n in allow.networks))
    if exc.code == "resolve":
        return _("the printer's host name cannot be found: use its IP address")
    if exc.code == "serial":
        return _("a serial printer is a serial port such as /dev/ttyUSB0 or /dev/ttyS0")
    return _("a file printer set up here must write into %(folder)s", folder=str(spool_folder()))


def spool_folder() -> Path:
    """Where file:// printers set up on the screen may write (SHOWROOM_PRINT_SPOOL)."""
    configured = current_app.config.get("SHOWROOM_PRINT_SPOOL") or ""
    return Path(configured or Path(current_app.instance_path) / "printed").resolve()


def _name_taken(name: str, current_id: int | None) -> bool:
    stmt = select(Printer.id).where(func.lower(Printer.name) == name.lower())
    if current_id is not None:
        stmt = stmt.where(Printer.id != current_id)
    return db.session.scalar(stmt.limit(1)) is not None


def _paper(value: object, errors: dict[str, str]) -> int:
    text = str(value if value is not None else "").strip().removesuffix("mm").strip()
    if text.isdigit() and int(text) in PAPER_WIDTHS:
        return int(text)
    errors["paper"] = _("80 or 58 (mm)")
    return 80


def _kinds(value: object, errors: dict[str, str]) -> list[str]:
    """Document kinds from "sales_slip,cash_receipt" or a list; empty means every kind."""
    if isinstance(value, str):
        items: Iterable[object] = value.split(",")
    elif isinstance(value, (list, tuple)):
        items = value
    elif value is None:
        items = ()
    else:
        errors["documents"] = _("a comma-separated list of document kinds")
        return []
    kinds = [str(k).strip().lower() for k in items if str(k).strip()]
    unknown = [k for k in kinds if k not in DOCUMENT_KINDS]
    if unknown:
        errors["documents"] = _("unknown document kind %(kinds)s (known: %(known)s)",
                                kinds=", ".join(unknown), known=", ".join(DOCUMENT_KINDS))
        return []
    ordered = [k for k in DOCUMENT_KINDS if k in kinds]  # stable order, no repeats
    return [] if set(ordered) == set(DOCUMENT_KINDS) else ordered


def add_printer(fields: PrinterFields) -> Printer:
    printer = Printer(**dataclasses.asdict(fields), enabled=True, status_reply="")
    db.session.add(printer)
    db.session.flush()
    return printer


def update_printer(printer: Printer, fields: PrinterFields) -> Printer:
    for key, value in dataclasses.asdict(fields).items():
        setattr(printer, key, value)
    db.session.flush()
    return printer


def set_enabled(printer: Printer, enabled: bool) -> Printer:
    """A disabled printer keeps its settings but gets no jobs; its station's jobs go to
    another printer there, else to the kind's routed station."""
    printer.enabled = enabled
    db.session.flush()
    return printer


def get_printer(name_or_id: str | int) -> Printer:
    if isinstance(name_or_id, int):
        found = db.session.get(Printer, name_or_id)
    else:
        found = db.session.scalar(select(Printer).where(
            func.lower(Printer.name) == name_or_id.strip().lower()).limit(1))
    if found is None:
        raise NotFound(_("no printer %(name)s", name=name_or_id))
    return found


def list_printers() -> list[Printer]:
    return list(db.session.scalars(select(Printer).order_by(Printer.station, Printer.name)))


def printers_by_station() -> list[tuple[str, list[Printer]]]:
    """Every known station with its printers (stations without one included)."""
    printers = list_printers()
    stations = sorted(set(list_stations()) | {p.station for p in printers})
    return [(s, [p for p in printers if p.station == s]) for s in stations]


def record_status(printer: Printer, reply: str) -> None:
    """What the printer last said about itself (paper out …): shown, never proof."""
    printer.status_reply = reply[:200]
    printer.status_at = now_utc()
    db.session.flush()


# --- document routes -------------------------------------------------------------------

@dataclass(frozen=True)
class Route:
    document: str
    station: str
    default: str
    printer: Printer | None  # who prints it there now (None: nobody, a problem)


def document_routes() -> list[Route]:
    chosen = {r.document: r.station for r in db.session.scalars(select(DocumentRoute))}
    routes = []
    for kind in DOCUMENT_KINDS:
        station = chosen.get(kind, DEFAULT_STATIONS[kind])
        routes.append(Route(kind, station, DEFAULT_STATIONS[kind], printer_for(kind, station)))
    return routes


def set_routes(stations: dict[str, object]) -> int:
    """Set the station each named kind prints at by default; returns how many changed.
    A kind set back to its built-in default loses its row."""
    errors: dict[str, str] = {}
    clean: dict[str, str] = {}
    for kind, value in stations.items():
        if kind not in DOCUMENT_KINDS:
            errors[kind] = _("unknown document kind %(kinds)s (known: %(known)s)",
                             kinds=kind, known=", ".join(DOCUMENT_KINDS))
            continue
        where = str(value or "").strip().lower()
        if not valid_station(where):
            errors[kind] = _("lower-case letters, digits and dashes, e.g. cashier-1")
        clean[kind] = where
    if errors:
        raise ValidationFailed(_("please correct the document routes"), errors=errors)
    changed = 0
    for kind, where in clean.items():
        row = db.session.get(DocumentRoute, kind)
        current = row.station if row is not None else DEFAULT_STATIONS[kind]
        if where == current:
            continue
        changed += 1
        if where == DEFAULT_STATIONS[kind]:
            if row is not None:
                db.session.delete(row)
        elif row is None:
            db.session.add(DocumentRoute(document=kind, station=where))
        else:
            row.station = where
    db.session.flush()
    return changed


# --- test pages ------------------------------------------------------------------------

def page_kind_for_test(printer: Printer) -> str:
    """The kind a test page uses: one this printer prints (a sales slip if it prints all)."""
    kinds = [k for k in printer.document_kinds if k not in PDF_ONLY] or ["sales_slip"]
    return "sales_slip" if "sales_slip" in kinds else kinds[0]


def sample_test_page(kind: str, lang: str = "zh") -> Document:
    """A short sample of `kind`; a sales slip prints one copy marked as a test page."""
    doc = sample(kind, lines=3, lang=lang)
    if isinstance(doc, SalesSlip):
        doc = dataclasses.replace(doc, copies=[TEST_COPY])
    return doc


def queue_test_page(printer: Printer, *, staff_id: int | None) -> PrintJob:
    """Queue a test page at the printer's station, named for this printer; the print
    worker delivers it like any other job (never printed inside a request)."""
    kind = page_kind_for_test(printer)
    payload = to_payload(sample_test_page(kind))
    payload.pop("shop", None)  # queue_job puts the showroom's own name on it
    job = queue_job(kind, payload, station=printer.station, ref=f"test {printer.name}"[:40],
                    staff_id=staff_id)
    job.pinned_printer = job.printer = printer.name
    db.session.flush()
    return job

