"""PDF of any printing document (reportlab platypus): A5 or A4 for slips, lists and the
customer statement, label-sized pages for box and product labels.

Long tables flow over pages with their header row repeated; every page carries its
document, copy and "第 n 页 / 共 N 页" (counted per copy of a sales slip, so each copy
reads as its own document), and a reprint is stamped 重印 / REPRINT on every page.
Output is byte-for-byte reproducible for the same document (reportlab's invariant mode),
so a preview and the printed PDF are the same file.
"""
from __future__ import annotations

import dataclasses
from typing import Any, cast

from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.units import mm

from printing import pdf_consignment, pdf_forms, pdf_labels
from printing.documents import (
    BoxLabel,
    ConsignmentLabel,
    Document,
    ProductLabel,
    document_from_payload,
    kind_of,
    to_payload,
)
from printing.pdf_page import build
from printing.pdf_parts import Sheet

PAGES = {"A4": A4, "A5": A5}


def render_label_sheet(labels: list[tuple[ProductLabel, int]]) -> bytes:
    """Product tags, one label-sized page each, repeated by count (a label printer's feed)."""
    return pdf_labels.product_labels([(cast(ProductLabel, _in_font("product_label", doc)), count)
                                      for doc, count in labels])


def render_consignment_labels(labels: list[tuple[ConsignmentLabel, int]]) -> bytes:
    """Consigned items' labels, one label-sized page per piece (each repeated its count)."""
    return pdf_consignment.consignment_labels(
        [(cast(ConsignmentLabel, _in_font("consignment_label", doc)), count)
         for doc, count in labels])


def render_pdf(doc: Document, *, page: str = "A5", reprint: bool = False) -> bytes:
    """The PDF of `doc` on an A5 or A4 page (box and product labels use their own size)."""
    size = PAGES.get(page.upper()) if isinstance(page, str) else None
    if size is None:
        raise ValueError(f"page must be A4 or A5, not {page!r}")
    kind = kind_of(doc)
    doc = _in_font(kind, doc)
    if isinstance(doc, BoxLabel):
        return pdf_labels.box_label(doc, reprint=reprint)
    if isinstance(doc, ProductLabel):
        return pdf_labels.product_label(doc, reprint=reprint)
    if isinstance(doc, ConsignmentLabel):
        return pdf_consignment.consignment_label(doc, reprint=reprint)
    margin = (10 if size is A5 else 15) * mm
    sheet = Sheet(lang=doc.lang, width=size[0] - 2 * margin,
                            size=8.5 if size is A5 else 9.5)
    story, name = pdf_forms.BUILDERS[kind](doc, sheet)
    footer = "   ".join(part for part in (doc.shop, name) if part)
    return build(story, size, margin, footer=footer, lang=doc.lang, reprint=reprint, title=name,
                 author=doc.shop)




def _in_font(kind: str, doc: Document) -> Document:
    """The document with characters beyond the CID font's 16-bit codes (emoji, rare CJK
    extension ideographs) shown as □: sent as they are they print as some other ideograph."""
    if not _beyond_bmp(doc):
        return doc
    return document_from_payload(kind, _replace(to_payload(doc)))


def _beyond_bmp(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value) and max(value) > "\uffff"
    if isinstance(value, list):
        return any(_beyond_bmp(v) for v in value)
    if dataclasses.is_dataclass(value):
        return any(_beyond_bmp(getattr(value, f.name)) for f in dataclasses.fields(value))
    return False


def _replace(value: Any) -> Any:
    if isinstance(value, str):
        return "".join("□" if ch > "\uffff" else ch for ch in value)
    if isinstance(value, dict):
        return {k: _replace(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace(v) for v in value]
    return value
