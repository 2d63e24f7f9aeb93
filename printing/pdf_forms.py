"""The flowing PDF documents (A5/A4): each builder turns a document into platypus
flowables and names it for the page footer.

A sales slip is one section per copy, each from a new page with its copy name boxed at
the top, so the stub, the showroom's copy and the customer's copy can be torn apart and
still read as whole documents.
"""
from __future__ import annotations

from collections.abc import Callable
from copy import copy as copy_of
from typing import Any

from reportlab.lib.enums import TA_RIGHT
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer

from printing import pdf_repairs
from printing.documents import (
    CashReceipt,
    CustomerStatement,
    DailyReport,
    DeskReceipt,
    Line,
    LockerTicket,
    PackingList,
    Party,
    RefundSlip,
    ReturnSlip,
    SalesSlip,
    ShiftReport,
    ShippingNotice,
)
from printing.pdf_page import Section
from printing.pdf_parts import (
    Sheet,
    barcode,
    boxed,
    details,
    heading,
    para,
    right_stack,
    signature_flowable,
    signatures,
    totals,
)
from printing.pdf_style import ENTRY_KINDS, PAYMENT_METHODS, figure, money, named
from printing.pdf_table import Column, data_table
from printing.signature import manager_sign, name_list

Story = list[Flowable]


def _customer(sheet: Sheet, party: Party) -> list[tuple[str, str]]:
    who = " ".join(part for part in (party.code, party.name) if part)
    pairs = [(sheet.t("customer"), who), (sheet.t("phone"), party.phone_masked)]
    if party.address:
        pairs.append((sheet.t("address"), party.address))
    return pairs


def _lines_table(sheet: Sheet, lines: list[Line]) -> Flowable:
    return data_table([
        Column(sheet.t("row"), [str(i) for i in range(1, len(lines) + 1)], "figure"),
        Column(sheet.t("code"), [ln.code for ln in lines]),
        Column(sheet.t("name"), [ln.name for ln in lines], "flex"),
        Column(sheet.t("qty"), [str(ln.qty) for ln in lines], "figure"),
        Column(sheet.t("unit_price"), [figure(ln.unit_price) for ln in lines], "money"),
        Column(sheet.t("amount"), [figure(ln.amount) for ln in lines], "money"),
    ], sheet.width, sheet.size)


def _count(sheet: Sheet, lines: list[Line]) -> str:
    return sheet.t("lines", n=len(lines), q=sum(ln.qty for ln in lines))


def sales_slip(doc: SalesSlip, sheet: Sheet) -> tuple[Story, str]:
    title = sheet.t("sales_slip")
    pays = ("; " if doc.lang == "en" else "；").join(
        f"{named(PAYMENT_METHODS, doc.lang, p.method)} {money(p.amount)}" for p in doc.payments)
    lines = _lines_table(sheet, doc.lines)  # measured once, drawn in every copy
    signed = signature_flowable(sheet, doc.customer_signature_png) if doc.customer_signature_png else ""
    counted = name_list(doc.counted_by, doc.lang)
    story: Story = []
    for i, copy in enumerate(doc.copies or [""]):
        if i:
            story.append(PageBreak())
        story.append(Section(copy))
        right = [boxed(copy, sheet.size + 5.5)] if copy else []
        story += heading(sheet, doc.shop, title, right_stack(
            *right, barcode(doc.number, bar_width=0.75, height=22, readable=False)))
        story.append(details(sheet, [
            (sheet.t("number"), doc.number), (sheet.t("date"), doc.printed_at),
            *_customer(sheet, doc.customer)], wide=(sheet.t("address"),)))
        story += [Spacer(1, 6), copy_of(lines)]
        left: Story = [para(_count(sheet, doc.lines), sheet.size + 0.5)]
        if pays:
            colon = ": " if doc.lang == "en" else "："
            left += [Spacer(1, 3), para(f"{sheet.t('payments')}{colon}{pays}", sheet.size + 0.5)]
        # 点货人 (Std ch.5 1A): beside the totals, where it costs no height
        left.append(signatures(Sheet(doc.lang, sheet.width * 0.5, sheet.size),
                               [(sheet.t("counted_by"), counted)]))
        story.append(KeepTogether([
            totals(sheet, [(sheet.t("previous_debt"), money(doc.previous_debt)),
                           (sheet.t("this_order"), money(doc.this_order)),
                           (sheet.t("paid"), money(doc.paid)),
                           (sheet.t("cumulative_debt"), money(doc.cumulative_debt))], left=left),
            Spacer(1, 6),
            signatures(sheet, [(sheet.t("customer_sign"), copy_of(signed) if signed else ""),
                               (sheet.t("handler"), "")], tall=bool(signed)),
        ]))
    return story, f"{title} {doc.number}"


def return_slip(doc: ReturnSlip, sheet: Sheet) -> tuple[Story, str]:
    title = sheet.t("return_slip_cross_out" if doc.kind == "cross_out" else "return_slip")
    story: Story = [Section("")]
    story += heading(sheet, doc.shop, title, right_stack(
        barcode(doc.number, bar_width=0.75, height=22, readable=False)))
    story.append(details(sheet, [
        (sheet.t("number"), doc.number), (sheet.t("date"), doc.printed_at),
        (sheet.t("order"), doc.order_number), *_customer(sheet, doc.customer)],
        wide=(sheet.t("address"),)))
    left: Story = [para(_count(sheet, doc.lines), sheet.size + 0.5)]
    if doc.reason:
        colon = ": " if doc.lang == "en" else "："
        left += [Spacer(1, 3), para(f"{sheet.t('reason')}{colon}{doc.reason}", sheet.size + 0.5)]
    story += [Spacer(1, 6), _lines_table(sheet, doc.lines), KeepTogether([
        totals(sheet, [(sheet.t("return_total"), money(doc.total))], left=left),
        Spacer(1, 6),
        signatures(sheet, [(sheet.t("handler"), doc.handler), (sheet.t("customer_sign"), ""),
                           (sheet.t("manager"), manager_sign(doc.lang, doc.kind, doc.manager))],
                   per_row=2),
    ])]
    return story, f"{title} {doc.number}"


def cash_receipt(doc: CashReceipt, sheet: Sheet) -> tuple[Story, str]:
    title = sheet.t("cash_receipt")
    story: Story = [Section("")]
    story += heading(sheet, doc.shop, title, right_stack(
        barcode(doc.number, bar_width=0.75, height=22, readable=False)))
    story.append(details(sheet, [(sheet.t("number"), doc.number), (sheet.t("date"), doc.printed_at),
                                 *_customer(sheet, doc.customer)], wide=(sheet.t("address"),)))
    story += [Spacer(1, 8), totals(sheet, [(sheet.t("cash"), money(doc.cash)),
                                           (sheet.t("tendered"), money(doc.tendered)),
                                           (sheet.t("change"), money(doc.change))]),
              Spacer(1, 10), signatures(sheet, [(sheet.t("handler"), "")])]
    return story, f"{title} {doc.number}"


def _balance_rows(sheet: Sheet, amount: str, *, before: bool) -> tuple[str, str]:
    """A balance as debt (欠款) when >= 0, credit held (余款) below."""
    if amount.strip().startswith("-"):
        return sheet.t("previous_credit" if before else "credit_now"), money(amount.strip()[1:])
    return sheet.t("previous_debt" if before else "cumulative_debt"), money(amount)


def desk_receipt(doc: DeskReceipt, sheet: Sheet) -> tuple[Story, str]:
    title = sheet.t("desk_receipt")
    story: Story = [Section("")]
    story += heading(sheet, doc.shop, title, right_stack(
        barcode(doc.number, bar_width=0.75, height=22, readable=False)))
    pairs = [(sheet.t("number"), doc.number), (sheet.t("date"), doc.printed_at),
             *_customer(sheet, doc.customer),
             (sheet.t("method"), named(PAYMENT_METHODS, doc.lang, doc.method))]
    if doc.reference:
        pairs.append((sheet.t("reference"), doc.reference))
    if doc.note:
        pairs.append((sheet.t("note"), doc.note))
    story.append(details(sheet, pairs, wide=(sheet.t("address"),)))
    rows = [_balance_rows(sheet, doc.balance_before, before=True),
            (sheet.t("amount_paid"), money(doc.amount))]
    if doc.method == "cash" and doc.tendered:
        rows += [(sheet.t("tendered"), money(doc.tendered)),
                 (sheet.t("change"), money(doc.change or "0.00"))]
    rows.append(_balance_rows(sheet, doc.balance_after, before=False))
    story += [Spacer(1, 8), totals(sheet, rows), Spacer(1, 10),
              signatures(sheet, [(sheet.t("cashier"), doc.cashier),
                                 (sheet.t("customer_sign"), "")])]
    return story, f"{title} {doc.number}"


def refund_slip(doc: RefundSlip, sheet: Sheet) -> tuple[Story, str]:
    title = sheet.t("refund_slip")
    story: Story = [Section("")]
    story += heading(sheet, doc.shop, title, right_stack(
        barcode(doc.number, bar_width=0.75, height=22, readable=False)))
    story.append(details(sheet, [
        (sheet.t("number"), doc.number), (sheet.t("date"), doc.printed_at),
        *_customer(sheet, doc.customer),
        (sheet.t("refund_method"), named(PAYMENT_METHODS, doc.lang, doc.method)),
        (sheet.t("reason"), doc.reason)], wide=(sheet.t("address"), sheet.t("reason"))))
    story += [Spacer(1, 8), totals(sheet, [
        _balance_rows(sheet, doc.balance_before, before=True),
        (sheet.t("refund_amount"), money(doc.amount)),
        _balance_rows(sheet, doc.balance_after, before=False)]), Spacer(1, 10),
        signatures(sheet, [(sheet.t("cashier"), doc.cashier),
                           (sheet.t("manager"), manager_sign(doc.lang, "cross_out", doc.manager)),
                           (sheet.t("customer_sign"), "")], per_row=3)]
    return story, f"{title} {doc.number}"


def locker_ticket(doc: LockerTicket, sheet: Sheet) -> tuple[Story, str]:
    title = sheet.t("locker_ticket")
    s = sheet.size
    story: Story = [Section("")]
    story += heading(sheet, doc.shop, title, right_stack(boxed(f"{sheet.t('visit')} {doc.visit_id}", s + 3)))
    story += [Spacer(1, 10), para(sheet.t("locker"), s + 4, color="#555555"),
              para(doc.locker_no, s * 6, bold=True),
              Spacer(1, 14)]
    who = " ".join(part for part in (doc.customer_code, doc.customer_name) if part)
    story += [details(sheet, [(sheet.t("customer"), who), (sheet.t("time"), doc.time)]), Spacer(1, 12),
              para(sheet.t("locker_note"), s + 1, color="#555555")]
    return story, f"{title} {doc.locker_no}"


def packing_list(doc: PackingList, sheet: Sheet) -> tuple[Story, str]:
    title = sheet.t("packing_list")
    box = sheet.t("box_of", n=doc.box_no, total=doc.box_count)
    story: Story = [Section("")]
    story += heading(sheet, doc.shop, title, right_stack(
        boxed(box, sheet.size + 5.5), barcode(doc.order_number, bar_width=0.75, height=22, readable=False)))
    story.append(details(sheet, [(sheet.t("order"), doc.order_number), (sheet.t("date"), doc.printed_at),
                                 *_customer(sheet, doc.customer)], wide=(sheet.t("address"),)))
    items = doc.items
    story += [Spacer(1, 6), data_table([
        Column(sheet.t("row"), [str(i) for i in range(1, len(items) + 1)], "figure"),
        Column(sheet.t("code"), [it.code for it in items]),
        Column(sheet.t("name"), [it.name for it in items], "flex"),
        Column(sheet.t("qty"), [str(it.qty) for it in items], "figure"),
    ], sheet.width, sheet.size), Spacer(1, 4),
        para(sheet.t("lines", n=len(items), q=sum(it.qty for it in items)), sheet.size + 0.5,
             align=TA_RIGHT),
        Spacer(1, 6),
        signatures(sheet, [(sheet.t("packer"), doc.packer), (sheet.t("checked"), "")])]
    return story, f"{title} {doc.order_number}  {box}"


def shipping_notice(doc: ShippingNotice, sheet: Sheet) -> tuple[Story, str]:
    title = sheet.t("shipping_notice")
    right: Story = []
    if doc.waybill and doc.waybill.isascii() and doc.waybill.isprintable():
        right = right_stack(barcode(doc.waybill, bar_width=0.75, height=22, font_size=7))
    story: Story = [Section("")]
    story += heading(sheet, doc.shop, title, right)
    pairs = [(sheet.t("order"), doc.order_number), (sheet.t("customer"), doc.customer_name),
             (sheet.t("carrier"), doc.carrier), (sheet.t("waybill"), doc.waybill),
             (sheet.t("boxes"), str(doc.boxes)), (sheet.t("shipped_on"), doc.shipped_on)]
    if doc.eta:
        pairs.append((sheet.t("eta"), doc.eta))
    story.append(details(sheet, pairs))
    if doc.text:
        story += [Spacer(1, 10), para(sheet.t("message"), sheet.size, color="#555555"), Spacer(1, 3),
                  para(doc.text, sheet.size + 2)]
    return story, f"{title} {doc.order_number}"


def customer_statement(doc: CustomerStatement, sheet: Sheet) -> tuple[Story, str]:
    title = sheet.t("customer_statement")
    period = f"{doc.period_from} {sheet.t('to')} {doc.period_to}"
    story: Story = [Section("")]
    story += heading(sheet, doc.shop, title, right_stack(boxed(period, sheet.size + 2)))
    story.append(details(sheet, [*_customer(sheet, doc.customer), (sheet.t("printed_at"), doc.printed_at)],
                         wide=(sheet.t("address"),)))
    entries = doc.entries
    story += [Spacer(1, 6), totals(sheet, [(sheet.t("opening_balance"), money(doc.opening_balance))],
                                   strong=False),
              Spacer(1, 4)]
    if entries:
        story.append(data_table([
            Column(sheet.t("date"), [e.date for e in entries]),
            Column(sheet.t("kind"), [_entry_kind(doc.lang, e.kind, e.reverses) for e in entries]),
            Column(sheet.t("ref"), [e.ref for e in entries], "flex"),
            Column(sheet.t("amount"), [figure(e.amount) for e in entries], "money"),
            Column(sheet.t("balance"), [figure(e.balance_after) for e in entries], "money"),
        ], sheet.width, sheet.size))
    else:
        story.append(para(sheet.t("no_entries"), sheet.size + 1, color="#555555"))
    story.append(KeepTogether([
        totals(sheet, [(sheet.t("closing_balance"), money(doc.closing_balance))],
               left=[para(sheet.t("statement_note"), sheet.size, color="#555555")]),
        Spacer(1, 8),
        signatures(sheet, [(sheet.t("customer_sign"), ""), (sheet.t("date"), "")]),
    ]))
    return story, f"{title} {doc.customer.name} {period}"


def shift_report(doc: ShiftReport, sheet: Sheet) -> tuple[Story, str]:
    title = sheet.t("shift_report")
    period = f"{doc.since or sheet.t('first_shift')} {sheet.t('to')} {doc.until}"
    story: Story = [Section("")]
    story += heading(sheet, doc.shop, title, right_stack(
        boxed(period, sheet.size + 1), barcode(doc.number, bar_width=0.75, height=22,
                                               readable=False)))
    story.append(details(sheet, [
        (sheet.t("number"), doc.number), (sheet.t("cashier"), doc.cashier),
        (sheet.t("opening_float"), money(doc.opening_float)),
        (sheet.t("printed_at"), doc.printed_at)]))
    rows = doc.rows
    story += [Spacer(1, 6), data_table([
        Column(sheet.t("method"), [named(PAYMENT_METHODS, doc.lang, r.method) for r in rows],
               "flex"),
        Column(sheet.t("expected"), [figure(r.expected) for r in rows], "money"),
        Column(sheet.t("counted"), [figure(r.counted) if r.counted else sheet.t("not_counted")
                                    for r in rows], "money"),
        Column(sheet.t("difference"), [figure(r.difference) if r.difference else "-"
                                       for r in rows], "money"),
    ], sheet.width, sheet.size)]
    left: Story = []
    if doc.note:
        colon = ": " if doc.lang == "en" else "："
        left.append(para(f"{sheet.t('note')}{colon}{doc.note}", sheet.size + 0.5))
    story.append(KeepTogether([
        totals(sheet, [(sheet.t("cash_difference"), money(doc.cash_difference))], left=left),
        Spacer(1, 8),
        signatures(sheet, [(sheet.t("cashier_sign"), ""),
                           (sheet.t("approved_by"),
                            doc.manager + sheet.t("approved") if doc.manager else "")]),
    ]))
    return story, f"{title} {doc.number}"


def daily_report(doc: DailyReport, sheet: Sheet) -> tuple[Story, str]:
    title = sheet.t("daily_report")
    story: Story = [Section("")]
    story += heading(sheet, doc.shop, title, right_stack(boxed(doc.date, sheet.size + 3)))
    story.append(details(sheet, [(sheet.t("report_date"), doc.date),
                                 (sheet.t("printed_at"), doc.printed_at)]))
    story += [Spacer(1, 6), totals(sheet, [
        (sheet.t("sales_total"), money(doc.sales_total)),
        (sheet.t("orders"), str(doc.orders)),
        (sheet.t("on_account_total"), money(doc.on_account_total)),
        (sheet.t("returns_total"), money(doc.returns_total)),
        (sheet.t("refunds_total"), money(doc.refunds_total)),
        (sheet.t("debt_total"), money(doc.debt_total)),
        (sheet.t("credit_total"), money(doc.credit_total))], strong=False,
        left=[para(sheet.t("payments_by_method"), sheet.size + 1, bold=True), Spacer(1, 3),
              data_table([
                  Column(sheet.t("method"), [named(PAYMENT_METHODS, doc.lang, p.method)
                                             for p in doc.payments] + [sheet.t("payments_total")],
                         "flex"),
                  Column(sheet.t("amount"), [figure(p.amount) for p in doc.payments]
                         + [figure(doc.payments_total)], "money"),
              ], sheet.width * 0.5, sheet.size)]),
        Spacer(1, 10), para(sheet.t("shifts"), sheet.size + 1, bold=True), Spacer(1, 3)]
    shifts = doc.shifts
    if shifts:
        story.append(data_table([
            Column(sheet.t("number"), [x.number for x in shifts]),
            Column(sheet.t("cashier"), [x.cashier for x in shifts], "flex"),
            Column(sheet.t("expected"), [figure(x.expected_cash) for x in shifts], "money"),
            Column(sheet.t("counted"), [figure(x.counted_cash) for x in shifts], "money"),
            Column(sheet.t("difference"), [figure(x.cash_difference) for x in shifts], "money"),
            Column(sheet.t("approved_by"), [x.manager for x in shifts]),
        ], sheet.width, sheet.size))
    else:
        story.append(para(sheet.t("no_shifts"), sheet.size + 1, color="#555555"))
    return story, f"{title} {doc.date}"
def _entry_kind(lang: str, kind: str, reverses: str) -> str:
    """销售, 收款 …; a reversal names what it reverses: "冲销 收款"."""
    name = named(ENTRY_KINDS, lang, kind)
    return f"{name} {named(ENTRY_KINDS, lang, reverses)}" if reverses else name


Builder = Callable[[Any, Sheet], tuple[Story, str]]
BUILDERS: dict[str, Builder] = {
    "sales_slip": sales_slip, "return_slip": return_slip, "cash_receipt": cash_receipt,
    "locker_ticket": locker_ticket, "packing_list": packing_list, "shipping_notice": shipping_notice,
    "customer_statement": customer_statement, "shift_report": shift_report,
    "daily_report": daily_report, "desk_receipt": desk_receipt,
    "refund_slip": refund_slip,
    "repair_receipt": pdf_repairs.repair_receipt,
    "repair_bag_label": pdf_repairs.repair_bag_label,
    "repair_handover": pdf_repairs.repair_handover,
}

from printing.pdf_aftersales import aftersales_slip  # noqa: E402 - it builds on the above

BUILDERS |= {"aftersales_return": aftersales_slip, "aftersales_exchange": aftersales_slip}

from printing import pdf_consignor  # noqa: E402 - it builds on the above

BUILDERS |= {"consignor_payout": pdf_consignor.payout_slip,
             "consignor_statement": pdf_consignor.statement}

from printing.pdf_consignment import consignment_list  # noqa: E402 - it builds on the above

BUILDERS |= {"consignment_list": consignment_list}
from printing.pdf_complaint import complaint_report  # noqa: E402 - registered like the above

BUILDERS["complaint_report"] = complaint_report

from printing.pdf_remit import remit_notice  # noqa: E402 - registered like the above

BUILDERS["remit_notice"] = remit_notice
