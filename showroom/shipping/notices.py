"""The shipping notice (发货通知, Std ch.6): its text in the customer's language, and every
time the customer was told — copied into a message, printed, phoned, or e-mailed.

The text is written in the customer's notice language (Customer.notice_lang), never the
screen's, and stored on the shipment, so what was sent can always be read back. An
e-mail is only queued here; the worker sends it (shipping.mail), never a request.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from showroom.clock import local
from showroom.customers.models import Customer, NoticeLang
from showroom.errors import Conflict, NotFound, ValidationFailed
from showroom.extensions import db
from showroom.orders.models import Order
from showroom.printjobs.models import DocumentKind
from showroom.printjobs.services import queue_job
from showroom.shipping.carriers import carrier_name
from showroom.shipping.models import NoticeChannel, NoticeStatus, Shipment, ShipmentNotice

NOTICE_LANGS = NoticeLang.codes()
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# what record_notice takes; e-mail is queued
STAFF_CHANNELS = (NoticeChannel.COPIED, NoticeChannel.PRINTED, NoticeChannel.PHONED)


def day_text(d: date, lang: str) -> str:
    """11月22日 / 22 Nov: how a notice names a day."""
    return f"{d.day} {MONTHS[d.month - 1]}" if lang == "en" else f"{d.month}月{d.day}日"


def notice_text(*, lang: str, shop: str, customer: str, order_number: str, boxes: int,
                carrier: str, waybill: str, shipped_on: date, eta: date | None,
                new_goods_first: bool = False) -> str:
    """The message for the customer. Self pickup says the goods were picked up; a notice
    without a known arrival day leaves the ETA out rather than guessing."""
    name = carrier_name(carrier, lang)
    shipped = day_text(shipped_on, lang)
    if lang == "en":
        goods = f"your goods (order {order_number}, {boxes} box{'es' if boxes != 1 else ''})"
        head = f"{shop}: Dear {customer}, "
        if carrier == "self_pickup":
            return head + f"{goods} were picked up on {shipped}. Please check the box count. " \
                          "Thank you!"
        text = head + f"{goods} were shipped on {shipped} by {name}, waybill {waybill}"
        if eta is not None:
            text += f"; expected to arrive around {day_text(eta, lang)}"
        text += ". Thank you!"
        if new_goods_first:
            text += " We will tell you first when new goods arrive."
        return text
    goods = f"您的货物（销售单 {order_number}，共 {boxes} 箱）"
    head = f"【{shop}】{customer}您好：{goods}"
    if carrier == "self_pickup":
        return head + f"已于 {shipped} 自提取走，请核对箱数。谢谢惠顾！"
    text = head + f"已于 {shipped} 由{name}发出，货单号 {waybill}"
    if eta is not None:
        text += f"，预计 {day_text(eta, lang)} 前后到达"
    text += "，请注意查收。"
    text += "新货到时我们会第一时间通知您。" if new_goods_first else "谢谢惠顾！"
    return text


def shipped_on(shipment: Shipment) -> date:
    return local(shipment.shipped_at, current_app.config["SHOWROOM_TIMEZONE"]).date()


def get_shipment(shipment_id: int) -> Shipment:
    shipment = db.session.get(Shipment, shipment_id)
    if shipment is None:
        raise NotFound(_("no shipment %(id)s", id=shipment_id))
    return shipment


def notice_payload(shipment: Shipment) -> dict[str, Any]:
    """The printing.documents.ShippingNotice snapshot, in the notice's language."""
    order = db.session.get(Order, shipment.order_id)
    lang = shipment.notice_lang
    return {"order_number": order.number if order else "", "customer_name": shipment.customer.name,
            "carrier": carrier_name(shipment.carrier, lang), "waybill": shipment.waybill,
            "boxes": shipment.boxes, "shipped_on": day_text(shipped_on(shipment), lang),
            "eta": day_text(shipment.eta, lang) if shipment.eta else "",
            "text": shipment.notice_text, "lang": lang, "number": shipment.number}


def record_notice(shipment_id: int, channel: str, staff_id: int | None, *,
                  station: str | None = None) -> ShipmentNotice:
    """The customer was told by copying the text into a message, by phone, or on paper
    (printing also queues the notice at the station)."""
    if channel not in STAFF_CHANNELS:
        raise ValidationFailed(_("say how the customer was told"), errors={
            "channel": _("one of %(choices)s", choices=", ".join(STAFF_CHANNELS))})
    shipment = get_shipment(shipment_id)
    notice = ShipmentNotice(shipment_id=shipment.id, channel=channel, status=NoticeStatus.DONE,
                            staff_id=staff_id)
    db.session.add(notice)
    if channel == NoticeChannel.PRINTED:
        queue_job(DocumentKind.SHIPPING_NOTICE, notice_payload(shipment), station=station,
                  order_id=shipment.order_id, ref=shipment.number, staff_id=staff_id)
    db.session.flush()
    return notice


def smtp_configured() -> bool:
    return bool(str(current_app.config.get("SHOWROOM_SMTP_HOST") or "").strip())


def email_refusal(customer: Customer) -> str | None:
    """Why an e-mail cannot be sent now (shown beside the disabled button), or None."""
    if not customer.email.strip():
        return _("The customer has no e-mail address in their file.")
    if not smtp_configured():
        return _("E-mail is not set up (SHOWROOM_SMTP_HOST is empty).")
    return None


def email_notice(shipment_id: int, staff_id: int | None) -> ShipmentNotice:
    """Queue the notice for e-mail to the customer's address; the worker sends it."""
    shipment = db.session.execute(select(Shipment).where(Shipment.id == shipment_id)
                                  .with_for_update()).scalar_one_or_none()
    if shipment is None:
        raise NotFound(_("no shipment %(id)s", id=shipment_id))
    refusal = email_refusal(shipment.customer)
    if refusal is not None:
        raise Conflict(_("No e-mail sent: %(reason)s", reason=refusal))
    waiting = db.session.scalar(select(ShipmentNotice.id).where(
        ShipmentNotice.shipment_id == shipment.id, ShipmentNotice.channel == NoticeChannel.EMAILED,
        ShipmentNotice.status.in_((NoticeStatus.QUEUED, NoticeStatus.SENDING))).limit(1))
    if waiting is not None:
        raise Conflict(_("An e-mail of this notice is already waiting to be sent."))
    notice = ShipmentNotice(shipment_id=shipment.id, channel=NoticeChannel.EMAILED,
                            status=NoticeStatus.QUEUED,
                            to_address=shipment.customer.email.strip()[:120], staff_id=staff_id)
    db.session.add(notice)
    db.session.flush()
    return notice


def email_subject(shipment: Shipment, order_number: str) -> str:
    shop = current_app.config["SHOWROOM_SHOP_NAME"]
    if shipment.notice_lang == "en":
        return f"{shop}: your goods have shipped (order {order_number})"
    return f"【{shop}】发货通知（销售单 {order_number}）"
