"""Connectors: URI checks, and each transport telling "safe to retry" from "may have printed"."""
from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import Any

import pytest
from fake_printer import FakePrinter

from printing.connectors import (
    Ambiguous,
    NotDelivered,
    connector_for,
    describe_paper_status,
    parse_connection,
)


@pytest.mark.parametrize("uri, expect", [
    ("tcp://192.168.1.50:9100", ("tcp", "192.168.1.50", 9100, True)),
    ("tcp://printer.local:9100?status=0", ("tcp", "printer.local", 9100, False)),
    ("usb://04b8:0202", ("usb", 0x04B8, 0x0202)),
    ("serial:///dev/ttyUSB0?baud=115200", ("serial", "/dev/ttyUSB0", 115200)),
    ("cups://receipt", ("cups", "receipt")),
    ("file:///tmp/out.bin", ("file", "/tmp/out.bin")),
])
def test_good_uris(uri: str, expect: tuple[Any, ...]) -> None:
    c = parse_connection(uri)
    got = {"tcp": (c.scheme, c.host, c.port, c.status_query), "usb": (c.scheme, c.vendor_id, c.product_id),
           "serial": (c.scheme, c.path, c.baud), "cups": (c.scheme, c.queue),
           "file": (c.scheme, c.path)}[c.scheme]
    assert got == expect


@pytest.mark.parametrize("uri, words", [
    ("", "must start with"), ("http://x:9100", "must start with"), ("tcp://host", "host and a port"),
    ("tcp://:9100", "host and a port"), ("tcp://h:notaport", "host and a port"),
    ("usb://zz:01", "hex"), ("usb://04b8", "hex"), ("serial://", "device path"),
    ("serial:///dev/ttyS0?baud=1234", "baud"), ("cups://", "queue name"), ("file://relative", "absolute"),
])
def test_bad_uris_say_what_is_wrong(uri: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        parse_connection(uri)


def test_paper_status_bits() -> None:
    assert [describe_paper_status(b) for b in (0x12, 0x1E, 0x72)] == [
        "paper ok", "paper near end", "paper out"]


def test_tcp_refused_is_safe_hang_and_reset_are_not() -> None:
    fake = FakePrinter("down")
    with pytest.raises(NotDelivered, match="Connection refused"):
        connector_for(fake.uri).send(b"x")
    fake.up("hang")
    with pytest.raises(Ambiguous, match="stopped reading or answering"):
        connector_for(fake.uri, timeout=0.3).send(b"x" * 100)
    assert not connector_for(fake.uri, timeout=0.3).probe()
    fake.close()
    fake.up("reset")
    with pytest.raises(Ambiguous, match="connection lost"):
        connector_for(fake.uri, timeout=2).send(b"y" * 500_000)
    fake.close()


def test_tcp_calls_the_hook_after_connecting_and_before_writing() -> None:
    calls: list[int] = []
    with FakePrinter() as fake:
        connector_for(fake.uri).send(b"job", on_connected=lambda: calls.append(len(fake.jobs)))
        assert fake.wait_for(1) and fake.jobs == [b"job"]
    assert calls == [0]
    down = FakePrinter("down")
    with pytest.raises(NotDelivered):
        connector_for(down.uri).send(b"job", on_connected=lambda: calls.append(99))
    assert calls == [0]  # never reached: the job is safe to queue again


def test_tcp_status_query_can_be_switched_off() -> None:
    with FakePrinter("hang") as fake:
        assert connector_for(fake.uri + "?status=0", timeout=0.3).send(b"x").status_reply == ""
        assert connector_for(fake.uri + "?status=0", timeout=0.3).probe()
    with FakePrinter() as fake:
        assert connector_for(fake.uri).probe()


def test_file_appends_or_spools_one_file_per_job(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    connector_for(f"file://{target}").send(b"a")
    connector_for(f"file://{target}").send(b"b")
    assert target.read_bytes() == b"ab"
    connector_for(f"file://{tmp_path}").send(b"%PDF-1.4 x")
    connector_for(f"file://{tmp_path}").send(b"\x1b@receipt")
    assert sorted(p.suffix for p in tmp_path.glob("job-*")) == [".escpos", ".pdf"]
    with pytest.raises(NotDelivered, match="cannot open"):
        connector_for(f"file://{tmp_path}/missing/out.bin").send(b"a")


def test_serial_writes_to_a_real_tty(tmp_path: Path) -> None:
    master, slave = os.openpty()
    try:
        connector_for(f"serial://{os.ttyname(slave)}?baud=115200").send("王丽华".encode("gb18030"))
        assert os.read(master, 100) == "王丽华".encode("gb18030")
    finally:
        os.close(master)
        os.close(slave)
    with pytest.raises(NotDelivered, match="cannot open"):
        connector_for("serial:///dev/does-not-exist").send(b"x")


def test_usb_missing_device_is_safe_and_write_error_is_ambiguous(monkeypatch: pytest.MonkeyPatch) -> None:
    import usb.core
    import usb.util

    monkeypatch.setattr(usb.core, "find", lambda **kw: None)
    with pytest.raises(NotDelivered, match="04b8:0202 not connected"):
        connector_for("usb://04b8:0202").send(b"x")

    written: list[bytes] = []

    class Endpoint:
        bEndpointAddress = 0x01

        def write(self, data: bytes, timeout: int) -> None:
            written.append(data)
            raise usb.core.USBTimeoutError("timeout")

    class Device:
        def set_configuration(self) -> None: ...
        def get_active_configuration(self) -> dict[Any, Any]:
            return {(0, 0): [Endpoint()]}

    monkeypatch.setattr(usb.core, "find", lambda **kw: Device())
    monkeypatch.setattr(usb.util, "find_descriptor", lambda intf, custom_match: intf[0])
    monkeypatch.setattr(usb.util, "dispose_resources", lambda dev: None)
    with pytest.raises(Ambiguous, match="USB write"):
        connector_for("usb://04b8:0202").send(b"job")
    assert written == [b"job"]


def _fake_lp(tmp_path: Path, script: str) -> str:
    lp = tmp_path / "bin" / "lp"
    lp.parent.mkdir(exist_ok=True)
    lp.write_text(f"#!{sys.executable}\n{script}")
    lp.chmod(lp.stat().st_mode | stat.S_IEXEC)
    return str(lp.parent)


def test_cups_hands_raw_bytes_to_lp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "got.bin"
    bindir = _fake_lp(tmp_path, "import sys\n"
                      f"open({str(out)!r}, 'wb').write(' '.join(sys.argv[1:]).encode() + b'|' + "
                      "sys.stdin.buffer.read())\nprint('request id is receipt-7 (1 file(s))')\n")
    monkeypatch.setenv("PATH", bindir + os.pathsep + os.environ["PATH"])
    delivery = connector_for("cups://receipt").send(b"\x1b@job")
    assert out.read_bytes() == b"-d receipt -o raw|\x1b@job"
    assert "receipt-7" in delivery.status_reply
    connector_for("cups://office", raw=False).send(b"%PDF")
    assert out.read_bytes() == b"-d office|%PDF"


def test_cups_refusal_is_safe_and_missing_lp_is_explained(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    bindir = _fake_lp(tmp_path, "import sys\nsys.stderr.write('lp: The printer or class does not exist.')\n"
                      "sys.exit(1)\n")
    monkeypatch.setenv("PATH", bindir)
    with pytest.raises(NotDelivered, match="does not exist"):
        connector_for("cups://nope").send(b"x")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(NotDelivered, match="cups-client"):
        connector_for("cups://receipt").send(b"x")


def test_printing_package_needs_neither_flask_nor_the_app() -> None:
    """printing/ is a port: importing all of it pulls in no Flask, SQLAlchemy or showroom."""
    import pkgutil
    import subprocess

    import printing

    names = [f"printing.{m.name}" for m in pkgutil.iter_modules(printing.__path__)]
    code = ("import importlib, sys\n"
            f"for n in {names!r}: importlib.import_module(n)\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy', 'showroom'))\n"
            "print(bad)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.stdout.strip() == "[]", done.stdout + done.stderr
