"""One import that loads every table, for metadata, Alembic and tests."""
from showroom.aftersales.models import (
    AfterSalesDoc,
    AfterSalesLine,
    AfterSalesReplacement,
    FranchiseContract,
)
from showroom.appointments.models import Appointment, AppointmentChange, AppointmentGood
from showroom.attachments.models import Attachment
from showroom.auth.models import ApiToken, LoginAttempt, Staff
from showroom.catalog.models import Area, Product, StockMove, StockReceipt
from showroom.complaints.models import Complaint, ComplaintStepLog
from showroom.consignment.models import (
    Consignment,
    ConsignmentLine,
    Consignor,
    ConsignorEntry,
    ConsignorPayout,
)
from showroom.customers.models import Customer, CustomerContact, LedgerEntry
from showroom.followups.models import CalendarDay, FollowUp
from showroom.idempotency import IdempotencyRecord
from showroom.money_desk.models import CreditRefund, DeskPayment, ShiftClose
from showroom.numbering import DocumentCounter
from showroom.orders.models import Order, OrderLine
from showroom.packing.models import Packing, PackingBox, PackingSignature, PackingTick
from showroom.picking.models import ProductIssue, Remark, RestockTask, Wish
from showroom.printjobs.models import DocumentRoute, Printer, PrintJob
from showroom.reception.models import Inquiry, Visit
from showroom.repairs.models import Custody, Repair
from showroom.service_levels.models import KeptWeek
from showroom.settlement.models import (
    Payment,
    ReturnLine,
    ReturnSlip,
    Settlement,
)
from showroom.shipping.models import CarrierRate, Shipment, ShipmentNotice

__all__ = [
    "AfterSalesDoc", "AfterSalesLine", "AfterSalesReplacement", "FranchiseContract",
    "ApiToken", "Appointment", "AppointmentChange", "AppointmentGood", "Area", "Attachment",
    "Custody", "FollowUp", "Repair",
    "CreditRefund", "DeskPayment", "ShiftClose",
    "CalendarDay", "Complaint", "ComplaintStepLog", "CustomerContact",
    "Consignment", "ConsignmentLine", "Consignor", "ConsignorEntry", "ConsignorPayout",
    "CarrierRate", "Packing", "PackingBox", "PackingSignature", "PackingTick",
    "Shipment", "ShipmentNotice", "Customer", "DocumentCounter", "IdempotencyRecord", "Inquiry",
    "DocumentRoute", "LedgerEntry", "LoginAttempt", "Order", "OrderLine", "Payment", "PrintJob",
    "KeptWeek", "Printer", "Product",
    "ProductIssue", "Remark", "RestockTask", "ReturnLine", "ReturnSlip", "Settlement",
    "Staff", "StockMove", "StockReceipt", "Visit", "Wish",
]

_guarded = False


def _guard() -> None:
    global _guarded
    if not _guarded:
        from showroom.db import guard_append_only
        from showroom.extensions import db

        guard_append_only(db.metadata)
        _guarded = True


_guard()
