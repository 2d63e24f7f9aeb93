"""Shipping notices by e-mail through a real SMTP conversation (aiosmtpd on 127.0.0.1):
sent and recorded; SMTP down → retried, then failed with the error; the print worker
keeps going whatever the mail pass does."""
from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.header import decode_header, make_header
from typing import Any

import pytest
from shipping_factories import packed_order
from sqlalchemy import select

from showroom.errors import Conflict
from showroom.extensions import db
from showroom.printjobs.worker import run_worker
from showroom.shipping import mail
from showroom.shipping.models import ShipmentNotice
from showroom.shipping.notices import email_notice
from showroom.shipping.services import ship_order

_HELD: list[socket.socket] = []


def _free_port() -> int:
    """A port kept bound, never listening, for the rest of the run: connecting is refused,
    and no other test or xdist worker takes it (the SMTP server may still listen on it)."""
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    _HELD.append(s)
    return int(s.getsockname()[1])


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    from aiosmtpd.controller import Controller

    inbox, port = Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def _queued(app: Any, *, port: int, lang: str = "zh") -> int:
    app.config.update(SHOWROOM_SMTP_HOST="127.0.0.1", SHOWROOM_SMTP_PORT=port,
                      SHOWROOM_SMTP_TIMEOUT=5.0, SHOWROOM_SMTP_FROM="shop@example.com")
    with app.app_context():
        order = packed_order(name="周老板", email="zhou@example.com", notice_lang=lang)
        s = ship_order(order.id, carrier="sf_express", waybill="SF1234567890123", fee="10",
                       eta_days=2, staff_id=None)
        [notice] = s.notices  # an address and SMTP set up: shipping queued the e-mail itself
        assert (notice.channel, notice.status, notice.to_address) == (
            "emailed", "queued", "zhou@example.com")
        db.session.commit()
        mail._waits.clear()
        return notice.id


def _notice(app: Any, notice_id: int) -> ShipmentNotice:
    with app.app_context():
        n = db.session.get(ShipmentNotice, notice_id)
        assert n is not None
        db.session.expunge(n)
        return n


def test_queued_email_is_sent_in_utf8_and_recorded(app, smtp_server):
    inbox, port = smtp_server
    notice_id = _queued(app, port=port)
    with app.app_context():
        assert mail.deliver_mail_pass() == 1
        assert mail.deliver_mail_pass() == 0  # nothing twice
    n = _notice(app, notice_id)
    assert (n.status, n.attempts, n.error) == ("sent", 1, "") and n.sent_at is not None
    [(to, msg)] = inbox.messages
    assert to == ["zhou@example.com"] and msg["From"] == "shop@example.com"
    assert str(make_header(decode_header(msg["Subject"]))).startswith("【银饰批发展厅】发货通知")
    body = msg.get_payload(decode=True).decode(msg.get_content_charset())
    assert "SF1234567890123" in body and "周老板您好" in body


def test_smtp_down_retries_then_fails_with_the_error(app):
    notice_id = _queued(app, port=_free_port())  # nothing listens there
    with app.app_context():
        assert mail.deliver_mail_pass(retry_delays=(0,)) == 0
    n = _notice(app, notice_id)
    assert (n.status, n.attempts, n.error) == ("queued", 1, "server_unreachable")
    assert "Connection" in n.error_detail  # what the server said, for the manager
    with app.app_context():
        mail.deliver_mail_pass(retry_delays=(0,))
        mail.deliver_mail_pass(retry_delays=(0,))
        mail.deliver_mail_pass(retry_delays=(0,))  # no fourth try
    n = _notice(app, notice_id)
    assert (n.status, n.attempts, n.error) == ("failed", mail.MAX_ATTEMPTS, "server_unreachable")
    assert "Connection" in n.error_detail


def test_a_silent_server_ends_the_pass_so_printing_is_not_held_up(app):
    first = _queued(app, port=_free_port())
    second = _queued(app, port=_free_port())
    with app.app_context():
        assert mail.deliver_mail_pass(retry_delays=(0,)) == 0
    assert _notice(app, first).attempts == 1
    assert (_notice(app, second).attempts, _notice(app, second).status) == (0, "queued")


def test_a_retry_waits_its_delay(app):
    notice_id = _queued(app, port=_free_port())
    with app.app_context():
        mail.deliver_mail_pass()  # default delays: the next try waits 30 s
        mail.deliver_mail_pass()
    assert _notice(app, notice_id).attempts == 1


def test_a_send_interrupted_by_a_crash_is_not_repeated(app):
    notice_id = _queued(app, port=_free_port())
    with app.app_context():
        db.session.get(ShipmentNotice, notice_id).status = "sending"
        db.session.commit()
        mail.deliver_mail_pass()
    n = _notice(app, notice_id)
    assert (n.status, n.error) == ("failed", "worker_stopped")  # it may have arrived


def test_the_print_worker_sends_mail_and_survives_a_broken_mail_pass(app, smtp_server,
                                                                    monkeypatch):
    inbox, port = smtp_server
    notice_id = _queued(app, port=port, lang="en")
    run_worker(app, once=True)
    assert _notice(app, notice_id).status == "sent"
    subject = str(make_header(decode_header(inbox.messages[0][1]["Subject"])))
    assert subject.startswith("银饰批发展厅: your goods have shipped (order XS-")

    def broken(**_kw: Any) -> int:
        raise RuntimeError("mail pass exploded")

    monkeypatch.setattr(mail, "deliver_mail_pass", broken)
    assert run_worker(app, once=True) == 0  # logged, not raised


def test_email_is_refused_without_address_or_smtp(app):
    app.config["SHOWROOM_SMTP_HOST"] = ""
    with app.app_context():
        order = packed_order(email="a@example.com")
        s = ship_order(order.id, carrier="sto_express", waybill="773012345678", fee="0",
                       staff_id=None)
        with pytest.raises(Conflict):
            email_notice(s.id, staff_id=None)
        app.config["SHOWROOM_SMTP_HOST"] = "127.0.0.1"
        order.customer.email = ""
        with pytest.raises(Conflict):
            email_notice(s.id, staff_id=None)
        assert db.session.scalars(select(ShipmentNotice)).all() == []
