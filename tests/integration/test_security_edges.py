"""Issue 9's security findings at the edges the app shares: data in scripts, response
headers, body size, reprint rights, where printers may be, the print font's absence."""
from __future__ import annotations

import io
import json
import re
import socket
import threading
from pathlib import Path
from typing import Any

import factories
import pytest
from fake_printer import FakePrinter
from shipping_factories import packed_order
from sqlalchemy import func, select
from werkzeug.serving import make_server

from printing.documents import to_payload
from printing.samples import sample
from showroom.extensions import db
from showroom.printjobs.models import Printer, PrintJob
from showroom.printjobs.services import queue_job
from showroom.shipping.rates import set_rate

EVIL = "</script><script>alert(1)</script>"


# --- 2. data never becomes script ------------------------------------------------------

def test_a_region_or_rate_destination_with_script_renders_inert_on_the_ship_page(app, client,
                                                                                  login_as):
    with app.app_context():
        order = packed_order(region=EVIL)
        set_rate(carrier="sf_express", destination=EVIL, first_kg="20.00", per_kg="5.00",
                 per_box="1.00", min_days=1, max_days=2)
        db.session.commit()
        order_id = order.id
    login_as("shipper")
    page = client.get(f"/shipping/orders/{order_id}").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "</script><script>" not in page
    blocks = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    inline = [(attrs, body) for attrs, body in blocks if "src=" not in attrs]
    assert inline and all('type="application/json"' in attrs for attrs, _ in inline)
    hints = json.loads(next(body for attrs, body in inline if 'id="rate-hints"' in attrs))
    assert hints["sf_express"]["dest"] == EVIL  # the data arrives whole, as data


# --- 4. headers ------------------------------------------------------------------------

def test_pages_carry_the_security_headers_and_no_store(client, login_as):
    login = client.get("/login")
    csp = login.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert login.headers["X-Content-Type-Options"] == "nosniff"
    assert login.headers["Referrer-Policy"] == "same-origin"
    assert login.headers["X-Frame-Options"] == "DENY"
    login_as("cashier")
    for url in ("/customers/", "/cashier/", "/print-jobs/"):
        resp = client.get(url)
        assert resp.status_code == 200, url
        assert resp.headers["Cache-Control"] == "no-store", url
    static = client.get("/static/js/showroom.js")
    static.close()
    assert "no-store" not in static.headers.get("Cache-Control", "")
    assert static.headers["X-Content-Type-Options"] == "nosniff"


def test_every_api_answer_is_no_store(client, api_headers):
    headers = api_headers("cashier")
    for url in ("/api/v1/customers", "/api/v1/customers/999999", "/api/v1/openapi.json"):
        assert client.get(url, headers=headers).headers["Cache-Control"] == "no-store", url
    assert client.get("/api/v1/customers").headers["Cache-Control"] == "no-store"  # 401


def test_templates_use_no_inline_script_style_or_handlers():
    """What the Content-Security-Policy forbids does not appear in any template."""
    root = Path(__file__).resolve().parents[2] / "templates"
    for path in root.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for tag_attrs in re.findall(r"<script([^>]*)>", text):
            assert "src=" in tag_attrs or 'type="application/json"' in tag_attrs, path
        assert "<style" not in text, path
        assert not re.search(r"\sstyle=|\son[a-z]+=|\shx-on[:-]|javascript:", text), path


@pytest.mark.parametrize("flag", [True, False])
def test_cookie_secure_follows_the_setting(app, flag):
    from testconfig import close_database

    from showroom import create_app

    other = create_app(dict(app.config) | {"SHOWROOM_COOKIE_SECURE": flag})
    try:
        assert other.config["SESSION_COOKIE_SECURE"] is flag
        with other.test_request_context("/"):
            from flask import Response

            from showroom.stations import remember_station

            resp = Response()
            remember_station(resp, "cashier-1")
            assert ("Secure" in resp.headers["Set-Cookie"]) is flag
    finally:  # its pool's PostgreSQL connection, else a ResourceWarning in a later test
        close_database(other)


# --- 5. body size ------------------------------------------------------------------------

class Endless(io.RawIOBase):
    """A body of `size` bytes that counts how much of it was read."""

    def __init__(self, size: int = 200 * 1024 * 1024) -> None:
        self.left, self.taken = size, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = min(len(buffer), 65536, self.left)
        buffer[:n] = b"a" * n
        self.left -= n
        self.taken += n
        return n


def test_a_huge_post_to_login_is_refused_413_before_it_is_read(client):
    body = Endless()
    resp = client.post("/login", data=b"", content_type="application/x-www-form-urlencoded",
                       environ_overrides={"wsgi.input": body,
                                          "CONTENT_LENGTH": str(200 * 1024 * 1024)})
    assert resp.status_code == 413
    assert body.taken == 0
    page = resp.get_data(as_text=True)
    assert "413" in page and "1024 KiB" in page


def test_a_chunked_post_is_refused_at_the_limit_with_the_test_client(client):
    body = Endless()  # no Content-Length: the server only knows the body ends when it ends
    resp = client.post("/login", data=b"", content_type="application/x-www-form-urlencoded",
                       headers={"Transfer-Encoding": "chunked"},
                       environ_overrides={"wsgi.input": body, "wsgi.input_terminated": True})
    assert resp.status_code == 413
    assert body.taken <= 2 * 1024 * 1024


def test_a_chunked_200_mb_post_to_a_live_server_stops_at_the_limit(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    sent = 0
    try:
        sock = socket.create_connection(("127.0.0.1", server.server_port), timeout=10)
        sock.sendall(b"POST /login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                     b"Content-Type: application/x-www-form-urlencoded\r\n\r\n")
        chunk = b"a" * 65536
        framed = b"%x\r\n" % len(chunk) + chunk + b"\r\n"
        try:
            while sent < 200 * 1024 * 1024:
                sock.sendall(framed)
                sent += len(chunk)
                sock.setblocking(False)
                try:
                    if sock.recv(1, socket.MSG_PEEK):
                        break  # the server answered before the body ended
                except BlockingIOError:
                    pass
                finally:
                    sock.setblocking(True)
        except (BrokenPipeError, ConnectionResetError):
            pass
        sock.settimeout(10)
        answer = b""
        try:
            while b"\r\n\r\n" not in answer:
                piece = sock.recv(4096)
                if not piece:
                    break
                answer += piece
        except (ConnectionResetError, TimeoutError):
            pass
        sock.close()
    finally:
        server.shutdown()
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert sent < 20 * 1024 * 1024  # refused near 1 MiB, not after 200 MB


def test_the_api_keeps_its_own_256_kib_cap_as_problem_json(client, api_headers):
    resp = client.post("/api/v1/customers", headers=api_headers("reception"),
                       data=b"{" + b" " * (300 * 1024) + b"}", content_type="application/json")
    assert resp.status_code == 413 and resp.mimetype == "application/problem+json"
    resp = client.post("/api/v1/customers", headers=api_headers("reception"),
                       data=b"{" + b" " * (2 * 1024 * 1024) + b"}",
                       content_type="application/json")
    assert resp.status_code == 413 and resp.mimetype == "application/problem+json"


# --- 6. reprint rights = preview rights --------------------------------------------------

@pytest.fixture
def printed_label(app) -> int:
    with app.app_context():
        job = queue_job("box_label", to_payload(sample("box_label")), station="pack-1")
        job.status = "printed"
        db.session.commit()
        return job.id


def _jobs(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(PrintJob)) or 0


def test_a_clerk_cannot_reprint_a_box_label_on_screen_or_by_api(app, client, login_as,
                                                                api_headers, printed_label):
    login_as("clerk")
    before = _jobs(app)
    assert client.get(f"/print-jobs/{printed_label}/preview.png").status_code == 403
    resp = client.post(f"/print-jobs/{printed_label}/reprint", follow_redirects=True)
    assert "完整电话号码" in resp.get_data(as_text=True)  # why: the full phone number
    assert _jobs(app) == before
    api = client.post(f"/api/v1/print-jobs/{printed_label}/reprint",
                      headers=api_headers("clerk"))
    assert api.status_code == 403 and api.mimetype == "application/problem+json"
    assert _jobs(app) == before


def test_a_packer_reprints_the_label_they_may_preview(app, client, api_headers, printed_label):
    api = client.post(f"/api/v1/print-jobs/{printed_label}/reprint",
                      headers=api_headers("packer"))
    assert api.status_code == 201, api.get_data(as_text=True)


# --- 7. where printers may be ------------------------------------------------------------

@pytest.fixture
def app_config() -> dict[str, Any]:
    """This module's apps use the shipped ports (not the tests' wide range for the fake
    printer's random port)."""
    return {"SHOWROOM_PRINTER_PORTS": "9100-9109"}


NEW = {"name": "收银小票机", "paper": "80", "chinese": "gb18030", "station": "cashier-1"}


@pytest.mark.parametrize("uri,words", [
    ("tcp://8.8.8.8:9100", "网络"),
    ("tcp://203.0.113.9:9100", "网络"),
    ("tcp://192.168.1.50:22", "端口"),
    ("tcp://127.0.0.1:6379", "端口"),
    ("serial:///etc/passwd", "串口"),
    ("serial:///dev/sda", "串口"),
    ("file:///etc/cron.d/x", "只能写入"),
])
def test_a_manager_cannot_point_a_printer_anywhere(app, client, runner, login_as, uri, words):
    login_as("manager")
    resp = client.post("/print-jobs/printers/new", data=NEW | {"connection": uri})
    assert resp.status_code == 422 and words in resp.get_data(as_text=True)
    out = runner.invoke(args=["printers", "add", "x", "--connection", uri, "--paper", "80",
                              "--chinese", "gb18030", "--station", "cashier-1"])
    assert out.exit_code != 0 and words in out.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Printer)) == 0


@pytest.mark.parametrize("uri", ["tcp://192.168.1.50:9100", "tcp://10.1.2.3:9109",
                                 "tcp://127.0.0.1:9100", "serial:///dev/ttyUSB0?baud=115200",
                                 "serial:///dev/ttyS1", "usb://04b8:0202", "cups://receipt"])
def test_printers_on_the_shop_network_are_accepted(client, login_as, uri):
    login_as("manager")
    resp = client.post("/print-jobs/printers/new", data=NEW | {"connection": uri})
    assert resp.status_code == 303, resp.get_data(as_text=True)


def test_the_worker_refuses_a_printer_edited_behind_the_screens_back(app):
    """A row changed in the database directly: the connector checks before connecting."""
    from showroom.printjobs.worker import run_worker

    with FakePrinter() as fake:  # listens on 127.0.0.1 at a port outside 9100-9109
        with app.app_context():
            db.session.add(Printer(name="rcp", connection=fake.uri, station="reception",
                                   paper_mm=80, chinese="gb18030", documents="", cutter=True,
                                   drawer=False, enabled=True, status_reply=""))
            job = queue_job("locker_ticket", to_payload(sample("locker_ticket")))
            db.session.commit()
            job_id = job.id
        run_worker(app, once=True)
        assert fake.connections == 0
    with app.app_context():
        job = db.session.get(PrintJob, job_id)
        assert job.status == "queued" and job.error == "bad_connection" and "port" in job.error_detail


def test_connectors_check_the_allow_list_before_connecting(tmp_path):
    from printing.connectors import AllowList, NotAllowed, NotDelivered, connector_for, parse_ports

    allow = AllowList(ports=parse_ports("9100"), spool=str(tmp_path))
    with pytest.raises(NotAllowed):
        connector_for("tcp://127.0.0.1:22", allow=allow)
    with pytest.raises(NotAllowed):
        connector_for("file:///etc/passwd", allow=allow)
    with pytest.raises(NotAllowed):
        connector_for("serial:///dev/sda", allow=allow)
    connector = connector_for("tcp://8.8.8.8:9100", allow=allow)
    with pytest.raises(NotDelivered, match="not on an allowed network"):
        connector.send(b"x")  # refused before any packet leaves
    connector_for(f"file://{tmp_path}/out.bin", allow=allow).send(b"ok")
    assert (tmp_path / "out.bin").read_bytes() == b"ok"
    assert (tmp_path / "out.bin").stat().st_mode & 0o777 == 0o600


# --- 10. no CJK font ---------------------------------------------------------------------

def test_previews_without_the_cjk_font_fall_back_to_the_pdf(app, client, login_as, api_headers,
                                                            monkeypatch, tmp_path):
    monkeypatch.setenv("SHOWROOM_PRINT_FONT", str(tmp_path / "no-such-font.ttc"))
    with app.app_context():
        cust = factories.customer(name="无字体")
        job = queue_job("cash_receipt", to_payload(sample("cash_receipt")), station="cashier-1")
        db.session.commit()
        job_id, _ = job.id, cust.id
    login_as("cashier")
    png = client.get(f"/print-jobs/{job_id}/preview.png")
    assert png.status_code == 303 and png.location.endswith(f"/print-jobs/{job_id}/preview.pdf")
    assert client.get(png.location).data.startswith(b"%PDF-")
    page = client.get(f"/print-jobs/{job_id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "fonts-wqy-microhei" in text and "preview.png" not in text
    sample_png = client.get("/print-jobs/samples/cash_receipt.png")  # manager only: 403
    assert sample_png.status_code in (303, 403)
    api = client.get(f"/api/v1/print-jobs/{job_id}/preview.png", headers=api_headers("cashier"))
    assert api.status_code == 503 and api.mimetype == "application/problem+json"
    assert "fonts-wqy-microhei" in api.get_json()["detail"]


def test_samples_without_the_cjk_font_fall_back_to_the_pdf(client, login_as, monkeypatch,
                                                           tmp_path):
    monkeypatch.setenv("SHOWROOM_PRINT_FONT", str(tmp_path / "no-such-font.ttc"))
    login_as("manager")
    resp = client.get("/print-jobs/samples/sales_slip.png?paper=58")
    assert resp.status_code == 303 and "/samples/sales_slip.pdf" in resp.location
    assert client.get(resp.location).data.startswith(b"%PDF-")
