"""Building blocks the A5/A4 documents share: the heading with shop, title and a boxed
note on the right (copy name, box n/N, period), the label/value block, barcodes, the
totals box and signature lines."""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeAlias
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from printing.pdf_style import CJK, INK, LATIN, LATIN_BOLD, ZEBRA, fit_size, label, text_font, width


@dataclass(frozen=True)
class Sheet:
    """Where a document is laid out: its language, the frame width and the body text size."""
    lang: str
    width: float
    size: float

    def t(self, key: str, **values: object) -> str:
        return label(self.lang, key, **values)


@lru_cache(maxsize=64)
def _style(size: float, align: int, color: str, font: str) -> ParagraphStyle:
    return ParagraphStyle(f"s{size}{align}{color}{font}", fontName=font, fontSize=size,
                          leading=size * 1.3, alignment=align, textColor=colors.HexColor(color),
                          wordWrap="CJK")


_RUNS = re.compile(r"([\x20-\x7e\xa0-\xff]+)")


def markup(text: str, *, bold: bool = False) -> str:
    """Paragraph markup for plain text: escaped (names may hold & or <), Latin runs in
    Helvetica so "S925 sterling 手链" or "¥1,200.00" read as well as the Chinese."""
    face = LATIN_BOLD if bold else LATIN
    out = []
    for i, run in enumerate(_RUNS.split(text)):
        if not run:
            continue
        body = escape(run).replace("\n", "<br/>")
        out.append(f'<font face="{face}">{body}</font>' if i % 2 and run.strip() else body)
    return "".join(out)


def para(text: str, size: float, *, align: int = TA_LEFT, color: str = "#000000",
         bold: bool = False) -> Paragraph:
    """A wrapped paragraph of plain text in the CJK font with Latin runs in Helvetica."""
    return Paragraph(markup(text, bold=bold), _style(size, align, color, CJK))


def barcode(value: str, *, bar_width: float, height: float, readable: bool = True,
            font_size: float = 8) -> Code128:
    """CODE128 of `value`; a value a scanner could not read back is refused, not skipped."""
    if not value or not all(" " <= ch <= "~" for ch in value):
        raise ValueError(f"barcode needs printable ASCII, got {value!r}")
    return Code128(value, barWidth=bar_width, barHeight=height, humanReadable=readable,
                   fontName=LATIN, fontSize=font_size, quiet=1, lquiet=10 * bar_width,
                   rquiet=10 * bar_width)


def boxed(text: str, size: float) -> Table:
    """The boxed note at the top right: copy name, box n/N, statement period."""
    table = Table([[text]], hAlign="RIGHT", style=TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), text_font(text)), ("FONTSIZE", (0, 0), (-1, -1), size),
        ("LEADING", (0, 0), (-1, -1), size * 1.2), ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("BOX", (0, 0), (-1, -1), 1.4, INK), ("TOPPADDING", (0, 0), (-1, -1), size * 0.25),
        ("BOTTOMPADDING", (0, 0), (-1, -1), size * 0.45),
        ("LEFTPADDING", (0, 0), (-1, -1), size * 0.6), ("RIGHTPADDING", (0, 0), (-1, -1), size * 0.6),
    ]))
    return table


def heading(sheet: Sheet, shop: str, title: str, right: list[Flowable]) -> list[Flowable]:
    """Shop name and document title on the left, `right` (copy box, barcode) on the right."""
    s = sheet.size
    left: list[Flowable] = [para(shop, s + 3.5, color="#333333"), Spacer(1, 2), para(title, s + 11)]
    table = Table([[left, right]], colWidths=[sheet.width * 0.5, sheet.width * 0.5], style=TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, 0), "RIGHT"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LINEBELOW", (0, 0), (-1, 0), 1.4, INK),
    ]))
    return [table, Spacer(1, 5)]


def right_stack(*items: Flowable) -> list[Flowable]:
    """Flowables for the heading's right cell, each aligned right with a little air between."""
    out: list[Flowable] = []
    for item in items:
        item.hAlign = "RIGHT"
        if out:
            out.append(Spacer(1, 4))
        out.append(item)
    return out


DETAIL_LIMIT = 240  # characters: four lines of a page-wide address and then some


def details(sheet: Sheet, pairs: list[tuple[str, str]], *, wide: tuple[str, ...] = ()) -> Table:
    """Label/value pairs two to a row; values named in `wide` get a row of their own."""
    s = sheet.size + 0.5
    w = sheet.width
    label_w = w * 0.14
    value_w = w * 0.36
    rows: list[list[Flowable | str]] = []
    spans: list[tuple] = []
    pending: list[Flowable | str] = []
    for key, value in pairs:
        if len(value) > DETAIL_LIMIT:  # a value taller than a page could not be laid out at all
            value = value[:DETAIL_LIMIT - 1] + "…"
        cells = [para(key, s, color="#555555"), para(value, s)]
        if key in wide:
            rows.append([*cells, "", ""])
            spans.append(("SPAN", (1, len(rows) - 1), (3, len(rows) - 1)))
            continue
        pending += cells
        if len(pending) == 4:
            rows.append(pending)
            pending = []
    if pending:
        rows.append(pending + ["", ""])
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 0.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        *spans,
    ]
    return Table(rows, colWidths=[label_w, value_w, label_w, value_w], style=TableStyle(style),
                 hAlign="LEFT")


def totals(sheet: Sheet, rows: list[tuple[str, str]], *, left: list[Flowable] | None = None,
           strong: bool = True) -> Table:
    """Right-aligned money lines; the last one (what is owed or due) larger and ruled
    unless `strong` is False."""
    s = sheet.size
    money_rows = [[name, value] for name, value in rows]
    style: list[tuple] = [("FONTNAME", (0, r), (0, r), text_font(name)) for r, (name, _) in enumerate(rows)]
    style += [
        ("FONTNAME", (1, 0), (1, -1), LATIN),
        ("FONTSIZE", (0, 0), (-1, -1), s + 1), ("LEADING", (0, 0), (-1, -1), (s + 1) * 1.3),
        ("ALIGN", (1, 0), (1, -1), "RIGHT"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    if strong:
        style += [
            ("FONTNAME", (1, -1), (1, -1), LATIN_BOLD),
            ("FONTSIZE", (0, -1), (-1, -1), s + 3.5), ("LEADING", (0, -1), (-1, -1), (s + 3.5) * 1.3),
            ("LINEABOVE", (0, -1), (-1, -1), 1, INK), ("BACKGROUND", (0, -1), (-1, -1), ZEBRA),
            ("TOPPADDING", (0, -1), (-1, -1), 3), ("BOTTOMPADDING", (0, -1), (-1, -1), 4.5),
        ]
    box = Table(money_rows, colWidths=[sheet.width * 0.2, sheet.width * 0.24], style=TableStyle(style),
                hAlign="RIGHT")
    return Table([[left or [], box]], colWidths=[sheet.width * 0.56, sheet.width * 0.44],
                 style=TableStyle([
                     ("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                     ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                     ("TOPPADDING", (0, 0), (-1, -1), 4),
                 ]))


SignValue: TypeAlias = "str | Flowable"


def signatures(sheet: Sheet, names: list[tuple[str, SignValue]], *, per_row: int = 0,
               tall: bool = False) -> Table:
    """Signature lines: ("客户签字", "") leaves room to sign, a filled value prints on the
    line (shrunk to fit), a flowable (the customer's signature picture) stands on it.
    `per_row` lines side by side (default: all in one row); `tall` rows leave room for a
    signature picture."""
    size = sheet.size + 1
    gap = 18.0
    per_row = per_row or len(names)
    each = (sheet.width - gap * (per_row - 1)) / per_row
    rows: list[list[SignValue]] = []
    widths: list[float] = []
    style: list[tuple] = [
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    label_w = [width(_sign_label(sheet, n), text_font(_sign_label(sheet, n)), size) + 4 for n, _ in names]
    for start in range(0, len(names), per_row):
        r = len(rows)
        cells: list[SignValue] = []
        for i, (name, value) in enumerate(names[start:start + per_row]):
            text = _sign_label(sheet, name)
            if i:
                cells.append("")
            col = len(cells)
            lw = max(label_w[j] for j in range(i, len(names), per_row))
            if isinstance(value, str):
                value_size = fit_size(value, text_font(value), size, each - lw - 6, size * 0.7)
                style += [("FONTNAME", (col + 1, r), (col + 1, r), text_font(value)),
                          ("FONTSIZE", (col + 1, r), (col + 1, r), value_size)]
            cells += [text, value]
            style += [("FONTNAME", (col, r), (col, r), text_font(text)),
                      ("LEFTPADDING", (col + 1, r), (col + 1, r), 4),
                      ("LINEBELOW", (col + 1, r), (col + 1, r), 0.7, INK)]
            if not rows:
                widths += ([gap] if i else []) + [lw, each - lw]
        rows.append(cells + [""] * (len(widths) - len(cells)))
    height = sheet.size * (5.5 if tall else 3.2)
    return Table(rows, colWidths=widths, rowHeights=[height] * len(rows), style=TableStyle(style),
                 hAlign="LEFT")


def _sign_label(sheet: Sheet, name: str) -> str:
    if not name:
        return ""
    return f"{name}:" if sheet.lang == "en" else f"{name}："


def signature_flowable(sheet: Sheet, data: str, *, tall: bool = True) -> SignValue:
    """The customer's signature picture sized for a signature line (aspect kept), or ""
    (a blank line to sign by hand) when `data` is not a readable PNG."""
    from reportlab.platypus import Image as PdfImage

    from printing.signature import png_bytes, signature_image

    image = signature_image(data)
    if image is None:
        return ""
    max_h = sheet.size * (5.5 if tall else 3.2) - 4
    max_w = sheet.width * 0.32
    w, h = image.size
    scale = min(max_w / w, max_h / h)
    flow = PdfImage(io.BytesIO(png_bytes(image)), width=w * scale, height=h * scale)
    flow.hAlign = "LEFT"
    return flow
