"""The consignor's documents as plain data (SPEC §7): the payout slip (付代销款单, receipt
printer and PDF) and the consignor statement (代销对账单, PDF only), and the words they
print in both languages. No Flask here, like the rest of printing/."""
from __future__ import annotations

from dataclasses import dataclass, field

from printing.documents import Document, Party

CONSIGNOR_LABELS: dict[str, tuple[str, str]] = {
    "consignor_payout": ("代销付款单", "Consignor payout"),
    "consignor_statement": ("代销对账单", "Consignor statement"),
    "consignor_code": ("代销编号", "Consignor code"),
    "consignor": ("代销人", "Consignor"),
    "payout_method": ("付款方式", "Paid by"),
    "payout_amount": ("本次付款", "Paid now"),
    "payable_before": ("付款前应付", "Payable before"),
    "payable_after": ("付款后应付", "Payable after"),
    "debt_before": ("抵扣前欠款", "Debt before"),
    "debt_after": ("抵扣后欠款", "Debt after"),
    "offset": ("抵扣欠款", "Offset against debt"),
    "consignor_sign": ("代销人签字", "Consignor signature"),
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


@dataclass(frozen=True, kw_only=True)
class ConsignorPayoutSlip(Document):
    """付代销款单: the amount, how it was paid, the payable before and after, and for an
    offset the person's customer debt before and after."""
    number: str
    printed_at: str
    consignor_code: str
    customer: Party
    method: str  # cash, bank_transfer, wechat, alipay, offset
    amount: str
    payable_before: str
    payable_after: str
    debt_before: str = ""
    debt_after: str = ""
    note: str = ""
    staff: str = ""


@dataclass(frozen=True, kw_only=True)
class SoldRow:
    product_code: str
    name: str
    qty: int
    amount: str
    order_number: str = ""
    date: str = ""


@dataclass(frozen=True, kw_only=True)
class FloorRow:
    product_code: str
    name: str
    on_hand: int
    since: str = ""


@dataclass(frozen=True, kw_only=True)
class WithdrawnRow:
    number: str
    date: str
    product_code: str
    name: str
    qty: int


@dataclass(frozen=True, kw_only=True)
class ConsignorStatement(Document):
    """代销对账单: sold, returned, still here, withdrawn; earned, paid, payable."""
    consignor_code: str
    customer: Party
    period_from: str
    period_to: str
    printed_at: str
    opening: str
    earned: str
    paid: str
    adjusted: str = "0.00"
    payable: str
    sold: list[SoldRow] = field(default_factory=list)
    returned: list[SoldRow] = field(default_factory=list)
    on_hand: list[FloorRow] = field(default_factory=list)
    withdrawn: list[WithdrawnRow] = field(default_factory=list)
