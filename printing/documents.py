"""The documents the showroom prints, as plain data.

The app stores each job's document as a JSON snapshot (money as "123.45" strings, times
already in showroom-local time) so a reprint a month later shows exactly what the
customer was given; `document_from_payload` turns a snapshot back into a dataclass.
Phone numbers arrive masked where the document goes to a customer.
"""
from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field
from typing import Any, Union


@dataclass(frozen=True, kw_only=True)
class Party:
    """The customer as a document shows them."""
    code: str = ""
    name: str
    kind: str = ""
    phone_masked: str = ""
    address: str = ""


@dataclass(frozen=True, kw_only=True)
class Line:
    code: str
    name: str
    qty: int
    unit_price: str
    amount: str


@dataclass(frozen=True, kw_only=True)
class PaymentLine:
    method: str  # cash, bank_transfer, wechat, alipay, on_account
    amount: str


@dataclass(frozen=True, kw_only=True)
class Document:
    """Fields every document carries: the shop's name and the language it prints in."""
    shop: str = ""
    lang: str = "zh"  # "zh" or "en": labels on the paper


@dataclass(frozen=True, kw_only=True)
class SalesSlip(Document):
    """销售单: printed in three copies, each marked with its copy name."""
    number: str
    printed_at: str
    customer: Party
    lines: list[Line]
    previous_debt: str
    this_order: str
    paid: str
    cumulative_debt: str
    payments: list[PaymentLine] = field(default_factory=list)
    copies: list[str] = field(default_factory=lambda: ["第一联 存根", "第二联 保管", "第三联 客户"])
    # Signed at packing (Std ch.5): the tablet's signature pad as base64 PNG, drawn on the
    # PDF's customer line (never on a receipt), and the staff who counted.
    customer_signature_png: str = ""
    counted_by: list[str] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class CashReceipt(Document):
    """收款小票: cash taken (收) and change given (找)."""
    number: str
    printed_at: str
    customer: Party
    cash: str
    tendered: str
    change: str


@dataclass(frozen=True, kw_only=True)
class DeskReceipt(Document):
    """收款单: a payment on account (还款) or a remittance (汇款到账), numbered, with the
    balance before and the new balance; cash also shows what was tendered and the change
    (唱收唱付). Balances > 0 are debt (欠款), < 0 credit held (余款)."""
    number: str
    printed_at: str
    customer: Party
    method: str  # cash, bank_transfer, wechat, alipay
    amount: str
    tendered: str = ""  # cash only
    change: str = ""
    reference: str = ""  # transfer / wallet reference
    note: str = ""
    balance_before: str
    balance_after: str
    cashier: str = ""


@dataclass(frozen=True, kw_only=True)
class RefundSlip(Document):
    """退款单: credit held paid back to the customer, approved by a manager's PIN."""
    number: str
    printed_at: str
    customer: Party
    method: str
    amount: str
    reason: str
    manager: str
    balance_before: str
    balance_after: str
    cashier: str = ""


RETURN_KINDS = ("on_the_spot", "cross_out")


@dataclass(frozen=True, kw_only=True)
class ReturnSlip(Document):
    """退货单: signed by the handler, the customer and the department manager (Std ch.5).
    A cross-out at packing is approved by the manager's PIN, so their name prints as approved."""
    number: str
    order_number: str
    printed_at: str
    customer: Party
    lines: list[Line]
    total: str
    kind: str = ""  # "on_the_spot" | "cross_out"; "" from snapshots older than the field
    handler: str = ""  # 经手人, printed on the line when given
    manager: str = ""  # 部门经理
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class AfterSalesSlip(Document):
    """售后退货单 / 换货单 (SPEC §6): the goods back at the prices paid, an exchange's goods
    out at the day's price and the one difference, the rule that allowed or refused it
    and, when a manager overrode a refusal, their name and the written reason."""
    number: str
    printed_at: str
    customer: Party
    kind: str  # "return" | "exchange"
    reason: str  # goods_differ | quality | other
    quality_confirmed: bool = False
    orders: str = ""  # the sales slips the goods came from
    lines: list[Line]
    replacements: list[Line] = field(default_factory=list)
    credit: str
    replacement_total: str = "0.00"
    difference: str  # > 0 the customer pays the difference, < 0 it is credited
    balance_after: str
    rule: str
    allowed: bool = True
    reasons: list[str] = field(default_factory=list)
    manager: str = ""  # the manager who overrode a refusal (PIN checked)
    override_reason: str = ""
    handler: str = ""
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class LockerTicket(Document):
    visit_id: int
    customer_name: str
    customer_code: str = ""
    locker_no: str
    time: str


@dataclass(frozen=True, kw_only=True)
class PackedItem:
    code: str
    name: str
    qty: int


@dataclass(frozen=True, kw_only=True)
class PackingList(Document):
    """装箱单: what one box holds."""
    order_number: str
    printed_at: str
    customer: Party
    box_no: int
    box_count: int
    items: list[PackedItem]
    packer: str = ""


@dataclass(frozen=True, kw_only=True)
class BoxLabel(Document):
    """箱贴: stuck on each box (and across the seal when the customer is absent)."""
    order_number: str
    name: str
    address: str
    phone: str
    box_no: int
    box_count: int
    barcode: str  # CODE128 content, e.g. "XS-20261122-0007-2"


@dataclass(frozen=True, kw_only=True)
class ShippingNotice(Document):
    """发货通知: carrier, waybill, boxes and expected arrival, also sent as a message."""
    order_number: str
    customer_name: str
    carrier: str  # display name, e.g. 顺丰
    waybill: str
    boxes: int
    shipped_on: str
    eta: str = ""
    text: str = ""  # the message as sent to the customer


@dataclass(frozen=True, kw_only=True)
class ProductLabel(Document):
    """吊牌: product tag with code, name, price and barcode."""
    code: str
    name: str
    price: str
    barcode: str


@dataclass(frozen=True, kw_only=True)
class StatementEntry:
    date: str
    kind: str
    ref: str
    amount: str  # > 0 the customer owes more
    balance_after: str
    reverses: str = ""  # a reversal (冲销): the kind of the entry it reverses


@dataclass(frozen=True, kw_only=True)
class CustomerStatement(Document):
    """对账单 (PDF only): ledger entries of a period with opening and closing balance."""
    customer: Party
    period_from: str
    period_to: str
    opening_balance: str
    entries: list[StatementEntry]
    closing_balance: str
    printed_at: str


@dataclass(frozen=True, kw_only=True)
class ShiftRow:
    method: str  # cash, bank_transfer, wechat, alipay
    expected: str
    counted: str = ""  # "" = not counted
    difference: str = ""


@dataclass(frozen=True, kw_only=True)
class ShiftReport(Document):
    """交班对账单: what each method should hold since the last close, what was counted,
    the difference, and the manager who approved a cash difference."""
    number: str
    printed_at: str
    cashier: str
    since: str  # "" = the cashier's first close
    until: str
    opening_float: str
    rows: list[ShiftRow]
    cash_difference: str
    manager: str = ""
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class DailyMethod:
    method: str
    amount: str


@dataclass(frozen=True, kw_only=True)
class DailyShift:
    number: str
    cashier: str
    closed_at: str
    expected_cash: str
    counted_cash: str
    cash_difference: str
    manager: str = ""


@dataclass(frozen=True, kw_only=True)
class DailyReport(Document):
    """日报表 (PDF only): the day's sales, payments by method, returns, refunds, debts and
    credits outstanding at the end of the day, and the shifts closed."""
    date: str
    printed_at: str
    sales_total: str
    orders: int
    payments: list[DailyMethod]
    payments_total: str
    on_account_total: str
    returns_total: str
    refunds_total: str
    debt_total: str
    credit_total: str
    shifts: list[DailyShift] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class RepairReceipt(Document):
    """维修单: the intake receipt in three copies (customer, workshop, file), each with a QR
    of the repair number; what is repaired, the material and the weight taken in."""
    number: str
    printed_at: str
    customer: Party
    product_code: str = ""
    description: str
    part: str
    material: str  # a code: silver_925, gold …
    weight: str = ""  # grams, "12.35"; "" = not weighed
    photos: int = 0
    received_by: str = ""
    copies: list[str] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class RepairBagLabel(Document):
    """维修袋标签: on the bag the piece travels in; the QR finds the repair."""
    number: str
    printed_at: str
    customer: Party
    part: str
    material: str
    weight: str = ""


@dataclass(frozen=True, kw_only=True)
class HandoverLine:
    number: str
    customer: str
    description: str
    part: str
    material: str
    weight: str = ""


@dataclass(frozen=True, kw_only=True)
class RepairHandover(Document):
    """送外维修交接单: the pieces of one batch handed to the courier / partner abroad."""
    number: str
    printed_at: str
    partner: str
    manager: str = ""
    carrier: str = ""
    expected_from: str = ""
    expected_to: str = ""
    lines: list[HandoverLine]


@dataclass(frozen=True, kw_only=True)
class ConsignmentListLine:
    product_code: str
    name: str
    qty: int
    price_wholesale: str
    price_franchise: str
    consignor_price: str = ""  # "" = the consignor's share of the sale


@dataclass(frozen=True, kw_only=True)
class ConsignmentList(Document):
    """委托代销清单 / 代销退还清单: the consignor's goods taken in (or given back), with
    their prices, and the consignor's signature — or 待签字 when sent for signature."""
    number: str
    printed_at: str
    kind: str = "intake"  # intake or withdrawal
    intake_number: str = ""  # a withdrawal: the list the goods came in on
    consignor_code: str
    consignor: Party
    share: str = ""  # "80%"
    lines: list[ConsignmentListLine]
    total_qty: int = 0
    total_wholesale: str = ""
    total_franchise: str = ""
    total_consignor: str = ""
    present: bool = False
    signature_state: str = "sent"  # signed, sent, returned
    signature_png: str = ""  # base64 PNG (pad or photo of the signed paper)
    signed_at: str = ""
    sent_at: str = ""
    staff: str = ""


@dataclass(frozen=True, kw_only=True)
class ConsignmentLabel(Document):
    """代销标签: one per consigned piece — the consignor code large, name, price, barcode."""
    consignor_code: str
    code: str
    name: str
    price: str
    barcode: str


# -- the consignor's money (SPEC §7) ----------------------------------------------------

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


@dataclass(frozen=True, kw_only=True)
class ComplaintGate:
    step: str  # judge, investigate … feedback, reopen (code)
    who: str = ""
    at: str = ""
    what: str = ""


@dataclass(frozen=True, kw_only=True)
class ComplaintReport(Document):
    """投诉处理单 (A4): the complaint, every gate's who/when/what, the customer's signature."""
    number: str
    printed_at: str
    customer: Party
    channel: str  # code: visit, phone, online, video
    category: str  # code: quality, service, delivery, price, other
    status: str  # code
    text: str
    recorded_at: str
    recorded_by: str = ""
    first_response_due: str = ""
    first_response_at: str = ""
    gates: list[ComplaintGate] = field(default_factory=list)
    acceptance: str = ""  # signature | phone | ""
    signature_png: str = ""  # base64
    rating: str = ""
    reopen_count: int = 0


@dataclass(frozen=True, kw_only=True)
class BankAccount:
    bank: str
    name: str
    number: str


@dataclass(frozen=True, kw_only=True)
class RemitNotice(Document):
    """汇款通知 (SPEC §5): what a remote customer must remit — this order + previous debt −
    previous credit + freight — and to which accounts."""
    number: str  # the order's number
    printed_at: str
    customer: Party
    order_total: str
    previous_balance: str  # > 0 debt, < 0 credit held
    shipping_fee: str
    carrier: str = ""
    amount_to_remit: str
    accounts: list[BankAccount] = field(default_factory=list)
    staff: str = ""


DOCUMENT_TYPES: dict[str, type[Document]] = {
    "sales_slip": SalesSlip, "cash_receipt": CashReceipt, "return_slip": ReturnSlip,
    "locker_ticket": LockerTicket, "packing_list": PackingList, "box_label": BoxLabel,
    "shipping_notice": ShippingNotice, "product_label": ProductLabel,
    "customer_statement": CustomerStatement, "shift_report": ShiftReport,
    "daily_report": DailyReport, "desk_receipt": DeskReceipt, "refund_slip": RefundSlip,
    "aftersales_return": AfterSalesSlip, "aftersales_exchange": AfterSalesSlip,
    "repair_receipt": RepairReceipt, "repair_bag_label": RepairBagLabel,
    "repair_handover": RepairHandover,
    "consignment_list": ConsignmentList, "consignment_label": ConsignmentLabel,
    "consignor_payout": ConsignorPayoutSlip, "consignor_statement": ConsignorStatement,
    "complaint_report": ComplaintReport,
    "remit_notice": RemitNotice,
}

# Kinds with no ESC/POS form (SPEC §10): they print as PDF only.
PDF_ONLY = frozenset({"customer_statement", "daily_report", "consignor_statement",
                      "complaint_report"})


def document_from_payload(kind: str, payload: dict[str, Any]) -> Document:
    """Build the dataclass for a stored snapshot; unknown keys are ignored, so snapshots
    written by an older version still print."""
    try:
        cls = DOCUMENT_TYPES[kind]
    except KeyError:
        raise ValueError(f"unknown document kind {kind!r}") from None
    return typing.cast(Document, _build(cls, payload))


def _build(cls: type, data: Any) -> Any:
    if not isinstance(data, dict):
        raise ValueError(f"{cls.__name__} needs an object, got {type(data).__name__}")
    hints = typing.get_type_hints(cls)
    kwargs = {f.name: _convert(hints[f.name], data[f.name])
              for f in dataclasses.fields(cls) if f.name in data}
    try:
        return cls(**kwargs)
    except TypeError as exc:
        raise ValueError(f"{cls.__name__}: {exc}") from None


def _convert(hint: Any, value: Any) -> Any:
    origin = typing.get_origin(hint)
    if origin in (Union, types.UnionType):
        inner = [a for a in typing.get_args(hint) if a is not type(None)]
        return None if value is None else _convert(inner[0], value)
    if origin is list:
        (item,) = typing.get_args(hint)
        return [_convert(item, v) for v in value]
    if dataclasses.is_dataclass(hint):
        return _build(typing.cast(type, hint), value)
    if hint is int:
        return int(value)
    if hint is str:
        return "" if value is None else str(value)
    return value


def to_payload(doc: Document) -> dict[str, Any]:
    """The JSON-ready snapshot of a document (inverse of `document_from_payload`)."""
    return dataclasses.asdict(doc)


def kind_of(doc: Document) -> str:
    for kind, cls in DOCUMENT_TYPES.items():
        if type(doc) is cls:
            return kind
    raise ValueError(f"not a document: {type(doc).__name__}")
