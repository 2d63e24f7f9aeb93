"""Display labels for the codes stored in the database (kinds, statuses, methods, …).

Codes stay English in the database, the API and the logs; screens and flash messages
show them through `label(code, group)` (Jinja: `{{ v.status|label('visit') }}`), so one
mapping serves every template and service message, in the request's language. The
labels themselves sit beside their codes in each feature's `Code` enums (showroom.codes);
this module only names the groups and keeps the few labels that are not code lists.
"""
from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from showroom.aftersales.models import AfterSalesKind, AfterSalesReason, Delivery, ReturnRule
from showroom.appointments.models import AppointmentStatus, ChangeKind
from showroom.auth.models import Role
from showroom.codes import Code
from showroom.complaints.models import (
    Acceptance,
    ComplaintCategory,
    ComplaintChannel,
    ComplaintStatus,
    ComplaintStep,
)
from showroom.consignment.models import (
    ConsignmentKind,
    ConsignorEntryKind,
    PayoutMethod,
    SignatureState,
)
from showroom.customers.contact import ContactSource, HistoryKind
from showroom.customers.file import Gender, Level
from showroom.customers.models import CustomerKind, LedgerKind
from showroom.followups.models import FollowUpKind, Outcome
from showroom.orders.models import Channel, OrderStatus
from showroom.packing.models import PackingMode, TickMethod, VoidReason
from showroom.picking.models import IssueKind, RecordKind, RemarkKind
from showroom.printjobs.models import DocumentKind, JobError, JobStatus
from showroom.reception.models import TravelMode, VisitStatus
from showroom.relations.greetings import Occasion
from showroom.remote.codes import AnswerKind, RemitStatus
from showroom.repairs.models import Material, Place, RepairRoute, RepairStatus
from showroom.settlement.models import PaymentMethod
from showroom.shipping.carriers import Carrier
from showroom.shipping.models import FeePayer, MailError, NoticeChannel, NoticeStatus

# Template group name → the code list that carries the labels (defined once, beside the
# column that stores it). Add a list here and `|label('group')` knows it.
GROUPS: dict[str, type[Code]] = {
    "customer_kind": CustomerKind,
    "visit": VisitStatus,
    "order": OrderStatus,
    "channel": Channel,
    "ledger": LedgerKind,
    "payment": PaymentMethod,
    "payout_method": PayoutMethod,
    "consignor_entry": ConsignorEntryKind,
    "job_status": JobStatus,
    "job_error": JobError,
    "document": DocumentKind,
    "carrier": Carrier,
    "fee_payer": FeePayer,
    "travel_mode": TravelMode,
    "notice_channel": NoticeChannel,
    "notice_status": NoticeStatus,
    "notice_error": MailError,
    "issue": IssueKind,
    "remark": RemarkKind,
    "record": RecordKind,
    "role": Role,
    "packing_mode": PackingMode,
    "tick_method": TickMethod,
    "void_reason": VoidReason,
    "aftersales_kind": AfterSalesKind,
    "aftersales_reason": AfterSalesReason,
    "delivery": Delivery,
    "return_rule": ReturnRule,
    "material": Material,
    "repair_status": RepairStatus,
    "repair_route": RepairRoute,
    "place": Place,
    "followup_kind": FollowUpKind,
    "outcome": Outcome,
    "consignment_kind": ConsignmentKind,
    "signature_state": SignatureState,
    "complaint_status": ComplaintStatus,
    "complaint_step": ComplaintStep,
    "complaint_channel": ComplaintChannel,
    "complaint_category": ComplaintCategory,
    "acceptance": Acceptance,
    "occasion": Occasion,
    "gender": Gender,
    "level": Level,
    "contact_source": ContactSource,
    "history_kind": HistoryKind,
    "appointment_status": AppointmentStatus,
    "appointment_change": ChangeKind,
    "remit_status": RemitStatus,
    "answer_kind": AnswerKind,
}

LABELS: dict[str, dict[str, LazyString]] = {
    **{group: codes.lazy_labels() for group, codes in GROUPS.items()},
    # the order's status inside a sentence ("order XS-… is awaiting settlement")
    "order_state": {s.value: s.phrase for s in OrderStatus},
    "copy": {"第一联 存根": _l("Copy 1 · stub"), "第二联 保管": _l("Copy 2 · custodian"),
             "第三联 客户": _l("Copy 3 · customer")},
    # desks a device or printer belongs to: "cashier-1" reads 收银台 1 (showroom.stations)
    "station": {"cashier": _l("Cashier desk"), "reception": _l("Reception desk"),
                "pack": _l("Packing bench"), "ship": _l("Shipping desk"),
                "manager": _l("Manager's office")},
    # names of input fields, for messages that say which field is wrong
    "field": {"qty": _l("Quantity"), "product_code": _l("Product code"),
              "barcode": _l("Barcode"), "description": _l("Description"), "kind": _l("Kind"),
              "note": _l("Note"), "text": _l("Text"), "customer_id": _l("Customer"),
              "name": _l("Name"), "phone": _l("Phone"), "address": _l("Address"),
              "region": _l("Region"), "locker_no": _l("Locker number"),
              "purpose": _l("Purpose of the visit"), "payments": _l("Payments"),
              "lines": _l("Order lines"), "channel": _l("Channel"), "visit_id": _l("Visit"),
              "carrier": _l("Carrier"), "waybill": _l("Waybill number"), "fee": _l("Fee"),
              "boxes": _l("Boxes"), "weight": _l("Weight"), "eta_days": _l("Days to arrive"),
              "fee_payer": _l("Who pays"), "email": _l("E-mail"),
              "destination": _l("Destination")},
    # keys of a print job's stored snapshot, for the preview of documents without a layout
    "doc_field": {"visit_id": _l("Visit"), "customer_name": _l("Customer"),
                  "customer_code": _l("Customer code"), "locker_no": _l("Locker number"),
                  "time": _l("Time"), "at_utc": _l("Time (UTC)"), "number": _l("Number"),
                  "printed_at": _l("Printed at"), "order_number": _l("Order"),
                  "total": _l("Total")},
}


def label(code: object, group: str) -> str:
    """The code's label in the current language; an unknown code is shown as it is."""
    if code is None:
        return ""
    found = LABELS.get(group, {}).get(str(code))
    return str(found) if found is not None else str(code)


_NUMBERED = re.compile(r"^([a-z]+)-?([0-9]{1,3})$")
_REF = re.compile(r"^test (?P<test>.+)$|^visit-(?P<visit>[0-9]+)$")


def station_label(code: object) -> str:
    """A station code for a screen: "cashier-1" → 收银台 1, "reception" → 前台; a code
    without a label is shown as it is."""
    if not code:
        return ""
    text = str(code)
    found = LABELS["station"].get(text)
    if found is not None:
        return str(found)
    m = _NUMBERED.match(text)
    if m and m.group(1) in LABELS["station"]:
        return f"{LABELS['station'][m.group(1)]} {m.group(2)}"
    return text


def ref_label(ref: object) -> str:
    """A document or ledger reference for a screen: order and slip numbers stay as they
    are; the few made of English words ("OPENING", "visit-12", "test …") are labelled."""
    if not ref:
        return ""
    text = str(ref)
    if text == "OPENING":
        return _("Opening balance")
    m = _REF.match(text)
    if m and m.group("visit"):
        return _("Visit %(n)s", n=m.group("visit"))
    if m and m.group("test"):
        return _("Test print %(name)s", name=m.group("test"))
    return text


def labels(group: str) -> dict[str, str]:
    """A whole group, evaluated now (for select choices and JS templates)."""
    return {code: str(text) for code, text in LABELS[group].items()}
