"""The remit notice as a PDF (A5/A4, SPEC §5): the breakdown, the amount to remit large,
and the showroom's bank accounts."""
from __future__ import annotations

from reportlab.platypus import Flowable, Spacer

from printing.documents import RemitNotice
from printing.pdf_page import Section
from printing.pdf_parts import Sheet, barcode, details, heading, para, right_stack, totals
from printing.pdf_style import money

Story = list[Flowable]


def remit_notice(doc: RemitNotice, sheet: Sheet) -> tuple[Story, str]:
    title = sheet.t("remit_notice")
    story: Story = [Section("")]
    story += heading(sheet, doc.shop, title, right_stack(
        barcode(doc.number, bar_width=0.75, height=22, readable=False)))
    party = doc.customer
    pairs = [(sheet.t("order_number"), doc.number), (sheet.t("date"), doc.printed_at),
             (sheet.t("customer"), party.name)]
    if party.code:
        pairs.append((sheet.t("customer_code"), party.code))
    story.append(details(sheet, pairs))
    before = doc.previous_balance.strip()
    balance_row = ((sheet.t("previous_credit"), "-" + money(before[1:]))
                   if before.startswith("-") else (sheet.t("previous_debt"), money(before)))
    freight = sheet.t("freight") + (f" ({doc.carrier})" if doc.carrier else "")
    rows = [(sheet.t("this_order"), money(doc.order_total)), balance_row,
            (freight, money(doc.shipping_fee)),
            (sheet.t("amount_to_remit"), money(doc.amount_to_remit))]
    story += [Spacer(1, 8), totals(sheet, rows), Spacer(1, 10)]
    if doc.accounts:
        story.append(para(sheet.t("remit_to"), sheet.size + 2, bold=True))
        for account in doc.accounts:
            story.append(para(f"{account.bank}  {sheet.t('account_name')}: {account.name}  "
                              f"{sheet.t('account_number')}: {account.number}",
                              sheet.size + 1))
    story += [Spacer(1, 8), para(sheet.t("remit_then_ship"), sheet.size)]
    return story, f"{title} {doc.number}"
