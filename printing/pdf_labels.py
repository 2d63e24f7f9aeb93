"""Label-sized PDFs drawn straight on the canvas: the box label (100 × 150 mm, read
across a warehouse floor and scanned by the courier) and the product tag (60 × 40 mm).

Text that would run off a label shrinks to fit rather than being cut, down to a
size still readable; an address wraps onto as many lines as it needs up to the space left.
"""
from __future__ import annotations

import io

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from printing.documents import BoxLabel, ProductLabel
from printing.pdf_page import stamp
from printing.pdf_parts import barcode
from printing.pdf_style import (
    CJK,
    GREY,
    INK,
    LATIN,
    LATIN_BOLD,
    fit_size,
    is_latin,
    label,
    money,
    width,
    wrap,
)

BOX_LABEL = (100 * mm, 150 * mm)
PRODUCT_LABEL = (60 * mm, 40 * mm)


def _canvas(out: io.BytesIO, size: tuple[float, float], title: str, author: str) -> Canvas:
    canvas = Canvas(out, pagesize=size, invariant=1)
    canvas.setTitle(title)
    canvas.setAuthor(author)
    canvas.setCreator("showroom")
    return canvas


def _code(value: str, room: float, bar_width: float, height: float) -> Code128:
    """CODE128 as wide as `bar_width` allows within `room` (a long code gets narrower bars
    rather than running off the label), with its quiet zones inside `room`."""
    code = barcode(value, bar_width=bar_width, height=height, readable=False)
    if code.width > room:
        code = barcode(value, bar_width=bar_width * room / code.width, height=height, readable=False)
    return code


def _at_most(lines: list[str], count: int) -> list[str]:
    """The first `count` lines, the last one ending in … when some were left out."""
    if len(lines) <= count:
        return lines
    return lines[:count - 1] + [lines[count - 1][:-1] + "…"]


def _font(text: str, bold: bool = False) -> str:
    if is_latin(text):
        return LATIN_BOLD if bold else LATIN
    return CJK


def _fitted(canvas: Canvas, text: str, x: float, y: float, limit: float, size: float,
            smallest: float, *, bold: bool = False, align: str = "left") -> float:
    """Draw `text` on one line, shrunk until it fits `limit`; returns the size used."""
    font = _font(text, bold)
    size = fit_size(text, font, size, limit, smallest)
    if width(text, font, size) > limit:  # still too wide at the smallest size: cut it short
        while len(text) > 1 and width(text + "…", font, size) > limit:
            text = text[:-1]
        text += "…"
    canvas.setFont(font, size)
    if align == "right":
        canvas.drawRightString(x, y, text)
    elif align == "center":
        canvas.drawCentredString(x, y, text)
    else:
        canvas.drawString(x, y, text)
    return size


def box_label(doc: BoxLabel, *, reprint: bool = False) -> bytes:
    lang = doc.lang
    w, h = BOX_LABEL
    m = 6 * mm
    inner = w - 2 * m
    code = _code(doc.barcode, inner, 1.3, 16 * mm)
    out = io.BytesIO()
    canvas = _canvas(out, BOX_LABEL, f"{label(lang, 'box_label')} {doc.order_number}", doc.shop)

    # top band: shop and order number
    y = h - m - 10
    canvas.setFillColor(GREY)
    _fitted(canvas, doc.shop, m, y, inner * 0.45, 10, 6)
    canvas.setFillColor(INK)
    _fitted(canvas, doc.order_number, w - m, y, inner * 0.55, 12, 7, bold=True, align="right")
    y -= 8
    canvas.setLineWidth(1.5)
    canvas.line(m, y, w - m, y)

    # recipient
    y -= 16
    canvas.setFillColor(GREY)
    canvas.setFont(CJK, 10)
    canvas.drawString(m, y, label(lang, "recipient"))
    canvas.setFillColor(INK)
    y -= 30
    _fitted(canvas, doc.name, m, y, inner, 28, 14)
    y -= 22
    size = 14.0
    lines = wrap(doc.address, CJK, size, inner)
    if len(lines) > 4:
        size = 11.0
        lines = _at_most(wrap(doc.address, CJK, size, inner), 5)
    canvas.setFont(CJK, size)
    for line in lines:
        canvas.drawString(m, y, line)
        y -= size * 1.3
    y -= 10
    _fitted(canvas, f"{label(lang, 'phone')}  {doc.phone}" if not is_latin(label(lang, "phone"))
            else f"{label(lang, 'phone')}: {doc.phone}", m, y, inner, 18, 10)

    # box n/N in a heavy frame
    frame_h = 46 * mm
    frame_y = m + code.height + 12 + 6 * mm
    canvas.setLineWidth(2.5)
    canvas.rect(m, frame_y, inner, frame_h)
    canvas.setFillColor(GREY)
    canvas.setFont(CJK, 12)
    canvas.drawString(m + 8, frame_y + frame_h - 18, label(lang, "box_of", n=doc.box_no, total=doc.box_count))
    canvas.setFillColor(INK)
    big = f"{doc.box_no} / {doc.box_count}"
    big_size = fit_size(big, LATIN_BOLD, 84, inner - 20, 30)
    canvas.setFont(LATIN_BOLD, big_size)
    canvas.drawCentredString(w / 2, frame_y + (frame_h - big_size * 0.72) / 2 - 6, big)
    canvas.setFont(CJK, 22)
    canvas.drawRightString(w - m - 8, frame_y + 10, label(lang, "box"))

    # barcode across the bottom, its text under it
    code.drawOn(canvas, (w - code.width) / 2, m + 12)
    _fitted(canvas, doc.barcode, w / 2, m + 1, inner, 10, 5, align="center")
    if reprint:
        stamp(canvas, w - m, h - m - 20, 9)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def product_label(doc: ProductLabel, *, reprint: bool = False) -> bytes:
    return product_labels([(doc, 1)], reprint=reprint)


def product_labels(labels: list[tuple[ProductLabel, int]], *, reprint: bool = False) -> bytes:
    """Several tags in one PDF, one 60 × 40 mm page per label, each repeated its count:
    what a label printer feeds, and a sheet to check before printing."""
    if not labels:
        raise ValueError("no labels to draw")
    first = labels[0][0]
    out = io.BytesIO()
    title = f"{label(first.lang, 'product_label')} {first.code}" + (" …" if len(labels) > 1 else "")
    canvas = _canvas(out, PRODUCT_LABEL, title, first.shop)
    for doc, count in labels:
        for _ in range(count):
            _draw_product_label(canvas, doc, reprint)
    canvas.save()
    return out.getvalue()


def _draw_product_label(canvas: Canvas, doc: ProductLabel, reprint: bool) -> None:
    w, h = PRODUCT_LABEL
    m = 2.5 * mm
    inner = w - 2 * m
    code = _code(doc.barcode, inner, 1.0, 11 * mm)

    y = h - m - 6
    canvas.setFillColor(GREY)
    _fitted(canvas, doc.shop, m, y, inner * 0.5, 6, 4.5)
    canvas.setFillColor(INK)
    _fitted(canvas, doc.code, w - m, y, inner * 0.5, 8, 5, bold=True, align="right")
    y -= 11
    name_size = fit_size(doc.name, CJK, 10, inner, 7)
    lines = _at_most(wrap(doc.name, CJK, name_size, inner), 2)
    canvas.setFont(CJK, name_size)
    for line in lines:
        canvas.drawString(m, y, line)
        y -= name_size * 1.15
    price = money(doc.price)
    price_size = fit_size(price, LATIN_BOLD, 15, inner * 0.6, 8)
    canvas.setFont(LATIN_BOLD, price_size)
    canvas.drawString(m, y - price_size * 0.55, price)
    if reprint:
        stamp(canvas, w - m, y + 4, 5.5)
    code.drawOn(canvas, (w - code.width) / 2, m + 7)
    _fitted(canvas, doc.barcode, w / 2, m, inner, 6.5, 4, align="center")
    canvas.showPage()

