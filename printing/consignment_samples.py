"""Sample consignment printouts (a wholesale consignor surnamed 李, mixed-width names) for
previews of the kinds before any real job exists, the test page and the tests."""
from __future__ import annotations

from printing.documents import ConsignmentLabel, ConsignmentList, ConsignmentListLine, Document, Party

SHOP = "银饰批发展厅"
CONSIGNOR = Party(code="K00042", name="李明", kind="wholesale", phone_masked="138****5678")
NAMES = ("古法银手镯", "S925 sterling 手链", "纯银耳钉 Ear stud", "银项链锁骨链")


def _fen(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def sample_consignment(kind: str, *, lines: int = 5, lang: str = "zh") -> Document:
    if kind == "consignment_label":
        return ConsignmentLabel(shop=SHOP, lang=lang, consignor_code="pf123李",
                                code="pf123-001", name="古法银手镯 足银999", price="128.00",
                                barcode="pf123-001")
    if kind != "consignment_list":
        raise ValueError(f"unknown document kind {kind!r}")
    rows = [ConsignmentListLine(product_code=f"pf123-{i + 1:03d}", name=NAMES[i % len(NAMES)],
                                qty=1 + i % 4, price_wholesale=_fen(12800 + 500 * i),
                                price_franchise=_fen(11800 + 500 * i),
                                consignor_price=_fen(9000 + 400 * i) if i % 2 else "")
            for i in range(lines)]
    return ConsignmentList(
        shop=SHOP, lang=lang, number="DX-20261122-0001", printed_at="2026-11-22 11:20",
        kind="intake", consignor_code="pf123李", consignor=CONSIGNOR, share="80%", lines=rows,
        total_qty=sum(r.qty for r in rows),
        total_wholesale=_fen(sum(r.qty * int(r.price_wholesale.replace(".", "")) for r in rows)),
        total_franchise=_fen(sum(r.qty * int(r.price_franchise.replace(".", "")) for r in rows)),
        total_consignor=_fen(sum(r.qty * int(r.consignor_price.replace(".", "") or 0)
                                 for r in rows)),
        present=False, signature_state="sent", sent_at="2026-11-22 11:20", staff="1001 王经理")
