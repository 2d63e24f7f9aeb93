"""A fake raw-TCP (port 9100) receipt printer on 127.0.0.1 for tests and benchmarks.

Modes: "ok" (reads the job, answers the DLE EOT 4 paper-status query), "down" (nothing
listens: connection refused), "hang" (accepts, never reads, never answers), "reset"
(reads a little, then resets the connection), "paper_out" (like ok, but answers paper
end). `jobs` holds the bytes of every finished connection, status query removed.
"""
from __future__ import annotations

import socket
import struct
import threading
import time

DLE_EOT_PAPER = b"\x10\x04\x04"
PAPER_OK, PAPER_END = 0x12, 0x72


class FakePrinter:
    def __init__(self, mode: str = "ok", *, delay: float = 0.0, port: int = 0,
                 read_rate: int = 0) -> None:
        self.mode = mode
        self.delay = delay  # seconds to "print" each job before answering
        self.read_rate = read_rate  # bytes per second it takes in (0 = as fast as they come)
        self._finished: list[tuple[int, bytes]] = []  # (connection number, bytes)
        self.connections = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._held: list[socket.socket] = []
        self._listener: socket.socket | None = None
        self._thread: threading.Thread | None = None
        # The port stays bound from here to close(), listening only while up: while down,
        # connections are refused and no other test (or xdist worker) can take the port.
        self._reserved: socket.socket | None = _bound(port)
        self.port = int(self._reserved.getsockname()[1])
        if mode != "down":
            self.up()

    @property
    def uri(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    @property
    def jobs(self) -> list[bytes]:
        """Finished jobs in the order their connections were accepted: a handler thread
        may finish after the next connection's on a loaded machine, and the order the
        printer received them in is the accept order, not the order the threads ended."""
        with self._lock:
            return [job for _, job in sorted(self._finished, key=lambda f: f[0])]

    def up(self, mode: str | None = None) -> None:
        """Start listening (again) on the same port."""
        if mode:
            self.mode = mode
        if self._listener is not None:
            return
        listener, self._reserved = self._reserved or _bound(self.port), None
        if self.mode == "hang" or self.read_rate:
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        listener.listen(16)
        listener.settimeout(0.1)
        self._listener = listener
        self._stop.clear()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def down(self) -> None:
        """Stop listening: new connections are refused."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
        if self._listener is not None:
            self._listener.close()
            try:
                self._reserved = _bound(self.port)  # keep the port, refusing connections
            except OSError:
                self._reserved = None
        self._listener, self._thread = None, None

    def close(self) -> None:
        self.down()
        if self._reserved is not None:
            self._reserved.close()
            self._reserved = None
        for sock in self._held:
            sock.close()
        self._held.clear()

    def __del__(self) -> None:  # a "down" printer a test never closed still frees its port
        if self._reserved is not None:
            self._reserved.close()

    def __enter__(self) -> FakePrinter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def wait_for(self, count: int, timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.jobs) >= count:
                return True
            time.sleep(0.01)
        return len(self.jobs) >= count

    def _serve(self) -> None:
        assert self._listener is not None
        listener = self._listener
        while not self._stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self.connections += 1
                number = self.connections
            if self.mode == "hang":
                self._held.append(conn)  # never read, never answer
                continue
            threading.Thread(target=self._handle, args=(conn, number), daemon=True).start()

    def _handle(self, conn: socket.socket, number: int) -> None:
        data = bytearray()
        conn.settimeout(10)
        try:
            if self.mode == "reset":
                data += conn.recv(64)
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                conn.close()
                return
            while True:
                if self.read_rate:
                    time.sleep(1024 / self.read_rate)
                chunk = conn.recv(1024 if self.read_rate else 65536)
                if not chunk:
                    break
                data += chunk
                if data.endswith(DLE_EOT_PAPER):
                    if self.delay:
                        time.sleep(self.delay)
                    conn.sendall(bytes([PAPER_END if self.mode == "paper_out" else PAPER_OK]))
        except OSError:
            return
        finally:
            conn.close()
        job = bytes(data[:-len(DLE_EOT_PAPER)] if data.endswith(DLE_EOT_PAPER) else data)
        if job:
            with self._lock:
                self._finished.append((number, job))


def _bound(port: int) -> socket.socket:
    """A TCP socket bound to 127.0.0.1:port (0: one the system picks), not listening."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError:
        sock.close()
        raise
    return sock
