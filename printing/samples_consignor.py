"""Sample consignor documents (payout slip, statement) for previews, tests and benchmarks."""
from __future__ import annotations

from printing.documents import (
    ConsignorPayoutSlip,
    ConsignorStatement,
    Document,
    FloorRow,
    Party,
    SoldRow,
    WithdrawnRow,
)

SHOP = "银饰批发展厅"
LI = Party(code="K00042", name="李秀英", kind="wholesale", phone_masked="138****5678")


def sample_consignor(kind: str, *, lines: int = 5, lang: str = "zh") -> Document:
    if kind == "consignor_payout":
        return ConsignorPayoutSlip(
            shop=SHOP, lang=lang, number="DF-20261122-0001", printed_at="2026-11-22 16:30",
            consignor_code="pf123李", customer=LI, method="offset", amount="300.00",
            payable_before="560.00", payable_after="260.00", debt_before="1200.00",
            debt_after="900.00", note="抵扣部分欠款", staff="1001 王经理")
    sold = [SoldRow(product_code=f"pf123-{i + 1:03d}", name=f"代销银手镯{i + 1}号", qty=1 + i % 2,
                    amount=f"{140 * (1 + i % 2)}.00", order_number=f"XS-20261122-{i + 7:04d}",
                    date="2026-11-22") for i in range(lines)]
    return ConsignorStatement(
        shop=SHOP, lang=lang, consignor_code="pf123李", customer=LI,
        period_from="2026-11-01", period_to="2026-11-30", printed_at="2026-11-30 18:00",
        opening="0.00", earned="560.00", paid="300.00", payable="260.00", sold=sold,
        returned=[SoldRow(product_code="pf123-001", name="代销银手镯1号", qty=1, amount="-140.00",
                          order_number="TH-20261123-0002", date="2026-11-23")],
        on_hand=[FloorRow(product_code="pf123-003", name="代销银手镯3号", on_hand=3,
                          since="2026-11-02")],
        withdrawn=[WithdrawnRow(number="DT-20261125-0001", date="2026-11-25",
                                product_code="pf123-005", name="代销银手镯5号", qty=1)])
