"""`flask printers add|list|test|disable|enable` against the database and a fake printer
on 127.0.0.1: bad settings write nothing and exit non-zero; the test page arrives as
ESC/POS for the printer's profile, and each way a delivery can fail is reported."""
from __future__ import annotations

import unicodedata

import pytest
from fake_printer import FakePrinter
from sqlalchemy import func, select

from showroom.extensions import db
from showroom.printjobs.models import Printer, PrintJob

GOOD = ["--connection", "tcp://192.168.1.50:9100", "--paper", "80", "--chinese", "gb18030",
        "--station", "cashier-1"]


def _add(runner, name, *args):
    return runner.invoke(args=["printers", "add", name, *args])


def _printers(app):
    with app.app_context():
        rows = list(db.session.scalars(select(Printer).order_by(Printer.id)))
        db.session.expunge_all()
        return rows


def test_add_and_list(app, runner):
    result = _add(runner, "收银小票机", *GOOD, "--documents", "sales_slip,cash_receipt",
                  "--drawer")
    assert result.exit_code == 0, result.output
    assert "收银小票机" in result.output and "cashier-1" in result.output
    label = _add(runner, "label-1", "--connection", "usb://04b8:0202", "--paper", "58",
                 "--chinese", "image", "--station", "pack-1", "--no-cutter")
    assert label.exit_code == 0, label.output
    (till, pack) = _printers(app)
    assert (till.documents, till.drawer, till.cutter, till.paper_mm) == (
        "sales_slip,cash_receipt", True, True, 80)
    assert (pack.documents, pack.drawer, pack.cutter, pack.chinese, pack.paper_mm) == (
        "", False, False, "image", 58)
    listing = runner.invoke(args=["printers", "list"])
    assert listing.exit_code == 0
    lines = listing.output.splitlines()
    assert lines[0].split() == ["NAME", "STATION", "CONNECTION", "PAPER", "CHINESE",
                                "DOCUMENTS", "ENABLED", "LAST", "STATUS"]
    assert lines[1].split() == ["收银小票机", "cashier-1", "tcp://192.168.1.50:9100", "80mm",
                                "gb18030", "sales_slip,cash_receipt", "yes", "-"]
    assert lines[2].split() == ["label-1", "pack-1", "usb://04b8:0202", "58mm", "image", "all",
                                "yes", "-"]
    # columns line up although a name is Chinese (two columns per character)
    assert {_columns(line[:line.index(word)]) for line, word in zip(
        lines, ("STATION", "cashier-1", "pack-1"), strict=True)} == {_columns("收银小票机  ")}


def _columns(text):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def test_list_when_empty(runner):
    result = runner.invoke(args=["printers", "list"])
    assert result.exit_code == 0 and "flask printers add" in result.output


@pytest.mark.parametrize(("change", "expected"), [
    (["--connection", "tcp://nope"], "tcp needs a host and a port"),
    (["--connection", "http://printer"], "connection must start with one of"),
    (["--connection", "serial:///dev/ttyUSB0?baud=1234"], "serial baud"),
    (["--paper", "76"], "80 或 58"),
    (["--chinese", "shift_jis"], "gb18030, gbk, big5, utf8, image"),
    (["--station", "Cashier 1"], "cashier-1"),
    (["--documents", "sales_slip,invoice"], "invoice"),
])
def test_bad_settings_write_nothing(app, runner, change, expected):
    args = list(GOOD)
    flag = change[0]
    if flag in args:
        args[args.index(flag) + 1] = change[1]
    else:
        args += change
    result = _add(runner, "坏的", *args)
    assert result.exit_code != 0
    assert expected in result.output, result.output
    assert f"{flag}:" in result.output  # the message names the option
    assert _printers(app) == []


def test_several_problems_are_listed_at_once(app, runner):
    result = _add(runner, "x", "--connection", "lpt1", "--paper", "70", "--chinese", "jis",
                  "--station", "前台")
    assert result.exit_code != 0
    for flag in ("--connection:", "--paper:", "--chinese:", "--station:"):
        assert flag in result.output
    assert _printers(app) == []


def test_duplicate_name_refused(app, runner):
    assert _add(runner, "Till", *GOOD).exit_code == 0
    again = _add(runner, "till", *GOOD)
    assert again.exit_code != 0 and "till" in again.output
    assert len(_printers(app)) == 1


def test_missing_option_is_a_usage_error(app, runner):
    result = runner.invoke(args=["printers", "add", "x", "--paper", "80"])
    assert result.exit_code == 2 and "--connection" in result.output
    assert _printers(app) == []


@pytest.mark.parametrize("mode", ["gb18030", "gbk", "big5", "utf8", "image"])
def test_test_page_reaches_the_printer(app, runner, mode):
    with FakePrinter("ok") as fake:
        assert _add(runner, "t", "--connection", fake.uri, "--paper", "58", "--chinese", mode,
                    "--station", "cashier-1").exit_code == 0
        result = runner.invoke(args=["printers", "test", "t"])
        assert result.exit_code == 0, result.output
        assert fake.wait_for(1)
    assert "delivered" in result.output and "paper ok" in result.output
    (job,) = fake.jobs
    assert job.startswith(b"\x1b@")  # ESC @ initialise
    if mode == "image":
        assert b"\x1dv0" in job  # raster
    elif mode == "big5":
        assert b"TEST" in job  # 测试页 is simplified: Big5 has no code for it
    else:
        assert "测试页".encode({"utf8": "utf-8"}.get(mode, mode)) in job
    if mode in ("gb18030", "gbk", "big5"):
        assert b"\x1c&" in job  # Chinese mode on
    (printer,) = _printers(app)
    assert printer.status_reply == "paper ok" and printer.status_at is not None
    with app.app_context():  # a direct test: no job row
        assert db.session.scalar(select(func.count()).select_from(PrintJob)) == 0


def test_test_page_paper_out_fails(app, runner):
    with FakePrinter("paper_out") as fake:
        _add(runner, "t", "--connection", fake.uri, "--paper", "80", "--chinese", "gb18030",
             "--station", "cashier-1")
        result = runner.invoke(args=["printers", "test", "t"])
    assert result.exit_code != 0 and "paper out" in result.output
    assert _printers(app)[0].status_reply == "paper out"


def test_test_page_not_delivered(app, runner):
    fake = FakePrinter("down")
    _add(runner, "t", "--connection", fake.uri, "--paper", "80", "--chinese", "gb18030",
         "--station", "cashier-1")
    result = runner.invoke(args=["printers", "test", "t"])
    assert result.exit_code != 0
    assert "not delivered" in result.output and "safe to try again" in result.output


@pytest.mark.parametrize("mode", ["hang", "reset"])
def test_test_page_ambiguous(app, runner, mode):
    with FakePrinter(mode) as fake:
        _add(runner, "t", "--connection", fake.uri, "--paper", "80", "--chinese", "image",
             "--station", "cashier-1")
        result = runner.invoke(args=["printers", "test", "t", "--timeout", "0.5"])
    assert result.exit_code != 0
    assert "ambiguous" in result.output and "may have printed" in result.output


def test_test_unknown_printer(runner):
    result = runner.invoke(args=["printers", "test", "nobody"])
    assert result.exit_code != 0 and "nobody" in result.output


def test_disable_and_enable(app, runner):
    _add(runner, "t", *GOOD)
    assert runner.invoke(args=["printers", "disable", "t"]).exit_code == 0
    assert _printers(app)[0].enabled is False
    assert " no " in runner.invoke(args=["printers", "list"]).output
    assert runner.invoke(args=["printers", "enable", "T"]).exit_code == 0
    assert _printers(app)[0].enabled is True
    assert runner.invoke(args=["printers", "disable", "nobody"]).exit_code != 0


def test_test_page_holds_no_database_lock_while_the_printer_hangs(app, runner):
    """Settling must not wait on `printers test`: the write lock is free while it sends."""
    import sqlite3
    import threading

    from sqlalchemy import text

    with FakePrinter("hang") as fake:
        assert _add(runner, "t", "--connection", fake.uri, "--paper", "80", "--chinese", "gbk",
                    "--station", "cashier-1").exit_code == 0
        done = threading.Event()
        result = {}

        def run_test():
            result["out"] = runner.invoke(args=["printers", "test", "t", "--timeout", "2"])
            done.set()

        worker = threading.Thread(target=run_test)
        worker.start()
        try:
            assert fake.wait_for(0) and not done.wait(0.5)  # the CLI is now waiting on the printer
            with app.app_context():
                engine = db.engine
                if engine.dialect.name == "sqlite":
                    raw = sqlite3.connect(engine.url.database, timeout=0.2, isolation_level=None)
                    try:
                        raw.execute("BEGIN IMMEDIATE")  # 'database is locked' if the CLI held it
                        raw.execute("ROLLBACK")
                    finally:
                        raw.close()
                else:
                    with engine.connect() as conn:
                        conn.execute(text("SET lock_timeout = '200ms'"))
                        conn.execute(text("SELECT id FROM printers FOR UPDATE"))
                        conn.rollback()
        finally:
            worker.join(10)
        assert result["out"].exit_code != 0 and "ambiguous" in result["out"].output
