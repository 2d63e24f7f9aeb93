"""Manager's printer screens through the test client: add / edit / disable with the CLI's
checks, document routes, a test page that is queued (never printed in the request), and
the station screen's problems and printer status."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from showroom.extensions import db
from showroom.printjobs.models import DocumentRoute, Printer, PrintJob
from showroom.printjobs.printers import add_printer, clean_printer, set_routes
from showroom.printjobs.routing import DEFAULT_STATIONS, printer_for
from showroom.printjobs.services import queue_job

GOOD = {"name": "收银小票机", "connection": "tcp://192.168.1.50:9100", "paper": "80",
        "chinese": "gb18030", "station": "cashier-1",
        "documents": ["sales_slip", "cash_receipt"], "drawer": "y", "cutter": "y"}


def _count(app, model=Printer):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _printer(app, name="收银小票机"):
    with app.app_context():
        p = db.session.scalar(select(Printer).where(Printer.name == name))
        db.session.expunge_all()
        return p


@pytest.fixture
def cashier_printer(app):
    with app.app_context():
        p = add_printer(clean_printer(name="前台", connection="tcp://10.0.0.9:9100", paper=58,
                                      chinese="image", station="reception"))
        db.session.commit()
        return p.id


@pytest.mark.parametrize("roles", [("clerk",), ("cashier",), ("reception",), ("packer",)])
def test_only_managers_see_the_printer_screens(client, login_as, cashier_printer, roles):
    login_as(*roles)
    for url in ("/print-jobs/printers", "/print-jobs/printers/new",
                f"/print-jobs/printers/{cashier_printer}", "/print-jobs/samples"):
        assert client.get(url).status_code == 403, url
    for url in ("/print-jobs/printers/new", f"/print-jobs/printers/{cashier_printer}",
                f"/print-jobs/printers/{cashier_printer}/test",
                f"/print-jobs/printers/{cashier_printer}/enabled", "/print-jobs/routes"):
        assert client.post(url, data=GOOD).status_code == 403, url
    page = client.get("/print-jobs/").get_data(as_text=True)
    assert "/print-jobs/printers" not in page  # no nav link, no manage button


def test_signed_out_goes_to_sign_in(client):
    assert client.get("/print-jobs/printers").status_code == 302


def test_manager_adds_a_printer(app, client, login_as):
    login_as("manager")
    page = client.get("/print-jobs/printers").get_data(as_text=True)
    assert "打印机" in page
    assert 'href="/print-jobs/printers"' in client.get("/catalog/").get_data(as_text=True)
    form = client.get("/print-jobs/printers/new?station=pack-1").get_data(as_text=True)
    assert 'value="pack-1"' in form
    resp = client.post("/print-jobs/printers/new", data=GOOD)
    assert resp.status_code == 303, resp.get_data(as_text=True)
    p = _printer(app)
    assert (p.connection, p.paper_mm, p.chinese, p.station, p.documents, p.drawer, p.cutter,
            p.enabled) == ("tcp://192.168.1.50:9100", 80, "gb18030", "cashier-1",
                           "sales_slip,cash_receipt", True, True, True)
    listing = client.get("/print-jobs/printers").get_data(as_text=True)
    assert "收银小票机" in listing and "tcp://192.168.1.50:9100" in listing
    assert "销售单" in listing and "cashier-1" in listing


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"connection": "tcp://nope"}, "connection", "tcp needs a host and a port"),
    ({"connection": "lpt://1"}, "connection", "connection must start with one of"),
    ({"connection": ""}, "connection", "必填"),
    ({"paper": "70"}, "paper", "80 或 58"),
    ({"chinese": "shift_jis"}, "chinese", "gb18030, gbk, big5, utf8, image"),
    ({"station": "Cashier 1"}, "station", "cashier-1"),
    ({"documents": ["sales_slip", "invoice"]}, "documents", "invoice"),
    ({"name": ""}, "name", "必填"),
    ({"connection": "file:///etc/profile"}, "connection", "只能写入"),
    ({"connection": "file:///tmp/../etc/x.bin"}, "connection", "只能写入"),
])
def test_bad_settings_write_nothing(app, client, login_as, change, field, message):
    login_as("manager")
    resp = client.post("/print-jobs/printers/new", data=GOOD | change)
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert message in page, page[page.find("field-error") - 300:][:900]
    assert _count(app) == 0


def test_duplicate_name_is_refused(app, client, login_as, cashier_printer):
    login_as("manager")
    resp = client.post("/print-jobs/printers/new", data=GOOD | {"name": "前台"})
    assert resp.status_code == 422 and "前台" in resp.get_data(as_text=True)
    assert _count(app) == 1


def test_manager_edits_and_disables_a_printer(app, client, login_as, cashier_printer):
    login_as("manager")
    form = client.get(f"/print-jobs/printers/{cashier_printer}").get_data(as_text=True)
    assert 'value="tcp://10.0.0.9:9100"' in form
    resp = client.post(f"/print-jobs/printers/{cashier_printer}",
                       data={"name": "前台", "connection": "usb://04b8:0202", "paper": "58",
                             "chinese": "gbk", "station": "reception",
                             "documents": ["locker_ticket"]})
    assert resp.status_code == 303
    p = _printer(app, "前台")
    assert (p.connection, p.chinese, p.documents, p.cutter) == (
        "usb://04b8:0202", "gbk", "locker_ticket", False)
    bad = client.post(f"/print-jobs/printers/{cashier_printer}",
                      data={"name": "前台", "connection": "usb://zz", "paper": "58",
                            "chinese": "gbk", "station": "reception"})
    assert bad.status_code == 422
    assert _printer(app, "前台").connection == "usb://04b8:0202"
    assert client.post(f"/print-jobs/printers/{cashier_printer}/enabled",
                       data={"enabled": "0"}).status_code == 303
    assert _printer(app, "前台").enabled is False
    with app.app_context():
        assert printer_for("locker_ticket", "reception") is None
    assert "已停用" in client.get("/print-jobs/printers").get_data(as_text=True)
    client.post(f"/print-jobs/printers/{cashier_printer}/enabled", data={"enabled": "1"})
    assert _printer(app, "前台").enabled is True
    assert client.get("/print-jobs/printers/999999").status_code == 404


def test_test_page_is_queued_not_printed(app, client, login_as, cashier_printer):
    login_as("manager")
    resp = client.post(f"/print-jobs/printers/{cashier_printer}/test")
    assert resp.status_code == 303 and "station=reception" in resp.headers["Location"]
    with app.app_context():
        job = db.session.execute(select(PrintJob)).scalar_one()
        assert (job.status, job.station, job.printer, job.attempts) == (
            "queued", "reception", "前台", 0)
        payload = json.loads(job.payload)
        assert job.document == "sales_slip" and payload["copies"] == ["测试页 TEST"]


def test_routes_table(app, client, login_as, cashier_printer):
    login_as("manager")
    page = client.get("/print-jobs/printers").get_data(as_text=True)
    assert 'name="locker_ticket" type="text" value="reception"' in page or \
        'value="reception"' in page
    data = {k: v for k, v in DEFAULT_STATIONS.items()} | {"shipping_notice": "reception"}
    assert client.post("/print-jobs/routes", data=data).status_code == 303
    with app.app_context():
        rows = {r.document: r.station for r in db.session.scalars(select(DocumentRoute))}
        assert rows == {"shipping_notice": "reception"}
        assert printer_for("shipping_notice", "pack-1").name == "前台"
    bad = client.post("/print-jobs/routes", data=data | {"shipping_notice": "ship 1",
                                                         "box_label": "pack-2"})
    assert bad.status_code == 422 and "cashier-1" in bad.get_data(as_text=True)
    with app.app_context():  # nothing written: not even the good change
        assert {r.document: r.station for r in db.session.scalars(select(DocumentRoute))} == {
            "shipping_notice": "reception"}
    back = data | {"shipping_notice": DEFAULT_STATIONS["shipping_notice"]}
    assert client.post("/print-jobs/routes", data=back).status_code == 303
    assert _count(app, DocumentRoute) == 0


def test_set_routes_refuses_unknown_kinds(ctx):
    from showroom.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as exc:
        set_routes({"invoice": "cashier-1"})
    assert "invoice" in exc.value.errors


def test_station_screen_shows_problems_and_printer_status(app, client, login_as,
                                                          cashier_printer):
    with app.app_context():
        p = db.session.get(Printer, cashier_printer)
        p.status_reply = "paper out"
        flagged = queue_job("locker_ticket", {"locker_no": "8"}, station="reception", ref="v-8")
        flagged.status, flagged.error = "needs_attention", "connection lost mid-job"
        waiting = queue_job("packing_list", {}, station="reception", ref="box-1")
        waiting.error = "no printer for packing_list at reception"
        fine = queue_job("locker_ticket", {"locker_no": "9"}, station="reception", ref="v-9")
        fine.status = "printed"
        db.session.commit()
        flagged_id = flagged.id
    login_as("clerk")
    page = client.get("/print-jobs/?station=reception").get_data(as_text=True)
    problems = page[page.index('class="card problems"'):page.index("最近的任务")]
    assert "connection lost mid-job" in problems and "no printer for packing_list" in problems
    assert "v-9" not in problems and "v-9" in page
    assert "缺纸" in page and "前台" in page  # printer status beside the printer
    assert problems.count("pj-reprint") == 1  # the queued one waits for a printer instead
    client.post(f"/print-jobs/{flagged_id}/reprint")
    again = client.get("/print-jobs/?station=reception").get_data(as_text=True)
    problems = again[again.index('class="card problems"'):again.index("最近的任务")]
    assert "connection lost mid-job" not in problems  # reprinted: handled
    assert f"#{flagged_id + 3}" in again


def test_samples_page_lists_every_kind(client, login_as):
    login_as("manager")
    page = client.get("/print-jobs/samples?kind=box_label&paper=58").get_data(as_text=True)
    for label in ("销售单", "箱标", "对账单"):
        assert label in page
    assert "/print-jobs/samples/box_label.png?paper=58&amp;doc_lang=zh" in page
    statement = client.get("/print-jobs/samples?kind=customer_statement").get_data(as_text=True)
    assert "customer_statement.png" not in statement and "customer_statement.pdf" in statement


def test_a_file_printer_from_the_screen_writes_into_the_spool_folder(app, client, login_as):
    login_as("manager")
    spool = Path(app.instance_path) / "printed" / "cashier-1"
    resp = client.post("/print-jobs/printers/new", data=GOOD | {"connection": f"file://{spool}"})
    assert resp.status_code == 303, resp.get_data(as_text=True)
    assert _printer(app).connection == f"file://{spool}"
