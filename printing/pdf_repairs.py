"""The repair documents as PDF (A5/A4): the intake receipt (one page per copy — customer,
workshop, file — each with the repair number as a QR code to scan at the counter), the
bag label and a batch's hand-over list for the courier / partner abroad."""
from __future__ import annotations

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.platypus import Flowable, PageBreak, Spacer

from printing.documents import Party, RepairBagLabel, RepairHandover, RepairReceipt
from printing.labels_text import material_label
from printing.pdf_page import Section
from printing.pdf_parts import (
    Sheet,
    barcode,
    boxed,
    details,
    heading,
    para,
    right_stack,
    signatures,
)
from printing.pdf_table import Column, data_table

Story = list[Flowable]


def qr(value: str, size: float = 72) -> Drawing:
    """A QR code of `value`, `size` points square (scanned back in the tests)."""
    widget = QrCodeWidget(value, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def _customer(sheet: Sheet, party: Party) -> list[tuple[str, str]]:
    who = " ".join(part for part in (party.code, party.name) if part)
    return [(sheet.t("customer"), who), (sheet.t("phone"), party.phone_masked)]


def repair_receipt(doc: RepairReceipt, sheet: Sheet) -> tuple[Story, str]:
    title = sheet.t("repair_receipt")
    story: Story = []
    for i, copy in enumerate(doc.copies or [""]):
        if i:
            story.append(PageBreak())
        story.append(Section(copy))
        right = [boxed(copy, sheet.size + 5.5)] if copy else []
        story += heading(sheet, doc.shop, title, right_stack(*right, qr(doc.number, 64)))
        pairs = [(sheet.t("number"), doc.number), (sheet.t("date"), doc.printed_at),
                 *_customer(sheet, doc.customer)]
        if doc.product_code:
            pairs.append((sheet.t("product_code"), doc.product_code))
        pairs += [(sheet.t("part"), doc.part),
                  (sheet.t("material"), material_label(doc.material, doc.lang))]
        if doc.weight:
            pairs.append((sheet.t("weight"), doc.weight))
        if doc.photos:
            pairs.append((sheet.t("photos"), str(doc.photos)))
        pairs.append((sheet.t("description"), doc.description))
        story.append(details(sheet, pairs, wide=(sheet.t("description"),)))
        story += [Spacer(1, 8), para(sheet.t("repair_note"), sheet.size + 0.5),
                  Spacer(1, 10),
                  signatures(sheet, [(sheet.t("received_by"), doc.received_by),
                                     (sheet.t("customer_sign"), "")]),
                  Spacer(1, 6), barcode(doc.number, bar_width=0.75, height=22)]
    return story, f"{title} {doc.number}"


def repair_bag_label(doc: RepairBagLabel, sheet: Sheet) -> tuple[Story, str]:
    title = sheet.t("repair_bag_label")
    story: Story = [Section("")]
    story += heading(sheet, doc.shop, title, right_stack(qr(doc.number, 80)))
    pairs = [(sheet.t("number"), doc.number), (sheet.t("date"), doc.printed_at),
             *_customer(sheet, doc.customer), (sheet.t("part"), doc.part),
             (sheet.t("material"), material_label(doc.material, doc.lang))]
    if doc.weight:
        pairs.append((sheet.t("weight"), doc.weight))
    story += [details(sheet, pairs), Spacer(1, 8),
              barcode(doc.number, bar_width=0.9, height=28)]
    return story, f"{title} {doc.number}"


def repair_handover(doc: RepairHandover, sheet: Sheet) -> tuple[Story, str]:
    title = sheet.t("repair_handover")
    story: Story = [Section("")]
    story += heading(sheet, doc.shop, title, right_stack(
        barcode(doc.number, bar_width=0.75, height=22, readable=False)))
    pairs = [(sheet.t("number"), doc.number), (sheet.t("date"), doc.printed_at),
             (sheet.t("partner"), doc.partner), (sheet.t("pieces"), str(len(doc.lines)))]
    if doc.expected_from:
        pairs.append((sheet.t("expected_back"), f"{doc.expected_from} ~ {doc.expected_to}"))
    story.append(details(sheet, pairs))
    lines = doc.lines
    story += [Spacer(1, 6), data_table([
        Column(sheet.t("row"), [str(i) for i in range(1, len(lines) + 1)], "figure"),
        Column(sheet.t("number"), [ln.number for ln in lines], "center"),
        Column(sheet.t("customer"), [ln.customer for ln in lines]),
        Column(sheet.t("part"), [ln.part for ln in lines]),
        Column(sheet.t("material"), [material_label(ln.material, doc.lang) for ln in lines],
               "center"),
        Column(sheet.t("weight"), [ln.weight for ln in lines], "figure"),
        Column(sheet.t("description"), [ln.description for ln in lines], "flex"),
    ], sheet.width, sheet.size), Spacer(1, 12),
        signatures(sheet, [(sheet.t("handler"), doc.manager),
                           (sheet.t("carrier_staff"), doc.carrier),
                           (sheet.t("partner"), "")], per_row=3)]
    return story, f"{title} {doc.number}"
