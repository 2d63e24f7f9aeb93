"""Display labels for the codes stored in the database (kinds, statuses, methods, …).

Codes stay English in the database, the API and the logs; screens and flash messages
show them through `label(code, group)` (Jinja: `{{ v.status|label('visit') }}`), so one
mapping serves every template and service message, in the request's language.
"""
from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

LABELS: dict[str, dict[str, LazyString]] = {
    "customer_kind": {"wholesale": _l("Wholesale"), "franchise": _l("Franchise")},
    "visit": {"waiting": _l("Waiting"), "greeted": _l("Greeted"),
              "with_clerk": _l("With clerk"), "left": _l("Left")},
    "order": {"open": _l("In progress"), "awaiting_settlement": _l("Awaiting settlement"),
              "settled": _l("Settled"), "cancelled": _l("Cancelled"), "packed": _l("Packed"),
              "shipped": _l("Shipped")},
    # the same, inside a sentence ("order XS-… is awaiting settlement")
    "order_state": {"open": _l("open"), "awaiting_settlement": _l("awaiting settlement"),
                    "settled": _l("settled"), "cancelled": _l("cancelled"),
                    "packed": _l("packed"), "shipped": _l("shipped")},
    "channel": {"showroom": _l("Showroom"), "video": _l("Video call"), "online": _l("Online"),
                "phone": _l("Phone")},
    "ledger": {"sale": _l("Sale"), "payment": _l("Payment"), "refund": _l("Refund"),
               "return_credit": _l("Return credit"), "adjustment": _l("Adjustment"),
               "reversal": _l("Reversal"), "shipping_fee": _l("Shipping fee")},
    "payment": {"cash": _l("Cash"), "bank_transfer": _l("Bank transfer"),
                "wechat": _l("WeChat Pay"), "alipay": _l("Alipay"),
                "on_account": _l("On account")},
    "job_status": {"queued": _l("Queued"), "printing": _l("Printing"), "printed": _l("Printed"),
                   "failed": _l("Failed"), "needs_attention": _l("Needs attention")},
    "document": {"sales_slip": _l("Sales slip"), "cash_receipt": _l("Cash receipt"),
                 "return_slip": _l("Return slip"), "locker_ticket": _l("Locker ticket"),
                 "packing_list": _l("Packing list"), "box_label": _l("Box label"),
                 "shipping_notice": _l("Shipping notice"), "product_label": _l("Product label"),
                 "customer_statement": _l("Customer statement")},
    "carrier": {"china_railway_express": _l("China Railway Express"), "sf_express": _l("SF Express"),
                "sto_express": _l("STO Express"), "road_freight": _l("Road freight"),
                "self_pickup": _l("Self pickup")},
    "fee_payer": {"customer": _l("Customer pays"), "showroom": _l("Showroom pays")},
    "travel_mode": {"train": _l("Train"), "plane": _l("Plane"), "own_car": _l("Own car"),
                    "taxi": _l("Taxi"), "bus": _l("Coach"), "other": _l("Other")},
    "notice_channel": {"copied": _l("Copied into a message"), "printed": _l("Printed"),
                       "emailed": _l("E-mail"), "phoned": _l("Phoned")},
    "notice_status": {"done": _l("Recorded"), "queued": _l("Waiting to send"),
                      "sending": _l("Sending"), "sent": _l("Sent"), "failed": _l("Not sent")},
    "issue": {"defect": _l("Defect"), "missing_label": _l("Missing label"), "other": _l("Other")},
    "remark": {"opinion": _l("Opinion"), "suggestion": _l("Suggestion"),
               "complaint": _l("Complaint")},
    "record": {"wish": _l("Wish"), "issue": _l("Product issue"), "remark": _l("Remark"),
               "restock": _l("Restock")},
    "role": {"reception": _l("Reception"), "clerk": _l("Clerk"), "cashier": _l("Cashier"),
             "packer": _l("Packer"), "shipper": _l("Shipper"), "manager": _l("Manager")},
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
