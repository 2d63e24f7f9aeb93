"""The words the consignor's money documents print (payout slip, statement), Chinese first
as on the floor; merged into printing.labels_text.LABELS. Plain data, no imports."""
from __future__ import annotations

CONSIGNOR_LABELS: dict[str, tuple[str, str]] = {
    "consignor_payout": ("代销付款单", "Consignor payout"),
    "consignor_statement": ("代销对账单", "Consignor statement"),
    "payout_method": ("付款方式", "Paid by"),
    "payout_amount": ("本次付款", "Paid now"),
    "payable_before": ("付款前应付", "Payable before"),
    "payable_after": ("付款后应付", "Payable after"),
    "debt_before": ("抵扣前欠款", "Debt before"),
    "debt_after": ("抵扣后欠款", "Debt after"),
    "offset": ("抵扣欠款", "Offset against debt"),
    "paid_by": ("经办人", "Paid by"),
    "sold": ("已售", "Sold"),
    "returned_goods": ("退回", "Returned"),
    "on_floor": ("在店未售", "Still on our floor"),
    "withdrawn": ("已取回", "Withdrawn"),
    "earned": ("本期应得", "Earned"),
    "paid_out": ("本期已付", "Paid"),
    "adjusted": ("调整", "Adjustments"),
    "opening_payable": ("期初应付", "Payable at start"),
    "payable": ("应付代销款", "Payable"),
    "sold_at": ("售出日期", "Sold on"),
    "on_hand": ("在店件数", "On hand"),
    "intake_on": ("入店日期", "In since"),
    "list_number": ("清单号", "List"),
    "nothing": ("无", "None"),
    "consignor_note": ("请核对，如有疑问七日内联系本店。", "Please check; contact us within 7 days "
                       "about any difference."),
}
