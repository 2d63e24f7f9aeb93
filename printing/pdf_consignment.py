"""The consignment printouts as PDF: the intake or withdrawal list (A5/A4, the signature
box holding the consignor's signature picture when signed, else "待签字 / sent for
signature" and a line to sign on) and the item label (60 × 40 mm like the product tag:
the consignor code large, the name, our price and the product code as CODE128)."""
from __future__ import annotations

import io

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Spacer

from printing.documents import ConsignmentLabel, ConsignmentList
from printing.pdf_labels import PRODUCT_LABEL, _at_most, _canvas, _code, _fitted
from printing.pdf_page import Section, stamp
from printing.pdf_parts import (
    Sheet,
    barcode,
    details,
    heading,
    para,
    right_stack,
    signature_flowable,
    signatures,
    totals,
)
from printing.pdf_style import CJK, GREY, INK, figure, fit_size, label, money, wrap
from printing.pdf_table import Column, data_table

Story = list[Flowable]


def consignment_list(doc: ConsignmentList, sheet: Sheet) -> tuple[Story, str]:
    withdrawal = doc.kind == "withdrawal"
    title = sheet.t("consignment_withdrawal" if withdrawal else "consignment_list")
    story: Story = [Section("")]
    story += heading(sheet, doc.shop, title, right_stack(
        barcode(doc.number, bar_width=0.75, height=22, readable=False)))
    pairs = [(sheet.t("number"), doc.number), (sheet.t("date"), doc.printed_at)]
    if withdrawal and doc.intake_number:
        pairs.append((sheet.t("intake_list"), doc.intake_number))
    pairs += [(sheet.t("consignor_code"), doc.consignor_code),
              (sheet.t("consignor"), doc.consignor.name),
              (sheet.t("phone"), doc.consignor.phone_masked)]
    if doc.share:
        pairs.append((sheet.t("consignor_share"), doc.share))
    story.append(details(sheet, pairs))
    lines = doc.lines
    story += [Spacer(1, 6), data_table([
        Column(sheet.t("row"), [str(i) for i in range(1, len(lines) + 1)], "figure"),
        Column(sheet.t("code"), [ln.product_code for ln in lines], "center"),
        Column(sheet.t("name"), [ln.name for ln in lines], "flex"),
        Column(sheet.t("qty"), [str(ln.qty) for ln in lines], "figure"),
        Column(sheet.t("price_wholesale"), [figure(ln.price_wholesale) for ln in lines], "figure"),
        Column(sheet.t("price_franchise"), [figure(ln.price_franchise) for ln in lines], "figure"),
        Column(sheet.t("consignor_price"), [figure(ln.consignor_price) if ln.consignor_price
                                            else sheet.t("by_share") for ln in lines], "figure"),
    ], sheet.width, sheet.size)]
    rows = [(sheet.t("total_qty"), str(doc.total_qty)),
            (sheet.t("price_wholesale"), money(doc.total_wholesale)),
            (sheet.t("price_franchise"), money(doc.total_franchise))]
    if doc.total_consignor and doc.total_consignor != "0.00":
        rows.append((sheet.t("consignor_price"), money(doc.total_consignor)))
    left: Story = [para(sheet.t("consignment_note"), sheet.size + 0.5)]
    story.append(KeepTogether([totals(sheet, rows, left=left, strong=False), Spacer(1, 8),
                               *_signature_box(doc, sheet)]))
    return story, f"{title} {doc.number}"


def _signature_box(doc: ConsignmentList, sheet: Sheet) -> list[Flowable]:
    if doc.signature_state == "sent" or not doc.signature_png:
        when = f"{sheet.t('sent_on')}: {doc.sent_at}" if doc.lang == "en" and doc.sent_at \
            else (f"{sheet.t('sent_on')}：{doc.sent_at}" if doc.sent_at else "")
        waiting = sheet.t("awaiting_signature") + (f"   {when}" if when else "")
        return [para(waiting, sheet.size + 2, bold=True),
                Spacer(1, 4),
                signatures(sheet, [(sheet.t("consignor_sign"), ""),
                                   (sheet.t("handler"), doc.staff)], tall=True)]
    picture = signature_flowable(sheet, doc.signature_png)
    state = sheet.t("signed_copy_returned" if doc.signature_state == "returned"
                    else "signed_on_tablet")
    when = f"   {sheet.t('signed_on')}{': ' if doc.lang == 'en' else '：'}{doc.signed_at}" \
        if doc.signed_at else ""
    return [para(state + when, sheet.size + 1, color="#555555"), Spacer(1, 2),
            signatures(sheet, [(sheet.t("consignor_sign"), picture),
                               (sheet.t("handler"), doc.staff)], tall=True)]


def consignment_label(doc: ConsignmentLabel, *, reprint: bool = False) -> bytes:
    return consignment_labels([(doc, 1)], reprint=reprint)


def consignment_labels(labels: list[tuple[ConsignmentLabel, int]], *,
                       reprint: bool = False) -> bytes:
    """One 60 × 40 mm page per piece (each label repeated its count)."""
    if not labels:
        raise ValueError("no labels to draw")
    first = labels[0][0]
    out = io.BytesIO()
    canvas = _canvas(out, PRODUCT_LABEL, f"{label(first.lang, 'consignment_label')} {first.code}",
                     first.shop)
    for doc, count in labels:
        for _ in range(count):
            _draw(canvas, doc, reprint)
    canvas.save()
    return out.getvalue()


def _draw(canvas: Canvas, doc: ConsignmentLabel, reprint: bool) -> None:
    w, h = PRODUCT_LABEL
    m = 2.5 * mm
    inner = w - 2 * m
    code = _code(doc.barcode, inner, 1.0, 10 * mm)
    y = h - m - 13
    canvas.setFillColor(INK)
    _fitted(canvas, doc.consignor_code, m, y, inner * 0.62, 17, 9)
    price = money(doc.price)
    _fitted(canvas, price, w - m, y, inner * 0.38, 11, 6, bold=True, align="right")
    y -= 11
    name_size = fit_size(doc.name, CJK, 8.5, inner, 6.5)
    canvas.setFont(CJK, name_size)
    for line in _at_most(wrap(doc.name, CJK, name_size, inner), 1):
        canvas.drawString(m, y, line)
        y -= name_size * 1.15
    canvas.setFillColor(GREY)
    _fitted(canvas, doc.shop, m, m + 7 + code.height + 2, inner, 5.5, 4.5)
    canvas.setFillColor(INK)
    if reprint:
        stamp(canvas, w - m, h - m - 2, 5.5)
    code.drawOn(canvas, (w - code.width) / 2, m + 7)
    _fitted(canvas, doc.barcode, w / 2, m, inner, 6.5, 4, align="center")
    canvas.showPage()
