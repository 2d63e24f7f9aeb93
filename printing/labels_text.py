"""Words printed on the paper, in Chinese and English (a document's `lang`).

Printing has no Flask, so receipts do not go through Flask-Babel: the few labels a
receipt needs live here, keyed by a short name, Chinese first as on the shop floor.
A Big5 printer has no simplified characters, so `traditional` turns the labels' and the
trade's common simplified characters into their traditional form for it.
"""
from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    # titles
    "sales_slip": ("销售单", "Sales slip"),
    "cash_receipt": ("收款小票", "Cash receipt"),
    "return_slip": ("退货单", "Return slip"),
    "desk_receipt": ("收款单", "Payment receipt"),
    "refund_slip": ("退款单", "Refund slip"),
    "aftersales_return": ("售后退货单", "After-sales return slip"),
    "aftersales_exchange": ("换货单", "Exchange slip"),
    "return_slip_cross_out": ("退货单（点货划除）", "Return slip (crossed out at packing)"),
    "locker_ticket": ("寄存牌", "Locker ticket"),
    "packing_list": ("装箱单", "Packing list"),
    "box_label": ("箱贴", "Box label"),
    "shipping_notice": ("发货通知", "Shipping notice"),
    "product_label": ("吊牌", "Product tag"),
    "shift_report": ("交班对账单", "Shift report"),
    "repair_receipt": ("维修单", "Repair receipt"),
    "repair_bag_label": ("维修袋", "Repair bag"),
    "repair_handover": ("送外维修交接单", "Repair hand-over list"),
    "consignment_list": ("委托代销清单", "Consignment list"),
    "consignment_withdrawal": ("代销退还清单", "Consignment withdrawal list"),
    "consignment_label": ("代销标签", "Consignment label"),
    "reprint": ("重印 REPRINT", "REPRINT"),
    "remit_notice": ("汇款通知", "Remittance notice"),
    "amount_to_remit": ("应汇款金额", "Amount to remit"),
    "freight": ("运费", "Freight"),
    "remit_to": ("请汇款至", "Please remit to"),
    "account_name": ("户名", "Account name"),
    "account_number": ("账号", "Account no."),
    "remit_then_ship": ("款项到账后即安排发货", "We ship once the money arrives"),
    # header fields
    "number": ("单号", "No."),
    "order_number": ("订单号", "Order"),
    "original_order": ("原单号", "Order"),
    "date": ("日期", "Date"),
    "time": ("时间", "Time"),
    "customer": ("客户", "Customer"),
    "customer_code": ("客户编号", "Customer no."),
    "phone": ("电话", "Phone"),
    "address": ("地址", "Address"),
    "visit": ("来访号", "Visit"),
    "locker": ("柜号", "Locker"),
    "packer": ("装箱人", "Packed by"),
    "box": ("箱", "Box"),
    "boxes": ("箱数", "Boxes"),
    "carrier": ("承运", "Carrier"),
    "waybill": ("运单号", "Waybill"),
    "shipped_on": ("发货日期", "Shipped"),
    "eta": ("预计到达", "Expected"),
    "reason": ("原因", "Reason"),
    "cashier": ("收银员", "Cashier"),
    "since": ("起", "From"),
    "until": ("止", "Until"),
    "first_shift": ("首次交班", "first close"),
    "opening_float": ("备用金", "Opening float"),
    "expected": ("应有", "Expected"),
    "counted": ("实点", "Counted"),
    "difference": ("差额", "Difference"),
    "method": ("方式", "Method"),
    "not_counted": ("未点", "not counted"),
    "cash_difference": ("现金差额", "Cash difference"),
    "note": ("备注", "Note"),
    "refund_method": ("退款方式", "Paid out by"),
    "reference": ("参考号", "Reference"),
    # after-sales
    "goods_back": ("退回商品", "Goods back"),
    "goods_out": ("换出商品", "Goods out"),
    "replacement_total": ("换出金额", "Goods out total"),
    "difference_due": ("应补差价", "Customer pays"),
    "difference_credit": ("退还差价", "Credited"),
    "no_difference": ("无差价", "No difference"),
    "rule": ("规则", "Rule"),
    "verdict_allowed": ("允许", "allowed"),
    "verdict_refused": ("拒绝", "refused"),
    "override": ("经理特批", "Manager override"),
    "override_reason": ("特批原因", "Override reason"),
    "quality_confirmed": ("质量问题已确认", "Quality problem confirmed"),
    "reason_goods_differ": ("货不对版", "Goods differ from the order"),
    "reason_quality": ("质量问题", "Quality problem"),
    "reason_other": ("其他", "Other"),
    "rule_wholesale_self_pickup": ("批发自提不退换", "Wholesale self-pickup"),
    "rule_remote_exchange": ("外地客户换货", "Remote exchange"),
    "rule_franchise_ratio": ("加盟退货比例", "Franchise return ratio"),
    "rule_returnable_qty": ("可退数量", "Returnable quantity"),
    # signatures
    "handler": ("经手人", "Handled by"),
    "customer_sign": ("客户签字", "Customer signature"),
    "manager": ("部门经理", "Manager"),
    "approved_by": ("核准经理", "Approved by"),
    "cashier_sign": ("收银员签字", "Cashier signature"),
    "approved": ("（已核准）", " (approved by PIN)"),
    "counted_by": ("点货人", "Counted by"),
    "signed_by_customer": ("客户已签字", "Signed by customer"),
    # table
    "code": ("编码", "Code"),
    "name": ("品名", "Item"),
    "qty": ("数量", "Qty"),
    "price": ("单价", "Price"),
    "amount": ("金额", "Amount"),
    "total_qty": ("合计件数", "Pieces"),
    "lines": ("品种", "Lines"),
    # money
    "previous_debt": ("上次欠款", "Previous debt"),
    "this_order": ("本单金额", "This order"),
    "paid": ("已付", "Paid"),
    "cumulative_debt": ("累计欠款", "Total debt"),
    "previous_credit": ("上次余款", "Previous credit"),
    "credit_now": ("现有余款", "Credit held"),
    "amount_paid": ("本次收款", "Amount paid"),
    "refund_amount": ("退款金额", "Refunded"),
    "payments": ("付款方式", "Payments"),
    "return_total": ("退货金额", "Refund total"),
    "cash_due": ("应收现金", "Cash due"),
    "tendered": ("收您", "Received"),
    "change": ("找您", "Change"),
    "currency": ("￥", "￥"),
    # payment methods
    "cash": ("现金", "Cash"),
    "bank_transfer": ("银行转账", "Bank transfer"),
    "wechat": ("微信", "WeChat"),
    "alipay": ("支付宝", "Alipay"),
    "on_account": ("挂账", "On account"),
    # consignment
    "consignor": ("委托人", "Consignor"),
    "consignor_code": ("代销编号", "Consignor code"),
    "consignor_share": ("委托人分成", "Consignor's share"),
    "intake_list": ("原代销清单", "Intake list"),
    "price_wholesale": ("批发价", "Wholesale"),
    "price_franchise": ("加盟价", "Franchise"),
    "consignor_price": ("委托价", "Consignor price"),
    "by_share": ("按分成", "by share"),
    "consignor_sign": ("委托人签字", "Consignor signature"),
    "awaiting_signature": ("待签字 / 已寄出签字", "Sent for signature (待签字)"),
    "signed_on_tablet": ("委托人已在平板签字", "Signed by the consignor on the tablet"),
    "signed_copy_returned": ("签字回执已收回", "Signed copy returned"),
    "sent_on": ("寄出日期", "Sent"),
    "signed_on": ("签字日期", "Signed"),
    "consignment_note": ("代销商品所有权归委托人，售出后按约定价格或分成结算。",
                         "Consigned goods remain the consignor's property; sales are settled "
                         "at the agreed price or share."),
    # repairs
    "product_code": ("货号", "Product code"),
    "description": ("问题描述", "Problem"),
    "part": ("维修部位", "Part to repair"),
    "material": ("材质", "Material"),
    "weight": ("重量(克)", "Weight (g)"),
    "photos": ("照片", "Photos"),
    "received_by": ("收件人", "Received by"),
    "partner": ("送往", "Sent to"),
    "carrier_staff": ("送件人", "Taken by"),
    "expected_back": ("预计返回", "Expected back"),
    "pieces": ("件数", "Pieces"),
    "repair_note": ("送外维修需1-6个月，修复后可能与原样略有差异。凭此单取件。",
                    "Repairs abroad take 1-6 months and may not match the original exactly. "
                    "Bring this receipt to collect."),
    "silver_925": ("925银", "925 silver"),
    "thai_silver": ("泰银", "Thai silver"),
    "gold": ("黄金", "Gold"),
    "k_gold": ("K金", "K gold"),
    "platinum": ("铂金", "Platinum"),
    "copper": ("铜", "Copper"),
    "alloy": ("合金", "Alloy"),
    "other": ("其他", "Other"),
    # notes
    "keep_ticket": ("凭此牌取回寄存物品，请妥善保管", "Show this ticket to collect your belongings"),
    "thanks": ("谢谢惠顾", "Thank you"),
}


from printing.consignor_labels import CONSIGNOR_LABELS  # noqa: E402 - plain data

LABELS |= CONSIGNOR_LABELS


def label(key: str, lang: str = "zh") -> str:
    """The label `key` in `lang` ("zh" by default; anything but "en" prints Chinese)."""
    zh, en = LABELS[key]
    return en if lang == "en" else zh


def material_label(material: str, lang: str = "zh") -> str:
    """A material's printed name; an unknown code prints as stored."""
    return label(material, lang) if material in _MATERIALS else material


_MATERIALS = frozenset({"silver_925", "thai_silver", "gold", "k_gold", "platinum", "copper",
                        "alloy", "other"})


def method_label(method: str, lang: str = "zh") -> str:
    """A payment method's name; an unknown method prints as stored."""
    return label(method, lang) if method in _METHODS else method


_METHODS = frozenset({"cash", "bank_transfer", "wechat", "alipay", "on_account"})


# Simplified -> traditional, one character at a time (the form a jewellery shop means:
# 发 is 發 as in 发货, so 发夹 prints 發夾, not 髮夾). Covers every label above, the copy
# names, and common words of the trade and of addresses; anything else a Big5 printer
# cannot print comes out as a full-width "？" (see printing.escpos_render).
_TRADITIONAL_PAIRS = (
    "丽麗 义義 乌烏 凭憑 区區 华華 单單 厅廳 发發 号號 国國 宝寶 应應 户戶 数數 时時 来來 现現 电電 码碼 "
    "纯純 编編 联聯 装裝 计計 订訂 访訪 话話 请請 谢謝 账賬 货貨 贴貼 贸貿 赵趙 转轉 达達 运運 钉釘 银銀 "
    "链鏈 销銷 锁鎖 锆鋯 镯鐲 镶鑲 间間 际際 项項 顺順 顾顧 预預 额額 饰飾 价價 质質 夹夾 脚腳 儿兒 环環 "
    "钻鑽 坠墜 颈頸 红紅 黄黃 绿綠 蓝藍 镀鍍 铜銅 钯鈀 铂鉑 条條 个個 两兩 总總 优優 东東 门門 车車 长長 "
    "买買 卖賣 钱錢 费費 汇匯 邮郵 递遞 们們 这這 广廣 苏蘇 宁寧 县縣 镇鎮 楼樓 层層 库庫 仓倉 务務 员員 "
    "记記 录錄 签簽 专專 业業 实實 体體 网網 厂廠 产產 检檢 验驗 证證 书書 柜櫃 挂掛 贵貴 币幣 积積 欢歡 "
    "经經 点點 划劃 后後 换換 补補 规規 则則 许許 绝絕 对對 问問 题題 确確 认認 还還"
)
TRADITIONAL = str.maketrans({p[0]: p[1] for p in _TRADITIONAL_PAIRS.split()})


def traditional(text: str) -> str:
    """`text` with the simplified characters above in their traditional form."""
    return text.translate(TRADITIONAL)
