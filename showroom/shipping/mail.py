"""E-mailing shipping notices: the worker's side (never inside a request).

The print worker calls `deliver_mail_pass()` once per pass. Each queued e-mail is
claimed on its own (queued → sending, committed), sent with smtplib while no database
transaction is open, then marked sent or — after a few tries — failed with the error,
committed. A row still `sending` when a pass starts was left by a worker that stopped
mid-send: it may have arrived, so it is marked failed with that explanation rather than
sent twice. A failed try waits (RETRY_DELAYS, in this process's memory) before the next.
"""
from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app
from sqlalchemy import select, update

from showroom.clock import now_utc
from showroom.extensions import db
from showroom.orders.models import Order
from showroom.shipping.models import Shipment, ShipmentNotice
from showroom.shipping.notices import email_subject, smtp_configured

log = logging.getLogger("showroom.mail")
MAX_ATTEMPTS = 3
RETRY_DELAYS = (30.0, 120.0)  # seconds before the 2nd and 3rd try
_not_before: dict[int, datetime] = {}


@dataclass(frozen=True)
class _Mail:
    """What one send needs, copied out of the session before the transaction ends."""
    notice_id: int
    to: str
    subject: str
    body: str
    attempts: int


def recover_interrupted() -> int:
    """Mark e-mails a stopped worker left in `sending` as failed (they may have arrived)."""
    result = db.session.execute(
        update(ShipmentNotice).where(ShipmentNotice.channel == "emailed",
                                     ShipmentNotice.status == "sending")
        .values(status="failed", error="the worker stopped while sending this e-mail: it may "
                                       "have arrived; ask the customer or send it again"))
    db.session.commit()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _claim(notice_id: int) -> _Mail | None:
    claimed = db.session.execute(
        update(ShipmentNotice).where(ShipmentNotice.id == notice_id,
                                     ShipmentNotice.status == "queued")
        .values(status="sending", attempts=ShipmentNotice.attempts + 1))
    if not claimed.rowcount:  # type: ignore[attr-defined]
        db.session.rollback()
        return None
    notice = db.session.get(ShipmentNotice, notice_id, populate_existing=True)
    assert notice is not None
    shipment = db.session.get(Shipment, notice.shipment_id)
    assert shipment is not None
    order = db.session.get(Order, shipment.order_id)
    mail = _Mail(notice_id=notice.id, to=notice.to_address,
                 subject=email_subject(shipment, order.number if order else ""),
                 body=shipment.notice_text, attempts=notice.attempts)
    db.session.commit()
    return mail


def send_mail(to: str, subject: str, body: str) -> None:
    """One message through the configured SMTP server (UTF-8, plain text)."""
    cfg = current_app.config
    sender = (cfg.get("SHOWROOM_SMTP_FROM") or cfg.get("SHOWROOM_SMTP_USER")
              or "showroom@localhost")
    msg = EmailMessage()
    msg["Subject"], msg["From"], msg["To"] = subject, sender, to
    msg["Message-ID"] = make_msgid(domain="showroom.local")
    msg.set_content(body, charset="utf-8")
    with smtplib.SMTP(cfg["SHOWROOM_SMTP_HOST"], int(cfg["SHOWROOM_SMTP_PORT"]),
                      timeout=float(cfg["SHOWROOM_SMTP_TIMEOUT"])) as smtp:
        if cfg.get("SHOWROOM_SMTP_STARTTLS"):
            smtp.starttls(context=ssl.create_default_context())
        if cfg.get("SHOWROOM_SMTP_USER"):
            smtp.login(cfg["SHOWROOM_SMTP_USER"], cfg.get("SHOWROOM_SMTP_PASSWORD") or "")
        smtp.send_message(msg)


def _finish(mail: _Mail, error: str | None, delays: Sequence[float]) -> None:
    now = now_utc()
    if error is None:
        values: dict[str, object] = {"status": "sent", "sent_at": now, "error": ""}
        _not_before.pop(mail.notice_id, None)
    elif mail.attempts < MAX_ATTEMPTS:
        values = {"status": "queued", "error": error}
        wait = delays[min(mail.attempts - 1, len(delays) - 1)] if delays else 0.0
        _not_before[mail.notice_id] = now + timedelta(seconds=wait)
    else:
        values = {"status": "failed", "error": error}
        _not_before.pop(mail.notice_id, None)
    db.session.execute(update(ShipmentNotice).where(ShipmentNotice.id == mail.notice_id)
                       .values(**values))
    db.session.commit()


def deliver_mail_pass(*, retry_delays: Sequence[float] = RETRY_DELAYS) -> int:
    """Send what is queued (call inside an app context). Returns how many were sent."""
    if not smtp_configured():
        return 0
    recover_interrupted()
    now = now_utc()
    ids = list(db.session.scalars(
        select(ShipmentNotice.id).where(ShipmentNotice.channel == "emailed",
                                        ShipmentNotice.status == "queued")
        .order_by(ShipmentNotice.id).limit(100)))
    db.session.commit()
    sent = 0
    for notice_id in ids:
        if _not_before.get(notice_id, now) > now:
            continue
        mail = _claim(notice_id)
        if mail is None:
            continue
        error: str | None = None
        try:  # no transaction is open while we talk to the server
            send_mail(mail.to, mail.subject, mail.body)
        except (smtplib.SMTPException, OSError, UnicodeError, ValueError) as exc:
            error = f"{type(exc).__name__}: {exc}"[:500]
            log.warning("shipping notice e-mail #%s to %s failed (try %s): %s", mail.notice_id,
                        mail.to, mail.attempts, error)
        _finish(mail, error, retry_delays)
        sent += error is None
        if error is not None and not error.startswith(("SMTPRecipientsRefused",
                                                       "SMTPSenderRefused", "SMTPDataError")):
            break  # the server is down or silent: the rest wait, printing is not held up
    return sent
