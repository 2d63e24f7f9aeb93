"""The after-sales return slip and the exchange slip as PDF (A5/A4), the same facts as the
receipt: goods back, goods out, the difference, the rule and, when overridden, the
manager and the reason."""
from __future__ import annotations

from reportlab.platypus import KeepTogether, Spacer

from printing.documents import AfterSalesSlip
from printing.pdf_forms import Story, _balance_rows, _count, _customer, _lines_table
from printing.pdf_page import Section
from printing.pdf_parts import Sheet, barcode, details, heading, para, right_stack, signatures, totals
from printing.pdf_style import LABELS, money


def _word(sheet: Sheet, key: str, fallback: str) -> str:
    return sheet.t(key) if key in LABELS else fallback


def aftersales_slip(doc: AfterSalesSlip, sheet: Sheet) -> tuple[Story, str]:
    exchange = doc.kind == "exchange"
    title = sheet.t("aftersales_exchange" if exchange else "aftersales_return")
    colon = ": " if doc.lang == "en" else "："
    story: Story = [Section("")]
    story += heading(sheet, doc.shop, title, right_stack(
        barcode(doc.number, bar_width=0.75, height=22, readable=False)))
    reason = _word(sheet, f"reason_{doc.reason}", doc.reason)
    if doc.quality_confirmed:
        reason += ("; " if doc.lang == "en" else "；") + sheet.t("quality_confirmed")
    story.append(details(sheet, [
        (sheet.t("number"), doc.number), (sheet.t("date"), doc.printed_at),
        (sheet.t("order"), doc.orders), *_customer(sheet, doc.customer),
        (sheet.t("reason"), reason)], wide=(sheet.t("address"), sheet.t("reason"))))
    story += [Spacer(1, 6), para(sheet.t("goods_back"), sheet.size + 1.5, bold=True),
              _lines_table(sheet, doc.lines),
              totals(sheet, [(sheet.t("return_total"), money(doc.credit))],
                     left=[para(_count(sheet, doc.lines), sheet.size + 0.5)], strong=False)]
    rows: list[tuple[str, str]] = []
    if exchange:
        story += [Spacer(1, 6), para(sheet.t("goods_out"), sheet.size + 1.5, bold=True),
                  _lines_table(sheet, doc.replacements)]
        diff = doc.difference.strip()
        rows.append((sheet.t("replacement_total"), money(doc.replacement_total)))
        if diff.startswith("-"):
            rows.append((sheet.t("difference_credit"), money(diff[1:])))
        else:
            rows.append((sheet.t("difference_due"), money(diff)))
    rows.append(_balance_rows(sheet, doc.balance_after, before=False))
    state = sheet.t("verdict_allowed" if doc.allowed else "verdict_refused")
    rule = _word(sheet, f"rule_{doc.rule}", doc.rule)
    verdict = [para(f"{sheet.t('rule')}{colon}{rule} ({state})" if doc.lang == "en"
                    else f"{sheet.t('rule')}{colon}{rule}（{state}）", sheet.size + 0.5, bold=True)]
    verdict += [para(r, sheet.size) for r in doc.reasons]
    if doc.manager:
        verdict += [Spacer(1, 3), para(f"{sheet.t('override')}{colon}{doc.manager}"
                                       f"{sheet.t('approved')}", sheet.size + 0.5, bold=True),
                    para(f"{sheet.t('override_reason')}{colon}{doc.override_reason}",
                         sheet.size + 0.5)]
    if doc.note:
        verdict.append(para(f"{sheet.t('note')}{colon}{doc.note}", sheet.size))
    story.append(KeepTogether([
        Spacer(1, 4), totals(sheet, rows, left=verdict), Spacer(1, 8),
        signatures(sheet, [(sheet.t("handler"), doc.handler), (sheet.t("customer_sign"), "")]),
    ]))
    return story, f"{title} {doc.number}"
