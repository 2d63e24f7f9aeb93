"""The long data table of a PDF document (slip lines, packing items, ledger entries): a
platypus flowable that splits between rows and repeats its header row on every page.

It does what `Table(repeatRows=1)` does for plain text cells, but measures every cell
once and draws each page's text as one text object, so a three-copy 300-line sales slip
renders well inside its 300 ms budget (reportlab's Table spends most of that time
on per-cell drawing).
"""
from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass

from reportlab.lib.rl_accel import escapePDF
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable

from printing.pdf_style import CJK, HEAD_FILL, INK, ZEBRA, font_for, text_font, width, wrap

PAD = 3.0  # cell padding left and right
GAP = 4.0  # extra air beside a figure column
MAX_LINES = 6  # a wrapped cell longer than this is cut with "…" (a row must fit a page)


@dataclass(frozen=True)
class Column:
    """One column: "flex" takes the width the others leave and wraps, "text" wraps at
    a third of the table's width, "figure" is right-aligned, "money" is a figure column
    at least an eighth of the table wide (amounts need air between them), "center" centred."""
    head: str
    values: list[str]
    kind: str = "text"


@dataclass(frozen=True)
class _Layout:
    heads: list[tuple[str, str, float]]  # font, PDF-encoded text, offset in the column
    widths: list[float]
    fonts: list[str]
    kinds: list[str]
    size: float
    leading: float
    head_height: float


class DataTable(Flowable):
    """Rows of pre-wrapped cells: `cells[r][c]` is a list of (PDF-encoded text, x offset)
    lines, one per line of the cell."""

    def __init__(self, layout: _Layout, cells: list[list[list[tuple[str, float]]]],
                 heights: list[float]) -> None:
        super().__init__()
        self.layout = layout
        self.cells = cells
        self.heights = heights
        self._tops = list(itertools.accumulate(heights, initial=0.0))
        self.hAlign = "LEFT"

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = sum(self.layout.widths)
        self.height = self.layout.head_height + self._tops[-1]
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        room = availHeight - self.layout.head_height
        fit = bisect.bisect_right(self._tops, room) - 1  # rows whose bottom is within room
        if fit <= 0:
            return []
        if fit >= len(self.cells):
            return [self]
        return [DataTable(self.layout, self.cells[:fit], self.heights[:fit]),
                DataTable(self.layout, self.cells[fit:], self.heights[fit:])]

    def draw(self) -> None:
        lay = self.layout
        canvas = self.canv
        total_w = sum(lay.widths)
        top = self.height
        canvas.saveState()
        canvas.setFillColor(HEAD_FILL)
        canvas.rect(0, top - lay.head_height, total_w, lay.head_height, stroke=0, fill=1)
        canvas.setFillColor(ZEBRA)  # every other row shaded, as one raw path
        canvas.addLiteral(" ".join(
            f"0 {top - lay.head_height - self._tops[r + 1]:.2f} {total_w:.2f} {self.heights[r]:.2f} re"
            for r in range(1, len(self.heights), 2)) + " f")
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(0.9)
        canvas.line(0, top, total_w, top)
        canvas.line(0, 0, total_w, 0)
        canvas.setLineWidth(0.6)
        canvas.line(0, top - lay.head_height, total_w, top - lay.head_height)

        # The cells as raw text operators, one BT…ET for the page: the text object
        # API re-selects a CID font and formats every number for each cell, which
        # was most of a long slip's time. Strings were PDF-encoded when measured.
        canvas.setFillColor(INK)
        size = f"{lay.size:.2f}"
        lefts = list(itertools.accumulate(lay.widths, initial=0.0))
        drop = lay.size * 0.3  # baseline below the middle of a line, glyphs centred
        ops = ["BT"]
        head_y = top - lay.head_height / 2 - drop
        for c, (font, head, dx) in enumerate(lay.heads):
            ops.append(f"{canvas._doc.getInternalFontName(font)} {size} Tf")
            ops.append(f"1 0 0 1 {lefts[c] + dx:.2f} {head_y:.2f} Tm ({head}) Tj")
        row_top = top - lay.head_height
        for c, font in enumerate(lay.fonts):  # column by column: one font switch each
            ops.append(f"{canvas._doc.getInternalFontName(font)} {size} Tf")
            x0 = lefts[c]
            for r, row in enumerate(self.cells):
                lines = row[c]
                y = (row_top - self._tops[r] - self.heights[r] / 2
                     + (len(lines) - 1) * lay.leading / 2 - drop)
                for line, dx in lines:
                    ops.append(f"1 0 0 1 {x0 + dx:.2f} {y:.2f} Tm ({line}) Tj")
                    y -= lay.leading
        ops.append("ET")
        canvas.addLiteral("\n".join(ops))
        canvas.restoreState()


def _offset(kind: str, col_w: float, text_w: float) -> float:
    if kind in ("figure", "money"):
        return col_w - PAD - GAP / 2 - text_w if col_w > text_w + PAD else 0.0
    if kind == "center":
        return (col_w - text_w) / 2
    return PAD


def pdf_text(text: str, font: str) -> str:
    """`text` as the inside of a PDF string literal in `font`: UTF-16 for the CID font,
    WinAnsi for Helvetica (`font_for` only picks Helvetica when every character has one)."""
    if font == CJK:
        return str(pdfmetrics.getFont(CJK).formatForPdf(text))
    return str(escapePDF(text.encode("cp1252")))


def data_table(columns: list[Column], total: float, size: float) -> DataTable:
    """Measure and wrap `columns` once into a table `total` points wide."""
    fonts = [font_for(col.values) for col in columns]
    measured = [[width(v, font, size) for v in col.values] if col.kind not in ("text", "flex") else []
                for col, font in zip(columns, fonts, strict=True)]
    widths: list[float] = []
    for col, font, sizes in zip(columns, fonts, measured, strict=True):
        head = width(col.head, text_font(col.head), size)
        if col.kind == "flex":
            widths.append(0.0)
        elif col.kind == "text":
            need = max([head] + [width(v, font, size) for v in col.values]) + 2 * PAD
            widths.append(min(need, total / 3))
        else:
            need = max([head] + sizes) + 2 * PAD + GAP
            widths.append(max(need, total / 8) if col.kind == "money" else need)
    flex_count = sum(col.kind == "flex" for col in columns)
    spare = total - sum(widths)
    if flex_count and spare < total * 0.3:  # figures so wide the name column would vanish
        scale = total * 0.7 / sum(widths)
        widths = [w * scale for w in widths]
        spare = total * 0.3
    if flex_count:
        widths = [spare / flex_count if col.kind == "flex" else w
                  for col, w in zip(columns, widths, strict=True)]
    else:
        widths[-1] += max(spare, 0.0)
    leading = size * 1.25
    count = len(columns[0].values) if columns else 0
    cells: list[list[list[tuple[str, float]]]] = [[] for _ in range(count)]
    heights = [leading + 4.0] * count
    for col, font, w, sizes in zip(columns, fonts, widths, measured, strict=True):
        wraps = col.kind in ("text", "flex")
        for r, value in enumerate(col.values):
            if wraps:
                parts = wrap(value, font, size, w - 2 * PAD)
                if len(parts) > MAX_LINES:
                    parts = parts[:MAX_LINES - 1] + [parts[MAX_LINES - 1][:-1] + "…"]
                cells[r].append([(pdf_text(part, font), PAD) for part in parts])
                if len(parts) > 1:
                    heights[r] = max(heights[r], len(parts) * leading + 4.0)
            else:
                cells[r].append([(pdf_text(value, font), _offset(col.kind, w, sizes[r]))])
    heads = [(text_font(col.head), pdf_text(col.head, text_font(col.head)),
              _offset(col.kind, w, width(col.head, text_font(col.head), size)))
             for col, w in zip(columns, widths, strict=True)]
    layout = _Layout(heads=heads, widths=widths, fonts=fonts,
                     kinds=[col.kind for col in columns], size=size, leading=leading,
                     head_height=leading + 5.0)
    return DataTable(layout, cells, heights)
