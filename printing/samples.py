"""Sample documents with Chinese names and mixed-width text: test pages, previews of a
kind before any real job exists, tests and benchmarks."""
from __future__ import annotations

from printing.documents import (
    AfterSalesSlip,
    BoxLabel,
    CashReceipt,
    ComplaintGate,
    ComplaintReport,
    CustomerStatement,
    DailyMethod,
    DailyReport,
    DailyShift,
    DeskReceipt,
    Document,
    HandoverLine,
    Line,
    LockerTicket,
    PackedItem,
    PackingList,
    Party,
    PaymentLine,
    ProductLabel,
    RefundSlip,
    RepairBagLabel,
    RepairHandover,
    RepairReceipt,
    ReturnSlip,
    SalesSlip,
    ShiftReport,
    ShiftRow,
    ShippingNotice,
    StatementEntry,
)

SHOP = "银饰批发展厅"
NAMES = ("925银镶锆石戒指", "S925 sterling 手链", "纯银耳钉 Ear stud", "银项链锁骨链", "古法银手镯",
         "珍珠吊坠 Pearl", "儿童银脚链", "银质发夹 hairpin")
CUSTOMER = Party(code="C00042", name="王丽华饰品店", kind="wholesale", phone_masked="138****5678",
                 address="浙江省义乌市国际商贸城二区 12 号")


def _fen(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def sample_lines(count: int) -> list[Line]:
    lines = []
    for i in range(count):
        qty = 1 + (i * 7) % 12
        price = 1250 + (i * 379) % 48000
        lines.append(Line(code=f"YS-{10000 + i}", name=NAMES[i % len(NAMES)], qty=qty,
                          unit_price=_fen(price), amount=_fen(price * qty)))
    return lines


def sample_sales_slip(lines: int = 5, *, lang: str = "zh") -> SalesSlip:
    items = sample_lines(lines)
    total = sum(int(ln.amount.replace(".", "")) for ln in items)
    paid = total // 2
    return SalesSlip(shop=SHOP, lang=lang, number="XS-20261122-0007", printed_at="2026-11-22 15:04",
                     customer=CUSTOMER, lines=items, previous_debt="1200.00", this_order=_fen(total),
                     paid=_fen(paid), cumulative_debt=_fen(120000 + total - paid),
                     payments=[PaymentLine(method="cash", amount=_fen(paid)),
                               PaymentLine(method="on_account", amount=_fen(total - paid))])


def sample(kind: str, *, lines: int = 5, lang: str = "zh") -> Document:
    """A realistic document of `kind`."""
    if kind == "sales_slip":
        return sample_sales_slip(lines, lang=lang)
    if kind == "cash_receipt":
        return CashReceipt(shop=SHOP, lang=lang, number="XS-20261122-0007", printed_at="2026-11-22 15:04",
                           customer=CUSTOMER, cash="587.50", tendered="600.00", change="12.50")
    if kind in ("aftersales_return", "aftersales_exchange"):
        return sample_aftersales(kind == "aftersales_exchange", lang=lang)
    if kind == "return_slip":
        items = sample_lines(lines)[:lines]
        total = sum(int(ln.amount.replace(".", "")) for ln in items)
        return ReturnSlip(shop=SHOP, lang=lang, number="TH-20261122-0003", order_number="XS-20261122-0007",
                          printed_at="2026-11-22 15:10", customer=CUSTOMER, lines=items, total=_fen(total))
    if kind == "locker_ticket":
        return LockerTicket(shop=SHOP, lang=lang, visit_id=314, customer_name=CUSTOMER.name,
                            customer_code=CUSTOMER.code, locker_no="A-17", time="2026-11-22 14:02")
    if kind == "packing_list":
        return PackingList(shop=SHOP, lang=lang, order_number="XS-20261122-0007",
                           printed_at="2026-11-22 16:20", customer=CUSTOMER, box_no=1, box_count=2,
                           items=[PackedItem(code=ln.code, name=ln.name, qty=ln.qty)
                                  for ln in sample_lines(lines)], packer="1005 赵敏")
    if kind == "box_label":
        return BoxLabel(shop=SHOP, lang=lang, order_number="XS-20261122-0007", name=CUSTOMER.name,
                        address=CUSTOMER.address, phone="13812345678", box_no=2, box_count=2,
                        barcode="XS-20261122-0007-2")
    if kind == "shipping_notice":
        return ShippingNotice(shop=SHOP, lang=lang, order_number="XS-20261122-0007",
                              customer_name=CUSTOMER.name, carrier="顺丰速运", waybill="SF1234567890123",
                              boxes=2, shipped_on="2026-11-22", eta="2026-11-24",
                              text="王丽华饰品店您好：您的订单 XS-20261122-0007 共 2 箱已由顺丰速运发出，"
                                   "运单号 SF1234567890123，预计 2026-11-24 到达。")
    if kind == "product_label":
        return ProductLabel(shop=SHOP, lang=lang, code="YS-10001", name="925银镶锆石戒指",
                            price="12.50", barcode="6901234567892")
    if kind == "customer_statement":
        entries = []
        balance = 120000
        for i in range(max(lines, 1)):
            amount = 35000 if i % 3 == 0 else -20000
            balance += amount
            entries.append(StatementEntry(date=f"2026-11-{1 + i % 28:02d}",
                                          kind="sale" if amount > 0 else "payment",
                                          ref=f"XS-202611{1 + i % 28:02d}-{i:04d}", amount=_fen(amount)
                                          if amount > 0 else "-" + _fen(-amount),
                                          balance_after=_fen(balance)))
        return CustomerStatement(shop=SHOP, lang=lang, customer=CUSTOMER, period_from="2026-11-01",
                                 period_to="2026-11-30", opening_balance="1200.00", entries=entries,
                                 closing_balance=_fen(balance), printed_at="2026-11-30 18:00")
    if kind == "shift_report":
        return ShiftReport(shop=SHOP, lang=lang, number="JB-20261122-0001",
                           printed_at="2026-11-22 18:05", cashier="1002 李娜",
                           since="2026-11-22 09:00", until="2026-11-22 18:04",
                           opening_float="500.00", rows=[
                               ShiftRow(method="cash", expected="3587.50", counted="3577.50",
                                        difference="-10.00"),
                               ShiftRow(method="bank_transfer", expected="12000.00",
                                        counted="12000.00", difference="0.00"),
                               ShiftRow(method="wechat", expected="860.00", counted="860.00",
                                        difference="0.00"),
                               ShiftRow(method="alipay", expected="0.00")],
                           cash_difference="-10.00", manager="1001 王经理", note="少十元")
    if kind == "daily_report":
        return DailyReport(shop=SHOP, lang=lang, date="2026-11-22", printed_at="2026-11-22 20:00",
                           sales_total="18620.00", orders=12, payments=[
                               DailyMethod(method="cash", amount="3087.50"),
                               DailyMethod(method="bank_transfer", amount="12000.00"),
                               DailyMethod(method="wechat", amount="860.00"),
                               DailyMethod(method="alipay", amount="0.00")],
                           payments_total="15947.50", on_account_total="2672.50",
                           returns_total="120.00", refunds_total="300.00",
                           debt_total="85300.00", credit_total="-1250.00", shifts=[
                               DailyShift(number="JB-20261122-0001", cashier="1002 李娜",
                                          closed_at="18:04", expected_cash="3587.50",
                                          counted_cash="3577.50", cash_difference="-10.00",
                                          manager="1001 王经理")])
    if kind == "desk_receipt":
        return DeskReceipt(shop=SHOP, lang=lang, number="SK-20261122-0004",
                           printed_at="2026-11-22 15:20", customer=CUSTOMER, method="cash",
                           amount="5000.00", tendered="5100.00", change="100.00",
                           balance_before="8530.00", balance_after="3530.00", cashier="1002 李娜")
    if kind == "refund_slip":
        return RefundSlip(shop=SHOP, lang=lang, number="TK-20261122-0001",
                          printed_at="2026-11-22 15:30", customer=CUSTOMER, method="wechat",
                          amount="300.00", reason="客户多付，退回余款", manager="1001 张经理",
                          balance_before="-450.00", balance_after="-150.00", cashier="1002 李娜")
    if kind == "repair_receipt":
        return RepairReceipt(shop=SHOP, lang=lang, number="WX-20261122-0003",
                             printed_at="2026-11-22 10:15", customer=CUSTOMER,
                             product_code="SL-1024", description="主石脱落，链扣松动",
                             part="戒托主石", material="silver_925", weight="12.35", photos=2,
                             received_by="1003 赵敏", copies=["客户联", "工坊联", "存根联"])
    if kind == "repair_bag_label":
        return RepairBagLabel(shop=SHOP, lang=lang, number="WX-20261122-0003",
                              printed_at="2026-11-22 10:15", customer=CUSTOMER, part="戒托主石",
                              material="silver_925", weight="12.35")
    if kind == "repair_handover":
        return RepairHandover(shop=SHOP, lang=lang, number="SW-20261122-0001",
                              printed_at="2026-11-22 16:00", partner="曼谷金工坊",
                              manager="1001 王经理", carrier="1004 陈刚",
                              expected_from="2026-12-22", expected_to="2027-05-22", lines=[
                                  HandoverLine(number="WX-20261122-0003", customer="王丽华饰品店",
                                               description="链身断裂变形", part="链身",
                                               material="gold", weight="8.20")])
    if kind in ("consignor_payout", "consignor_statement"):
        from printing.samples_consignor import sample_consignor

        return sample_consignor(kind, lines=lines, lang=lang)
    if kind.startswith("consignment_"):
        from printing.consignment_samples import sample_consignment

        return sample_consignment(kind, lines=lines, lang=lang)
    if kind == "complaint_report":
        return sample_complaint(lang=lang)
    if kind == "remit_notice":
        from printing.documents import BankAccount, RemitNotice

        return RemitNotice(shop=SHOP, lang=lang, number="XS-20261122-0009",
                           printed_at="2026-11-22 15:40", customer=CUSTOMER,
                           order_total="3280.00", previous_balance="1500.00",
                           shipping_fee="36.00", carrier="顺丰", amount_to_remit="4816.00",
                           accounts=[BankAccount(bank="中国工商银行义乌分行", name="银饰批发展厅",
                                                 number="6222 0812 0800 1234 567")],
                           staff="1002 李娜")
    raise ValueError(f"unknown document kind {kind!r}")


def sample_aftersales(exchange: bool, *, lang: str = "zh") -> AfterSalesSlip:
    """A shipped wholesale customer's exchange (goods differ), or a self-pickup return
    refused by its rule and overridden by a manager."""
    back = [Line(code="SL-0001", name="925银镶锆石手链", qty=2, unit_price="120.00",
                 amount="240.00")]
    if exchange:
        out = [Line(code="SL-0002", name="925银素圈手链", qty=2, unit_price="135.00",
                    amount="270.00")]
        return AfterSalesSlip(
            shop=SHOP, lang=lang, number="HH-20261122-0001", printed_at="2026-11-22 16:05",
            customer=CUSTOMER, kind="exchange", reason="goods_differ",
            orders="XS-20261120-0003", lines=back, replacements=out, credit="240.00",
            replacement_total="270.00", difference="30.00", balance_after="8560.00",
            rule="remote_exchange", allowed=True, reasons=["换货允许：货不对版。"],
            handler="1002 李娜")
    return AfterSalesSlip(
        shop=SHOP, lang=lang, number="TH-20261122-0004", printed_at="2026-11-22 16:10",
        customer=CUSTOMER, kind="return", reason="quality", quality_confirmed=True,
        orders="XS-20261120-0003", lines=back, credit="240.00", difference="-240.00",
        balance_after="8290.00", rule="wholesale_self_pickup", allowed=False,
        reasons=["客户在展厅自提了这些货品。", "批发客户自提的货品不退不换。"],
        manager="1001 张经理", override_reason="老客户，电镀脱色，特批退货", handler="1002 李娜")



def sample_complaint(*, lang: str = "zh", signature_png: str = "") -> ComplaintReport:
    """A quality complaint through every gate, accepted by phone (or signed, when a
    signature is given)."""
    gates = [ComplaintGate(step="judge", who="1001 王经理", at="2026-11-22 10:40",
                           what="成立：电镀层脱落属质量问题"),
             ComplaintGate(step="investigate", who="1003 赵敏", at="2026-11-22 14:00",
                           what="品控部：该批次电镀层偏薄"),
             ComplaintGate(step="propose", who="1003 赵敏", at="2026-11-22 14:10",
                           what="同款换货，运费我方承担"),
             ComplaintGate(step="approve", who="1005 刘经理", at="2026-11-22 15:00", what="同意"),
             ComplaintGate(step="implement", who="1002 李娜", at="2026-11-23 10:00",
                           what="换货单 HH-20261123-0001"),
             ComplaintGate(step="accept", who="1004 陈刚", at="2026-11-23 10:20", what="")]
    return ComplaintReport(
        shop=SHOP, lang=lang, number="TS-20261122-0001", printed_at="2026-11-23 10:30",
        customer=CUSTOMER, channel="phone", category="quality", status="accepted",
        text="上周买的银项链戴了三天就掉色，要求换货。", recorded_at="2026-11-22 10:15",
        recorded_by="1004 陈刚", first_response_due="2026-11-25 11:45",
        first_response_at="2026-11-22 10:40", gates=gates,
        acceptance="signature" if signature_png else "phone", signature_png=signature_png)
