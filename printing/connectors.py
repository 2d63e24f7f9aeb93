"""Sending a finished job to a printer, and saying whether a failure is safe to retry.

One job is one write. A failure before any byte can have reached the printer (connection
refused, no such device, queue rejected the job) is `NotDelivered`: the worker retries
with backoff. A failure after bytes started to flow (timeout, reset, no answer to the
status query that follows the job) is `Ambiguous`: the job may have printed, so it is
never resent automatically — staff look at the printer and reprint with one tap.

Connection URIs: tcp://HOST:PORT[?status=0] (status=0 for a printer that never answers
DLE EOT; without it every job would look ambiguous), usb://VID:PID, serial:///dev/ttyUSB0?baud=115200,
cups://QUEUE, file:///path/to/file.

Where a connector may reach is limited by an `AllowList` the caller passes (the app builds
it from its settings; this package never reads them): tcp only to hosts in the allowed
networks (private ranges and loopback by default) on the allowed ports (9100-9109), checked
again on every connect against the addresses the name resolves to; serial only to serial
device files under /dev; file only into the spool folder (or a printer device file).
"""
from __future__ import annotations

import ipaddress
import os
import re
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
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


IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
DEFAULT_NETWORKS = "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,127.0.0.0/8,::1/128,fc00::/7"
DEFAULT_PORTS = "9100-9109"
# Serial ports (ttyS0, ttyUSB0, ttyACM0, ttyAMA0 …) and their stable names under /dev/serial.
SERIAL_DEVICE = re.compile(r"^/dev/(?:tty[A-Za-z]*[0-9]+|serial/by-(?:id|path)/[^/]+)$")
# Printer-class device files a file:// printer may write to besides the spool folder.
PRINTER_DEVICE = re.compile(r"^/dev/(?:usb/)?lp[0-9]+$")


class NotAllowed(ValueError):
    """The connection points somewhere printers may not be: another network, another port,
    a file outside the spool folder, a device that is not a serial port. `code` says which
    ("port", "network", "resolve", "serial", "file") so the app can word it for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def parse_networks(text: str | tuple[str, ...] | list[str]) -> tuple[IPNetwork, ...]:
    """"10.0.0.0/8, 192.168.1.7" → networks; ValueError names the bad entry."""
    items = text.split(",") if isinstance(text, str) else list(text)
    out = []
    for item in (i.strip() for i in items):
        if item:
            try:
                out.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                raise ValueError(f"not a network: {item!r} (e.g. 192.168.0.0/16)") from None
    return tuple(out)


def parse_ports(text: str | tuple[int | str, ...] | list[int | str]) -> frozenset[int]:
    """"9100-9109,515" → {515, 9100, …, 9109}; ValueError names the bad entry."""
    items = text.split(",") if isinstance(text, str) else [str(i) for i in text]
    ports: set[int] = set()
    for item in (i.strip() for i in items):
        if not item:
            continue
        low, _dash, high = item.partition("-")
        if not (low.strip().isdigit() and (not _dash or high.strip().isdigit())):
            raise ValueError(f"not a port or range: {item!r} (e.g. 9100-9109)")
        first, last = int(low), int(high) if _dash else int(low)
        if not 1 <= first <= last <= 65535:
            raise ValueError(f"not a port or range: {item!r} (ports are 1-65535)")
        ports.update(range(first, last + 1))
    return frozenset(ports)


@dataclass(frozen=True)
class AllowList:
    """Where printers may be: networks and ports for tcp, a spool folder for file (None:
    no file printers except printer device files)."""
    networks: tuple[IPNetwork, ...] = field(default_factory=lambda: parse_networks(DEFAULT_NETWORKS))
    ports: frozenset[int] = field(default_factory=lambda: parse_ports(DEFAULT_PORTS))
    spool: str | None = None

    def host_allowed(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
        except ValueError:
            return False
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        return any(ip.version == net.version and ip in net for net in self.networks)

    def check(self, conn: Connection, *, resolve: bool = True) -> None:
        """NotAllowed (a ValueError) saying why, unless the connection is allowed. A tcp host
        name must resolve to allowed addresses only (when `resolve`; connects check again)."""
        if conn.scheme == "tcp":
            if conn.port not in self.ports:
                raise NotAllowed("port", f"port {conn.port} is not a printer port here "
                                 f"(allowed: {port_ranges(self.ports)})")
            if resolve:
                self.addresses(conn.host, conn.port)
        elif conn.scheme == "serial":
            path = os.path.normpath(conn.path)
            real = os.path.realpath(path) if os.path.exists(path) else path
            if not (SERIAL_DEVICE.match(path) and (real == path or SERIAL_DEVICE.match(real))):
                raise NotAllowed("serial", f"{conn.path} is not a serial port (e.g. /dev/ttyUSB0)")
        elif conn.scheme == "file":
            if not self.file_allowed(conn.path):
                where = self.spool or "(no spool folder)"
                raise NotAllowed("file", f"a file printer must write into the spool folder {where}: "
                                 f"{conn.path}")

    def addresses(self, host: str, port: int) -> list[str]:
        """The allowed addresses `host` resolves to; NotAllowed if any is outside."""
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise NotAllowed("resolve", f"cannot resolve printer host {host}: {_reason(exc)}") from exc
        found = list(dict.fromkeys(str(info[4][0]) for info in infos))
        outside = [a for a in found if not self.host_allowed(a)]
        if outside or not found:
            raise NotAllowed("network", f"printer host {host} ({', '.join(outside or found)}) is not on an "
                             f"allowed network ({', '.join(str(n) for n in self.networks)})")
        return found

    def file_allowed(self, path: str) -> bool:
        if not os.path.isabs(path):
            return False
        real = os.path.realpath(path)
        if PRINTER_DEVICE.match(os.path.normpath(path)) and PRINTER_DEVICE.match(real):
            return True
        if not self.spool:
            return False
        spool = os.path.realpath(self.spool)
        return real == spool or real.startswith(spool.rstrip(os.sep) + os.sep)


def port_ranges(ports: frozenset[int]) -> str:
    """{9100, …, 9109, 515} → "515, 9100-9109"."""
    runs: list[list[int]] = []
    for port in sorted(ports):
        if runs and port == runs[-1][1] + 1:
            runs[-1][1] = port
        else:
            runs.append([port, port])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs) or "none"


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


def connector_for(uri: str, *, timeout: float = 5.0, raw: bool = True,
                  allow: AllowList | None = None) -> Connector:
    """The connector for a printer URI; raw=False hands CUPS a PDF to rasterise itself.
    With `allow`, a connection outside it is NotAllowed (a ValueError) here, and a tcp
    connector connects only to allowed addresses of its host."""
    conn = parse_connection(uri)
    if allow is not None:
        allow.check(conn, resolve=False)  # tcp hosts: resolved and checked on each connect
    if conn.scheme == "tcp":
        return TcpConnector(conn, timeout, allow)
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

    def __init__(self, conn: Connection, timeout: float, allow: AllowList | None = None) -> None:
        self.conn, self.timeout, self.allow = conn, timeout, allow

    def _connect(self) -> socket.socket:
        targets = [self.conn.host]
        if self.allow is not None:  # connect to the checked addresses, not a fresh lookup
            try:
                targets = self.allow.addresses(self.conn.host, self.conn.port)
            except NotAllowed as exc:
                raise NotDelivered(str(exc)) from exc
        error: OSError | None = None
        for target in targets:
            try:
                sock = socket.create_connection((target, self.conn.port), timeout=self.timeout)
                break
            except OSError as exc:
                error = exc
        else:
            raise NotDelivered(f"cannot connect to {self.conn.host}:{self.conn.port}: "
                               f"{_reason(error or OSError('no address'))}") from error
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
            # a new job file is the owner's only (600): receipts carry names, phones, debts
            handle = os.fdopen(os.open(self._target(data), os.O_WRONLY | os.O_APPEND | os.O_CREAT,
                                       0o600), "ab")
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
