"""Sending a finished job to a printer, and saying whether a failure is safe to retry.

One job is one write. A failure before any byte can have reached the printer (connection
refused, no such device, queue rejected the job) is `NotDelivered`: the worker retries
with backoff. A failure after bytes started to flow (timeout, reset, no answer to the
status query that follows the job) is `Ambiguous`: the job may have printed, so it is
never resent automatically — staff look at the printer and reprint with one tap.

Connection URIs: tcp://HOST:PORT[?status=0] (status=0 for a printer that never answers
DLE EOT; without it every job would look ambiguous), usb://VID:PID, serial:///dev/ttyUSB0?baud=115200,
cups://QUEUE, file:///path/to/file.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import parse_qs, urlsplit

DLE_EOT_PAPER = b"\x10\x04\x04"  # real-time status: paper roll sensor
DLE_EOT_PRINTER = b"\x10\x04\x01"  # real-time status: printer (online/offline)
# Jobs go out in chunks, each with the full timeout: a slow printer that keeps taking
# bytes (a big image job, a 9600-baud serial line) is never mistaken for a hung one.
CHUNK = 4096
SEND_BUFFER = 16384
SERIAL_CHUNK = 256
SCHEMES = ("tcp", "usb", "serial", "cups", "file")


class DeliveryError(Exception):
    """Base of the two ways a delivery fails."""


class NotDelivered(DeliveryError):
    """Nothing reached the printer: safe to try again later."""


class Ambiguous(DeliveryError):
    """Bytes may have reached the printer: resending could print the document twice."""


@dataclass(frozen=True)
class Delivery:
    status_reply: str = ""  # what the printer said about itself, "" if nothing


@dataclass(frozen=True)
class Connection:
    scheme: str
    host: str = ""
    port: int = 0
    path: str = ""
    vendor_id: int = 0
    product_id: int = 0
    baud: int = 9600
    queue: str = ""
    status_query: bool = True


Hook = Callable[[], None] | None  # called once the printer is reached, before bytes flow


class Connector(Protocol):
    def send(self, data: bytes, *, on_connected: Hook = None) -> Delivery: ...
    def query_status(self) -> str: ...
    def probe(self) -> bool: ...


def parse_connection(uri: str) -> Connection:
    """Check a connection URI and split it; ValueError says what is wrong."""
    uri = (uri or "").strip()
    parts = urlsplit(uri)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        known = ", ".join(s + "://" for s in SCHEMES)
        raise ValueError(f"connection must start with one of {known}: {uri!r}")
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    if scheme == "tcp":
        try:
            port = parts.port
        except ValueError:
            port = None
        if not parts.hostname or not port:
            raise ValueError(f"tcp needs a host and a port, e.g. tcp://192.168.1.50:9100: {uri!r}")
        return Connection("tcp", host=parts.hostname, port=port,
                          status_query=query.get("status", "1") not in ("0", "no", "off"))
    if scheme == "usb":
        vid, _, pid = parts.netloc.partition(":")
        try:
            vendor, product = int(vid, 16), int(pid, 16)
        except ValueError:
            raise ValueError(f"usb needs vendor and product ids in hex, e.g. usb://04b8:0202: "
                             f"{uri!r}") from None
        return Connection("usb", vendor_id=vendor, product_id=product)
    if scheme == "serial":
        if not parts.path:
            raise ValueError(f"serial needs a device path, e.g. serial:///dev/ttyUSB0?baud=115200: {uri!r}")
        baud = query.get("baud", "9600")
        if not baud.isdigit() or int(baud) not in (9600, 19200, 38400, 57600, 115200):
            raise ValueError(f"serial baud must be 9600, 19200, 38400, 57600 or 115200: {uri!r}")
        return Connection("serial", path=parts.path, baud=int(baud))
    if scheme == "cups":
        if not parts.netloc:
            raise ValueError(f"cups needs a queue name, e.g. cups://receipt: {uri!r}")
        return Connection("cups", queue=parts.netloc)
    if not parts.path or parts.netloc:
        raise ValueError(f"file needs an absolute path, e.g. file:///tmp/printer.bin: {uri!r}")
    return Connection("file", path=parts.path)


def connector_for(uri: str, *, timeout: float = 5.0, raw: bool = True) -> Connector:
    """The connector for a printer URI; raw=False hands CUPS a PDF to rasterise itself."""
    conn = parse_connection(uri)
    if conn.scheme == "tcp":
        return TcpConnector(conn, timeout)
    if conn.scheme == "usb":
        return UsbConnector(conn, timeout)
    if conn.scheme == "serial":
        return SerialConnector(conn, timeout)
    if conn.scheme == "cups":
        return CupsConnector(conn, timeout, raw=raw)
    return FileConnector(conn)


def describe_paper_status(byte: int) -> str:
    """DLE EOT 4 answer: bits 2-3 paper near end, bits 5-6 paper end."""
    if byte & 0x60:
        return "paper out"
    if byte & 0x0C:
        return "paper near end"
    return "paper ok"


class TcpConnector:
    """Raw port (usually 9100). After the job, a real-time status query: an answer means
    the printer has read every byte before it; silence or a reset means we cannot know."""

    def __init__(self, conn: Connection, timeout: float) -> None:
        self.conn, self.timeout = conn, timeout

    def _connect(self) -> socket.socket:
        try:
            sock = socket.create_connection((self.conn.host, self.conn.port), timeout=self.timeout)
        except OSError as exc:
            raise NotDelivered(f"cannot connect to {self.conn.host}:{self.conn.port}: "
                               f"{_reason(exc)}") from exc
        # A small send buffer keeps us in step with the printer: sendall returns when the
        # printer has taken the bytes (not when the kernel has queued megabytes of them),
        # so the status answer after the job is never stuck behind a long backlog.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER)
        return sock

    def send(self, data: bytes, *, on_connected: Hook = None) -> Delivery:
        sock = self._connect()
        try:
            if on_connected:
                on_connected()
            for start in range(0, len(data), CHUNK):
                sock.sendall(data[start:start + CHUNK])
            if not self.conn.status_query:
                return Delivery()
            sock.sendall(DLE_EOT_PAPER)
            sock.settimeout(self.timeout * 2)  # the answer comes once the printer has read the job
            return Delivery(status_reply=describe_paper_status(_read_byte(sock)))
        except TimeoutError as exc:
            raise Ambiguous(f"printer took the connection but stopped reading or answering for "
                            f"{self.timeout:g} s: check the paper and reprint if missing") from exc
        except (OSError, EOFError) as exc:
            raise Ambiguous(f"connection lost mid-job ({_reason(exc)}): check the paper and "
                            f"reprint if missing") from exc
        finally:
            sock.close()

    def query_status(self) -> str:
        sock = self._connect()
        try:
            sock.sendall(DLE_EOT_PAPER)
            return describe_paper_status(_read_byte(sock))
        except (OSError, EOFError) as exc:
            return f"no status reply ({_reason(exc)})"
        finally:
            sock.close()

    def probe(self) -> bool:
        """Does the printer answer again? (True without asking when status replies are off.)"""
        if not self.conn.status_query:
            return True
        return not self.query_status().startswith("no status reply")


def _read_byte(sock: socket.socket) -> int:
    chunk = sock.recv(1)
    if not chunk:
        raise EOFError("printer closed the connection")
    return chunk[0]


def _reason(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "timed out"
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


class FileConnector:
    """Appends the job to a file or device node; given a directory (a spool folder), writes
    each job to a new file there (.pdf or .escpos)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def _target(self, data: bytes) -> str:
        if not os.path.isdir(self.conn.path):
            return self.conn.path
        stamp = time.strftime("%Y%m%d-%H%M%S")
        suffix = ".pdf" if data.startswith(b"%PDF") else ".escpos"
        return os.path.join(self.conn.path, f"job-{stamp}-{uuid.uuid4().hex[:8]}{suffix}")

    def send(self, data: bytes, *, on_connected: Hook = None) -> Delivery:
        try:
            handle = open(self._target(data), "ab")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise NotDelivered(f"cannot open {self.conn.path}: {_reason(exc)}") from exc
        try:
            with handle:
                if on_connected:
                    on_connected()
                handle.write(data)
                handle.flush()
        except OSError as exc:
            raise Ambiguous(f"writing {self.conn.path} failed: {_reason(exc)}") from exc
        return Delivery()

    def query_status(self) -> str:
        return ""

    def probe(self) -> bool:
        return True


class SerialConnector:
    """RS-232 through pyserial; a write that times out may have printed part of the job."""

    def __init__(self, conn: Connection, timeout: float) -> None:
        self.conn, self.timeout = conn, timeout

    def send(self, data: bytes, *, on_connected: Hook = None) -> Delivery:
        import serial  # pyserial, imported only where a serial printer exists

        try:
            port = serial.Serial(self.conn.path, self.conn.baud, timeout=self.timeout,
                                 write_timeout=self.timeout)
        except (serial.SerialException, OSError) as exc:
            raise NotDelivered(f"cannot open {self.conn.path}: {exc}") from exc
        try:
            if on_connected:
                on_connected()
            for start in range(0, len(data), SERIAL_CHUNK):
                port.write(data[start:start + SERIAL_CHUNK])
            port.flush()
        except (serial.SerialException, OSError) as exc:
            raise Ambiguous(f"serial write to {self.conn.path} failed: {exc}") from exc
        finally:
            port.close()
        return Delivery()

    def query_status(self) -> str:
        return ""

    def probe(self) -> bool:
        return True


class UsbConnector:
    """USB printer class device through pyusb: first bulk OUT endpoint, one write."""

    def __init__(self, conn: Connection, timeout: float) -> None:
        self.conn, self.timeout = conn, timeout

    def send(self, data: bytes, *, on_connected: Hook = None) -> Delivery:
        import usb.core  # pyusb
        import usb.util

        ids = f"{self.conn.vendor_id:04x}:{self.conn.product_id:04x}"
        try:
            device = usb.core.find(idVendor=self.conn.vendor_id, idProduct=self.conn.product_id)
        except usb.core.NoBackendError as exc:
            raise NotDelivered(f"no USB backend (libusb) to reach {ids}") from exc
        if device is None:
            raise NotDelivered(f"USB printer {ids} not connected")
        try:
            device.set_configuration()
            interface = device.get_active_configuration()[(0, 0)]
            endpoint = usb.util.find_descriptor(
                interface, custom_match=lambda e: usb.util.endpoint_direction(e.bEndpointAddress)
                == usb.util.ENDPOINT_OUT)
        except (usb.core.USBError, KeyError) as exc:
            raise NotDelivered(f"USB printer {ids} not ready: {exc}") from exc
        if endpoint is None:
            raise NotDelivered(f"USB device {ids} has no output endpoint")
        try:
            if on_connected:
                on_connected()
            for start in range(0, len(data), CHUNK):
                endpoint.write(data[start:start + CHUNK], timeout=int(self.timeout * 1000))
        except usb.core.USBError as exc:
            raise Ambiguous(f"USB write to {ids} failed: {exc}") from exc
        finally:
            usb.util.dispose_resources(device)
        return Delivery()

    def query_status(self) -> str:
        return ""

    def probe(self) -> bool:
        return True


class CupsConnector:
    """Hands the raw bytes to a CUPS queue with `lp -o raw`; once CUPS has accepted the
    job it is CUPS's to deliver, so a refusal is safe to retry and a hang is not."""

    def __init__(self, conn: Connection, timeout: float, *, raw: bool = True) -> None:
        self.conn, self.timeout, self.raw = conn, timeout, raw

    def send(self, data: bytes, *, on_connected: Hook = None) -> Delivery:
        lp = shutil.which("lp")
        if lp is None:
            raise NotDelivered("the lp command is missing (install cups-client)")
        if on_connected:
            on_connected()
        command = [lp, "-d", self.conn.queue] + (["-o", "raw"] if self.raw else [])
        try:
            done = subprocess.run(command, input=data,  # noqa: S603
                                  capture_output=True, timeout=self.timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise Ambiguous(f"lp did not answer within {self.timeout:g} s") from exc
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip() or f"exit {done.returncode}"
            raise NotDelivered(f"CUPS queue {self.conn.queue} refused the job: {message}")
        return Delivery(status_reply=done.stdout.decode("utf-8", "replace").strip()[:200])

    def query_status(self) -> str:
        return ""

    def probe(self) -> bool:
        return True
