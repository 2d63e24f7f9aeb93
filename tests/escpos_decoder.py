"""Test-side ESC/POS decoder: printer bytes back into what the paper shows.

`decode(data, mode)` reads a job as a Chinese thermal printer would — text lines with
their alignment, weight and size; CJK decoded with the printer's code page inside
FS & … FS . (or as UTF-8 after FS ( C); hardware barcodes, native QR payloads, cuts,
drawer kicks and GS v 0 raster strips stacked into PIL images — and records what a
printer would garble: bytes >= 0x80 outside Chinese mode. Unknown commands raise, so a
renderer bug cannot hide behind a lenient decoder.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PIL import Image

ESC, GS, FS, DLE = 0x1B, 0x1D, 0x1C, 0x10
CODEPAGES = {"gb18030": "gb18030", "gbk": "gbk", "big5": "big5"}


@dataclass
class Line:
    text: str
    align: str = "left"
    bold: bool = False
    width: int = 1
    height: int = 1


@dataclass
class HwBarcode:
    system: int      # GS k m (73 = CODE128)
    raw: bytes       # data as sent, e.g. b"{BXS-…"
    data: str        # what a scanner reads
    module: int      # GS w
    height: int      # GS h
    symbols: int     # CODE128 symbols incl. start, switches and check


@dataclass
class Decoded:
    events: list[tuple[str, Any]] = field(default_factory=list)
    cjk_outside: list[bytes] = field(default_factory=list)
    chinese_runs: list[str] = field(default_factory=list)

    def of(self, kind: str) -> list[Any]:
        return [value for k, value in self.events if k == kind]

    @property
    def lines(self) -> list[Line]:
        return self.of("line")

    @property
    def texts(self) -> list[str]:
        return [ln.text for ln in self.lines]

    @property
    def text(self) -> str:
        return "\n".join(self.texts)

    @property
    def barcodes(self) -> list[HwBarcode]:
        return self.of("barcode")

    @property
    def qrs(self) -> list[str]:
        return self.of("qr")

    @property
    def cuts(self) -> list[str]:
        return self.of("cut")

    @property
    def drawer_kicks(self) -> list[int]:
        return self.of("drawer")

    @property
    def images(self) -> list[Image.Image]:
        return self.of("image")

    def copies(self) -> list[list[str]]:
        """Line texts of each stretch of paper between cuts."""
        out: list[list[str]] = [[]]
        for kind, value in self.events:
            if kind == "cut":
                out.append([])
            elif kind == "line":
                out[-1].append(value.text)
        return [c for c in out if c]


class _Decoder:
    def __init__(self, data: bytes, mode: str) -> None:
        self.data = data
        self.mode = mode
        self.codec = CODEPAGES.get(mode)
        self.pos = 0
        self.out = Decoded()
        self.reset()
        self.chinese = False
        self.utf8 = False
        self.line: list[str] = []
        self.line_style: tuple[str, bool, int, int] | None = None
        self.run = bytearray()      # bytes inside FS & … FS .
        self.utf8_bytes = bytearray()
        self.strips: list[Image.Image] = []
        self.qr_data = b""

    def reset(self) -> None:
        self.align, self.bold, self.width, self.height = "left", False, 1, 1
        self.bc_height, self.bc_module = 162, 3

    # -- helpers
    def take(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise ValueError(f"command cut short at byte {self.pos}")
        chunk = self.data[self.pos:self.pos + n]
        self.pos += n
        return chunk

    def byte(self) -> int:
        return self.take(1)[0]

    def emit(self, kind: str, value: Any) -> None:
        if kind != "image":
            self.flush_image()
        self.out.events.append((kind, value))

    def flush_text_buffers(self) -> None:
        if self.utf8_bytes:
            self.line.append(self.utf8_bytes.decode("utf-8"))
            self.utf8_bytes.clear()

    def flush_line(self) -> None:
        self.flush_text_buffers()
        if self.chinese and self.run:
            raise ValueError("line feed inside an open FS & run")
        style = self.line_style or (self.align, self.bold, self.width, self.height)
        self.emit("line", Line("".join(self.line), *style))
        self.line = []
        self.line_style = None

    def flush_image(self) -> None:
        if self.strips:
            width = self.strips[0].width
            image = Image.new("1", (width, sum(s.height for s in self.strips)), 1)
            y = 0
            for strip in self.strips:
                image.paste(strip, (0, y))
                y += strip.height
            self.strips = []
            self.out.events.append(("image", image))

    def text_byte(self, b: int) -> None:
        if self.line_style is None:
            self.line_style = (self.align, self.bold, self.width, self.height)
        if self.chinese:
            self.run.append(b)
        elif b < 0x80:
            self.flush_text_buffers()
            self.line.append(chr(b))
        elif self.utf8:
            self.utf8_bytes.append(b)
        else:
            self.out.cjk_outside.append(bytes([b]))
            self.line.append("\ufffd")

    # -- main loop
    def decode(self) -> Decoded:
        while self.pos < len(self.data):
            b = self.byte()
            if b == 0x0A:
                self.flush_line()
            elif b == 0x0D:
                pass
            elif b == ESC:
                self.esc(self.byte())
            elif b == GS:
                self.gs(self.byte())
            elif b == FS:
                self.fs(self.byte())
            elif b == DLE:
                self.take(2)  # DLE EOT n / DLE ENQ n: status requests, no ink
            elif b < 0x20:
                raise ValueError(f"unexpected control byte 0x{b:02x} at {self.pos - 1}")
            else:
                self.text_byte(b)
        if self.line or self.run or self.utf8_bytes:
            self.flush_line()
        self.flush_image()
        return self.out

    def esc(self, c: int) -> None:
        if c == ord("@"):
            self.reset()
            self.chinese = False
            self.utf8 = False
        elif c == ord("!"):
            n = self.byte()
            self.bold = bool(n & 0x08)
            self.height = 2 if n & 0x10 else 1
            self.width = 2 if n & 0x20 else 1
        elif c == ord("E"):
            self.bold = bool(self.byte() & 1)
        elif c == ord("a"):
            n = self.byte()
            self.align = ("left", "center", "right")[n - 48 if n >= 48 else n]
        elif c == ord("d"):
            n = self.byte()
            if self.line or self.run:
                self.flush_line()
            self.emit("feed", n)
        elif c == ord("J"):
            self.emit("feed_dots", self.byte())
        elif c == ord("p"):
            pin, _on, _off = self.take(3)
            self.emit("drawer", 2 if pin in (0, 48) else 5)
        elif c in (ord("M"), ord("t"), ord("3"), ord("-"), ord("G"), ord("R")):
            self.byte()
        elif c == ord("2"):
            pass
        else:
            raise ValueError(f"unknown command ESC 0x{c:02x} at {self.pos - 2}")

    def gs(self, c: int) -> None:
        if c == ord("!"):
            n = self.byte()
            self.width, self.height = (n >> 4) + 1, (n & 0x0F) + 1
        elif c == ord("V"):
            m = self.byte()
            if m in (65, 66):
                self.byte()
            if self.line:
                self.flush_line()
            self.emit("cut", "full" if m in (0, 48, 65) else "partial")
        elif c == ord("h"):
            self.bc_height = self.byte()
        elif c == ord("w"):
            self.bc_module = self.byte()
        elif c in (ord("H"), ord("f"), ord("B")):
            self.byte()
        elif c == ord("k"):
            self.barcode(self.byte())
        elif c == ord("("):
            fn = self.byte()
            p_l, p_h = self.take(2)
            body = self.take(p_l + 256 * p_h)
            if fn == ord("k"):
                self.two_d(body)
            elif fn != ord("L"):
                raise ValueError(f"unknown command GS ( 0x{fn:02x}")
        elif c == ord("v"):
            if self.byte() != ord("0"):
                raise ValueError("only GS v 0 raster is known")
            self.byte()  # density
            x_l, x_h, y_l, y_h = self.take(4)
            width_bytes, rows = x_l + 256 * x_h, y_l + 256 * y_h
            bits = self.take(width_bytes * rows)
            strip = Image.frombytes("1", (width_bytes * 8, rows), bytes(255 - v for v in bits))
            if self.strips and self.strips[0].width != strip.width:
                self.flush_image()
            if self.line:
                self.flush_line()
            self.strips.append(strip)
        else:
            raise ValueError(f"unknown command GS 0x{c:02x} at {self.pos - 2}")

    def fs(self, c: int) -> None:
        if c == ord("&"):
            if self.mode in ("utf8", "image"):
                raise ValueError(f"FS & in {self.mode} mode")
            if self.line_style is None:
                self.line_style = (self.align, self.bold, self.width, self.height)
            self.chinese = True
        elif c == ord("."):
            if self.run:
                assert self.codec, f"Chinese run in {self.mode} mode"
                text = bytes(self.run).decode(self.codec)
                self.out.chinese_runs.append(text)
                self.line.append(text)
                self.run.clear()
            self.chinese = False
        elif c == ord("("):
            fn = self.byte()
            p_l, p_h = self.take(2)
            body = self.take(p_l + 256 * p_h)
            if fn == ord("C") and body[:1] == b"0":
                self.utf8 = body[1:2] == b"\x02"
        elif c == ord("!"):
            self.byte()
        else:
            raise ValueError(f"unknown command FS 0x{c:02x} at {self.pos - 2}")

    def barcode(self, m: int) -> None:
        if m <= 6:
            raw = bytearray()
            while (b := self.byte()) != 0:
                raw.append(b)
        else:
            raw = bytearray(self.take(self.byte()))
        data, symbols = _code128(bytes(raw)) if m == 73 else (raw.decode("ascii"), 0)
        if self.line:
            self.flush_line()
        self.emit("barcode", HwBarcode(m, bytes(raw), data, self.bc_module, self.bc_height, symbols))

    def two_d(self, body: bytes) -> None:
        cn, fn = body[0], body[1]
        if cn != ord("1"):
            raise ValueError("only QR (cn 49) is known")
        if fn == ord("P"):
            self.qr_data = body[3:]
        elif fn == ord("Q"):
            self.emit("qr", self.qr_data.decode("utf-8"))


def _code128(raw: bytes) -> tuple[str, int]:
    """Data of a GS k 73 string ("{A"/"{B"/"{C" switch code sets, "{{" is "{") and the
    number of symbols it takes (start, switches and the check symbol included)."""
    if raw[:1] != b"{" or raw[1:2] not in (b"A", b"B", b"C"):
        raise ValueError(f"CODE128 data must start with a code set, got {raw[:2]!r}")
    out = []
    symbols = 1  # check symbol
    code_set = ""
    i = 0
    while i < len(raw):
        if raw[i] == ord("{") and raw[i + 1] != ord("{"):
            code_set = chr(raw[i + 1])
            symbols += 1
            i += 2
            continue
        if raw[i] == ord("{"):
            out.append("{")
            i += 2
        elif code_set == "C":
            out.append(f"{raw[i]:02d}")
            i += 1
        else:
            out.append(chr(raw[i]))
            i += 1
        symbols += 1
    return "".join(out), symbols


def decode(data: bytes, mode: str) -> Decoded:
    """Decode a job printed on a printer in Chinese `mode` (gb18030, gbk, big5, utf8, image)."""
    return _Decoder(data, mode).decode()


def code128_width(barcode: HwBarcode) -> int:
    """Dots the barcode takes: 11 modules per symbol plus 13 for the stop."""
    return (barcode.symbols * 11 + 13) * barcode.module
