"""Receipts drawn as 1-bit images: image-mode printing and the on-screen PNG preview.

A printer with no Chinese font still prints Chinese when it gets pictures. The layout
from `printing.compose` is drawn on the printer's grid — 12 dots per column, 24-dot
glyphs, 30-dot lines, as the printer's own font A — with the CJK TrueType font of the
profile, so image mode lines up exactly like text mode. Barcodes (CODE128) and QR codes
are drawn module by module at whole-dot sizes so scanners read them off the paper.
Glyphs are rendered once and pasted, which keeps a 300-line slip well under a second.
"""
from __future__ import annotations

import io
import os
from collections.abc import Iterator
from dataclasses import dataclass

import qrcode
from barcode.codex import Code128
from PIL import Image, ImageDraw, ImageFont

from printing.compose import compose
from printing.documents import Document
from printing.layout import QR, Barcode, Cut, DrawerKick, Feed, Layout, Row, Rule, Text
from printing.profiles import PrinterProfile
from printing.width import char_width, display_width

CELL = 12          # dots per column (a CJK character takes two)
LINE = 30          # dots per text line at normal size: 24-dot glyph + 6 dots spacing
BASELINE = 22      # glyph baseline from the top of the line
CJK_SIZE = 24      # px: a CJK glyph fills its 24 x 24 cell
ASCII_SIZE = 20    # px: the Mono face's half-width glyphs are then exactly 12 dots wide
INK = 110          # anti-aliased coverage from which a dot is black (thin strokes stay)
BARCODE_HEIGHT = 80
QR_MODULE = {80: 6, 58: 5}   # dots per QR module, as the native QR size in text mode
WHITE, BLACK = 1, 0          # PIL mode "1"

_THRESHOLD = [255 if v >= INK else 0 for v in range(256)]


class FontMissing(RuntimeError):
    """The CJK TrueType font image mode draws with is not on this machine."""

    def __init__(self, path: str) -> None:
        super().__init__(f"print font not found: {path} (install fonts-wqy-microhei or set "
                         "SHOWROOM_PRINT_FONT to a CJK TrueType font)")
        self.path = path


def missing_font(profile: PrinterProfile | None = None) -> str | None:
    """The path of the font `profile` draws with when it is missing, else None."""
    path = (profile or PrinterProfile(paper_mm=80, chinese="image")).font
    return None if os.path.isfile(path) else path


@dataclass(frozen=True)
class Page:
    """One stretch of paper between cuts; `cut` says whether a cut follows it."""
    image: Image.Image
    cut: bool


def render_png(doc: Document, profile: PrinterProfile | None = None, *, reprint: bool = False) -> bytes:
    """PNG of the receipt exactly as image mode prints it (all copies, the cuts shown as
    dashed lines); an 80 mm image-mode printer when no profile is given."""
    profile = profile or PrinterProfile(paper_mm=80, chinese="image")
    pages = render_pages(compose(doc, profile, reprint=reprint), profile)
    gap = 40
    height = sum(p.image.height for p in pages) + gap * max(0, len(pages) - 1)
    sheet = Image.new("1", (profile.dots, max(height, 1)), WHITE)
    draw = ImageDraw.Draw(sheet)
    y = 0
    for i, page in enumerate(pages):
        if i:
            for x in range(0, profile.dots, 16):
                draw.line((x, y - gap // 2, x + 7, y - gap // 2), fill=BLACK, width=2)
        sheet.paste(page.image, (0, y))
        y += page.image.height + gap
    out = io.BytesIO()
    sheet.save(out, format="PNG", optimize=False)
    return out.getvalue()


def render_pages(layout: Layout, profile: PrinterProfile) -> list[Page]:
    """The layout as 1-bit images `profile.dots` wide, one per stretch between cuts.
    A drawer kick is a command, not ink: it is left to the caller."""
    painter = _Painter(profile)
    pages: list[Page] = []
    chunk: list = []
    for block in layout.blocks:
        if isinstance(block, Cut):
            pages.append(Page(painter.paint(chunk), cut=True))
            chunk = []
        elif not isinstance(block, DrawerKick):
            chunk.append(block)
    if chunk:
        pages.append(Page(painter.paint(chunk), cut=False))
    return pages


class _Painter:
    def __init__(self, profile: PrinterProfile) -> None:
        self.dots = profile.dots
        self.qr_module = QR_MODULE[profile.paper_mm]
        self.glyphs = _glyphs(profile.font)

    def paint(self, blocks: list) -> Image.Image:
        heights = [self.height(b) for b in blocks]
        canvas = Image.new("1", (self.dots, max(1, sum(heights))), WHITE)
        y = 0
        for block, h in zip(blocks, heights, strict=True):
            self.draw(canvas, block, y)
            y += h
        return canvas

    def height(self, block: object) -> int:
        if isinstance(block, Text):
            return LINE * block.height
        if isinstance(block, Row):
            return LINE
        if isinstance(block, Rule):
            return LINE // 2 + 2
        if isinstance(block, Feed):
            return LINE * block.lines
        if isinstance(block, Barcode):
            return BARCODE_HEIGHT + 8 + LINE
        if isinstance(block, QR):
            return self.qr_image(block.data).height + 2 * LINE // 3
        raise TypeError(f"cannot draw {type(block).__name__}")

    def draw(self, canvas: Image.Image, block: object, y: int) -> None:
        if isinstance(block, Text):
            self.text(canvas, block.text, y, align=block.align, bold=block.bold, wm=block.width,
                      hm=block.height)
        elif isinstance(block, Row):
            self.text(canvas, block.text, y, bold=block.bold)
        elif isinstance(block, Rule):
            draw = ImageDraw.Draw(canvas)
            mid = y + LINE // 4 + 1
            if block.char == "=":
                draw.line((0, mid - 2, self.dots - 1, mid - 2), fill=BLACK, width=2)
                draw.line((0, mid + 2, self.dots - 1, mid + 2), fill=BLACK, width=2)
            else:
                draw.line((0, mid, self.dots - 1, mid), fill=BLACK, width=2)
        elif isinstance(block, Barcode):
            self.barcode(canvas, block.data, y)
        elif isinstance(block, QR):
            image = self.qr_image(block.data)
            canvas.paste(image, ((self.dots - image.width) // 2, y + LINE // 3))

    def text(self, canvas: Image.Image, text: str, y: int, *, align: str = "left", bold: bool = False,
             wm: int = 1, hm: int = 1) -> None:
        line_dots = display_width(text) * CELL * wm
        if align == "center":
            x = max(0, (self.dots - line_dots) // 2)
        elif align == "right":
            x = max(0, self.dots - line_dots)
        else:
            x = 0
        for ch in text:
            step = char_width(ch) * CELL * wm
            if x + step > self.dots:
                break
            if ch != " " and step:
                mask = self.glyphs.get(ch, wm, hm, bold)
                canvas.paste(BLACK, (x, y, x + mask.width, y + mask.height), mask)
            x += step

    def barcode(self, canvas: Image.Image, data: str, y: int) -> None:
        modules = Code128(data).build()[0]
        module = max([w for w in (3, 2) if len(modules) * w <= self.dots] or [1])
        bars = Image.new("1", (len(modules), 1), WHITE)
        bars.putdata([BLACK if m == "1" else WHITE for m in modules])
        bars = bars.resize((len(modules) * module, BARCODE_HEIGHT), Image.Resampling.NEAREST)
        canvas.paste(bars, ((self.dots - bars.width) // 2, y + 4))
        self.text(canvas, data, y + BARCODE_HEIGHT + 8, align="center")

    def qr_image(self, data: str) -> Image.Image:
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0, box_size=1)
        code.add_data(data)
        code.make(fit=True)
        matrix = code.get_matrix()
        size = len(matrix)
        image = Image.new("1", (size, size), WHITE)
        image.putdata([BLACK if cell else WHITE for row in matrix for cell in row])
        return image.resize((size * self.qr_module, size * self.qr_module), Image.Resampling.NEAREST)


class _Glyphs:
    """Glyph masks of one font, rendered once per character, size and weight."""

    def __init__(self, path: str) -> None:
        if not os.path.isfile(path):
            raise FontMissing(path)
        self.path = path
        self.cjk_index = 0
        self.ascii_index = _mono_face(path)
        self.fonts: dict[tuple[int, int], ImageFont.FreeTypeFont] = {}
        self.masks: dict[tuple[str, int, int, bool], Image.Image] = {}

    def font(self, index: int, size: int) -> ImageFont.FreeTypeFont:
        key = (index, size)
        if key not in self.fonts:
            self.fonts[key] = ImageFont.truetype(self.path, size, index=index)
        return self.fonts[key]

    def get(self, ch: str, wm: int, hm: int, bold: bool) -> Image.Image:
        key = (ch, wm, hm, bold)
        mask = self.masks.get(key)
        if mask is None:
            mask = self.masks[key] = self.render(ch, wm, hm, bold)
        return mask

    def render(self, ch: str, wm: int, hm: int, bold: bool) -> Image.Image:
        narrow = ord(ch) < 0x80
        font = self.font(self.ascii_index if narrow else self.cjk_index,
                         (ASCII_SIZE if narrow else CJK_SIZE) * hm)
        cell = char_width(ch) * CELL * hm
        advance = font.getlength(ch)
        width = max(cell, int(advance + 0.999))
        image = Image.new("L", (width, LINE * hm), 0)
        draw = ImageDraw.Draw(image)
        x = (width - advance) / 2
        for dx in _strikes(bold, hm):
            draw.text((x + dx, BASELINE * hm), ch, font=font, fill=255, anchor="ls")
        target = (char_width(ch) * CELL * wm, LINE * hm)
        if image.size != target:
            image = image.resize(target, Image.Resampling.BILINEAR)
        return image.point(_THRESHOLD, "1")


def _strikes(bold: bool, hm: int) -> Iterator[int]:
    """Horizontal offsets to draw a glyph at: bold is struck again a dot (or more) over."""
    yield 0
    if bold:
        yield from range(1, max(1, hm) + 1)


def _mono_face(path: str) -> int:
    """Index of the font collection's monospaced face (WenQuanYi Micro Hei Mono), whose
    half-width glyphs suit the 12-dot columns; the first face when there is none."""
    for index in range(1, 4):
        try:
            face = ImageFont.truetype(path, ASCII_SIZE, index=index)
        except OSError:
            break
        if "mono" in " ".join(part or "" for part in face.getname()).lower():
            return index
    return 0


_GLYPHS: dict[str, _Glyphs] = {}


def _glyphs(path: str) -> _Glyphs:
    if path not in _GLYPHS:
        _GLYPHS[path] = _Glyphs(path)
    return _GLYPHS[path]
