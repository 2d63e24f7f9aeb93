"""The consignor's PDF documents (SPEC §7, §10): the payout slip and the consignor
statement (代销对账单, A4) — sold with order numbers and dates, returned, still on our
floor, withdrawn, then earned, paid and payable."""
from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether, Spacer

from printing.documents import ConsignorPayoutSlip, ConsignorStatement, SoldRow
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
    totals,
)
from printing.pdf_style import PAYMENT_METHODS, figure, money, named
from printing.pdf_table import Column, data_table

Story = list[Flowable]


def _who(sheet: Sheet, doc: ConsignorPayoutSlip | ConsignorStatement) -> list[tuple[str, str]]:
    party = doc.customer
    pairs = [(sheet.t("consignor"), f"{doc.consignor_code} {party.name}".strip())]
    if party.code:
        pairs.append((sheet.t("customer_code"), party.code))
    return pairs


def payout_slip(doc: ConsignorPayoutSlip, sheet: Sheet) -> tuple[Story, str]:
    title = sheet.t("consignor_payout")
    story: Story = [Section("")]
    story += heading(sheet, doc.shop, title, right_stack(
        barcode(doc.number, bar_width=0.75, height=22, readable=False)))
    method = (sheet.t("offset") if doc.method == "offset"
              else named(PAYMENT_METHODS, doc.lang, doc.method))
    pairs = [(sheet.t("number"), doc.number), (sheet.t("date"), doc.printed_at),
             *_who(sheet, doc), (sheet.t("payout_method"), method)]
    if doc.note:
        pairs.append((sheet.t("note"), doc.note))
    story.append(details(sheet, pairs, wide=(sheet.t("note"),)))
    rows = [(sheet.t("payable_before"), money(doc.payable_before)),
            (sheet.t("payable_after"), money(doc.payable_after))]
    if doc.method == "offset":
        rows += [(sheet.t("debt_before"), money(doc.debt_before)),
                 (sheet.t("debt_after"), money(doc.debt_after))]
    rows.append((sheet.t("payout_amount"), money(doc.amount)))  # the figure that stands out
    story += [Spacer(1, 8), totals(sheet, rows), Spacer(1, 10),
              signatures(sheet, [(sheet.t("paid_by"), doc.staff),
                                 (sheet.t("consignor_sign"), "")])]
    return story, f"{title} {doc.number}"


def _sold_table(sheet: Sheet, rows: list[SoldRow], ref_key: str) -> Flowable:
    return data_table([
        Column(sheet.t("code"), [r.product_code for r in rows]),
        Column(sheet.t("name"), [r.name for r in rows], "flex"),
        Column(sheet.t("qty"), [str(r.qty) for r in rows], "figure"),
        Column(sheet.t("amount"), [figure(r.amount) for r in rows], "money"),
        Column(sheet.t(ref_key), [r.order_number for r in rows]),
        Column(sheet.t("date"), [r.date for r in rows]),
    ], sheet.width, sheet.size)


def _section(sheet: Sheet, key: str, count: int) -> Flowable:
    return para(f"{sheet.t(key)} ({count})", sheet.size + 2, bold=True)


def statement(doc: ConsignorStatement, sheet: Sheet) -> tuple[Story, str]:
    title = sheet.t("consignor_statement")
    period = f"{doc.period_from} {sheet.t('to')} {doc.period_to}"
    story: Story = [Section("")]
    story += heading(sheet, doc.shop, title, right_stack(boxed(period, sheet.size + 2)))
    story.append(details(sheet, [*_who(sheet, doc), (sheet.t("printed_at"), doc.printed_at)]))
    none = para(sheet.t("nothing"), sheet.size, color="#555555")
    story += [Spacer(1, 8), _section(sheet, "sold", sum(r.qty for r in doc.sold)), Spacer(1, 3),
              _sold_table(sheet, doc.sold, "order") if doc.sold else none]
    if doc.returned:
        story += [Spacer(1, 8), _section(sheet, "returned_goods",
                                         sum(r.qty for r in doc.returned)),
                  Spacer(1, 3), _sold_table(sheet, doc.returned, "ref")]
    story += [Spacer(1, 8), _section(sheet, "on_floor", sum(r.on_hand for r in doc.on_hand)),
              Spacer(1, 3)]
    story.append(data_table([
        Column(sheet.t("code"), [r.product_code for r in doc.on_hand]),
        Column(sheet.t("name"), [r.name for r in doc.on_hand], "flex"),
        Column(sheet.t("on_hand"), [str(r.on_hand) for r in doc.on_hand], "figure"),
        Column(sheet.t("intake_on"), [r.since for r in doc.on_hand]),
    ], sheet.width, sheet.size) if doc.on_hand else none)
    story += [Spacer(1, 8), _section(sheet, "withdrawn", sum(r.qty for r in doc.withdrawn)),
              Spacer(1, 3)]
    story.append(data_table([
        Column(sheet.t("list_number"), [r.number for r in doc.withdrawn]),
        Column(sheet.t("date"), [r.date for r in doc.withdrawn]),
        Column(sheet.t("code"), [r.product_code for r in doc.withdrawn]),
        Column(sheet.t("name"), [r.name for r in doc.withdrawn], "flex"),
        Column(sheet.t("qty"), [str(r.qty) for r in doc.withdrawn], "figure"),
    ], sheet.width, sheet.size) if doc.withdrawn else none)
    rows = [(sheet.t("opening_payable"), money(doc.opening)),
            (sheet.t("earned"), money(doc.earned)), (sheet.t("paid_out"), money(doc.paid))]
    if doc.adjusted.strip("-0.") != "":
        rows.append((sheet.t("adjusted"), money(doc.adjusted)))
    rows.append((sheet.t("payable"), money(doc.payable)))
    story.append(KeepTogether([
        Spacer(1, 10),
        totals(sheet, rows, left=[para(sheet.t("consignor_note"), sheet.size, color="#555555")]),
        Spacer(1, 8),
        signatures(sheet, [(sheet.t("consignor_sign"), ""), (sheet.t("date"), "")]),
    ]))
    return story, f"{title} {doc.consignor_code} {period}"
