"""E-mailing shipping notices: the worker's side (never inside a request).

The print worker calls `deliver_mail_pass()` once per pass. Each queued e-mail is
claimed on its own (queued → sending, committed), sent with smtplib while no database
transaction is open, then marked sent or — after its tries — not sent, with an error
code (MailError) and what the server said, committed. A row still `sending` when a pass
starts was left by a worker that stopped mid-send: it may have arrived, so it is marked
not sent (`worker_stopped`) rather than sent twice. Retries, their waits and what a stop
mid-send means are the outbox's policy (showroom.outbox), shared with printing.
"""
from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app
from sqlalchemy import select

from showroom.clock import now_utc
from showroom.extensions import db
from showroom.orders.models import Order
from showroom.outbox import Backoff, Lane, Outcome, RetryPolicy, Verdict, policy
from showroom.shipping.models import (
    NOTICE_MOVES,
    MailError,
    NoticeChannel,
    NoticeStatus,
    Shipment,
    ShipmentNotice,
)
from showroom.shipping.notices import email_subject, smtp_configured

log = logging.getLogger("showroom.mail")
RETRY_DELAYS = policy("mail", {}).backoff  # by default 30 s, then 120 s …
MAX_ATTEMPTS = policy("mail", {}).max_attempts  # … and 3 tries
LANE = Lane(model=ShipmentNotice, moves=NOTICE_MOVES, queued=NoticeStatus.QUEUED,
            sending=NoticeStatus.SENDING, delivered=NoticeStatus.SENT,
            unsure=NoticeStatus.FAILED, failed=NoticeStatus.FAILED,
            stopped=MailError.WORKER_STOPPED,
            scope=(ShipmentNotice.channel == NoticeChannel.EMAILED,))
_waits = Backoff()  # per notice, in this process's memory: a restarted worker tries at once


@dataclass(frozen=True)
class _Mail:
    """What one send needs, copied out of the session before the transaction ends."""
    notice_id: int
    to: str
    subject: str
    body: str
    attempts: int


def recover_interrupted() -> int:
    """Mark e-mails a stopped worker left in `sending` as not sent (they may have arrived:
    the conversation with the server starts with the claim)."""
    return LANE.recover()


def _claim(notice_id: int) -> _Mail | None:
    if not LANE.claim(notice_id):
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


def verdict_of(exc: BaseException) -> Verdict:
    """What a failed send means under the outbox policy. The server refusing this one
    message is retried without holding the others; a server that cannot be reached, or
    that fails in any other way, holds the rest of the pass; a message that cannot even be
    written fails at once."""
    detail = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return Verdict(Outcome.RETRY, MailError.RECIPIENT_REFUSED, detail)
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return Verdict(Outcome.RETRY, MailError.SENDER_REFUSED, detail)
    if isinstance(exc, smtplib.SMTPDataError):
        return Verdict(Outcome.RETRY, MailError.MESSAGE_REFUSED, detail)
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return Verdict(Outcome.RETRY, MailError.LOGIN_REFUSED, detail, hold=True)
    if isinstance(exc, UnicodeError | ValueError):
        return Verdict(Outcome.FAILED, MailError.CANNOT_ENCODE, detail)
    if isinstance(exc, smtplib.SMTPResponseException) and not isinstance(
            exc, smtplib.SMTPConnectError):
        return Verdict(Outcome.RETRY, MailError.SERVER_ERROR, detail, hold=True)
    return Verdict(Outcome.RETRY, MailError.UNREACHABLE, detail, hold=True)


def _finish(mail: _Mail, verdict: Verdict, retry: RetryPolicy) -> None:
    if verdict.outcome == Outcome.RETRY and not retry.gives_up(mail.attempts):
        _waits.fail(mail.notice_id, now_utc())
    else:
        _waits.ok(mail.notice_id)
    sent_at = {"sent_at": now_utc()} if verdict.outcome == Outcome.DELIVERED else {}
    LANE.finish(mail.notice_id, verdict, attempts=mail.attempts, retry=retry, **sent_at)
    db.session.commit()


def deliver_mail_pass(*, retry_delays: Sequence[float] | None = None) -> int:
    """Send what is queued (call inside an app context). Returns how many were sent."""
    if not smtp_configured():
        return 0
    retry = policy("mail", current_app.config)
    if retry_delays is not None:
        retry = RetryPolicy(backoff=tuple(retry_delays), max_attempts=retry.max_attempts)
    _waits.steps = retry.backoff
    recover_interrupted()
    now = now_utc()
    ids = list(db.session.scalars(
        select(ShipmentNotice.id).where(ShipmentNotice.channel == NoticeChannel.EMAILED,
                                        ShipmentNotice.status == NoticeStatus.QUEUED)
        .order_by(ShipmentNotice.id).limit(100)))
    db.session.commit()
    sent = 0
    for notice_id in ids:
        if _waits.blocked(notice_id, now):
            continue
        mail = _claim(notice_id)
        if mail is None:
            continue
        verdict = Verdict.delivered()
        try:  # no transaction is open while we talk to the server
            send_mail(mail.to, mail.subject, mail.body)
        except (smtplib.SMTPException, OSError, UnicodeError, ValueError) as exc:
            verdict = verdict_of(exc)
            log.warning("shipping notice e-mail #%s to %s failed (try %s): %s", mail.notice_id,
                        mail.to, mail.attempts, verdict.detail)
        _finish(mail, verdict, retry)
        sent += verdict.outcome == Outcome.DELIVERED
        if verdict.hold:
            break  # the server is down or silent: the rest wait, printing is not held up
    return sent
