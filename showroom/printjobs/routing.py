"""Which printer prints a job: the job's station's printer for that document kind, else
the printer of the kind's routed station (manager's choice, else the built-in default).

Resolved when the job is delivered, not when it is queued, so a printer added or moved
after a job was written still prints it.
"""
from __future__ import annotations

from sqlalchemy import select

from printing.profiles import PrinterProfile
from showroom.extensions import db
from showroom.printjobs.models import DocumentRoute, Printer

DEFAULT_STATIONS = {
    "sales_slip": "cashier-1", "cash_receipt": "cashier-1", "return_slip": "cashier-1",
    "locker_ticket": "reception", "packing_list": "pack-1", "box_label": "pack-1",
    "shipping_notice": "ship-1", "product_label": "manager", "customer_statement": "manager",
    "shift_report": "cashier-1", "daily_report": "manager",
    "desk_receipt": "cashier-1", "refund_slip": "cashier-1",
    "aftersales_return": "cashier-1", "aftersales_exchange": "cashier-1",
    "repair_receipt": "reception", "repair_bag_label": "reception",
    "repair_handover": "manager",
    "consignor_payout": "manager", "consignor_statement": "manager",
    "consignment_list": "reception", "consignment_label": "reception",
    "complaint_report": "manager",
    "remit_notice": "cashier-1",
}


def routed_station(document: str) -> str:
    """The station a kind prints at unless the causing desk has its own printer for it."""
    route = db.session.get(DocumentRoute, document)
    return route.station if route is not None else DEFAULT_STATIONS[document]


def printer_for(document: str, station: str) -> Printer | None:
    """The enabled printer for `document` at `station`, else at the kind's routed station.
    Among several, the one registered first wins, so the choice is stable."""
    for where in dict.fromkeys((station, routed_station(document))):
        printers = db.session.scalars(
            select(Printer).where(Printer.station == where, Printer.enabled.is_(True))
            .order_by(Printer.id))
        for printer in printers:
            if printer.prints(document):
                return printer
    return None


def profile_of(printer: Printer) -> PrinterProfile:
    return PrinterProfile(paper_mm=printer.paper_mm, chinese=printer.chinese,
                          cutter=printer.cutter, drawer=printer.drawer)
