"""ESC/POS bytes of a document for one printer profile, ready to send in one write.

Text modes send characters: ASCII as is, and each run of Chinese encoded here with the
printer's code page (GB18030 / GBK / Big5) between FS & and FS . (Chinese mode on / off),
or everything as UTF-8 after FS ( C (select UTF-8, ESC/POS "character encoding system",
fn 48 m 2) for printers that speak it. python-escpos is never handed text to encode: it
would send Chinese as GB18030 without FS & and turn other CJK into "?" (DESIGN.md).

A Big5 printer gets the traditional form of common simplified characters (王丽华 prints
王麗華, labels 銷售單 …; `printing.labels_text.traditional`). A character the code page
still lacks (a rare simplified one on Big5, an emoji on GBK) prints as a full-width "？"
so lines keep their width; "￥" falls back to Big5's full-width "¥" (A2 44). In Chinese
mode every double-byte code prints full width, so a half-width non-ASCII character (e.g.
half-width katakana) is sent as "?" rather than let it push the columns out of line.

Image mode draws the same layout with `printing.raster` and sends it as raster strips
(GS v 0); cuts and the drawer kick stay commands. Barcodes are the printer's own
CODE128 (GS k 73, data starting "{B"), QR codes its native QR (GS ( k).
"""
from __future__ import annotations

import codecs
import logging
import os
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from printing.compose import compose
from printing.documents import Document
from printing.labels_text import traditional
from printing.layout import QR, Barcode, Block, Cut, DrawerKick, Feed, Row, Rule, Text
from printing.profiles import PrinterProfile
from printing.width import char_width, clean


def _import_dummy() -> type:
    """python-escpos wants its capabilities pickle directory to exist and calls
    logging.basicConfig() on import: make the one, undo the other."""
    pickle_dir = os.environ.get("ESCPOS_CAPABILITIES_PICKLE_DIR")
    if pickle_dir:
        os.makedirs(pickle_dir, exist_ok=True)
    root = logging.getLogger()
    handlers = list(root.handlers)
    from escpos.printer import Dummy

    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
    return Dummy


Dummy = _import_dummy()

ESC, GS, FS, LF = b"\x1b", b"\x1d", b"\x1c", b"\n"
CHINESE_ON, CHINESE_OFF = FS + b"&", FS + b"."
SELECT_UTF8 = FS + b"(C\x02\x00\x30\x02"
CODEPAGES = {"gb18030": "gb18030", "gbk": "gbk", "big5": "big5"}
BARCODE_HEIGHT = 80           # dots
QR_SIZE = {80: 6, 58: 5}      # dots per module
QR_ECLEVEL_M = 1
STRIP_ROWS = 240              # image mode: rows per GS v 0 command
FEED_WITHOUT_CUTTER = 4       # lines to feed past the tear bar when there is no cutter
DRAWER_PIN = 2
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_ERRORS = "showroom-print"
# Same-looking characters a code page may have when it lacks the original.
_FALLBACKS = {"￥": "¥", "¥": "￥"}


def render_escpos(doc: Document, profile: PrinterProfile, *, reprint: bool = False,
                  open_drawer: bool = False) -> bytes:
    """The whole job (every copy, cut between copies) as ESC/POS bytes for `profile`.
    The drawer opens first when asked and the profile has one."""
    layout = compose(doc, profile, reprint=reprint)
    blocks: list[Block] = list(layout.blocks)
    if open_drawer and profile.drawer:
        blocks.insert(0, DrawerKick())
    if profile.chinese == "image":
        return _image_job(blocks, profile)
    return _TextJob(profile).render(blocks)


class _TextJob:
    def __init__(self, profile: PrinterProfile) -> None:
        self.profile = profile
        self.printer = Dummy()
        self.raw = self.printer._raw  # python-escpos' one way to add bytes
        self.encode = _encoder(profile.chinese)
        self.align = "left"
        self.bold = False
        self.size = (1, 1)

    def render(self, blocks: list[Block]) -> bytes:
        p = self.printer
        p.hw("INIT")
        self.raw(SELECT_UTF8 if self.profile.chinese == "utf8" else CHINESE_OFF)
        for block in blocks:
            if isinstance(block, Text):
                self.style(block.align, block.bold, (block.width, block.height))
                self.raw(self.encode(block.text) + LF)
            elif isinstance(block, Row):
                self.style("left", block.bold, (1, 1))
                self.raw(self.encode(block.text) + LF)
            elif isinstance(block, Rule):
                self.style("left", False, (1, 1))
                self.raw(block.char.encode("ascii") * self.profile.columns + LF)
            elif isinstance(block, Barcode):
                self.style("center", False, (1, 1))
                self.raw(code128(block.data, self.profile.dots) + LF)
            elif isinstance(block, QR):
                self.style("center", False, (1, 1))
                p.qr(block.data, ec=QR_ECLEVEL_M, size=QR_SIZE[self.profile.paper_mm], native=True)
                self.raw(LF)
            elif isinstance(block, Feed):
                self.raw(LF * block.lines)
            elif isinstance(block, Cut):
                _cut(p, self.profile)
            elif isinstance(block, DrawerKick):
                p.cashdraw(DRAWER_PIN)
        return bytes(p.output)

    def style(self, align: str, bold: bool, size: tuple[int, int]) -> None:
        """Send only the settings that change (ESC a, ESC E, GS !)."""
        if align != self.align:
            self.printer.set(align=align)
            self.align = align
        if bold != self.bold:
            self.printer.set(bold=bold)
            self.bold = bold
        if size != self.size:
            self.printer.set(custom_size=True, width=size[0], height=size[1])
            self.size = size


def _cut(p: Any, profile: PrinterProfile) -> None:
    if profile.cutter:
        p.cut(mode="PART")  # ESC d 6 (feed) then GS V 1 (partial cut)
    else:
        p._raw(ESC + b"d" + bytes((FEED_WITHOUT_CUTTER,)))


def _image_job(blocks: list[Block], profile: PrinterProfile) -> bytes:
    from printing.layout import Layout
    from printing.raster import render_pages

    p = Dummy()
    p.hw("INIT")
    if blocks and isinstance(blocks[0], DrawerKick):
        p.cashdraw(DRAWER_PIN)
    for page in render_pages(Layout(profile.columns, blocks), profile):
        p._raw(raster_strips(page.image))
        if page.cut:
            _cut(p, profile)
    return bytes(p.output)


_INVERT = bytes(255 - i for i in range(256))


def raster_strips(image: object) -> bytes:
    """A 1-bit PIL image as GS v 0 commands of at most STRIP_ROWS rows (1 bit = black)."""
    from PIL import Image

    assert isinstance(image, Image.Image) and image.mode == "1"
    width_bytes = (image.width + 7) // 8
    data = image.tobytes().translate(_INVERT)  # PIL "1": bit set = white
    out = []
    row = width_bytes
    for top in range(0, image.height, STRIP_ROWS):
        rows = min(STRIP_ROWS, image.height - top)
        out.append(GS + b"v0\x00" + width_bytes.to_bytes(2, "little") + rows.to_bytes(2, "little"))
        out.append(data[top * row:(top + rows) * row])
    return b"".join(out)


# -- text encoding -------------------------------------------------------------------------

def _encoder(mode: str) -> Callable[[str], bytes]:
    if mode == "utf8":
        return _encode_utf8
    if mode not in CODEPAGES:
        raise ValueError(f"no text encoding for Chinese mode {mode!r}")
    codepage = CODEPAGES[mode]

    @lru_cache(maxsize=4096)  # copies of a slip repeat every line
    def encode(text: str) -> bytes:
        if text.isascii():
            return clean(text).encode("ascii")
        return _NON_ASCII.sub(lambda m: _run(m.group(), codepage).decode("latin-1"),
                              clean(text)).encode("latin-1")

    return encode


def _encode_utf8(text: str) -> bytes:
    return clean(text).encode("utf-8")


@lru_cache(maxsize=4096)
def _run(run: str, codepage: str) -> bytes:
    """A run of non-ASCII characters for a Chinese-mode printer: full-width ones encoded
    between FS & and FS ., a half-width one (which would print full width) as "?"."""
    if codepage == "big5":
        run = traditional(run)
    out = bytearray()
    wide = ""
    for ch in run:
        w = char_width(ch)
        if w == 2:
            # GB18030's four-byte codes (emoji from WeChat names, rare ideographs) are beyond
            # most double-byte printer fonts: a full-width ？ keeps the columns.
            wide += "？" if codepage == "gb18030" and len(ch.encode(codepage, _ERRORS)) == 4 else ch
            continue
        if wide:
            out += CHINESE_ON + wide.encode(codepage, _ERRORS) + CHINESE_OFF
            wide = ""
        if w == 1:
            out += b"?"
    if wide:
        out += CHINESE_ON + wide.encode(codepage, _ERRORS) + CHINESE_OFF
    return bytes(out)


def _substitute(err: UnicodeError) -> tuple[str, int]:
    """Encoding error handler: the same-looking character where the code page has one,
    else a full-width question mark (what the printer shows for a missing glyph anyway)."""
    assert isinstance(err, UnicodeEncodeError)
    out = []
    for ch in err.object[err.start:err.end]:
        alt = _FALLBACKS.get(ch)
        if alt is not None and _encodable(alt, err.encoding):
            out.append(alt)
        else:
            out.append("？")
    return "".join(out), err.end


@lru_cache(maxsize=64)
def _encodable(ch: str, codepage: str) -> bool:
    try:
        ch.encode(codepage)
    except UnicodeEncodeError:
        return False
    return True


codecs.register_error(_ERRORS, _substitute)
for _codepage in CODEPAGES.values():  # load the codecs now, not on the first job
    codecs.lookup(_codepage)


# -- barcodes ------------------------------------------------------------------------------

def code128(data: str, dots: int) -> bytes:
    """GS h / GS w / GS H / GS k 73 for a CODE128 barcode of `data` that fits in `dots`.

    The data starts with "{B" (code set B). Bars are 3 or 2 dots wide where they fit;
    a longer code switches to "{C" (two digits per symbol) for its runs of digits, and
    only if that still doesn't fit are bars 1 dot wide (58 mm, long numbers).
    """
    plain = b"{B" + data.encode("ascii").replace(b"{", b"{{")
    body, module = plain, 1
    for width in (3, 2):
        if _modules(plain) * width <= dots:
            body, module = plain, width
            break
    else:
        packed = _pack_digits(data)
        body = packed if _modules(packed) < _modules(plain) else plain
        module = 2 if _modules(body) * 2 <= dots else 1
    if len(body) > 255:
        raise ValueError(f"barcode data too long: {data[:20]}…")
    return (GS + b"h" + bytes((BARCODE_HEIGHT,)) + GS + b"w" + bytes((module,)) + GS + b"H\x02"
            + GS + b"f\x00" + GS + b"k\x49" + bytes((len(body),)) + body)


def _modules(body: bytes) -> int:
    """Width in modules of a GS k 73 data string: 11 per symbol (start and check
    included), 13 for the stop."""
    symbols = 1  # check symbol
    i = 0
    while i < len(body):
        symbols += 1  # a character, a pair of digits, "{{", or a start / code-set switch
        i += 2 if body[i:i + 1] == b"{" else 1
    return symbols * 11 + 13


_DIGITS = re.compile(r"\d+|\D+")


def _pack_digits(data: str) -> bytes:
    """"{B" data with runs of digits in code set C where that saves symbols."""
    out = bytearray(b"{B")
    in_c = False
    parts = _DIGITS.findall(data)
    for n, part in enumerate(parts):
        last = n == len(parts) - 1
        if part.isdigit() and len(part) >= (4 if last else 6):
            if len(part) % 2:
                if in_c:
                    out += b"{B"
                    in_c = False
                out += part[0].encode()
                part = part[1:]
            if not in_c:
                out += b"{C"
                in_c = True
            out += bytes(int(part[i:i + 2]) for i in range(0, len(part), 2))
        else:
            if in_c:
                out += b"{B"
                in_c = False
            out += part.encode("ascii").replace(b"{", b"{{")
    return bytes(out)
