"""The page machinery shared by the flowing PDF documents: frame and margins, the footer
with "第 n 页 / 共 N 页" counted per section (each copy of a sales slip), and the
重印 / REPRINT stamp and watermark."""
from __future__ import annotations

import io
from collections import Counter
from typing import Any

from reportlab import rl_config
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from printing.pdf_style import CJK, GREY, RULE, STAMP, label, text_font, width

REPRINT = "重印 / REPRINT"
# Page streams zlib-compressed but not also ASCII85-encoded: a quarter smaller and, without
# reportlab's optional C accelerator, a sixth of a long slip's render time saved.
rl_config.useA85 = 0


def build(story: list[Flowable], size: tuple[float, float], margin: float, *, footer: str,
           lang: str, reprint: bool, title: str, author: str) -> bytes:
    """Lay `story` out on pages of `size` and return the PDF (reproducible bytes)."""
    out = io.BytesIO()
    template = BaseDocTemplate(out, pagesize=size, leftMargin=margin, rightMargin=margin,
                               topMargin=margin + 2 * mm, bottomMargin=margin + 4 * mm,
                               title=title, author=author, creator="showroom", invariant=1)
    frame = Frame(template.leftMargin, template.bottomMargin, template.width, template.height,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
    template.addPageTemplates([PageTemplate(id="page", frames=[frame],
                                            onPage=_watermark if reprint else _nothing)])

    def canvas(*args: Any, **kwargs: Any) -> Canvas:
        return _NumberedCanvas(*args, footer=footer, language=lang, reprint=reprint, margin=margin, **kwargs)

    template.build(story, canvasmaker=canvas)
    return out.getvalue()


def _nothing(canvas: Canvas, doc: BaseDocTemplate) -> None:
    return None


def _watermark(canvas: Canvas, doc: BaseDocTemplate) -> None:
    """A faint diagonal 重印 under the page's content: a photocopy still shows it."""
    w, h = doc.pagesize
    canvas.saveState()
    canvas.setFillColor(STAMP)
    canvas.setFillAlpha(0.08)
    canvas.translate(w / 2, h / 2)
    canvas.rotate(35)
    canvas.setFont(CJK, w / 5)
    canvas.drawCentredString(0, 0, "重印")
    canvas.restoreState()


def stamp(canvas: Canvas, right: float, top: float, size: float) -> None:
    """The red 重印 / REPRINT box with its top right corner at (right, top)."""
    w = width(REPRINT, CJK, size) + size
    canvas.saveState()
    canvas.setStrokeColor(STAMP)
    canvas.setFillColor(STAMP)
    canvas.setLineWidth(1.2)
    canvas.roundRect(right - w, top - size * 1.7, w, size * 1.7, size * 0.3, stroke=1, fill=0)
    canvas.setFont(CJK, size)
    canvas.drawCentredString(right - w / 2, top - size * 1.2, REPRINT)
    canvas.restoreState()


class Section(Flowable):
    """Zero-size marker at the top of each copy: pages are numbered per section and the
    footer names the copy."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        canvas = self.canv
        assert isinstance(canvas, _NumberedCanvas)
        canvas.section = (canvas.section[0] + 1, self.name)


class _NumberedCanvas(Canvas):
    """Keeps each finished page until the end so the footer can say how many pages its
    section has (the usual reportlab recipe for "page n of N" in one pass)."""

    def __init__(self, *args: Any, footer: str, language: str, reprint: bool, margin: float,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.footer = footer
        self.language = language
        self.reprint = reprint
        self.margin = margin
        self.section: tuple[int, str] = (0, "")
        self._finished: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._finished.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        totals = Counter(state["section"][0] for state in self._finished)
        seen: Counter[int] = Counter()
        for state in self._finished:
            self.__dict__.update(state)
            seen[self.section[0]] += 1
            self._decorate(seen[self.section[0]], totals[self.section[0]])
            Canvas.showPage(self)
        Canvas.save(self)

    def _decorate(self, n: int, total: int) -> None:
        w, h = self._pagesize
        m = self.margin
        y = m
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.4)
        self.line(m, y + 9, w - m, y + 9)
        self.setFillColor(GREY)
        left = "   ".join(part for part in (self.footer, self.section[1]) if part)
        self.setFont(text_font(left), 7.5)
        self.drawString(m, y, left)
        numbers = label(self.language, "page", n=n, total=total)
        self.setFont(text_font(numbers), 7.5)
        self.drawRightString(w - m, y, numbers)
        if n > 1:  # a loose continuation page still says what it belongs to
            self.setFont(text_font(left), 7.5)
            self.drawString(m, h - m + 2, left)
        self.restoreState()
        if self.reprint:
            stamp(self, w - m, h - m * 0.35, 9)


